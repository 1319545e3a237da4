"""Campaign asset endpoints: upload, list, get, replace, rename and file access.

Routing: under `/campaign-assets/`, a first segment of the asset id form
(`asset_` and 9 digits) starts the public file URL
`/campaign-assets/{asset_id}/{file_path}`, which accepts only GET and HEAD.
Any other first segment is a company id, so `/campaign-assets/not-a-uuid/list`
is the list endpoint (403 USER_NOT_IN_COMPANY), and a GET on
`/campaign-assets/{company_id}/upload` reaches the metadata endpoint, whose
asset id `upload` names no asset (404 ASSET_NOT_FOUND).
"""

import re
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.http import http_date
from werkzeug.routing import BaseConverter, PathConverter

from ..errors import (
    InvalidMultipart,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationError,
)
from ..files import (
    ALLOWED_EXTENSIONS_TEXT,
    UploadedFile,
    check_preconditions,
    detect_content_type,
    entity_tag,
    rejected_extension_type,
    safe_file_path,
    select_range,
)
from ..listing import list_query_schema, paginate
from .access import require_company
from .asset_schemas import AssetSchema, RenameSchema, UploadSchema
from .requests import current_mock, load_json, load_query, validate_with
from .responses import dump, page_schema

ASSET_ID_PATTERN = r"asset_[0-9]{9}"


class AssetIdConverter(BaseConverter):
    """A path segment of the asset id form: `asset_` and 9 digits."""

    regex = ASSET_ID_PATTERN


class CompanySegmentConverter(BaseConverter):
    """A path segment of any form but the asset id form, read as a company id."""

    regex = rf"(?!{ASSET_ID_PATTERN}\Z)[^/]+"
    # Werkzeug takes a regex containing "/" to span segments, but this one
    # has "/" only inside [^/], so it matches one segment.
    part_isolating = True


class FilePathConverter(PathConverter):
    """The rest of the path after an asset id; URLs quote every reserved character."""

    def to_url(self, value):
        return quote(value, safe="")


blueprint = Blueprint("assets", __name__)


@blueprint.record_once
def _register_converters(state):
    # The converters must be known before the rules below are added.
    state.app.url_map.converters.update(
        asset_id=AssetIdConverter,
        asset_company=CompanySegmentConverter,
        asset_file_path=FilePathConverter,
    )


PREFIX = "/campaign-assets/<asset_company:company_id>"
LIST_QUERY = list_query_schema("assets")
ASSET = AssetSchema()
UPLOAD = UploadSchema()


def _store():
    return current_mock().store


def _parse_body():
    """Return the form and files of the multipart/form-data body.

    Raises PayloadTooLarge and InvalidMultipart. Werkzeug enforces Flask's
    MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE (per text part) and
    MAX_FORM_PARTS limits while it reads.
    """
    length = request.content_length
    max_length = request.max_content_length
    if length is not None and length > max_length:
        raise PayloadTooLarge(
            f"The request body is {length} bytes; it may be at most {max_length} "
            "bytes, the largest file plus room for the multipart framing."
        )
    parser = FormDataParser(
        max_form_memory_size=request.max_form_memory_size,
        max_form_parts=request.max_form_parts,
        silent=False,
    )
    try:
        _, form, files = parser.parse(
            request.stream, request.mimetype, length, request.mimetype_params
        )
    except RequestEntityTooLarge as error:
        raise PayloadTooLarge(
            f"The request body is too large. It may be at most {max_length} "
            f"bytes in at most {request.max_form_parts} parts, and each text "
            f"part at most {request.max_form_memory_size} bytes."
        ) from error
    except BadRequest as error:
        # Werkzeug's ClientDisconnected: the body ended before Content-Length.
        raise InvalidMultipart(
            "The body ended before the length its Content-Length header gives."
        ) from error
    except ValueError as error:
        raise InvalidMultipart(
            f"The multipart/form-data body is malformed ({error}). Check the "
            "boundary parameter of the Content-Type and that the body ends "
            "with the closing boundary."
        ) from error
    if any(name in (None, "") for name in (*form, *files)):
        raise InvalidMultipart(
            "Every part needs a non-empty name in its Content-Disposition header."
        )
    return form, files


