"""Cross-cutting request handling: CORS, fault injection, the journal and access log."""

import logging
import time
from datetime import UTC, datetime

from flask import Flask, g, request
from flask_cors import CORS

from .control.faults import RETRY_AFTER_STATUSES, default_error_code
from .error_handler import error_response
from .errors import ApiError

access_logger = logging.getLogger("mockserver.access")

API_PREFIX = "/api/v1"
CORS_METHODS = ["GET", "POST", "PUT", "DELETE"]
CORS_HEADERS = ["Authorization", "Content-Type"]


def _mock():
    from flask import current_app

    return current_app.extensions["deepsy_mock"]


def _start_timer():
    g.started = time.perf_counter()


def _inject_fault():
    """Answer or delay a request that matches an injected fault."""
    if not request.path.startswith(API_PREFIX) or request.method == "OPTIONS":
        return None
    fault = _mock().faults.match(request.method, request.path)
    if fault is None:
        return None
    g.fault_id = fault.fault_id
    if fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)
    if fault.status is None:
        return None
    error = ApiError(fault.error or f"Injected fault {fault.fault_id}.")
    error.status = fault.status
    error.error_code = fault.error_code or default_error_code(fault.status)
    if fault.status in RETRY_AFTER_STATUSES:
        error.headers = {"Retry-After": str(fault.retry_after)}
    return error_response(error)


def _answer_preflight(response):
    """Answer OPTIONS with 204 and no body; flask-cors has set the CORS headers."""
    if request.method == "OPTIONS" and response.status_code == 200:
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response


def _record(response):
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    mock = _mock()
    if request.path.startswith(API_PREFIX):
        mock.journal.record(
            {
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode("latin-1"),
                "status": response.status_code,
                "duration_ms": round(elapsed_ms, 3),
                "time": datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
                "headers": mock.journal.redact_headers(request.headers.items()),
                "body": mock.journal.truncate_body(
                    request.get_data(cache=True) if request.content_length else b"",
                    request.mimetype,
                ),
                "fault_id": g.get("fault_id"),
            }
        )
    if _access_log_enabled():
        access_logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.full_path.rstrip("?"),
            response.status_code,
            elapsed_ms,
        )
    return response


def _access_log_enabled():
    from flask import current_app

    return current_app.config["ACCESS_LOG"]


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
    app.before_request(_inject_fault)
    # after_request functions run last-registered first: the preflight status
    # must be final before the journal records it.
    app.after_request(_record)
    app.after_request(_answer_preflight)
