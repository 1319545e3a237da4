"""Loading requests: query strings, JSON bodies and multipart uploads.

Each loader applies the checks of its step in the documented order: media
type (415), size (413), syntax (400), then the schema (422).
"""

import json
import sys

import marshmallow
from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import (
    InvalidJson,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationError,
)


class RequestSchema(marshmallow.Schema):
    """A schema that rejects unknown fields and names the allowed ones."""

    class Meta:
        unknown = marshmallow.RAISE

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        allowed = ", ".join(self.fields) or "none"
        self.error_messages = {
            **self.error_messages,
            "unknown": f"Unknown field. Allowed fields: {allowed}.",
            "type": "Must be a JSON object.",
        }


class EmptyBodySchema(RequestSchema):
    """The body of endpoints that take none: no body, or an empty object."""


EMPTY_BODY = EmptyBodySchema()


class GetBodySchema(RequestSchema):
    """The body of a GET request: none, or an empty object."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages = {
            **self.error_messages,
            "unknown": "This endpoint takes no body; send its parameters in the "
            "query string.",
        }


GET_BODY = GetBodySchema()


def current_mock():
    return current_app.extensions["deepsy_mock"]


def public_base_url():
    """Return the base of absolute URLs, from the configuration or the request."""
    configured = current_app.config["PUBLIC_BASE_URL"]
    return (configured or request.host_url).rstrip("/")


def flatten_errors(messages, prefix=""):
    """Turn marshmallow's nested messages into {"dotted.path": [messages]}."""
    flat = {}
    for key, value in messages.items():
        name = str(key)
        if name == "_schema":
            path = prefix or "body"
        else:
            path = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            flat.update(flatten_errors(value, path))
        else:
            flat.setdefault(path, []).extend(
                value if isinstance(value, list) else [str(value)]
            )
    return dict(sorted(flat.items()))


def validate_with(schema, data):
    """Load `data` with `schema`; raise the mock's ValidationError with details."""
    try:
        return schema.load(data)
    except marshmallow.ValidationError as error:
        messages = error.messages
        if not isinstance(messages, dict):
            messages = {"_schema": messages}
        raise ValidationError(details=flatten_errors(messages)) from error


class NoQuerySchema(marshmallow.Schema):
    """The query string of endpoints that take no parameter."""

    class Meta:
        unknown = marshmallow.RAISE

    error_messages = {"unknown": "Unknown query parameter; this endpoint takes none."}


NO_QUERY = NoQuerySchema()


def load_query(schema=NO_QUERY):
    """Load the query string; a parameter given twice is a validation error.

    The error lists repeated parameters together with every other invalid
    one, so that a client can fix them all at once.
    """
    details = {
        name: [f"Given {len(values)} times; give it at most once."]
        for name, values in request.args.lists()
        if len(values) > 1
    }
    try:
        query = validate_with(schema, request.args.to_dict())
    except ValidationError as error:
        for name, messages in error.details.items():
            details.setdefault(name, []).extend(messages)
    if details:
        raise ValidationError(details=dict(sorted(details.items())))
    return query


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _reject_lone_surrogates(data):
    """Raise InvalidJson for a string with an unpaired UTF-16 surrogate escape.

    JSON's syntax allows an escape such as "\\ud800" alone, but it encodes no
    character, so I-JSON (RFC 7493) rejects it, and so does the mock, rather
    than store text that other JSON parsers refuse.
    """
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidJson(
            "The request body contains a \\u escape of an unpaired UTF-16 "
            "surrogate, which encodes no character."
        ) from error


def _parse_int(digits):
    """Convert a JSON integer, even one longer than Python converts from text.

    Python refuses to convert integers of more digits than
    `sys.get_int_max_str_digits()` (4300 by default). Such a number is far
    outside every range the API accepts, so it loads as a number of the same
    sign just as far outside, and validation then reports the range.
    """
    limit = sys.get_int_max_str_digits()
    if limit and len(digits.lstrip("-")) > limit:
        huge = 10**limit
        return -huge if digits.startswith("-") else huge
    return int(digits)


