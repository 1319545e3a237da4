"""The control API under /_mock: reset, state, keys, outbox, journal, faults."""

import base64
import copy
import dataclasses
import json
import socket

import pytest
import requests
from conftest import ACME, EXAMPLE_KEY, bearer

from mockserver import create_app
from mockserver.store import records, snapshot
from mockserver.store.fixtures import bundled_fixtures_dir

CAMPAIGNS = f"/api/v1/campaign/{ACME}"
DOCUMENTED = "camp_123456789"
INVITATIONS = f"{CAMPAIGNS}/{DOCUMENTED}/invitations"
TOKEN = "s3cret-token"
TOKEN_HEADER = "X-Mock-Admin-Token"
STATE_COLLECTIONS = [
    "companies",
    "keys",
    "catalogue",
    "campaigns",
    "invitations",
    "assets",
    "emails",
]
EMAIL_FIELDS = {
    "email_id",
    "to",
    "subject",
    "body",
    "link",
    "invitation_id",
    "campaign_id",
    "company_id",
    "sent_at",
}
JOURNAL_FIELDS = {
    "method",
    "path",
    "query",
    "status",
    "duration_ms",
    "time",
    "headers",
    "body",
    "fault_id",
}
# Control endpoints with a method each, for the rules every endpoint follows.
ENDPOINTS = [
    ("POST", "/_mock/reset"),
    ("GET", "/_mock/state"),
    ("PUT", "/_mock/state"),
    ("GET", "/_mock/keys"),
    ("GET", "/_mock/emails"),
    ("DELETE", "/_mock/emails"),
    ("GET", "/_mock/requests"),
    ("DELETE", "/_mock/requests"),
    ("POST", "/_mock/faults"),
    ("GET", "/_mock/faults"),
    ("DELETE", "/_mock/faults"),
    ("DELETE", "/_mock/faults/fault_1"),
    ("POST", "/_mock/invitations/inv_000000001/progress"),
]
# Each endpoint with a body it accepts, so that only the query string is wrong.
QUERY_CASES = [
    ("GET", "/_mock/health", None),
    ("POST", "/_mock/reset", None),
    ("GET", "/_mock/state", None),
    ("PUT", "/_mock/state", {}),
    ("GET", "/_mock/keys", None),
    ("GET", "/_mock/emails", None),
    ("DELETE", "/_mock/emails", None),
    ("GET", "/_mock/requests", None),
    ("DELETE", "/_mock/requests", None),
    ("POST", "/_mock/faults", {"path": "/api/v1/health", "status": 503}),
    ("GET", "/_mock/faults", None),
    ("DELETE", "/_mock/faults", None),
    ("DELETE", "/_mock/faults/fault_1", None),
]
# Endpoints whose body is optional or forbidden: an unknown field is 422.
BODY_ENDPOINTS = [
    ("POST", "/_mock/reset"),
    ("DELETE", "/_mock/emails"),
    ("DELETE", "/_mock/requests"),
    ("POST", "/_mock/faults"),
    ("DELETE", "/_mock/faults"),
]


def make_client(**config):
    return create_app({"ACCESS_LOG": False, **config}).test_client()


def details_of(response):
    return response.get_json()["details"]


def invitations_with_status(client, status):
    response = client.get(f"{INVITATIONS}/list?limit=100", headers=bearer())
    assert response.status_code == 200
    return [
        item["invitation_id"]
        for item in response.get_json()["items"]
        if item["status"] == status
    ]


