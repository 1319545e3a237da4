"""Health, user profile, user companies and company details."""

import re

import pytest
from conftest import ACME, GLOBEX, INITECH, bearer

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "display_name",
    "gender",
    "age",
    "email",
    "phone_number",
    "country",
    "city",
    "profile_picture",
    "biography",
    "welcome_message",
    "email_verified_at",
    "companies",
]
NULLABLE_STRINGS = [
    "gender",
    "phone_number",
    "country",
    "city",
    "profile_picture",
    "biography",
]
COMPANY_FIELDS = [
    "company_id",
    "name",
    "email",
    "website",
    "industry",
    "profile_picture",
    "created_at",
    "subscription_active",
]
ACTIVE_KEYS = [
    "deepsy-dev-your-api-key-here",
    "deepsy-dev-mock-founder",
    "deepsy-dev-mock-globex",
    "deepsy-dev-mock-reports",
    "deepsy-dev-mock-no-permissions",
    "deepsy-dev-mock-initech",
    "deepsy-dev-mock-no-company",
]


# Health.


@pytest.mark.parametrize("key", ACTIVE_KEYS)
def test_health_with_any_active_key(client, key):
    response = client.get("/api/v1/health", headers=bearer(key))

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_health_needs_key(client):
    response = client.get("/api/v1/health")

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "API_KEY_NOT_PROVIDED"


def test_health_takes_no_query(client, auth):
    response = client.get("/api/v1/health?verbose=1", headers=auth)

    assert response.status_code == 422


# User profile.


def test_profile_of_example_key(client, auth):
    response = client.get("/api/v1/user/me", headers=auth)
    body = response.get_json()

    assert response.status_code == 200
    assert list(body) == PROFILE_FIELDS
    assert body["first_name"] == "John"
    assert body["last_name"] == "Doe"
    assert body["display_name"] == "John Doe"
    assert body["email"] == "john.doe@example.com"
    assert body["companies"] == [
        {
            "company_id": ACME,
            "permissions": 6,
            "company": {"name": "Acme Corporation", "profile_picture": None},
        }
    ]


@pytest.mark.parametrize("key", ACTIVE_KEYS)
def test_profile_field_types(client, key):
    body = client.get("/api/v1/user/me", headers=bearer(key)).get_json()

    for name in ("first_name", "last_name", "display_name", "email"):
        assert isinstance(body[name], str)
    for name in NULLABLE_STRINGS:
        assert body[name] is None or isinstance(body[name], str)
    assert body["age"] is None or (
        isinstance(body["age"], int) and not isinstance(body["age"], bool)
    )
    for name in ("welcome_message", "email_verified_at"):
        assert body[name] is None or TIMESTAMP.fullmatch(body[name])
    assert isinstance(body["companies"], list)
    assert len(body["companies"]) <= 10


def test_profile_timestamps_of_example_key(client, auth):
    body = client.get("/api/v1/user/me", headers=auth).get_json()

    assert TIMESTAMP.fullmatch(body["welcome_message"])
    assert TIMESTAMP.fullmatch(body["email_verified_at"])


def test_profile_of_founder_lists_three(client):
    body = client.get(
        "/api/v1/user/me", headers=bearer("deepsy-dev-mock-founder")
    ).get_json()

    assert [c["company_id"] for c in body["companies"]] == [ACME, GLOBEX, INITECH]
    assert [c["permissions"] for c in body["companies"]] == [1, 1, 1]
    assert [c["company"]["name"] for c in body["companies"]] == [
        "Acme Corporation",
        "Globex Corporation",
        "Initech",
    ]


def test_profile_without_company(client):
    response = client.get(
        "/api/v1/user/me", headers=bearer("deepsy-dev-mock-no-company")
    )

    assert response.status_code == 200
    assert response.get_json()["companies"] == []


def test_profile_inactive_key_is_401(client):
    response = client.get("/api/v1/user/me", headers=bearer("deepsy-dev-mock-inactive"))

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "API_KEY_INACTIVE"


# User companies.


def test_companies_of_example_key(client, auth):
    response = client.get("/api/v1/user/companies", headers=auth)

    assert response.status_code == 200
    assert response.get_json() == {
        "items": [
            {
                "company_id": ACME,
                "permissions": ["ADMINISTRATOR", "MANAGE_CAMPAIGN"],
                "created_at": "2022-06-01T09:00:00Z",
                "company": {
                    "name": "Acme Corporation",
                    "email": "contact@acme.example.com",
                    "website": "https://acme.example.com",
                    "industry": "Manufacturing",
                },
            }
        ],
        "count": 1,
    }


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("deepsy-dev-mock-founder", ["FOUNDER"]),
        ("deepsy-dev-mock-globex", ["MANAGE_CAMPAIGN"]),
        ("deepsy-dev-mock-reports", ["REPORT"]),
        ("deepsy-dev-mock-no-permissions", []),
        ("deepsy-dev-mock-initech", ["ADMINISTRATOR", "MANAGE_CAMPAIGN"]),
    ],
)
def test_companies_permission_names(client, key, names):
    body = client.get("/api/v1/user/companies", headers=bearer(key)).get_json()

    assert body["items"][0]["permissions"] == names


