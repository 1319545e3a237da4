"""Asset files: safe file paths, allowed types, and conditional and range requests.

The conditional and range rules follow RFC 9110 (sections 13 and 14), and the
functions here take header values rather than a request, so they need no
Flask. Werkzeug 3.1.9's `Response.make_conditional` is not used, for two
reasons. It applies `Range` before `If-None-Match`, so a matching ETag with a
Range gives 206 where RFC 9110 gives 304. It also returns 416 to a Range with
an unknown unit, several ranges or a suffix longer than the file, all of
which RFC 9110 lets the server serve in full.
"""

import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from werkzeug.http import parse_date, parse_etags, quote_etag

from .errors import PreconditionFailed, RangeNotSatisfiable

# The allowed file types, by file name extension (lowercase, without the dot).
TYPES_BY_EXTENSION = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "csv": "text/csv",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
}
ALLOWED_TYPES = frozenset(TYPES_BY_EXTENSION.values())
# The extension a file path gets when the uploaded file name is empty.
EXTENSION_BY_TYPE = {
    content_type: extension for extension, content_type in TYPES_BY_EXTENSION.items()
}
EXTENSION_BY_TYPE["image/jpeg"] = "jpg"
# Declared part types that clients send for an allowed type under another name.
TYPE_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "audio/mp3": "audio/mpeg",
    "application/csv": "text/csv",
    "text/x-csv": "text/csv",
}
ALLOWED_EXTENSIONS_TEXT = ", ".join(f".{extension}" for extension in TYPES_BY_EXTENSION)
# Python's built-in table of extensions, without the system's mime.types
# files, so that the result is the same on every machine with the same Python.
# It names the type of extensions such as .exe and .html, whose files are
# rejected even when the part declares an allowed type.
_STANDARD_TYPES = mimetypes.MimeTypes().types_map[True]