def invite(client, email, send_email=True):
    response = client.post(
        f"{INVITATIONS}/create",
        json={"email": email, "first_name": "Jane", "send_email": send_email},
        headers=bearer(),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def create_campaign(client, name="Control test campaign"):
    response = client.post(f"{CAMPAIGNS}/create", json={"name": name}, headers=bearer())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def add_fault(client, **rule):
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def progress(client, invitation_id, **body):
    return client.post(f"/_mock/invitations/{invitation_id}/progress", json=body)


def journal(client, query=""):
    response = client.get(f"/_mock/requests{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# Health, admin token and unknown paths.


def test_health_returns_ok(client):
    response = client.get("/_mock/health")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("method,path", [*ENDPOINTS, ("GET", "/_mock/unknown")])
def test_admin_token_required_when_configured(method, path):
    client = make_client(ADMIN_TOKEN=TOKEN)

    response = client.open(path, method=method)

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "ADMIN_TOKEN_REQUIRED"


@pytest.mark.parametrize("value", ["wrong", TOKEN.upper(), TOKEN + " ", ""])
def test_admin_token_wrong_value_rejected(value):
    client = make_client(ADMIN_TOKEN=TOKEN)

    response = client.get("/_mock/keys", headers={TOKEN_HEADER: value})

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "ADMIN_TOKEN_REQUIRED"


def test_admin_token_right_value_accepted():
    client = make_client(ADMIN_TOKEN=TOKEN)

    response = client.get("/_mock/keys", headers={TOKEN_HEADER: TOKEN})

    assert response.status_code == 200
    assert response.get_json()["count"] == 8


def test_admin_token_guards_health():
    client = make_client(ADMIN_TOKEN=TOKEN)

    rejected = client.get("/_mock/health")
    accepted = client.get("/_mock/health", headers={TOKEN_HEADER: TOKEN})

    assert rejected.status_code == 401
    assert rejected.get_json()["error_code"] == "ADMIN_TOKEN_REQUIRED"
    assert accepted.status_code == 200
    assert accepted.get_json() == {"status": "ok"}


def test_admin_token_numeric_config_matches():
    # A mapping given to create_app may set the token as a number.
    client = make_client(ADMIN_TOKEN=12345)

    accepted = client.get("/_mock/keys", headers={TOKEN_HEADER: "12345"})
    rejected = client.get("/_mock/keys")

    assert accepted.status_code == 200
    assert rejected.status_code == 401


def test_admin_token_absent_leaves_api_open(client):
    response = client.get("/_mock/keys")

    assert response.status_code == 200


def test_admin_token_not_needed_by_api():
    client = make_client(ADMIN_TOKEN=TOKEN)

    response = client.get("/api/v1/health", headers=bearer())

    assert response.status_code == 200


def test_admin_token_surrounding_space_dropped():
    # HTTP drops the white space around header values, so a client can
    # never send a token that keeps it.
    client = make_client(ADMIN_TOKEN=f"  {TOKEN} ")

    accepted = client.get("/_mock/keys", headers={TOKEN_HEADER: TOKEN})
    rejected = client.get("/_mock/keys")

    assert accepted.status_code == 200
    assert rejected.status_code == 401


def test_admin_token_blank_leaves_api_open():
    client = make_client(ADMIN_TOKEN="   ")

    response = client.get("/_mock/keys")

    assert response.status_code == 200


def test_admin_token_checked_before_redirect():
    client = make_client(ADMIN_TOKEN=TOKEN)

    anonymous = client.get("/_mock//keys")
    with_token = client.get("/_mock//keys", headers={TOKEN_HEADER: TOKEN})

    assert anonymous.status_code == 401
    assert anonymous.get_json()["error_code"] == "ADMIN_TOKEN_REQUIRED"
    assert "Location" not in anonymous.headers
    assert with_token.status_code == 308


@pytest.mark.parametrize(
    "path",
    ["/_mock", "/_mock/", "/_mock/unknown", "/_mock/faults/a/b", "/_mock/health/"],
)
def test_unknown_control_path_is_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error_code"] == "NOT_FOUND"
    assert "/_mock/reset" in response.get_json()["error"]


def test_doubled_slash_redirect_is_json(client):
    response = client.get("/_mock//health")

    assert response.status_code == 308
    assert response.headers["Location"] == "http://localhost/_mock/health"
    assert response.get_json()["error_code"] == "PERMANENT_REDIRECT"


@pytest.mark.parametrize(
    "method,path,allowed",
    [
        ("GET", "/_mock/reset", "POST"),
        ("POST", "/_mock/keys", "GET"),
        ("PUT", "/_mock/faults", "GET"),
        ("GET", "/_mock/invitations/inv_1/progress", "POST"),
    ],
)
def test_wrong_method_is_405_with_allow(client, method, path, allowed):
    response = client.open(path, method=method)

    assert response.status_code == 405
    assert response.get_json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert allowed in response.headers["Allow"]


# Rules every endpoint follows.


@pytest.mark.parametrize("method,path,body", QUERY_CASES)
def test_endpoint_rejects_unknown_query(client, method, path, body):
    response = client.open(f"{path}?colour=red", method=method, json=body)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"
    assert list(details_of(response)) == ["colour"]


@pytest.mark.parametrize("method,path", BODY_ENDPOINTS)
def test_endpoint_rejects_unknown_body_field(client, method, path):
    response = client.open(path, method=method, json={"colour": "red"})

    assert response.status_code == 422
    assert "colour" in details_of(response)


@pytest.mark.parametrize("method,path", [*BODY_ENDPOINTS, ("PUT", "/_mock/state")])
def test_endpoint_rejects_form_body(client, method, path):
    response = client.open(path, method=method, data={"seed": "1"})

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize(
    "method,path",
    [("POST", "/_mock/reset"), ("PUT", "/_mock/state"), ("POST", "/_mock/faults")],
)
def test_endpoint_rejects_invalid_json(client, method, path):
    response = client.open(
        path, method=method, data="{nope", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"


# Reset.


def test_reset_returns_default_seed(client):
    response = client.post("/_mock/reset")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "seed": 42}


def test_reset_seed_applies_to_later_resets(client):
    client.post("/_mock/reset", json={"seed": 7})

    response = client.post("/_mock/reset")

    assert response.get_json() == {"status": "ok", "seed": 7}
    assert client.get("/_mock/state").get_json()["seed"] == 7


def test_reset_other_seed_changes_generated_data(client):
    default = client.get("/_mock/state").get_json()
    client.post("/_mock/reset", json={"seed": 7})

    other = client.get("/_mock/state").get_json()

    assert other["campaigns"][:4] == default["campaigns"][:4]
    assert other["campaigns"][4:] != default["campaigns"][4:]


def test_reset_restores_seeded_state(client):
    seeded = client.get("/_mock/state").data
    create_campaign(client)
    invite(client, "reset@example.com")

    client.post("/_mock/reset")

    assert client.get("/_mock/state").data == seeded


def test_reset_empties_outbox_journal_faults(client):
    invite(client, "outbox@example.com")
    add_fault(client, path="/api/v1/health", status=503)

    client.post("/_mock/reset")

    assert client.get("/_mock/emails").get_json()["count"] == 0
    assert client.get("/_mock/faults").get_json()["count"] == 0
    assert journal(client)["count"] == 0
    assert client.get("/api/v1/health", headers=bearer()).status_code == 200


@pytest.mark.parametrize("seed", ["7", 1.5, True, None, [1]])
def test_reset_rejects_invalid_seed(client, seed):
    response = client.post("/_mock/reset", json={"seed": seed})

    assert response.status_code == 422
    assert list(details_of(response)) == ["seed"]


def test_reset_over_http_restores_seed(fresh_server):
    campaigns = f"{fresh_server.api_url}/campaign/{ACME}"
    created = requests.post(
        f"{campaigns}/create", json={"name": "Over HTTP"}, headers=bearer(), timeout=10
    )

    reset = requests.post(f"{fresh_server.url}/_mock/reset", timeout=10)
    details = requests.get(
        f"{campaigns}/{created.json()['campaign_id']}/get-details",
        headers=bearer(),
        timeout=10,
    )

    assert created.status_code == 201
    assert reset.status_code == 200
    assert reset.json() == {"status": "ok", "seed": 42}
    assert details.status_code == 404


# State export.


def test_state_export_has_every_collection(client):
    document = client.get("/_mock/state").get_json()

    assert document["version"] == 1
    assert document["seed"] == 42
    assert len(document["id_generator"]["state"]) == 625
    assert [name for name in document if name in STATE_COLLECTIONS] == (
        STATE_COLLECTIONS
    )
    assert len(document["companies"]) == 3
    assert len(document["keys"]) == 8


def test_state_export_identical_after_resets(client):
    client.post("/_mock/reset")
    first = client.get("/_mock/state").data
    create_campaign(client)
    client.post("/_mock/reset")

    second = client.get("/_mock/state").data

    assert first == second


def test_state_export_identical_across_apps():
    first = make_client(SEED=11).get("/_mock/state").data
    second = make_client(SEED=11).get("/_mock/state").data

    assert first == second


def test_state_export_identical_across_processes(client, fresh_server):
    requests.post(f"{fresh_server.url}/_mock/reset", json={"seed": 42}, timeout=10)

    served = requests.get(f"{fresh_server.url}/_mock/state", timeout=10)

    assert served.status_code == 200
    assert served.json() == client.get("/_mock/state").get_json()


def test_state_export_encodes_asset_content(client):
    document = client.get("/_mock/state").get_json()
    logo = next(a for a in document["assets"] if a["file_name"] == "acme-logo.svg")

    content = base64.b64decode(logo["content"])

    assert content == (bundled_fixtures_dir() / "files" / "acme-logo.svg").read_bytes()
    assert logo["size"] == len(content)


def test_state_export_shows_keys_with_owners(client):
    document = client.get("/_mock/state").get_json()
    key = next(k for k in document["keys"] if k["key"] == EXAMPLE_KEY)

    assert key["owner"]["email"] == "john.doe@example.com"
    assert key["companies"][0]["company_id"] == ACME
    assert key["companies"][0]["permissions"] == 6


@pytest.mark.parametrize(
    "record,schema",
    [
        (records.Company, snapshot.CompanyDocument),
        (records.Membership, snapshot.MembershipDocument),
        (records.User, snapshot.UserDocument),
        (records.ApiKey, snapshot.KeyDocument),
        (records.CatalogueTest, snapshot.CatalogueDocument),
        (records.CampaignSettings, snapshot.SettingsDocument),
        (records.Campaign, snapshot.CampaignDocument),
        (records.Invitation, snapshot.InvitationDocument),
        (records.Asset, snapshot.AssetDocument),
        (records.Email, snapshot.EmailDocument),
    ],
)
def test_state_document_covers_record_fields(record, schema):
    # A record field missing from its document schema would vanish on export.
    attributes = {field.attribute or name for name, field in schema().fields.items()}

    assert attributes == {field.name for field in dataclasses.fields(record)}


# State import.


def changed_document(client):
    """Return the export of a state changed by API calls, then reset the mock."""
    create_campaign(client, "Imported campaign")
    invitation = invite(client, "imported@example.com")
    progress(client, invitation["invitation_id"], status="completed", score=64.5)
    document = client.get("/_mock/state").get_json()
    client.post("/_mock/reset")
    return document


def test_state_import_round_trips(client):
    document = changed_document(client)

    response = client.put("/_mock/state", json=document)

    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["counts"]["emails"] == 1
    assert client.get("/_mock/state").get_json() == document


def test_state_import_export_bytes_equal(client):
    exported = client.get("/_mock/state").data
    client.post("/_mock/reset", json={"seed": 3})

    client.put("/_mock/state", data=exported, content_type="application/json")

    assert client.get("/_mock/state").data == exported


def test_state_import_replaces_state(client):
    document = client.get("/_mock/state").get_json()
    document["campaigns"] = [
        c for c in document["campaigns"] if c["company_id"] != ACME
    ]
    document["invitations"] = []
    document["emails"] = []

    client.put("/_mock/state", json=document)
    details = client.get(f"{CAMPAIGNS}/{DOCUMENTED}/get-details", headers=bearer())
    listed = client.get(f"{CAMPAIGNS}/list", headers=bearer())

    assert details.status_code == 404
    assert listed.get_json()["count"] == 0


def test_state_import_continues_ids(client):
    document = client.get("/_mock/state").get_json()
    first = create_campaign(client)["campaign_id"]
    client.post("/_mock/reset", json={"seed": 5})

    client.put("/_mock/state", json=document)

    assert create_campaign(client)["campaign_id"] == first


def test_state_import_seed_used_by_reset(client):
    client.post("/_mock/reset", json={"seed": 9})
    document = client.get("/_mock/state").get_json()
    client.post("/_mock/reset", json={"seed": 42})

    client.put("/_mock/state", json=document)
    response = client.post("/_mock/reset")

    assert response.get_json()["seed"] == 9


def test_state_import_keys_take_effect(client):
    document = client.get("/_mock/state").get_json()
    key = next(k for k in document["keys"] if k["key"] == EXAMPLE_KEY)
    key["active"] = False

    client.put("/_mock/state", json=document)
    response = client.get("/api/v1/user/me", headers=bearer())

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "API_KEY_INACTIVE"


def test_state_import_over_json_limit_accepted():
    client = make_client(MAX_JSON_BYTES=1024)
    document = client.get("/_mock/state").data

    response = client.put(
        "/_mock/state", data=document, content_type="application/json"
    )

    assert response.status_code == 200


def test_state_import_over_state_limit_rejected():
    client = make_client(MAX_STATE_BYTES=1024)
    document = client.get("/_mock/state").data

    response = client.put(
        "/_mock/state", data=document, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"


def test_state_limit_invalid_setting_ignored():
    client = make_client(MAX_STATE_BYTES="large")
    document = client.get("/_mock/state").data

    response = client.put(
        "/_mock/state", data=document, content_type="application/json"
    )

    assert response.status_code == 200


def test_state_import_requires_body(client):
    response = client.put("/_mock/state")

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"


@pytest.mark.parametrize("body", ["[]", '"state"', "1", "null"])
def test_state_import_rejects_non_object(client, body):
    response = client.put("/_mock/state", data=body, content_type="application/json")

    assert response.status_code == 422
    assert "body" in details_of(response)


def with_email(client):
    invite(client, "mail@example.com")
    return client.get("/_mock/state").get_json()


def set_field(collection, index, name, value):
    def mutate(document):
        document[collection][index][name] = value

    return mutate


def remove_field(collection, index, name):
    def mutate(document):
        del document[collection][index][name]

    return mutate


def duplicate_campaign_id(document):
    document["campaigns"][1]["campaign_id"] = document["campaigns"][0]["campaign_id"]


def duplicate_invitation_email(document):
    first, second = document["invitations"][0], document["invitations"][1]
    second["campaign_id"] = first["campaign_id"]
    second["email"] = first["email"].upper()


def unknown_membership_company(document):
    document["keys"][0]["companies"][0]["company_id"] = (
        "00000000-0000-4000-8000-000000000000"
    )


def unknown_campaign_test(document):
    document["campaigns"][0]["tests"] = ["telepathy"]


def short_generator(document):
    document["id_generator"]["state"] = document["id_generator"]["state"][:10]


def zero_generator(document):
    document["id_generator"]["state"] = [0] * 625


INVALID_DOCUMENTS = [
    (set_field("campaigns", 3, "status", "bogus"), "campaigns.3.status"),
    (set_field("campaigns", 0, "status", "ACTIVE"), "campaigns.0.status"),
    (
        set_field("invitations", 0, "campaign_id", "camp_000000001"),
        "invitations.0.campaign_id",
    ),
    (
        set_field("campaigns", 2, "company_id", "00000000-0000-4000-8000-000000000000"),
        "campaigns.2.company_id",
    ),
    (set_field("campaigns", 0, "company_id", ACME.upper()), "campaigns.0.company_id"),
    (duplicate_campaign_id, "campaigns.1.campaign_id"),
    (duplicate_invitation_email, "invitations.1.email"),
    (unknown_membership_company, "keys.0.companies.0.company_id"),
    (unknown_campaign_test, "campaigns.0.tests.0"),
    (remove_field("campaigns", 0, "name"), "campaigns.0.name"),
    (set_field("campaigns", 0, "colour", "red"), "campaigns.0.colour"),
    (set_field("campaigns", 0, "created_at", "yesterday"), "campaigns.0.created_at"),
    (set_field("invitations", 4, "score", 101), "invitations.4.score"),
    (set_field("invitations", 4, "emails_sent", "1"), "invitations.4.emails_sent"),
    (set_field("assets", 0, "content", "not base64!"), "assets.0.content"),
    (set_field("assets", 0, "size", 1), "assets.0.size"),
    (set_field("assets", 1, "checksum", "sha256:00"), "assets.1.checksum"),
    (
        set_field("companies", 0, "subscription_active", 1),
        "companies.0.subscription_active",
    ),
    (set_field("keys", 1, "key", "not-a-deepsy-key"), "keys.1.key"),
    (set_field("emails", 0, "campaign_id", "camp_000000001"), "emails.0.campaign_id"),
    (
        set_field("emails", 0, "company_id", "5f0c2a9e-8d1b-4c3e-9a7f-2b6d4e8c1a3f"),
        "emails.0.company_id",
    ),
    (short_generator, "id_generator.state"),
    (zero_generator, "id_generator.state"),
    # Ids of the wrong form, one per id field.
    (set_field("campaigns", 0, "campaign_id", "camp_1"), "campaigns.0.campaign_id"),
    (
        set_field("invitations", 0, "invitation_id", "inv_x"),
        "invitations.0.invitation_id",
    ),
    (set_field("invitations", 0, "campaign_id", ""), "invitations.0.campaign_id"),
    (set_field("assets", 0, "asset_id", ACME), "assets.0.asset_id"),
    (set_field("emails", 0, "email_id", "email_1"), "emails.0.email_id"),
    (set_field("emails", 0, "invitation_id", "inv"), "emails.0.invitation_id"),
    (set_field("emails", 0, "campaign_id", "camp"), "emails.0.campaign_id"),
    # File paths that an upload never makes, and types it never allows.
    (set_field("assets", 0, "file_path", "../acme-logo.svg"), "assets.0.file_path"),
    (set_field("assets", 0, "file_path", ".."), "assets.0.file_path"),
    (set_field("assets", 0, "file_path", "."), "assets.0.file_path"),
    (set_field("assets", 0, "file_path", " logo.svg"), "assets.0.file_path"),
    (set_field("assets", 0, "file_path", "logo\x00.svg"), "assets.0.file_path"),
    (set_field("assets", 0, "file_path", "a" * 201), "assets.0.file_path"),
    (set_field("assets", 0, "content_type", "text/html"), "assets.0.content_type"),
    (
        set_field("assets", 0, "content_type", "image/svg+xml\r\nX-Evil: 1"),
        "assets.0.content_type",
    ),
    # Values that would not export again as they were imported.
    (
        set_field("campaigns", 0, "created_at", "2023-01-01T00:00:00.500Z"),
        "campaigns.0.created_at",
    ),
    (
        set_field("campaigns", 0, "created_at", "2023-01-01T00:00:00+00:00"),
        "campaigns.0.created_at",
    ),
    (set_field("emails", 0, "sent_at", "2023-01-01 00:00:00Z"), "emails.0.sent_at"),
    (set_field("invitations", 4, "score", 78.55), "invitations.4.score"),
]


@pytest.mark.parametrize("mutate,field", INVALID_DOCUMENTS)
def test_state_import_rejects_invalid_record(client, mutate, field):
    document = with_email(client)
    mutate(document)

    response = client.put("/_mock/state", json=document)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"
    assert field in details_of(response)


@pytest.mark.parametrize(
    "name,value,field",
    [
        ("version", 2, "version"),
        ("version", "1", "version"),
        ("version", True, "version"),
        ("seed", "42", "seed"),
        ("campaigns", {}, "campaigns"),
        ("colour", "red", "colour"),
    ],
)
def test_state_import_rejects_invalid_top_level(client, name, value, field):
    document = client.get("/_mock/state").get_json()
    document[name] = value

    response = client.put("/_mock/state", json=document)

    assert response.status_code == 422
    assert field in details_of(response)


def test_state_import_version_reported_alone(client):
    response = client.put("/_mock/state", json={"version": 2, "campaigns": 5})

    assert response.status_code == 422
    assert details_of(response) == {
        "version": ["Unsupported version 2; this mock reads version 1."]
    }


@pytest.mark.parametrize(
    "name", ["version", "seed", "id_generator", *STATE_COLLECTIONS]
)
def test_state_import_requires_every_part(client, name):
    document = client.get("/_mock/state").get_json()
    del document[name]

    response = client.put("/_mock/state", json=document)

    assert response.status_code == 422
    assert name in details_of(response)


def test_state_import_rejects_lone_surrogate(client):
    before = client.get("/_mock/state").data
    text = before.decode().replace('"Acme Corporation"', '"Acme \\ud800"', 1)

    response = client.put("/_mock/state", data=text, content_type="application/json")

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"
    assert client.get("/_mock/state").data == before


def test_state_rejected_import_changes_nothing(client):
    create_campaign(client)
    before = client.get("/_mock/state").data
    document = json.loads(before)
    bad = copy.deepcopy(document)
    bad["campaigns"] = []
    bad["companies"][0]["name"] = "Renamed"

    response = client.put("/_mock/state", json=bad)

    assert response.status_code == 422
    assert client.get("/_mock/state").data == before


# Keys.


def test_keys_lists_every_key(client):
    response = client.get("/_mock/keys")

    body = response.get_json()
    assert response.status_code == 200
    assert body["count"] == 8
    assert len(body["items"]) == 8
    assert body["items"][0] == {
        "key": EXAMPLE_KEY,
        "active": True,
        "owner": "john.doe@example.com",
        "companies": [{"company_id": ACME, "permissions": 6}],
    }


@pytest.mark.parametrize(
    "key,active,companies",
    [
        ("deepsy-dev-mock-inactive", False, 1),
        ("deepsy-dev-mock-founder", True, 3),
        ("deepsy-dev-mock-no-company", True, 0),
    ],
)
def test_keys_show_state_and_companies(client, key, active, companies):
    items = client.get("/_mock/keys").get_json()["items"]

    item = next(item for item in items if item["key"] == key)

    assert item["active"] is active
    assert len(item["companies"]) == companies


# The outbox.


def test_emails_lists_sent_invitation(client):
    invitation = invite(client, "jane@example.com")

    response = client.get("/_mock/emails")

    body = response.get_json()
    email = body["items"][0]
    assert response.status_code == 200
    assert body["count"] == 1
    assert set(email) == EMAIL_FIELDS
    assert email["to"] == "jane@example.com"
    assert email["invitation_id"] == invitation["invitation_id"]
    assert email["campaign_id"] == DOCUMENTED
    assert email["company_id"] == ACME
    assert email["link"] in email["body"]
    assert email["sent_at"].endswith("Z")


def test_emails_skip_invitation_without_email(client):
    invite(client, "quiet@example.com", send_email=False)

    response = client.get("/_mock/emails")

    assert response.get_json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", 2),
        ("?to=jane@example.com", 1),
        ("?to=JANE@EXAMPLE.COM", 1),
        ("?to=nobody@example.com", 0),
        (f"?campaign_id={DOCUMENTED}", 2),
        ("?campaign_id=camp_000000001", 0),
        (f"?campaign_id={DOCUMENTED}&to=john@example.com", 1),
    ],
)
def test_emails_filters(client, query, expected):
    invite(client, "jane@example.com")
    invite(client, "john@example.com")

    body = client.get(f"/_mock/emails{query}").get_json()

    assert body["count"] == expected
    assert len(body["items"]) == expected


@pytest.mark.parametrize("query", ["?to=", "?campaign_id=", "?recipient=x"])
def test_emails_rejects_invalid_filter(client, query):
    response = client.get(f"/_mock/emails{query}")

    assert response.status_code == 422


def test_emails_delete_empties_outbox(client):
    invite(client, "jane@example.com")

    response = client.delete("/_mock/emails")

    assert response.status_code == 200
    assert response.get_json() == {"deleted": 1}
    assert client.get("/_mock/emails").get_json()["count"] == 0


# The request journal.


def test_requests_records_api_request(client):
    client.post(
        f"{CAMPAIGNS}/create?trace=1",
        json={"name": "Journaled"},
        headers={**bearer(), TOKEN_HEADER: "secret", "X-Trace": "abc"},
    )

    entry = journal(client)["items"][0]

    assert set(entry) == JOURNAL_FIELDS
    assert entry["method"] == "POST"
    assert entry["path"] == f"{CAMPAIGNS}/create"
    assert entry["query"] == "trace=1"
    assert entry["status"] == 422
    assert json.loads(entry["body"]) == {"name": "Journaled"}
    assert entry["headers"]["Authorization"] == "Bearer [redacted]"
    assert entry["headers"][TOKEN_HEADER] == "[redacted]"
    assert entry["headers"]["X-Trace"] == "abc"
    assert entry["time"].endswith("Z")
    assert entry["fault_id"] is None


def test_requests_never_show_the_key(client):
    client.get("/api/v1/health", headers={"Authorization": EXAMPLE_KEY})

    text = json.dumps(journal(client))

    assert EXAMPLE_KEY not in text


def test_requests_redact_keys_everywhere(client):
    client.post(
        f"/api/v1/health?api_key={EXAMPLE_KEY}",
        data=json.dumps({"key": EXAMPLE_KEY}),
        content_type="application/json",
        headers={"X-Api-Key": EXAMPLE_KEY},
    )

    entry = journal(client)["items"][0]

    assert EXAMPLE_KEY not in json.dumps(entry)
    assert entry["headers"]["X-Api-Key"] == "[redacted]"
    assert entry["query"] == "api_key=[redacted]"
    assert json.loads(entry["body"]) == {"key": "[redacted]"}


def test_requests_record_chunked_body(fresh_server):
    body = b'{"name": "Chunked"}'
    request = (
        f"POST /api/v1/campaign/{ACME}/create HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {EXAMPLE_KEY}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    with socket.create_connection((fresh_server.host, fresh_server.port), 10) as sock:
        sock.sendall(request)
        status_line = sock.makefile("rb").readline()

    entries = requests.get(f"{fresh_server.url}/_mock/requests", timeout=10).json()

    assert status_line.startswith(b"HTTP/1.1 201")
    assert entries["items"][0]["body"] == body.decode()


def test_requests_skip_control_requests(client):
    client.get("/_mock/keys")
    client.post("/_mock/faults", json={"path": "/api/v1/health", "latency_ms": 1})
    client.get("/api/v1/health", headers=bearer())

    body = journal(client)

    assert [entry["path"] for entry in body["items"]] == ["/api/v1/health"]


def test_requests_record_paths_outside_api(client):
    client.get("/v1/health")

    entry = journal(client)["items"][0]

    assert entry["path"] == "/v1/health"
    assert entry["status"] == 404


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", 3),
        ("?method=GET", 2),
        ("?method=POST", 1),
        ("?status=401", 1),
        ("?status=200", 2),
        ("?path_prefix=/api/v1/user", 1),
        ("?path_prefix=/api/v1/campaign", 1),
        ("?method=GET&status=200", 2),
        ("?method=DELETE", 0),
    ],
)
def test_requests_filters(client, query, expected):
    client.get("/api/v1/health", headers=bearer())
    client.get("/api/v1/user/me", headers=bearer())
    client.post(f"{CAMPAIGNS}/create", json={"name": "x"})

    body = journal(client, query)

    assert body["count"] == expected
    assert len(body["items"]) == expected


