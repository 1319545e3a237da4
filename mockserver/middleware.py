"""Cross-cutting request handling: CORS, fault injection, the journal and access log.

Faults apply to /api/v1 requests only, and never to CORS preflights. Every
OPTIONS request under /api/v1, to a known path or not, gets a 204 response
with the CORS headers, so that a browser goes on to send the real request
and shows its real error. The journal records every request outside /_mock, so
a client that calls a wrong base path shows up there too. Requests to the
control API under /_mock are not journaled: tests poll the journal and the
outbox, and those polls would crowd out the requests under test.
"""

import logging
import re
import time
from datetime import UTC, datetime

from flask import Flask, current_app, g, jsonify, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed as RoutingMethodNotAllowed
from werkzeug.routing import RequestRedirect

from .control.faults import RETRY_AFTER_STATUSES, default_error_code
from .control.journal import redact_keys
from .error_handler import error_response
from .errors import ApiError, BadRequest

access_logger = logging.getLogger("mockserver.access")

API_PREFIX = "/api/v1"
CONTROL_PREFIX = "/_mock"
CORS_METHODS = ["GET", "POST", "PUT", "DELETE"]
CORS_HEADERS = ["Authorization", "Content-Type"]


def _mock():
    return current_app.extensions["deepsy_mock"]


def is_control_path(path):
    """Return whether `path` belongs to the control API under /_mock."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def _start_timer():
    g.started = time.perf_counter()
    g.received_at = datetime.now(UTC)


def redirect_response():
    """Return Werkzeug's routing redirect as a JSON response, or None.

    Werkzeug redirects a path with doubled slashes, such as /_mock//health,
    to its merged form, and Flask sends those redirects past the error
    handlers, with an HTML body.
    """
    redirect = request.routing_exception
    if not isinstance(redirect, RequestRedirect):
        return None
    response = jsonify(
        error=f"This resource is at {redirect.new_url}; repeat the request there.",
        error_code="PERMANENT_REDIRECT",
    )
    response.status_code = redirect.code
    response.headers["Location"] = redirect.new_url
    return response


def _answer_redirect():
    # The control API returns its own redirects, after the admin token check.
    if is_control_path(request.path):
        return None
    return redirect_response()


def _allowed_methods():
    """Return the methods the request's path allows, as an Allow header value."""
    if request.url_rule is not None:
        methods = request.url_rule.methods
    elif isinstance(request.routing_exception, RoutingMethodNotAllowed):
        methods = request.routing_exception.valid_methods or ()
    else:
        # No endpoint has this path: an empty Allow allows no method.
        methods = ()
    return ", ".join(sorted(methods))


def _fault_error(fault):
    message = f"Fault {fault.fault_id} injected through POST /_mock/faults."
    error = ApiError(fault.error or message)
    error.status = fault.status
    error.error_code = fault.error_code or default_error_code(fault.status)
    if fault.status == 422:
        # Every 422 body of the API carries `details`.
        error.details = {}
    if fault.status in RETRY_AFTER_STATUSES:
        error.headers = {"Retry-After": str(fault.retry_after)}
    if fault.status == 405:
        # Every 405 names the allowed methods.
        error.headers = {"Allow": _allowed_methods()}
    return error


def is_api_path(path):
    """Return whether `path` belongs to the DeePsy API under /api/v1."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def _inject_fault():
    """Delay a request that matches a fault, then return the fault's error response."""
    if not is_api_path(request.path) or request.method == "OPTIONS":
        return None
    fault = _mock().faults.match(request.method, request.path)
    if fault is None:
        return None
    g.fault_id = fault.fault_id
    if fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)
    if fault.status is None:
        return None
    return error_response(_fault_error(fault))


def _answer_api_preflight():
    """Respond to every OPTIONS request under /api/v1 with 204, before routing errors.

    A path that no endpoint serves, or one that Werkzeug would redirect,
    still gets 204: a browser treats a failed preflight as a network error
    and hides the real answer of the request that follows. flask-cors adds
    the CORS headers; `Allow` lists the path's methods, none for an unknown
    path.
    """
    if request.method != "OPTIONS" or not is_api_path(request.path):
        return None
    response = current_app.make_default_options_response()
    response.status_code = 204
    response.headers.pop("Content-Type", None)
    return response


def _answer_preflight(response):
    """Turn an OPTIONS response into 204 with no body, keeping its CORS headers."""
    if request.method == "OPTIONS" and response.status_code == 200:
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response


