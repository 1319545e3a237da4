"""The request journal: what the mock received, with secrets redacted."""

import threading
from collections import deque

REDACTED = "[redacted]"
# Headers whose values never reach the journal.
SECRET_HEADERS = {"authorization", "x-mock-admin-token", "cookie"}


class Journal:
    """A bounded list of request entries; the oldest are dropped and counted."""

    def __init__(self, max_entries, max_body_chars):
        self.max_body_chars = max_body_chars
        self._entries = deque(maxlen=max(max_entries, 1))
        self._lock = threading.Lock()
        self.dropped = 0

    def record(self, entry: dict):
        with self._lock:
            if len(self._entries) == self._entries.maxlen:
                self.dropped += 1
            self._entries.append(entry)

    def entries(self, method=None, path_prefix=None, status=None):
        """Return the entries in arrival order, filtered by method, path prefix and status."""
        with self._lock:
            entries = list(self._entries)
        return [
            entry
            for entry in entries
            if (method is None or entry["method"] == method)
            and (path_prefix is None or entry["path"].startswith(path_prefix))
            and (status is None or entry["status"] == status)
        ]

    def clear(self):
        """Remove every entry and reset the dropped count; return the number removed."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self.dropped = 0
        return count

    def redact_headers(self, headers):
        return {
            name: REDACTED if name.lower() in SECRET_HEADERS else value
            for name, value in headers
        }

    def truncate_body(self, body: bytes, content_type: str):
        if not body:
            return None
        if content_type.startswith("multipart/"):
            return f"<multipart body of {len(body)} bytes>"
        text = body.decode("utf-8", errors="replace")
        if len(text) > self.max_body_chars:
            return text[: self.max_body_chars] + f"... [{len(text)} characters]"
        return text