@pytest.mark.parametrize(
    "query,field",
    [
        ("?method=get", "method"),
        ("?status=abc", "status"),
        ("?status=99", "status"),
        ("?path_prefix=api", "path_prefix"),
        ("?since=1", "since"),
    ],
)
def test_requests_rejects_invalid_filter(client, query, field):
    response = client.get(f"/_mock/requests{query}")

    assert response.status_code == 422
    assert list(details_of(response)) == [field]


def test_requests_truncates_long_body():
    client = make_client(JOURNAL_BODY_CHARS=20)
    sent = json.dumps({"name": "n" * 100})
    client.post(
        f"{CAMPAIGNS}/create",
        data=sent,
        content_type="application/json",
        headers=bearer(),
    )

    body = journal(client)["items"][0]["body"]

    assert body == sent[:20] + f"... [{len(sent)} characters]"


def test_requests_bounded_with_dropped_count():
    client = make_client(JOURNAL_SIZE=3)
    for _ in range(5):
        client.get("/api/v1/health", headers=bearer())

    body = journal(client)

    assert body["count"] == 3
    assert body["dropped"] == 2


def test_requests_delete_clears_journal():
    client = make_client(JOURNAL_SIZE=1)
    client.get("/api/v1/health")
    client.get("/api/v1/health")

    response = client.delete("/_mock/requests")

    assert response.status_code == 200
    assert response.get_json() == {"deleted": 1}
    assert journal(client) == {"items": [], "count": 0, "dropped": 0}