# The quoted filename parameter of a part's Content-Disposition header, as
# sent; `filename*=` (RFC 8187) does not match, because of its star.
_QUOTED_FILE_NAME = re.compile(r'filename\s*=\s*"((?:[^"\\]|\\.)*)"', re.IGNORECASE)
# A backslash that escapes nothing: one before a character other than a quote
# or a backslash.
_LITERAL_BACKSLASH = re.compile(r'\\[^"\\]')


def _sent_file_name(storage):
    """Return the file name of a file part, keeping Windows path separators.

    Werkzeug reads a backslash in a quoted file name as an escape, so
    `C:\\Users\\bob\\cv.pdf` sent as browsers send it (HTML form encoding
    escapes quotes, not backslashes) would become `C:Usersbobcv.pdf`. When a
    backslash in the raw header escapes nothing, every backslash is taken
    literally, so the directories can be removed from the file path.
    """
    header = storage.headers.get("Content-Disposition", "")
    match = _QUOTED_FILE_NAME.search(header)
    if match is None or "filename*" in header.lower():
        return storage.filename or ""
    quoted = match.group(1)
    if _LITERAL_BACKSLASH.search(quoted.replace("\\\\", "")):
        return quoted
    return storage.filename or ""


def _read_parts():
    """Parse the multipart/form-data body into (part name, value) pairs.

    Text parts give a str, file parts an UploadedFile with its detected type.
    Raises PayloadTooLarge for a file part over MAX_ASSET_BYTES.
    """
    form, files = _parse_body()
    parts = list(form.items(multi=True))
    max_bytes = current_app.config["MAX_ASSET_BYTES"]
    for name, storage in files.items(multi=True):
        content = storage.stream.read(max_bytes + 1)
        storage.close()
        file_name = _sent_file_name(storage)
        if len(content) > max_bytes:
            raise PayloadTooLarge(
                f"The file '{file_name}' is larger than {max_bytes} bytes, "
                "the largest file accepted."
            )
        content_type = detect_content_type(file_name, storage.content_type)
        parts.append((name, UploadedFile(file_name, content_type, content)))
    return parts


def _check_file_types(parts):
    """Raise UnsupportedMediaType for a `file` part whose type is not allowed."""
    for name, value in parts:
        if name == "file" and isinstance(value, UploadedFile):
            rejected = rejected_extension_type(value.file_name)
            if rejected is not None:
                raise UnsupportedMediaType(
                    f"The file '{value.file_name}' has the extension of "
                    f"{rejected}, which is not allowed, whatever type the part "
                    f"declares. Allowed extensions: {ALLOWED_EXTENSIONS_TEXT}."
                )
            if value.content_type is None:
                raise UnsupportedMediaType(
                    f"The type of the file '{value.file_name}' is not allowed. "
                    f"Allowed extensions: {ALLOWED_EXTENSIONS_TEXT}. A file "
                    "without one of them needs an allowed type in the part's "
                    "Content-Type header."
                )


def _unique_parts(parts):
    """Return the parts as a dict; raise ValidationError for a repeated part."""
    names = [name for name, _ in parts]
    repeated = {
        name: [f"Given {names.count(name)} times; send it once."]
        for name in dict.fromkeys(names)
        if names.count(name) > 1
    }
    if repeated:
        raise ValidationError(details=repeated)
    return dict(parts)