def _vary_on_origin(response):
    """Add `Vary: Origin` to /api/v1 responses when only some origins are allowed.

    Whether such a response carries Access-Control-Allow-Origin depends on
    the request's Origin, so a cache must not serve it for another origin.
    flask-cors 6 sends Vary only when more than one origin is listed, and
    not on the responses it leaves without CORS headers.
    """
    if is_api_path(request.path) and not _allows_any_origin(
        current_app.config["CORS_ORIGINS"]
    ):
        response.vary.add("Origin")
    return response


def _read_body_for_journal():
    """Return the request body to record, or None when it is not to be read.

    Multipart bodies are summarised rather than read (the view has consumed
    them), and so is any body longer than the JSON body limit, which no
    endpoint but a state import reads in full. A chunked body, whose length
    is unknown until it is read, is read up to the request size limit.
    """
    length = request.content_length
    if request.mimetype.startswith("multipart/"):
        return None
    if length is None and not _is_chunked():
        return None
    if length is not None and length > current_app.config["MAX_JSON_BYTES"]:
        return None
    try:
        return request.get_data(cache=True)
    except (HTTPException, OSError):
        # The client went away or sent more than it announced.
        return None


def _is_chunked():
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _journal_body(journal):
    body = _read_body_for_journal()
    length = request.content_length
    if body is not None and len(body) > current_app.config["MAX_JSON_BYTES"]:
        body, length = None, len(body)
    return journal.describe_body(body, length, request.mimetype, sent=_is_chunked())


def _journal_entry(response, elapsed_ms):
    journal = _mock().journal
    received_at = g.get("received_at") or datetime.now(UTC)
    return {
        "method": request.method,
        "path": request.path,
        "query": redact_keys(request.query_string.decode("latin-1")),
        "status": response.status_code,
        "duration_ms": round(elapsed_ms, 3),
        "time": received_at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "headers": journal.redact_headers(request.headers.items()),
        "body": _journal_body(journal),
        "fault_id": g.get("fault_id"),
    }


def _record(response):
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    if not is_control_path(request.path):
        _mock().journal.record(_journal_entry(response, elapsed_ms))
    if current_app.config["ACCESS_LOG"]:
        access_logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.full_path.rstrip("?"),
            response.status_code,
            elapsed_ms,
        )
    return response


def _allows_any_origin(origins):
    return origins == "*" or (not isinstance(origins, str) and "*" in origins)


def _literal_origins(origins):
    """Return `CORS_ORIGINS` for flask-cors, each origin matched exactly.

    flask-cors reads an origin that contains one of *, ?, [, ], (, ), ^, $
    or a backslash as a regular expression, so a stray bracket, as in
    ["http://localhost:3000"], would allow nearly every origin. Each origin
    becomes a pattern of its exact text, ignoring case as flask-cors does
    for plain origins; "*" keeps meaning any origin.
    """
    if isinstance(origins, str):
        origins = [origins]
    return [
        origin
        if origin == "*"
        else re.compile(re.escape(origin) + r"\Z", re.IGNORECASE)
        for origin in origins
    ]


def _reject_invalid_host():
    """Respond with 400 to a request whose Host header is missing or invalid.

    RFC 9112 (section 3.2) requires it, and the mock builds the absolute URLs
    of assets and email links from that header. Werkzeug returns an empty
    `request.host` for a value with characters a host name cannot have
    (RFC 1123 names: letters, digits, "-" and "."; IP addresses; a port).
    """
    if request.host:
        return None
    return error_response(
        BadRequest(
            f"The Host header {request.headers.get('Host', '')!r} is not a "
            "valid host name and port, such as 127.0.0.1:8000."
        )
    )


def register(app: Flask):
    """Install CORS on /api/v1, fault injection, the journal and the access log.

    `CORS_ORIGINS` is "*" (any origin) or a list of origins. With a list, a
    response to an allowed Origin echoes it with `Vary: Origin`, and a
    response to any other Origin, or to a request without one, carries no
    Access-Control-Allow-Origin.
    """
    origins = app.config["CORS_ORIGINS"]
    # Registered before flask-cors, so that it runs after flask-cors and
    # merges its Vary header with this one.
    app.after_request(_vary_on_origin)
    CORS(
        app,
        resources={f"{API_PREFIX}/*": {"origins": _literal_origins(origins)}},
        methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        max_age=600,
        send_wildcard=True,
        # Without an Origin header, flask-cors would otherwise send one of
        # the listed origins, picked arbitrarily.
        always_send=_allows_any_origin(origins),
    )
    app.before_request(_start_timer)
    app.before_request(_reject_invalid_host)
    app.before_request(_answer_api_preflight)
    app.before_request(_answer_redirect)
    app.before_request(_inject_fault)
    # after_request functions run last-registered first: the preflight status
    # must be final before the journal records it.
    app.after_request(_record)
    app.after_request(_answer_preflight)