# Faults.


def test_fault_add_returns_rule(client):
    response = client.post(
        "/_mock/faults", json={"path": "/api/v1/campaign/*/list", "status": 503}
    )

    assert response.status_code == 201
    assert response.get_json() == {
        "fault_id": "fault_1",
        "path": "/api/v1/campaign/*/list",
        "method": None,
        "status": 503,
        "error_code": None,
        "error": None,
        "latency_ms": 0,
        "times": None,
        "probability": 1.0,
        "retry_after": 1,
        "hits": 0,
    }


def test_fault_injects_error_body(client):
    add_fault(client, path=f"{CAMPAIGNS}/list", status=500)

    response = client.get(f"{CAMPAIGNS}/list", headers=bearer())

    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Fault fault_1 injected through POST /_mock/faults.",
        "error_code": "INTERNAL_ERROR",
    }


@pytest.mark.parametrize(
    "status,code",
    [
        (400, "BAD_REQUEST"),
        (404, "NOT_FOUND"),
        (429, "RATE_LIMIT_EXCEEDED"),
        (502, "BAD_GATEWAY"),
        (503, "SERVICE_UNAVAILABLE"),
        (599, "HTTP_599"),
        # The mock's own codes, whatever Python's http.HTTPStatus calls them.
        (413, "PAYLOAD_TOO_LARGE"),
        (414, "URI_TOO_LONG"),
        (416, "RANGE_NOT_SATISFIABLE"),
        (422, "VALIDATION_ERROR"),
    ],
)
def test_fault_default_error_codes(client, status, code):
    add_fault(client, path="/api/v1/health", status=status)

    response = client.get("/api/v1/health")

    assert response.status_code == status
    assert response.get_json()["error_code"] == code


