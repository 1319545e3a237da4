"""The DeePsy API v1 endpoints, one blueprint per resource, under /api/v1."""

from flask import Blueprint

from . import assets, campaigns, invitations, users


def create_blueprint():
    """Return the /api/v1 blueprint with every resource's endpoints."""
    api = Blueprint("api", __name__)
    for resource in (campaigns, invitations, assets, users):
        api.register_blueprint(resource.blueprint)
    return api
