"""Authentication, company access and the order in which the API checks a request."""

import pytest
from conftest import ACME, EXAMPLE_KEY, GLOBEX, INITECH, bearer

CAMPAIGN = "camp_123456789"
GLOBEX_KEY = "deepsy-dev-mock-globex"
FOUNDER_KEY = "deepsy-dev-mock-founder"
REPORTS_KEY = "deepsy-dev-mock-reports"
NO_PERMISSIONS_KEY = "deepsy-dev-mock-no-permissions"
INITECH_KEY = "deepsy-dev-mock-initech"

# Every campaign and invitation endpoint, with `{company}` and `{invitation}`
# filled in per test and a body that passes validation.
CAMPAIGN_ENDPOINTS = [
    ("GET", "/campaign/{company}/list", None),
    ("POST", "/campaign/{company}/create", {"name": "Auth check"}),
    ("GET", "/campaign/{company}/camp_123456789/get-details", None),
    ("PUT", "/campaign/{company}/camp_123456789/update", {"name": "Renamed"}),
    ("POST", "/campaign/{company}/bulk-archive", {"campaign_ids": [CAMPAIGN]}),
    ("GET", "/campaign/{company}/camp_123456789/invitations/list", None),
    (
        "POST",
        "/campaign/{company}/camp_123456789/invitations/create",
        {"email": "auth.check@example.com"},
    ),
    (
        "POST",
        "/campaign/{company}/camp_123456789/invitations/bulk-invitations",
        {"invitations": [{"email": "auth.bulk@example.com"}]},
    ),
    (
        "POST",
        "/campaign/{company}/camp_123456789/invitations/{invitation}"
        "/send-email-invitation",
        None,
    ),
    (
        "DELETE",
        "/campaign/{company}/camp_123456789/invitations/{invitation}/delete",
        None,
    ),
    (
        "POST",
        "/campaign/{company}/camp_123456789/invitations/bulk-delete",
        {"invitation_ids": ["inv_000000001"]},
    ),
]
COMPANY_ENDPOINTS = [
    *CAMPAIGN_ENDPOINTS,
    ("GET", "/companies/{company}/get-details", None),
]
KEY_ONLY_ENDPOINTS = [
    ("GET", "/health", None),
    ("GET", "/user/me", None),
    ("GET", "/user/companies", None),
]
ALL_ENDPOINTS = COMPANY_ENDPOINTS + KEY_ONLY_ENDPOINTS


def endpoint_id(endpoint):
    method, path, _ = endpoint
    return f"{method} {path}"


def first_invitation(app):
    store = app.extensions["deepsy_mock"].store
    return store.list_invitations(ACME, CAMPAIGN)[0].invitation_id


def call(client, app, endpoint, headers, company=ACME):
    method, path, body = endpoint
    url = "/api/v1" + path.format(company=company, invitation=first_invitation(app))
    return client.open(url, method=method, json=body, headers=headers)


# 401: the key itself.

BAD_HEADERS = [
    pytest.param({}, "API_KEY_NOT_PROVIDED", id="no-header"),
    pytest.param({"Authorization": ""}, "API_KEY_NOT_PROVIDED", id="empty-header"),
    pytest.param({"Authorization": "   "}, "API_KEY_NOT_PROVIDED", id="blank-header"),
    pytest.param(
        {"Authorization": f"Basic {EXAMPLE_KEY}"},
        "INVALID_API_KEY_FORMAT",
        id="basic-scheme",
    ),
    pytest.param(
        {"Authorization": f"Token {EXAMPLE_KEY}"},
        "INVALID_API_KEY_FORMAT",
        id="token-scheme",
    ),
    pytest.param(
        {"Authorization": EXAMPLE_KEY}, "INVALID_API_KEY_FORMAT", id="no-scheme"
    ),
    pytest.param(
        {"Authorization": "Bearer"}, "INVALID_API_KEY_FORMAT", id="scheme-only"
    ),
    pytest.param(
        {"Authorization": "Bearer sk-live-1234"},
        "INVALID_API_KEY_FORMAT",
        id="other-prefix",
    ),
    pytest.param(
        {"Authorization": "Bearer DEEPSY-DEV-your-api-key-here"},
        "INVALID_API_KEY_FORMAT",
        id="uppercase-prefix",
    ),
    pytest.param(bearer("deepsy-dev-no-such-key"), "INVALID_API_KEY", id="unknown-key"),
    pytest.param(bearer("deepsy-dev-"), "INVALID_API_KEY", id="prefix-only"),
    pytest.param(
        bearer("deepsy-dev-mock-inactive"), "API_KEY_INACTIVE", id="inactive-key"
    ),
]


@pytest.mark.parametrize(("headers", "error_code"), BAD_HEADERS)
@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS, ids=endpoint_id)
def test_bad_key_rejected_with_401(client, app, endpoint, headers, error_code):
    response = call(client, app, endpoint, headers)

    assert response.status_code == 401
    assert set(response.get_json()) == {"error", "error_code"}
    assert response.get_json()["error_code"] == error_code
    assert response.get_json()["error"]