def test_fault_custom_code_and_message(client):
    add_fault(
        client,
        path="/api/v1/health",
        status=402,
        error_code="ACTIVE_SUBSCRIPTION_REQUIRED",
        error="Pay first.",
    )

    response = client.get("/api/v1/health")

    assert response.status_code == 402
    assert response.get_json() == {
        "error": "Pay first.",
        "error_code": "ACTIVE_SUBSCRIPTION_REQUIRED",
    }


def test_fault_injected_422_has_details(client):
    add_fault(client, path="/api/v1/health", status=422)

    response = client.get("/api/v1/health")

    assert response.get_json()["details"] == {}


@pytest.mark.parametrize(
    "path,allowed",
    [
        ("/api/v1/health", "GET, HEAD, OPTIONS"),
        (f"{CAMPAIGNS}/create", "OPTIONS, POST"),
        ("/api/v1/no-such-endpoint", ""),
    ],
)
def test_fault_injected_405_has_allow(client, path, allowed):
    add_fault(client, path=path, status=405)

    response = client.get(path)

    assert response.status_code == 405
    assert response.headers["Allow"] == allowed


@pytest.mark.parametrize("status", [429, 503])
def test_fault_retry_after_header(client, status):
    add_fault(client, path="/api/v1/health", status=status, retry_after=7)

    response = client.get("/api/v1/health")

    assert response.status_code == status
    assert response.headers["Retry-After"] == "7"


