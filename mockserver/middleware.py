"""Cross-cutting request handling: CORS, fault injection, the journal and access log.

Faults apply to /api/v1 requests only, and never to CORS preflights. The
journal records every request outside /_mock, so a client that calls a
wrong base path shows up there too. Requests to the control API under
/_mock are not journaled: tests poll the journal and the outbox, and
those polls would crowd out the requests under test.
"""

import logging
import time
from datetime import UTC, datetime

from flask import Flask, current_app, g, jsonify, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .control.faults import RETRY_AFTER_STATUSES, default_error_code
from .error_handler import error_response
from .errors import ApiError

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


def _answer_redirect():
    """Return Werkzeug's routing redirects with a JSON body instead of HTML.

    Werkzeug redirects a path with doubled slashes, such as /_mock//health,
    to its merged form, and Flask sends those redirects past the error
    handlers.
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


def _answer_preflight(response):
    """Answer OPTIONS with 204 and no body; flask-cors has set the CORS headers."""
    if request.method == "OPTIONS" and response.status_code == 200:
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response


def _read_body_for_journal():
    """Return the request body to record, or None when it is not to be read.

    Multipart bodies are summarised rather than read (the view has consumed
    them), and so is any body longer than the JSON body limit, which no
    endpoint but a state import reads in full.
    """
    length = request.content_length
    if request.mimetype.startswith("multipart/"):
        return None
    if length is None or length > current_app.config["MAX_JSON_BYTES"]:
        return None
    try:
        return request.get_data(cache=True)
    except (HTTPException, OSError):
        # The client went away or sent more than it announced.
        return None


def _journal_entry(response, elapsed_ms):
    journal = _mock().journal
    received_at = g.get("received_at") or datetime.now(UTC)
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query_string.decode("latin-1"),
        "status": response.status_code,
        "duration_ms": round(elapsed_ms, 3),
        "time": received_at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "headers": journal.redact_headers(request.headers.items()),
        "body": journal.describe_body(
            _read_body_for_journal(),
            request.content_length,
            request.mimetype,
        ),
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


def register(app: Flask):
    """Install CORS on /api/v1, fault injection, the journal and the access log."""
    CORS(
        app,
        resources={f"{API_PREFIX}/*": {"origins": app.config["CORS_ORIGINS"]}},
        methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        max_age=600,
        send_wildcard=True,
        always_send=True,
    )
    app.before_request(_start_timer)
    app.before_request(_answer_redirect)
    app.before_request(_inject_fault)
    # after_request functions run last-registered first: the preflight status
    # must be final before the journal records it.
    app.after_request(_record)
    app.after_request(_answer_preflight)