@pytest.mark.parametrize(
    "authorization",
    [f"bearer {EXAMPLE_KEY}", f"BEARER {EXAMPLE_KEY}", f"Bearer   {EXAMPLE_KEY}  "],
    ids=["lowercase-scheme", "uppercase-scheme", "extra-spaces"],
)
def test_bearer_scheme_case_and_spaces_accepted(client, authorization):
    response = client.get("/api/v1/health", headers={"Authorization": authorization})

    assert response.status_code == 200


def test_bad_key_leaves_state_unchanged(client, app):
    store = app.extensions["deepsy_mock"].store
    before = len(store.list_campaigns(ACME))

    response = client.post(
        f"/api/v1/campaign/{ACME}/create",
        json={"name": "Never created"},
        headers=bearer("deepsy-dev-mock-inactive"),
    )

    assert response.status_code == 401
    assert len(store.list_campaigns(ACME)) == before


# 403: company access.


@pytest.mark.parametrize(
    "company",
    [
        GLOBEX,
        INITECH,
        "00000000-0000-4000-8000-000000000000",
        "not-a-uuid",
        "12345",
        ACME.replace("-", ""),
        f"urn:uuid:{ACME}",
        f"{ACME}x",
    ],
    ids=[
        "other-company",
        "inactive-company",
        "unknown-uuid",
        "not-a-uuid",
        "number",
        "hex-without-hyphens",
        "urn-form",
        "trailing-character",
    ],
)
@pytest.mark.parametrize("endpoint", COMPANY_ENDPOINTS, ids=endpoint_id)
def test_company_not_linked_is_403(client, app, auth, endpoint, company):
    response = call(client, app, endpoint, auth, company=company)

    assert response.status_code == 403
    assert response.get_json()["error_code"] == "USER_NOT_IN_COMPANY"


def test_company_id_in_uppercase_accepted(client, auth):
    response = client.get(f"/api/v1/campaign/{ACME.upper()}/list", headers=auth)

    assert response.status_code == 200
    assert response.get_json()["count"] == 25


@pytest.mark.parametrize(
    ("key", "status", "error_code"),
    [
        (NO_PERMISSIONS_KEY, 403, "NO_PERMISSIONS_FOUND"),
        (REPORTS_KEY, 403, "INSUFFICIENT_PERMISSIONS"),
    ],
    ids=["permissions-0", "report-only"],
)
@pytest.mark.parametrize("endpoint", CAMPAIGN_ENDPOINTS, ids=endpoint_id)
def test_permissions_checked_on_campaign_endpoints(
    client, app, endpoint, key, status, error_code
):
    response = call(client, app, endpoint, bearer(key))

    assert response.status_code == status
    assert response.get_json()["error_code"] == error_code


def test_insufficient_permissions_message_documented(client):
    response = client.get(f"/api/v1/campaign/{ACME}/list", headers=bearer(REPORTS_KEY))

    assert response.get_json() == {
        "error": "You do not have the required permissions to access this resource",
        "error_code": "INSUFFICIENT_PERMISSIONS",
    }


@pytest.mark.parametrize("endpoint", CAMPAIGN_ENDPOINTS, ids=endpoint_id)
def test_inactive_subscription_is_402(client, app, endpoint):
    response = call(client, app, endpoint, bearer(INITECH_KEY), company=INITECH)

    assert response.status_code == 402
    assert response.get_json()["error_code"] == "ACTIVE_SUBSCRIPTION_REQUIRED"


@pytest.mark.parametrize(
    ("company", "count"), [(ACME, 25), (GLOBEX, 12)], ids=["acme", "globex"]
)
def test_founder_lists_campaigns_of_active_companies(client, company, count):
    response = client.get(
        f"/api/v1/campaign/{company}/list", headers=bearer(FOUNDER_KEY)
    )

    assert response.status_code == 200
    assert response.get_json()["count"] == count


def test_founder_on_inactive_subscription_is_402(client):
    response = client.get(
        f"/api/v1/campaign/{INITECH}/list", headers=bearer(FOUNDER_KEY)
    )

    assert response.status_code == 402
    assert response.get_json()["error_code"] == "ACTIVE_SUBSCRIPTION_REQUIRED"


@pytest.mark.parametrize("company", [ACME, GLOBEX, INITECH])
def test_founder_gets_details_of_every_company(client, company):
    response = client.get(
        f"/api/v1/companies/{company}/get-details", headers=bearer(FOUNDER_KEY)
    )

    assert response.status_code == 200
    assert response.get_json()["company_id"] == company


def test_founder_creates_campaign_in_globex(client):
    response = client.post(
        f"/api/v1/campaign/{GLOBEX}/create",
        json={"name": "Founder campaign"},
        headers=bearer(FOUNDER_KEY),
    )

    assert response.status_code == 201
    assert response.get_json()["status"] == "draft"