def test_fault_no_retry_after_for_other_status(client):
    add_fault(client, path="/api/v1/health", status=500)

    response = client.get("/api/v1/health")

    assert "Retry-After" not in response.headers


def test_fault_response_allows_cors(client):
    add_fault(client, path="/api/v1/health", status=503)

    response = client.get("/api/v1/health", headers={"Origin": "http://localhost:3000"})

    assert response.status_code == 503
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_fault_skips_preflight(client):
    add_fault(client, path="/api/v1/**", status=503)

    response = client.options(
        "/api/v1/health",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "GET",
        },
    )

    assert response.status_code == 204


def test_fault_method_filter(client):
    add_fault(client, path=f"{CAMPAIGNS}/create", method="POST", status=503)

    other = client.get(f"{CAMPAIGNS}/create", headers=bearer())
    matching = client.post(f"{CAMPAIGNS}/create", json={}, headers=bearer())

    assert other.status_code == 405
    assert matching.status_code == 503


def test_fault_times_then_expires(client):
    add_fault(client, path="/api/v1/health", status=503, times=2)

    statuses = [client.get("/api/v1/health").status_code for _ in range(3)]

    assert statuses == [503, 503, 401]
    assert client.get("/_mock/faults").get_json() == {"items": [], "count": 0}


def test_fault_list_counts_hits(client):
    add_fault(client, path="/api/v1/health", status=503, times=5)
    client.get("/api/v1/health")
    client.get("/api/v1/health")

    body = client.get("/_mock/faults").get_json()

    assert body["count"] == 1
    assert body["items"][0]["hits"] == 2
    assert body["items"][0]["times"] == 3