# Maximum length of a file path, in characters, so that the default display
# name (the file path) always fits the 200-character limit of `name`.
MAX_FILE_PATH_CHARS = 200
# An extension longer than this is not kept when a long file path is cut.
_MAX_KEPT_EXTENSION_CHARS = 16
_DIRECTORY_SEPARATORS = re.compile(r"[/\\]")
_DOT_RUNS = re.compile(r"\.{2,}")
# A byte range of a Range header: "first-last", "first-" or "-suffix".
_BYTE_RANGE = re.compile(r"([0-9]*)-([0-9]*)")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of an upload, read in full, with its detected type."""

    file_name: str
    content_type: str | None
    content: bytes


def extension_of(file_name: str) -> str:
    """Return the lowercase extension of the file name made safe, or ""."""
    stem, dot, extension = _clean_file_name(file_name).rpartition(".")
    if not dot or not stem.strip("."):
        # No dot, or a name such as ".svg" that is all extension.
        return ""
    return extension.lower()


def rejected_extension_type(file_name: str) -> str | None:
    """Return the standard type of the file's extension when it is not allowed.

    None means the extension is allowed, absent or unknown, so that the
    declared type may decide.
    """
    extension = extension_of(file_name)
    if not extension or extension in TYPES_BY_EXTENSION:
        return None
    standard = _STANDARD_TYPES.get("." + extension)
    return None if standard in (None, *ALLOWED_TYPES) else standard


def detect_content_type(file_name: str, declared: str | None) -> str | None:
    """Return the allowed type of a file, or None when it is not allowed.

    The extension decides when it is in `TYPES_BY_EXTENSION`, and an
    extension whose standard type is not allowed (`.exe`, `.html`) rejects
    the file. Otherwise the part's declared Content-Type (its media type,
    parameters dropped) decides, which must be an allowed type or one of
    `TYPE_ALIASES`.
    """
    by_extension = TYPES_BY_EXTENSION.get(extension_of(file_name))
    if by_extension is not None:
        return by_extension
    if rejected_extension_type(file_name) is not None:
        return None
    if not declared:
        return None
    media_type = declared.split(";", 1)[0].strip().lower()
    media_type = TYPE_ALIASES.get(media_type, media_type)
    return media_type if media_type in ALLOWED_TYPES else None


def _is_unsafe_character(character):
    # Categories C* are control, format, surrogate, private-use and
    # unassigned characters; Zl and Zp are the line and paragraph separators.
    category = unicodedata.category(character)
    return category[0] == "C" or category in ("Zl", "Zp")


def _clean_file_name(file_name):
    # Return the safe form of the name, which may be empty or ".".
    base = _DIRECTORY_SEPARATORS.split(file_name)[-1]
    cleaned = "".join(c for c in base if not _is_unsafe_character(c))
    cleaned = _DOT_RUNS.sub(".", cleaned).strip()
    if len(cleaned) > MAX_FILE_PATH_CHARS:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and stem and len(extension) < _MAX_KEPT_EXTENSION_CHARS:
            suffix = dot + extension
            cleaned = stem[: MAX_FILE_PATH_CHARS - len(suffix)].rstrip() + suffix
        else:
            cleaned = cleaned[:MAX_FILE_PATH_CHARS].rstrip()
    return cleaned


def safe_file_path(file_name: str, content_type: str) -> str:
    """Return the file path segment of an uploaded file name.

    Directories (before the last `/` or `\\`), control and format characters
    and surrounding white space are removed, runs of dots become one dot, and
    names over `MAX_FILE_PATH_CHARS` are cut, keeping a short extension. An
    empty result becomes "file" with the extension of `content_type`. A name
    that is already safe comes back unchanged.
    """
    cleaned = _clean_file_name(file_name)
    if cleaned in ("", "."):
        return "file." + EXTENSION_BY_TYPE[content_type]
    return cleaned


def is_safe_file_path(file_path: str) -> bool:
    """Return whether `safe_file_path` keeps `file_path` as it is."""
    return file_path not in ("", ".") and _clean_file_name(file_path) == file_path


def entity_tag(checksum: str) -> str:
    """Return the strong ETag of a file, quoted, from its `sha256:<hex>` checksum."""
    return quote_etag(checksum.removeprefix("sha256:"))


def _header(headers, name):
    # An empty header value is treated as an absent header.
    value = headers.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _header_date(headers, name):
    # An invalid date, or a list of dates, makes the header count as absent
    # (RFC 9110, sections 13.1.3 and 13.1.4).
    value = _header(headers, name)
    return None if value is None else parse_date(value)


def check_preconditions(headers, etag: str, last_modified: datetime) -> bool:
    """Evaluate the precondition headers of a GET or HEAD, in RFC 9110's order.

    Raises PreconditionFailed (412) when If-Match fails, or when
    If-Unmodified-Since fails and no If-Match is given. Returns True when the
    client's copy is current (304 Not Modified): If-None-Match matches, or,
    without If-None-Match, If-Modified-Since is not before `last_modified`.
    `etag` is the quoted strong ETag of the file.
    """
    unquoted = etag.strip('"')
    if_match = _header(headers, "If-Match")
    if if_match is not None:
        # Strong comparison: a weak tag never matches, "*" always does.
        if not parse_etags(if_match).contains(unquoted):
            raise PreconditionFailed(
                f"If-Match does not list the file's current ETag {etag}."
            )
    else:
        unmodified_since = _header_date(headers, "If-Unmodified-Since")
        if unmodified_since is not None and last_modified > unmodified_since:
            raise PreconditionFailed(
                "The file has been modified since the If-Unmodified-Since date."
            )
    if_none_match = _header(headers, "If-None-Match")
    if if_none_match is not None:
        return parse_etags(if_none_match).contains_weak(unquoted)
    modified_since = _header_date(headers, "If-Modified-Since")
    return modified_since is not None and last_modified <= modified_since


def _if_range_holds(headers, etag, last_modified):
    value = _header(headers, "If-Range")
    if value is None:
        return True
    if value.startswith(('"', "W/")):
        # An entity tag, compared strongly, so a weak tag never holds.
        return value == etag
    # A date holds only when it is exactly the file's Last-Modified.
    date = parse_date(value)
    return date is not None and date == last_modified


def parse_byte_ranges(value: str) -> list[tuple[int | None, int | None]] | None:
    """Return the (first, last) pairs of a `bytes` Range value, or None to ignore it.

    A suffix range "-500" is (None, 500) and an open range "9500-" is
    (9500, None). Another unit, or a range set that is not valid (RFC 9110,
    section 14.1.1), gives None.
    """
    unit, equals, range_set = value.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    ranges = []
    for item in range_set.split(","):
        item = item.strip(" \t")
        if not item:
            # Empty list elements are allowed and ignored (RFC 9110, 5.6.1).
            continue
        match = _BYTE_RANGE.fullmatch(item)
        if match is None or match.group(0) == "-":
            return None
        first = int(match.group(1)) if match.group(1) else None
        last = int(match.group(2)) if match.group(2) else None
        if first is not None and last is not None and last < first:
            return None
        ranges.append((first, last))
    return ranges or None


def _resolve(byte_range, size):
    # Return the inclusive (start, end) offsets, or None when unsatisfiable.
    first, last = byte_range
    if first is None:
        if last == 0:
            return None
        return max(size - last, 0), size - 1
    if first >= size:
        return None
    end = size - 1 if last is None else min(last, size - 1)
    return first, end


def select_range(
    headers, method: str, etag: str, last_modified: datetime, size: int
) -> tuple[int, int] | None:
    """Return the inclusive byte range to send with 206, or None for the whole file.

    The Range header applies to GET only (RFC 9110 defines range handling for
    no other method) and only while If-Range holds. A Range with another unit
    than bytes, an invalid range set, or more than one range is ignored, so
    the whole file is sent with 200. Raises RangeNotSatisfiable (416, with
    `Content-Range: bytes */<size>`) when the one range starts past the end.
    """
    value = _header(headers, "Range")
    if method != "GET" or value is None or size == 0:
        return None
    if not _if_range_holds(headers, etag, last_modified):
        return None
    ranges = parse_byte_ranges(value)
    if ranges is None or len(ranges) != 1:
        return None
    selected = _resolve(ranges[0], size)
    if selected is None:
        raise RangeNotSatisfiable(
            f"The range '{value}' is outside the file, which is {size} bytes long.",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return selected
