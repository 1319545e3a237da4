"""The authentication and company checks that every /api/v1 view starts with."""

from flask import g, request

from ..auth import authenticate, authorize_company
from .requests import current_mock


def require_key():
    """Return the request's active API key; raise the documented 401 errors."""
    key = authenticate(current_mock().store, request.headers.get("Authorization"))
    g.api_key = key
    return key


def require_company(company_id, *, manage_campaigns=True):
    """Return the canonical company id once the key may act on that company.

    `manage_campaigns` adds the permission and subscription checks of the
    campaign, invitation and asset endpoints.
    """
    key = require_key()
    return authorize_company(
        current_mock().store, key, company_id, manage_campaigns=manage_campaigns
    )