def test_fault_first_match_wins(client):
    add_fault(client, path="/api/v1/health", status=502)
    add_fault(client, path="/api/v1/**", status=503)

    response = client.get("/api/v1/health")

    assert response.status_code == 502


def test_fault_latency_only_passes_through(client):
    add_fault(client, path="/api/v1/health", latency_ms=1)

    response = client.get("/api/v1/health", headers=bearer())

    assert response.status_code == 200
    assert journal(client)["items"][0]["fault_id"] == "fault_1"


def test_fault_does_not_touch_control_api(client):
    add_fault(client, path="/api/v1/**", status=503)

    response = client.get("/_mock/keys")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "pattern,path,matches",
    [
        ("/api/v1/health", "/api/v1/health", True),
        ("/api/v1/health", "/api/v1/health/x", False),
        ("/api/v1/campaign/*/list", f"{CAMPAIGNS}/list", True),
        (
            "/api/v1/campaign/*/list",
            f"{CAMPAIGNS}/{DOCUMENTED}/invitations/list",
            False,
        ),
        (
            "/api/v1/campaign/**/list",
            f"{CAMPAIGNS}/{DOCUMENTED}/invitations/list",
            True,
        ),
        ("/api/v1/campaign/**", f"{CAMPAIGNS}/list", True),
        ("/api/v1/**/list", f"{CAMPAIGNS}/list", True),
        ("/api/v1/user/*", "/api/v1/user/me", True),
        ("/api/v1/user/*", "/api/v1/health", False),
        ("/api/v1/us*", "/api/v1/user/me", False),
        ("/**", "/api/v1/user/me", True),
        ("/api/v1/user/m.", "/api/v1/user/me", False),
    ],
)
def test_fault_path_patterns(client, pattern, path, matches):
    add_fault(client, path=pattern, status=599)

    response = client.get(path, headers=bearer())

    assert (response.status_code == 599) is matches


def test_fault_probability_repeats_after_reset(client):
    def run():
        add_fault(client, path="/api/v1/health", status=503, probability=0.5)
        statuses = [client.get("/api/v1/health").status_code for _ in range(30)]
        client.post("/_mock/reset")
        return statuses

    first = run()
    second = run()

    assert first == second
    assert 503 in first
    assert 401 in first


def test_fault_probability_misses_keep_times(client):
    add_fault(client, path="/api/v1/health", status=503, probability=0.3, times=2)

    statuses = [client.get("/api/v1/health").status_code for _ in range(40)]

    assert statuses.count(503) == 2


INVALID_RULES = [
    ({"status": 503}, "path"),
    ({"path": "api/v1/health", "status": 503}, "path"),
    ({"path": "/campaign/*/list", "status": 503}, "path"),
    ({"path": "/api", "status": 503}, "path"),
    ({"path": "/api/v", "status": 503}, "path"),
    ({"path": "/api/v1/health?x=1", "status": 503}, "path"),
    ({"path": "/api/v1/he alth", "status": 503}, "path"),
    ({"path": "/api/v1/health", "status": 503, "method": "get"}, "method"),
    ({"path": "/api/v1/health", "status": 503, "method": "OPTIONS"}, "method"),
    ({"path": "/api/v1/health", "status": 399}, "status"),
    ({"path": "/api/v1/health", "status": 600}, "status"),
    ({"path": "/api/v1/health", "status": "503"}, "status"),
    ({"path": "/api/v1/health", "status": 503.0}, "status"),
    ({"path": "/api/v1/health", "latency_ms": -1}, "latency_ms"),
    ({"path": "/api/v1/health", "latency_ms": 30001}, "latency_ms"),
    ({"path": "/api/v1/health", "status": 503, "times": 0}, "times"),
    ({"path": "/api/v1/health", "status": 503, "probability": 0}, "probability"),
    ({"path": "/api/v1/health", "status": 503, "probability": 1.5}, "probability"),
    ({"path": "/api/v1/health", "status": 500, "retry_after": 5}, "retry_after"),
    ({"path": "/api/v1/health", "status": 429, "retry_after": -1}, "retry_after"),
    ({"path": "/api/v1/health", "status": 503, "error_code": "busy"}, "error_code"),
    ({"path": "/api/v1/health", "latency_ms": 5, "error": "x"}, "error"),
    ({"path": "/api/v1/health"}, "body"),
    ({"path": "/api/v1/health", "latency_ms": 0}, "body"),
    ({"path": "/api/v1/health", "status": 503, "delay": 5}, "delay"),
]


@pytest.mark.parametrize("rule,field", INVALID_RULES)
def test_fault_rejects_invalid_rule(client, rule, field):
    response = client.post("/_mock/faults", json=rule)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"
    assert field in details_of(response)


def test_fault_requires_body(client):
    response = client.post("/_mock/faults")

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"