def is_json_type(mimetype):
    # A structured syntax suffix such as +json follows a subtype name, as in
    # application/merge+json, so application/+json is no JSON type.
    return mimetype == "application/json" or (
        mimetype.startswith("application/")
        and mimetype.endswith("+json")
        and mimetype != "application/+json"
    )


# The sentinel that `_parse_json_body` returns for a request without a body,
# so that a body of JSON `null` stays distinct from no body at all.
_NO_BODY = object()


def _check_content_encoding():
    """Raise UnsupportedMediaType for a body in a content coding such as gzip.

    The error carries `Accept-Encoding: identity`, the response RFC 7694
    specifies for a server that accepts no content coding. Without this check,
    compressed JSON would be reported as invalid UTF-8.
    """
    codings = [
        coding.strip().lower()
        for coding in request.headers.get("Content-Encoding", "").split(",")
    ]
    unsupported = [coding for coding in codings if coding not in ("", "identity")]
    if unsupported:
        raise UnsupportedMediaType(
            f"The body is in the content coding {', '.join(unsupported)}, which "
            "the mock does not decode. Send it without Content-Encoding.",
            headers={"Accept-Encoding": "identity"},
        )


def _parse_json_body(required):
    mimetype = request.mimetype
    if mimetype and not is_json_type(mimetype):
        raise UnsupportedMediaType(
            f"Send the body as application/json, not {mimetype}."
        )
    _check_content_encoding()
    length = request.content_length
    limit = current_app.config["MAX_JSON_BYTES"]
    too_large = PayloadTooLarge(f"The JSON body may be at most {limit} bytes.")
    if length is not None and length > limit:
        raise too_large
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge as error:
        raise too_large from error
    if len(raw) > limit:
        raise too_large
    if not raw.strip():
        if required:
            raise InvalidJson("A JSON body is required.")
        return _NO_BODY
    return parse_strict_json(raw)


def parse_strict_json(raw: bytes):
    """Parse a request body as strict JSON; raise InvalidJson naming the problem.

    NaN and Infinity, invalid UTF-8, unpaired surrogate escapes and nesting
    deeper than Python's recursion limit are all rejected.
    """
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
        if "\\u" in text:
            _reject_lone_surrogates(data)
        return data
    except UnicodeDecodeError as error:
        raise InvalidJson("The request body is not valid UTF-8.") from error
    except RecursionError as error:
        raise InvalidJson(
            "The request body nests arrays or objects too deeply."
        ) from error
    except ValueError as error:
        raise InvalidJson(f"The request body is not valid JSON: {error}.") from error


def read_json_body(required=True):
    """Return the parsed JSON body, or None when there is none and none is required.

    A body with a non-JSON Content-Type is 415. An empty body, with no
    Content-Type or a JSON one, counts as no body: 400 when required. A body
    of JSON `null` also comes back as None, but `load_json` distinguishes the
    two.
    """
    data = _parse_json_body(required)
    return None if data is _NO_BODY else data


def load_json(schema, required=True):
    """Read the JSON body and load it with `schema`; no body loads as `{}`.

    Any body that is not a JSON object, `null` included, is a validation error.
    """
    data = _parse_json_body(required)
    return validate_with(schema, {} if data is _NO_BODY else data)


def _has_no_content():
    """Return whether the request has no content, without reading it.

    A request with neither Content-Length nor Transfer-Encoding has none
    (RFC 9112, section 6.3).
    """
    if request.content_length == 0:
        return True
    return request.content_length is None and "Transfer-Encoding" not in (
        request.headers
    )


def load_no_body():
    """Check that a GET request carries no body, or only an empty JSON object.

    A Content-Type header without content is ignored, since some clients send
    one on every request. Content is then checked like any JSON body: 415 for
    another media type, 400 when it does not parse, 422 for any field.
    """
    if _has_no_content():
        return
    load_json(GET_BODY, required=False)
