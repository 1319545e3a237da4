"""The request journal: what the mock received, with secrets redacted."""

import re
import threading
from collections import deque

REDACTED = "[redacted]"
# Headers whose values never reach the journal.
SECRET_HEADERS = {
    "authorization",
    "proxy-authorization",
    "x-mock-admin-token",
    "cookie",
}
# Headers whose first word, the scheme such as `Bearer`, is kept in the
# journal, so a test can check the scheme without seeing the key.
SCHEME_HEADERS = {"authorization", "proxy-authorization"}
# A DeePsy API key wherever a client puts it: another header, the query
# string or the body.
_API_KEY = re.compile(r"deepsy-dev-[A-Za-z0-9._~-]+")


def redact_keys(text):
    """Return `text` with every DeePsy API key in it replaced by [redacted]."""
    return _API_KEY.sub(REDACTED, text)


def redact_header(name, value):
    """Return the header value as the journal shows it."""
    lowered = name.lower()
    if lowered not in SECRET_HEADERS:
        return redact_keys(value)
    scheme, separator, _ = value.strip().partition(" ")
    if lowered in SCHEME_HEADERS and separator:
        return f"{scheme} {REDACTED}"
    return REDACTED


class Journal:
    """A bounded list of request entries; the oldest are dropped and counted."""

    def __init__(self, max_entries, max_body_chars):
        self.max_body_chars = max_body_chars
        self._entries = deque(maxlen=max(max_entries, 1))
        self._lock = threading.Lock()
        self._dropped = 0

    def record(self, entry: dict):
        with self._lock:
            if len(self._entries) == self._entries.maxlen:
                self._dropped += 1
            self._entries.append(entry)

    def entries(self, method=None, path_prefix=None, status=None):
        """Return the entries in arrival order and the number of dropped entries.

        The filters keep entries with that method, a path that starts with
        `path_prefix`, and that status.
        """
        with self._lock:
            entries = list(self._entries)
            dropped = self._dropped
        selected = [
            entry
            for entry in entries
            if (method is None or entry["method"] == method)
            and (path_prefix is None or entry["path"].startswith(path_prefix))
            and (status is None or entry["status"] == status)
        ]
        return selected, dropped

    def clear(self):
        """Remove every entry and reset the dropped count; return the number removed."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self._dropped = 0
        return count

    def redact_headers(self, headers):
        """Return the headers as a dict, with secret values redacted."""
        return {name: redact_header(name, value) for name, value in headers}

    def describe_body(
        self, body: bytes | None, length: int | None, content_type, *, sent=False
    ):
        """Return the body as the journal shows it: text, truncated, or a summary.

        `body` is None when the body was not read (multipart, or too large).
        The entry then summarises it by type and `length`, or by type alone
        when `sent` marks a body of unknown length (chunked). API keys in the
        text are redacted.
        """
        if body is None:
            if not length and not sent:
                return None
            kind = content_type or "unknown type"
            size = f" of {length} bytes" if length else ""
            return f"<{kind} body{size}, not recorded>"
        if not body:
            return None
        text = redact_keys(body.decode("utf-8", errors="replace"))
        if len(text) > self.max_body_chars:
            return text[: self.max_body_chars] + f"... [{len(text)} characters]"
        return text