def test_fault_delete_one(client):
    add_fault(client, path="/api/v1/health", status=503)
    add_fault(client, path="/api/v1/user/me", status=503)

    response = client.delete("/_mock/faults/fault_1")

    assert response.status_code == 200
    assert response.get_json() == {"fault_id": "fault_1", "deleted": True}
    assert [f["fault_id"] for f in client.get("/_mock/faults").get_json()["items"]] == [
        "fault_2"
    ]


def test_fault_delete_unknown_is_404(client):
    response = client.delete("/_mock/faults/fault_9")

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "FAULT_NOT_FOUND"


def test_fault_delete_all(client):
    add_fault(client, path="/api/v1/health", status=503)
    add_fault(client, path="/api/v1/user/me", status=503)

    response = client.delete("/_mock/faults")

    assert response.status_code == 200
    assert response.get_json() == {"deleted": 2}
    assert client.get("/api/v1/health", headers=bearer()).status_code == 200


def test_fault_latency_over_http(fresh_server):
    fault = requests.post(
        f"{fresh_server.url}/_mock/faults",
        json={"path": "/api/v1/health", "latency_ms": 200, "times": 1},
        timeout=10,
    )

    response = requests.get(
        f"{fresh_server.api_url}/health", headers=bearer(), timeout=10
    )
    entries = requests.get(f"{fresh_server.url}/_mock/requests", timeout=10).json()

    assert fault.status_code == 201
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert entries["items"][0]["fault_id"] == fault.json()["fault_id"]
    # The journal's duration includes the injected delay, which sleeps at least
    # this long.
    assert entries["items"][0]["duration_ms"] >= 200


def test_fault_retry_after_over_http(fresh_server):
    requests.post(
        f"{fresh_server.url}/_mock/faults",
        json={
            "path": "/api/v1/campaign/*/list",
            "method": "GET",
            "status": 429,
            "retry_after": 30,
            "latency_ms": 50,
        },
        timeout=10,
    )

    response = requests.get(
        f"{fresh_server.api_url}/campaign/{ACME}/list", headers=bearer(), timeout=10
    )

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert response.json()["error_code"] == "RATE_LIMIT_EXCEEDED"


# Candidate progress.


def campaign_statistics(client):
    response = client.get(f"{CAMPAIGNS}/{DOCUMENTED}/get-details", headers=bearer())
    assert response.status_code == 200
    return response.get_json()["statistics"]


def test_progress_moves_forward(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = progress(client, invitation_id, status="opened")

    assert response.status_code == 200
    assert response.get_json()["invitation_id"] == invitation_id
    assert response.get_json()["status"] == "opened"
    assert response.get_json()["completed_at"] is None


def test_progress_skips_to_completed(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = progress(client, invitation_id, status="completed", score=77.25)

    invitation = response.get_json()
    assert response.status_code == 200
    assert invitation["status"] == "completed"
    assert invitation["score"] == 77.3
    assert invitation["completed_at"].endswith("Z")


def test_progress_updates_campaign_statistics(client):
    before = campaign_statistics(client)
    invitation_id = invitations_with_status(client, "sent")[0]

    progress(client, invitation_id, status="completed", score=100)
    after = campaign_statistics(client)

    assert before["completed_assessments"] == 25
    assert after["completed_assessments"] == 26
    assert after["completion_rate"] == 86.7
    assert after["average_score"] == 79.3


def test_progress_started_counts_as_candidate(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    progress(client, invitation_id, status="started")
    listed = client.get(f"{CAMPAIGNS}/list?limit=100", headers=bearer()).get_json()

    item = next(c for c in listed["items"] if c["campaign_id"] == DOCUMENTED)
    assert item["candidates_count"] == 26


def test_progress_new_invitation_from_pending(client):
    invitation = invite(client, "pending@example.com", send_email=False)

    response = progress(client, invitation["invitation_id"], status="started")

    assert response.status_code == 200
    assert response.get_json()["status"] == "started"


@pytest.mark.parametrize(
    "steps",
    [
        [("opened", None), ("opened", None)],
        [("started", None), ("opened", None)],
        [("completed", 50), ("started", None)],
        [("completed", 50), ("completed", 60)],
    ],
)
def test_progress_rejects_invalid_move(client, steps):
    invitation_id = invitations_with_status(client, "sent")[0]
    *earlier, (status, score) = steps
    for earlier_status, earlier_score in earlier:
        body = {"status": earlier_status}
        if earlier_score is not None:
            body["score"] = earlier_score
        assert progress(client, invitation_id, **body).status_code == 200

    body = {"status": status} if score is None else {"status": status, "score": score}
    response = progress(client, invitation_id, **body)

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "INVALID_PROGRESS"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"status": "completed"}, "score"),
        ({"status": "opened", "score": 50}, "score"),
        ({"status": "sent"}, "status"),
        ({"status": "pending"}, "status"),
        ({"status": "COMPLETED", "score": 50}, "status"),
        ({"status": "completed", "score": 101}, "score"),
        ({"status": "completed", "score": -1}, "score"),
        ({"status": "completed", "score": "50"}, "score"),
        ({"status": "completed", "score": None}, "score"),
        ({"score": 50}, "status"),
        ({"status": "opened", "note": "x"}, "note"),
    ],
)
def test_progress_rejects_invalid_body(client, body, field):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = progress(client, invitation_id, **body)

    assert response.status_code == 422
    assert field in details_of(response)


def test_progress_negative_zero_score(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = progress(client, invitation_id, status="completed", score=-0.0)

    assert response.status_code == 200
    assert json.dumps(response.get_json()["score"]) == "0.0"


def test_progress_unknown_invitation_is_404(client):
    response = progress(client, "inv_000000001", status="bogus")

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "INVITATION_NOT_FOUND"


def test_progress_rejects_unknown_query(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = client.post(
        f"/_mock/invitations/{invitation_id}/progress?colour=red",
        json={"status": "opened"},
    )

    assert response.status_code == 422
    assert list(details_of(response)) == ["colour"]


def test_progress_rejects_form_body(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = client.post(
        f"/_mock/invitations/{invitation_id}/progress", data={"status": "opened"}
    )

    assert response.status_code == 415


def test_progress_requires_body(client):
    invitation_id = invitations_with_status(client, "sent")[0]

    response = client.post(f"/_mock/invitations/{invitation_id}/progress")

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"