def test_manage_campaign_bit_alone_grants_access(client):
    response = client.get(f"/api/v1/campaign/{GLOBEX}/list", headers=bearer(GLOBEX_KEY))

    assert response.status_code == 200
    assert response.get_json()["count"] == 12


# The order of the checks.


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nope", "/api/v1/campaign", f"/api/v1/campaign/{ACME}/list/extra", "/"],
)
def test_unknown_route_without_key_is_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", f"/api/v1/campaign/{ACME}/list", "GET"),
        ("GET", f"/api/v1/campaign/{ACME}/create", "POST"),
        ("POST", f"/api/v1/campaign/{ACME}/{CAMPAIGN}/update", "PUT"),
        ("PUT", f"/api/v1/campaign/{ACME}/{CAMPAIGN}/get-details", "GET"),
        ("GET", f"/api/v1/campaign/{ACME}/{CAMPAIGN}/invitations/bulk-delete", "POST"),
        ("POST", "/api/v1/health", "GET"),
    ],
)
def test_wrong_method_without_key_is_405(client, method, path, allowed):
    response = client.open(path, method=method)

    assert response.status_code == 405
    assert response.get_json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert allowed in response.headers["Allow"]


def test_bad_key_on_bad_company_is_401(client):
    response = client.get(
        "/api/v1/campaign/not-a-uuid/list", headers=bearer("deepsy-dev-nope")
    )

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "INVALID_API_KEY"


@pytest.mark.parametrize(
    ("key", "error_code"),
    [
        (REPORTS_KEY, "INSUFFICIENT_PERMISSIONS"),
        (NO_PERMISSIONS_KEY, "NO_PERMISSIONS_FOUND"),
    ],
)
def test_missing_campaign_without_permission_is_403(client, key, error_code):
    response = client.get(
        f"/api/v1/campaign/{ACME}/camp_000000000/get-details", headers=bearer(key)
    )

    assert response.status_code == 403
    assert response.get_json()["error_code"] == error_code


def test_missing_campaign_without_subscription_is_402(client):
    response = client.get(
        f"/api/v1/campaign/{INITECH}/camp_000000000/get-details",
        headers=bearer(INITECH_KEY),
    )

    assert response.status_code == 402


def test_campaign_of_other_company_is_404(client):
    globex_campaign = client.get(
        f"/api/v1/campaign/{GLOBEX}/list", headers=bearer(FOUNDER_KEY)
    ).get_json()["items"][0]["campaign_id"]

    response = client.get(
        f"/api/v1/campaign/{ACME}/{globex_campaign}/get-details",
        headers=bearer(FOUNDER_KEY),
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_missing_campaign_before_bad_body(client, auth):
    response = client.put(
        f"/api/v1/campaign/{ACME}/camp_000000000/update",
        data="{not json",
        content_type="application/json",
        headers=auth,
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_missing_campaign_before_bad_query(client, auth):
    response = client.get(
        f"/api/v1/campaign/{ACME}/camp_000000000/invitations/list?limit=0",
        headers=auth,
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_missing_invitation_before_bad_body(client, auth):
    response = client.post(
        f"/api/v1/campaign/{ACME}/{CAMPAIGN}/invitations/inv_000000000"
        "/send-email-invitation",
        data="nope",
        content_type="text/plain",
        headers=auth,
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "INVITATION_NOT_FOUND"


def test_forbidden_company_before_bad_body(client, auth):
    response = client.post(
        f"/api/v1/campaign/{GLOBEX}/create",
        data="nope",
        content_type="text/plain",
        headers=auth,
    )

    assert response.status_code == 403
    assert response.get_json()["error_code"] == "USER_NOT_IN_COMPANY"


def test_media_type_before_syntax(client, auth):
    response = client.post(
        f"/api/v1/campaign/{ACME}/create",
        data="{not json",
        content_type="text/plain",
        headers=auth,
    )

    assert response.status_code == 415


def test_syntax_before_validation(client, auth):
    response = client.post(
        f"/api/v1/campaign/{ACME}/create",
        data='{"name": 5,}',
        content_type="application/json",
        headers=auth,
    )

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"


def test_validation_before_state_rule(client, auth):
    client.post(
        f"/api/v1/campaign/{ACME}/bulk-archive",
        json={"campaign_ids": [CAMPAIGN]},
        headers=auth,
    )

    response = client.put(
        f"/api/v1/campaign/{ACME}/{CAMPAIGN}/update",
        json={"status": "ACTIVE"},
        headers=auth,
    )

    assert response.status_code == 422
    assert response.get_json()["details"]["status"]


def test_state_rule_after_validation_passes(client, auth):
    client.post(
        f"/api/v1/campaign/{ACME}/bulk-archive",
        json={"campaign_ids": [CAMPAIGN]},
        headers=auth,
    )

    response = client.put(
        f"/api/v1/campaign/{ACME}/{CAMPAIGN}/update",
        json={"status": "active"},
        headers=auth,
    )

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "CAMPAIGN_ARCHIVED"
