"""Control endpoints for tests and tools; they need no DeePsy key."""

from flask import Blueprint, current_app, jsonify

from ..api.requests import RequestSchema, load_json, load_query
from ..fields import StrictInteger

blueprint = Blueprint("control", __name__)


class ResetSchema(RequestSchema):
    seed = StrictInteger()


def _mock():
    return current_app.extensions["deepsy_mock"]


@blueprint.get("/health")
def health():
    load_query()
    return jsonify(status="ok")


@blueprint.post("/reset")
def reset():
    data = load_json(ResetSchema(), required=False)
    load_query()
    seed = _mock().reset(data.get("seed"))
    return jsonify(status="ok", seed=seed)
