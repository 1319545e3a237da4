"""The one handler that turns every error into the DeePsy error body."""

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from .errors import (
    ApiError,
    BadRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    RangeNotSatisfiable,
    UnsupportedMediaType,
)

logger = logging.getLogger(__name__)

# Werkzeug's own HTTP errors, by status, as the mock's error classes.
_HTTP_ERRORS = {
    400: BadRequest,
    404: NotFound,
    405: MethodNotAllowed,
    412: PreconditionFailed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    416: RangeNotSatisfiable,
}

# Werkzeug headers that must survive the translation, such as Allow on 405
# and Content-Range on 416.
_KEPT_HEADERS = ("Allow", "Content-Range", "Retry-After", "WWW-Authenticate")


def error_response(error):
    """Build the JSON response for an `ApiError`."""
    response = jsonify(error.to_body())
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def _from_http_exception(exception):
    error_class = _HTTP_ERRORS.get(exception.code)
    if error_class is None:
        error = ApiError(exception.description)
        error.status = exception.code or 500
        error.error_code = (exception.name or "error").upper().replace(" ", "_")
    else:
        error = error_class()
    kept = {
        name: value for name, value in exception.get_headers() if name in _KEPT_HEADERS
    }
    error.headers = {**kept, **error.headers}
    return error


def register_error_handlers(app: Flask):
    """Respond to every error, the mock's and Werkzeug's, with the DeePsy error body."""

    @app.errorhandler(ApiError)
    def handle_api_error(error):
        return error_response(error)

    @app.errorhandler(HTTPException)
    def handle_http_exception(exception):
        return error_response(_from_http_exception(exception))

    @app.errorhandler(Exception)
    def handle_unexpected(exception):
        logger.exception("Unhandled error while serving a request")
        return error_response(ApiError())
