"""API keys, permission bits and company access checks, in the documented order."""

import re

from .errors import (
    ActiveSubscriptionRequired,
    ApiKeyInactive,
    ApiKeyNotProvided,
    InsufficientPermissions,
    InvalidApiKey,
    InvalidApiKeyFormat,
    NoPermissionsFound,
    UserNotInCompany,
)
from .store.records import PERMISSIONS, ApiKey

KEY_PREFIX = "deepsy-dev-"
# A company id in a path: a UUID in its hyphenated form, in either case.
# Python's uuid module also takes braces, "urn:uuid:" and bare hex, which
# would give one company several paths.
_COMPANY_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
# Any of these bits grants the campaign, invitation and asset endpoints.
MANAGE_CAMPAIGN_BITS = (
    PERMISSIONS["FOUNDER"]
    | PERMISSIONS["ADMINISTRATOR"]
    | PERMISSIONS["MANAGE_CAMPAIGN"]
)


def authenticate(store, authorization: str | None) -> ApiKey:
    """Return the active key named by an Authorization header value.

    Raises ApiKeyNotProvided, InvalidApiKeyFormat, InvalidApiKey or
    ApiKeyInactive, checked in that order. The scheme `Bearer` is matched
    without regard to case, as RFC 9110 has it.
    """
    if authorization is None or not authorization.strip():
        raise ApiKeyNotProvided()
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key.startswith(KEY_PREFIX):
        raise InvalidApiKeyFormat()
    record = store.find_api_key(key)
    if record is None:
        raise InvalidApiKey()
    if not record.active:
        raise ApiKeyInactive()
    return record


def canonical_company_id(company_id: str) -> str | None:
    """Return the company id in lowercase hyphenated form, or None for a non-UUID."""
    if not _COMPANY_ID.fullmatch(company_id):
        return None
    return company_id.lower()


def authorize_company(store, key: ApiKey, company_id: str, *, manage_campaigns):
    """Return the canonical company id after the company access checks.

    Raises UserNotInCompany for a company the key is not linked to (or an id
    that is no UUID). With `manage_campaigns`, it then raises
    NoPermissionsFound, InsufficientPermissions and
    ActiveSubscriptionRequired, in that order.
    """
    canonical = canonical_company_id(company_id)
    membership = key.membership(canonical) if canonical else None
    if membership is None:
        raise UserNotInCompany(
            f"The API key is not linked to company '{company_id}'. "
            "GET /api/v1/user/companies lists the companies of this key."
        )
    if not manage_campaigns:
        return canonical
    if membership.permissions == 0:
        raise NoPermissionsFound()
    if not membership.permissions & MANAGE_CAMPAIGN_BITS:
        raise InsufficientPermissions()
    if not store.get_company(canonical).subscription_active:
        raise ActiveSubscriptionRequired()
    return canonical


def permission_names(bits: int) -> list[str]:
    """Return the names of the permission bits set, in the documented order."""
    return [name for name, value in PERMISSIONS.items() if bits & value]
