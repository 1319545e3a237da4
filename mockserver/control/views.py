"""Control endpoints for tests and tools under /_mock; they need no DeePsy key.

When the configuration sets `ADMIN_TOKEN` (environment variable
DEEPSY_MOCK_ADMIN_TOKEN), every path under /_mock, unknown paths included,
needs the header X-Mock-Admin-Token with that value, else 401
ADMIN_TOKEN_REQUIRED. That includes `GET /_mock/health`, so a container
health check of a server with a token sends the header too.

Requests to these endpoints are not recorded in the request journal, so
that polling the journal or the outbox does not fill the journal.
"""

import hmac
import logging

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import NotFound as RoutingNotFound
from werkzeug.exceptions import RequestEntityTooLarge

from ..api.invitation_schemas import InvitationSchema
from ..api.requests import (
    EMPTY_BODY,
    current_mock,
    is_json_type,
    load_json,
    load_query,
    parse_strict_json,
    validate_with,
)
from ..api.responses import dump
from ..errors import (
    AdminTokenRequired,
    FaultNotFound,
    InvalidJson,
    InvitationNotFound,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from ..middleware import is_control_path, redirect_response
from ..store.campaigns import round_one_decimal
from ..store.snapshot import StateDocumentSchema
from .schemas import (
    EmailItemSchema,
    EmailQuerySchema,
    FaultSchema,
    KeyItemSchema,
    ProgressSchema,
    RequestQuerySchema,
    ResetSchema,
    list_schema,
)

logger = logging.getLogger(__name__)
blueprint = Blueprint("control", __name__)

ADMIN_TOKEN_HEADER = "X-Mock-Admin-Token"
# Largest state document `PUT /_mock/state` reads, in bytes, unless the
# configuration sets MAX_STATE_BYTES. Asset contents make up most of it.
DEFAULT_MAX_STATE_BYTES = 256 * 1024 * 1024
CONTROL_ENDPOINTS = (
    "GET /_mock/health, POST /_mock/reset, GET and PUT /_mock/state, "
    "GET /_mock/keys, GET and DELETE /_mock/emails, GET and DELETE "
    "/_mock/requests, POST, GET and DELETE /_mock/faults, DELETE "
    "/_mock/faults/{fault_id}, POST /_mock/invitations/{invitation_id}/progress"
)

KEY_LIST = list_schema(KeyItemSchema)
EMAIL_LIST = list_schema(EmailItemSchema)
INVITATION = InvitationSchema()


def _store():
    return current_mock().store


# The admin token and unknown paths.


def configured_admin_token():
    """Return the admin token as text, or None when the control API is open.

    Surrounding white space is dropped, because HTTP drops it from header
    values: a token " s3cret " is sent and checked as "s3cret", and a token
    of white space only leaves the control API open, like an empty one.
    """
    token = current_app.config.get("ADMIN_TOKEN")
    if token is None:
        return None
    return str(token).strip() or None


def _check_admin_token():
    token = configured_admin_token()
    if token is None:
        return
    sent_token = request.headers.get(ADMIN_TOKEN_HEADER, "")
    if not hmac.compare_digest(sent_token.encode("utf-8"), token.encode("utf-8")):
        raise AdminTokenRequired()


@blueprint.before_app_request
def guard_control_api():
    """Check the admin token on /_mock paths and raise a JSON 404 for unknown ones.

    This runs for every request of the app, before routing errors surface,
    so it covers /_mock paths that match no endpoint too, and the redirect of
    a path with doubled slashes comes only after the token check.
    """
    if not is_control_path(request.path):
        return None
    _check_admin_token()
    redirect = redirect_response()
    if redirect is not None:
        return redirect
    if isinstance(request.routing_exception, RoutingNotFound):
        raise NotFound(
            f"No control endpoint matches {request.path}. The control endpoints: "
            f"{CONTROL_ENDPOINTS}."
        )
    return None


# Health and reset.


@blueprint.get("/health")
def health():
    load_query()
    return jsonify(status="ok")


@blueprint.post("/reset")
def reset():
    data = load_json(ResetSchema(), required=False)
    load_query()
    seed = current_mock().reset(data.get("seed"))
    return jsonify(status="ok", seed=seed)


# The state document.


def _max_state_bytes():
    configured = current_app.config.get("MAX_STATE_BYTES", DEFAULT_MAX_STATE_BYTES)
    if isinstance(configured, int) and not isinstance(configured, bool):
        return configured
    logger.warning(
        "MAX_STATE_BYTES must be an integer number of bytes, not %r; using %d.",
        configured,
        DEFAULT_MAX_STATE_BYTES,
    )
    return DEFAULT_MAX_STATE_BYTES


def _read_state_body():
    """Return the parsed state document; raise the 415, 413 and 400 errors.

    The document contains every asset's content, so it may be far larger than
    other JSON bodies: its limit is MAX_STATE_BYTES, not MAX_JSON_BYTES.
    """
    if request.mimetype and not is_json_type(request.mimetype):
        raise UnsupportedMediaType(
            f"Send the state document as application/json, not {request.mimetype}."
        )
    limit = _max_state_bytes()
    too_large = PayloadTooLarge(f"The state document may be at most {limit} bytes.")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    request.max_content_length = limit
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge as error:
        raise too_large from error
    if not raw.strip():
        raise InvalidJson("A state document is required, as GET /_mock/state gives.")
    return parse_strict_json(raw)


@blueprint.get("/state")
def export_state():
    load_query()
    return jsonify(current_mock().export_state())


@blueprint.put("/state")
def import_state():
    document = _read_state_body()
    load_query()
    snapshot = validate_with(StateDocumentSchema(), document)
    current_mock().import_state(snapshot)
    state = snapshot.state
    counts = {
        "companies": len(state.companies),
        "keys": len(state.keys),
        "catalogue": len(state.catalogue),
        "campaigns": len(state.campaigns),
        "invitations": len(state.invitations),
        "assets": len(state.assets),
        "emails": len(state.emails),
    }
    return jsonify(status="ok", seed=snapshot.seed, counts=counts)


# Keys and the outbox.


@blueprint.get("/keys")
def list_keys():
    load_query()
    keys = _store().list_api_keys()
    return dump(KEY_LIST, {"items": keys, "count": len(keys)})


@blueprint.get("/emails")
def list_emails():
    query = load_query(EmailQuerySchema())
    emails = _store().list_emails(query.get("campaign_id"), query.get("to"))
    return dump(EMAIL_LIST, {"items": emails, "count": len(emails)})


@blueprint.delete("/emails")
def clear_emails():
    load_json(EMPTY_BODY, required=False)
    load_query()
    return jsonify(deleted=_store().clear_emails())


# The request journal.


@blueprint.get("/requests")
def list_requests():
    query = load_query(RequestQuerySchema())
    entries, dropped = current_mock().journal.entries(**query)
    return jsonify(items=entries, count=len(entries), dropped=dropped)


@blueprint.delete("/requests")
def clear_requests():
    load_json(EMPTY_BODY, required=False)
    load_query()
    return jsonify(deleted=current_mock().journal.clear())


# Faults.


@blueprint.post("/faults")
def add_fault():
    rule = load_json(FaultSchema())
    load_query()
    fault = current_mock().faults.add(**rule)
    response = jsonify(fault.to_dict())
    response.status_code = 201
    return response


@blueprint.get("/faults")
def list_faults():
    load_query()
    faults = [fault.to_dict() for fault in current_mock().faults.list()]
    return jsonify(items=faults, count=len(faults))


@blueprint.delete("/faults")
def clear_faults():
    load_json(EMPTY_BODY, required=False)
    load_query()
    return jsonify(deleted=current_mock().faults.clear())


@blueprint.delete("/faults/<fault_id>")
def remove_fault(fault_id):
    load_json(EMPTY_BODY, required=False)
    load_query()
    if not current_mock().faults.remove(fault_id):
        raise FaultNotFound(
            f"No fault '{fault_id}' is active; it may have fired its last time. "
            "GET /_mock/faults lists the active faults."
        )
    return jsonify(fault_id=fault_id, deleted=True)


# Candidate progress.


@blueprint.post("/invitations/<invitation_id>/progress")
def progress_invitation(invitation_id):
    store = _store()
    with store.lock:
        known = invitation_id in store.state.invitations
    if not known:
        raise InvitationNotFound(f"No invitation '{invitation_id}' exists.")
    data = load_json(ProgressSchema())
    load_query()
    score = data.get("score")
    if score is not None:
        # Adding 0.0 turns -0.0 into 0.0.
        score = round_one_decimal(score) + 0.0
    invitation = store.progress_invitation(invitation_id, data["status"], score)
    return dump(INVITATION, invitation)