def load_upload():
    """Read the multipart body of an upload or a replace, in the documented order.

    The checks run in this order, and the first failure decides the response:

    1. a Content-Type other than multipart/form-data: 415;
    2. a Content-Length over the request limit (MAX_ASSET_BYTES plus 64 KiB
       for the multipart framing): 413;
    3. while the body is read, whichever comes first: 413 for a body that
       grows past the request limit, more parts than MAX_FORM_PARTS or a
       text part over MAX_FORM_MEMORY_SIZE, and 400 INVALID_MULTIPART for a
       malformed body (no boundary, truncated, a part without a name);
    4. a file part larger than MAX_ASSET_BYTES: 413;
    5. a `file` part whose type is not allowed: 415;
    6. the form (a part given twice, an unknown part, `file` missing, not a
       file part or empty, `name` not 1..200 characters after trimming): 422.

    Returns the store's arguments: `name` (None when no `name` part is
    given), `file_name`, `file_path`, `content_type` and `content`.
    """
    if request.mimetype != "multipart/form-data":
        shown = request.mimetype or "no Content-Type"
        raise UnsupportedMediaType(
            f"Send the file as multipart/form-data, not {shown}."
        )
    parts = _read_parts()
    _check_file_types(parts)
    data = validate_with(UPLOAD, _unique_parts(parts))
    upload = data["file"]
    return {
        "name": data.get("name"),
        "file_name": upload.file_name,
        "file_path": safe_file_path(upload.file_name, upload.content_type),
        "content_type": upload.content_type,
        "content": upload.content,
    }


@blueprint.post(f"{PREFIX}/upload")
def upload_asset(company_id):
    company_id = require_company(company_id)
    upload = load_upload()
    load_query()
    if upload["name"] is None:
        # The default display name is the file name, made safe.
        upload["name"] = upload["file_path"]
    asset = _store().create_asset(company_id, **upload)
    return dump(ASSET, asset, 201)


@blueprint.get(f"{PREFIX}/list")
def list_assets(company_id):
    company_id = require_company(company_id)
    query = load_query(LIST_QUERY)
    assets = _store().list_assets(company_id)
    page = paginate(assets, query, "assets", "asset_id")
    return dump(page_schema(AssetSchema), page)


@blueprint.get(f"{PREFIX}/<asset_id>")
def get_asset(company_id, asset_id):
    company_id = require_company(company_id)
    asset = _store().get_asset(company_id, asset_id)
    load_query()
    return dump(ASSET, asset)


@blueprint.put(f"{PREFIX}/<asset_id>/replace")
def replace_asset(company_id, asset_id):
    company_id = require_company(company_id)
    _store().get_asset(company_id, asset_id)
    upload = load_upload()
    load_query()
    asset = _store().replace_asset(company_id, asset_id, **upload)
    return dump(ASSET, asset)


@blueprint.put(f"{PREFIX}/<asset_id>/rename")
def rename_asset(company_id, asset_id):
    company_id = require_company(company_id)
    _store().get_asset(company_id, asset_id)
    data = load_json(RenameSchema())
    load_query()
    asset = _store().rename_asset(company_id, asset_id, data["name"])
    return dump(ASSET, asset)


def _file_response(asset, etag, status, body):
    response = Response(body, status=status, content_type=asset.content_type)
    response.headers.update(
        {
            "ETag": etag,
            "Last-Modified": http_date(asset.updated_at),
            # A replace may reuse the file path, so clients revalidate each time.
            "Cache-Control": "no-cache",
            "Accept-Ranges": "bytes",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        }
    )
    return response


@blueprint.get("/campaign-assets/<asset_id:asset_id>/<asset_file_path:file_path>")
def read_asset_file(asset_id, file_path):
    """Send the file's bytes, honouring conditional and range requests.

    Public: no API key is needed, and the query string is ignored, so cache
    busters work. Preconditions come first (412, then 304), then If-Range
    and Range (206 or 416), as RFC 9110 orders them. A HEAD request gets
    the headers that a GET without Range would get.
    """
    asset = _store().find_asset_file(asset_id, file_path)
    etag = entity_tag(asset.checksum)
    if check_preconditions(request.headers, etag, asset.updated_at):
        return _file_response(asset, etag, 304, b"")
    selected = select_range(
        request.headers, request.method, etag, asset.updated_at, asset.size
    )
    if selected is None:
        return _file_response(asset, etag, 200, asset.content)
    start, end = selected
    response = _file_response(asset, etag, 206, asset.content[start : end + 1])
    response.headers["Content-Range"] = f"bytes {start}-{end}/{asset.size}"
    return response