def test_companies_of_founder(client):
    body = client.get(
        "/api/v1/user/companies", headers=bearer("deepsy-dev-mock-founder")
    ).get_json()

    assert body["count"] == 3
    assert [i["company_id"] for i in body["items"]] == [ACME, GLOBEX, INITECH]
    for item in body["items"]:
        assert list(item) == ["company_id", "permissions", "created_at", "company"]
        assert list(item["company"]) == ["name", "email", "website", "industry"]
        assert TIMESTAMP.fullmatch(item["created_at"])


def test_companies_without_membership_is_422(client):
    response = client.get(
        "/api/v1/user/companies", headers=bearer("deepsy-dev-mock-no-company")
    )

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "NO_COMPANY_MEMBERSHIP"
    assert set(response.get_json()) == {"error", "error_code"}


def test_companies_takes_no_query(client, auth):
    response = client.get("/api/v1/user/companies?page=1", headers=auth)

    assert response.status_code == 422


# Company details.


def test_company_details_of_acme(client, auth):
    response = client.get(f"/api/v1/companies/{ACME}/get-details", headers=auth)

    assert response.status_code == 200
    assert response.get_json() == {
        "company_id": ACME,
        "name": "Acme Corporation",
        "email": "contact@acme.example.com",
        "website": "https://acme.example.com",
        "industry": "Manufacturing",
        "profile_picture": None,
        "created_at": "2022-06-01T09:00:00Z",
        "subscription_active": True,
    }


@pytest.mark.parametrize(
    "key", ["deepsy-dev-mock-reports", "deepsy-dev-mock-no-permissions"]
)
def test_company_details_need_only_link(client, key):
    response = client.get(f"/api/v1/companies/{ACME}/get-details", headers=bearer(key))

    assert response.status_code == 200
    assert response.get_json()["name"] == "Acme Corporation"


def test_company_details_without_subscription(client):
    response = client.get(
        f"/api/v1/companies/{INITECH}/get-details",
        headers=bearer("deepsy-dev-mock-initech"),
    )

    assert response.status_code == 200
    assert response.get_json()["subscription_active"] is False
    assert response.get_json()["name"] == "Initech"


def test_company_details_field_types(client):
    founder = bearer("deepsy-dev-mock-founder")
    for company in (ACME, GLOBEX, INITECH):
        body = client.get(
            f"/api/v1/companies/{company}/get-details", headers=founder
        ).get_json()

        assert list(body) == COMPANY_FIELDS
        assert UUID.fullmatch(body["company_id"])
        assert isinstance(body["subscription_active"], bool)
        assert TIMESTAMP.fullmatch(body["created_at"])


@pytest.mark.parametrize(
    ("key", "company"),
    [
        ("deepsy-dev-your-api-key-here", GLOBEX),
        ("deepsy-dev-mock-no-company", ACME),
        ("deepsy-dev-your-api-key-here", "not-a-uuid"),
    ],
)
def test_company_details_unlinked_is_403(client, key, company):
    response = client.get(
        f"/api/v1/companies/{company}/get-details", headers=bearer(key)
    )

    assert response.status_code == 403
    assert response.get_json()["error_code"] == "USER_NOT_IN_COMPANY"


def test_company_details_takes_no_query(client, auth):
    response = client.get(
        f"/api/v1/companies/{ACME}/get-details?expand=users", headers=auth
    )

    assert response.status_code == 422


# Bodies: these GET endpoints take none.

GET_PATHS = [
    "/api/v1/health",
    "/api/v1/user/me",
    "/api/v1/user/companies",
    f"/api/v1/companies/{ACME}/get-details",
]
GET_IDS = ["health", "profile", "companies", "company-details"]


@pytest.mark.parametrize("path", GET_PATHS, ids=GET_IDS)
def test_get_with_text_body_is_415(client, auth, path):
    response = client.get(path, data="x", content_type="text/plain", headers=auth)

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("path", GET_PATHS, ids=GET_IDS)
def test_get_with_json_field_is_422(client, auth, path):
    response = client.get(path, json={"verbose": True}, headers=auth)

    assert response.status_code == 422
    assert list(response.get_json()["details"]) == ["verbose"]


@pytest.mark.parametrize("path", GET_PATHS, ids=GET_IDS)
def test_get_with_empty_object_accepted(client, auth, path):
    response = client.get(path, json={}, headers=auth)

    assert response.status_code == 200


def test_get_body_checked_after_key(client):
    response = client.get("/api/v1/health", data="x", content_type="text/plain")

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "API_KEY_NOT_PROVIDED"
