"""The seeded state: documented records, counts, keys and determinism."""

import hashlib
import json
import os
import subprocess
import sys
from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import ACME, GLOBEX, INITECH, bearer

from mockserver import create_app
from mockserver.store import seed as seed_module

FOUNDER = bearer("deepsy-dev-mock-founder")
SETTINGS = {
    "allow_retakes": False,
    "time_limit": 3600,
    "send_results_email": True,
    "require_consent": True,
}
DOCUMENTED_CAMPAIGNS = [
    {
        "campaign_id": "camp_123456789",
        "name": "Q1 2024 Recruitment Campaign",
        "description": "Psychological assessment for new hires",
        "status": "active",
        "created_at": "2023-01-01T00:00:00Z",
        "updated_at": "2023-01-15T10:30:00Z",
        "tests": ["personality_assessment"],
        "total": 30,
        "completed": 25,
        "rate": 83.3,
        "candidates": 25,
    },
    {
        "campaign_id": "camp_987654321",
        "name": "Q2 2024 Leadership Assessment",
        "description": "Comprehensive leadership evaluation",
        "status": "draft",
        "created_at": "2023-01-20T00:00:00Z",
        "updated_at": "2023-01-20T00:00:00Z",
        "tests": [
            "personality_assessment",
            "cognitive_ability",
            "leadership_potential",
        ],
        "total": 0,
        "completed": 0,
        "rate": 0.0,
        "candidates": 0,
    },
    {
        "campaign_id": "camp_555666777",
        "name": "Technical Skills Evaluation",
        "description": "Technical skills evaluation for engineering roles",
        "status": "draft",
        "created_at": "2024-03-01T00:00:00Z",
        "updated_at": "2024-03-01T00:00:00Z",
        "tests": ["cognitive_ability"],
        "total": 0,
        "completed": 0,
        "rate": 0.0,
        "candidates": 0,
    },
    {
        "campaign_id": "camp_111222333",
        "name": "Q1 2024 Leadership Assessment",
        "description": "Leadership assessment for management roles",
        "status": "active",
        "created_at": "2024-01-08T09:00:00Z",
        "updated_at": "2024-02-01T12:00:00Z",
        "tests": ["personality_assessment", "leadership_potential"],
        "total": 50,
        "completed": 35,
        "rate": 70.0,
        "candidates": 35,
    },
]
DOCUMENTED_IDS = [c["campaign_id"] for c in DOCUMENTED_CAMPAIGNS]
KEYS = {
    "deepsy-dev-your-api-key-here": (True, {ACME: 6}),
    "deepsy-dev-mock-founder": (True, {ACME: 1, GLOBEX: 1, INITECH: 1}),
    "deepsy-dev-mock-globex": (True, {GLOBEX: 4}),
    "deepsy-dev-mock-reports": (True, {ACME: 16}),
    "deepsy-dev-mock-no-permissions": (True, {ACME: 0}),
    "deepsy-dev-mock-initech": (True, {INITECH: 6}),
    "deepsy-dev-mock-inactive": (False, {ACME: 6}),
    "deepsy-dev-mock-no-company": (True, {}),
}


def store_of(app):
    return app.extensions["deepsy_mock"].store


def uncached_app(monkeypatch, seed=42):
    """Build an app whose state is generated anew, not taken from the cache."""
    monkeypatch.setattr(seed_module, "_built_states", OrderedDict())
    return create_app({"ACCESS_LOG": False, "SEED": seed})


def details(client, campaign_id, company=ACME):
    response = client.get(
        f"/api/v1/campaign/{company}/{campaign_id}/get-details", headers=FOUNDER
    )
    assert response.status_code == 200
    return response.get_json()


def invitations(client, campaign_id, company=ACME):
    response = client.get(
        f"/api/v1/campaign/{company}/{campaign_id}/invitations/list?limit=100",
        headers=FOUNDER,
    )
    assert response.status_code == 200
    return response.get_json()["items"]


def campaigns(client, company):
    response = client.get(f"/api/v1/campaign/{company}/list?limit=100", headers=FOUNDER)
    assert response.status_code == 200
    return response.get_json()["items"]


def responses_of(client):
    """Return every list and details response of Acme and Globex, in order."""
    bodies = []
    for company in (ACME, GLOBEX):
        items = campaigns(client, company)
        bodies.append(items)
        for item in items:
            bodies.append(details(client, item["campaign_id"], company))
            bodies.append(invitations(client, item["campaign_id"], company))
    return bodies


# Documented records.


@pytest.mark.parametrize("expected", DOCUMENTED_CAMPAIGNS, ids=DOCUMENTED_IDS)
def test_documented_campaign_details(client, expected):
    body = details(client, expected["campaign_id"])

    assert body["name"] == expected["name"]
    assert body["description"] == expected["description"]
    assert body["status"] == expected["status"]
    assert body["created_at"] == expected["created_at"]
    assert body["updated_at"] == expected["updated_at"]
    assert body["settings"] == SETTINGS
    assert [t["test_id"] for t in body["tests"]] == expected["tests"]
    assert body["statistics"]["total_invitations"] == expected["total"]
    assert body["statistics"]["completed_assessments"] == expected["completed"]
    assert body["statistics"]["completion_rate"] == expected["rate"]


@pytest.mark.parametrize("expected", DOCUMENTED_CAMPAIGNS, ids=DOCUMENTED_IDS)
def test_documented_campaign_list_item(client, expected):
    items = {i["campaign_id"]: i for i in campaigns(client, ACME)}

    item = items[expected["campaign_id"]]

    assert item["candidates_count"] == expected["candidates"]
    assert item["invitations_sent"] == expected["total"]
    assert item["completion_rate"] == expected["rate"]


def test_documented_average_score(client):
    statistics = details(client, "camp_123456789")["statistics"]

    assert statistics["average_score"] == 78.5


@pytest.mark.parametrize("campaign_id", ["camp_987654321", "camp_555666777"])
def test_documented_drafts_have_no_score(client, campaign_id):
    assert details(client, campaign_id)["statistics"]["average_score"] is None


@pytest.mark.parametrize(
    ("campaign_id", "total"), [("camp_123456789", 30), ("camp_111222333", 50)]
)
def test_documented_invitations_all_sent(client, campaign_id, total):
    items = invitations(client, campaign_id)

    assert len(items) == total
    assert all(item["sent_at"] is not None for item in items)
    assert all(item["emails_sent"] >= 1 for item in items)
    assert {i["status"] for i in items} <= {"sent", "opened", "completed"}


def test_documented_completed_scores_mean(client):
    items = invitations(client, "camp_123456789")
    scores = [i["score"] for i in items if i["status"] == "completed"]

    assert len(scores) == 25
    assert round(sum(scores) / len(scores), 1) == 78.5
    assert all(0 <= score <= 100 for score in scores)
    assert all(round(score, 1) == score for score in scores)


@pytest.mark.parametrize(("company", "count"), [(ACME, 25), (GLOBEX, 12), (INITECH, 3)])
def test_campaign_counts_per_company(app, company, count):
    assert len(store_of(app).list_campaigns(company)) == count


def test_companies_seeded(app):
    store = store_of(app)

    assert store.get_company(ACME).name == "Acme Corporation"
    assert store.get_company(GLOBEX).name == "Globex Corporation"
    assert store.get_company(INITECH).name == "Initech"
    assert store.get_company(ACME).subscription_active is True
    assert store.get_company(GLOBEX).subscription_active is True
    assert store.get_company(INITECH).subscription_active is False


def test_keys_table(app):
    keys = {
        key.key: (
            key.active,
            {m.company_id: m.permissions for m in key.memberships},
        )
        for key in store_of(app).list_api_keys()
    }

    assert keys == KEYS


def test_example_key_owner(app):
    owner = store_of(app).find_api_key("deepsy-dev-your-api-key-here").owner

    assert owner.display_name == "John Doe"
    assert owner.email == "john.doe@example.com"


def test_catalogue_has_documented_tests(app):
    catalogue = store_of(app).state.catalogue

    assert catalogue["personality_assessment"].name == "Personality Assessment"
    assert catalogue["personality_assessment"].duration == 1200
    assert catalogue["cognitive_ability"].name == "Cognitive Ability"
    assert catalogue["cognitive_ability"].duration == 1800
    assert catalogue["leadership_potential"].name == "Leadership Potential"
    assert catalogue["leadership_potential"].duration == 1500


# Generated records.


def percentage(part, whole):
    """Return part / whole in percent, rounded half up to one decimal."""
    if not whole:
        return 0.0
    exact = Decimal(part * 100) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), ROUND_HALF_UP))


@pytest.mark.parametrize("company", [ACME, GLOBEX])
def test_generated_statistics_match_invitations(client, company):
    for item in campaigns(client, company):
        listed = invitations(client, item["campaign_id"], company)
        completed = sum(1 for i in listed if i["status"] == "completed")
        started = sum(1 for i in listed if i["status"] == "started")

        assert item["invitations_sent"] == len(listed)
        assert item["candidates_count"] == completed + started
        assert item["completion_rate"] == percentage(completed, len(listed))


def test_generated_ids_and_dates(app):
    store = store_of(app)
    generated = [
        campaign
        for company in (ACME, GLOBEX, INITECH)
        for campaign in store.list_campaigns(company)
        if campaign.campaign_id not in DOCUMENTED_IDS
    ]

    assert len(generated) == 36
    for campaign in generated:
        assert campaign.campaign_id.startswith("camp_")
        assert len(campaign.campaign_id) == 14
        assert campaign.created_at.year == 2022
        assert campaign.updated_at >= campaign.created_at


def test_generated_emails_unique_per_campaign(app):
    state = store_of(app).state
    for campaign_id in state.campaigns:
        emails = [i.email.casefold() for i in state.campaign_invitations(campaign_id)]

        assert len(emails) == len(set(emails))


# Determinism.


def test_same_seed_same_responses(monkeypatch):
    first = uncached_app(monkeypatch).test_client()
    second = uncached_app(monkeypatch).test_client()

    assert responses_of(first) == responses_of(second)


def digest_in_process(seed):
    client = create_app({"ACCESS_LOG": False, "SEED": seed}).test_client()
    text = json.dumps(responses_of(client), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# Builds the state in a fresh interpreter and prints the digest of its responses.
_DIGEST_SCRIPT = """
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])
import test_seed
print(test_seed.digest_in_process(int(sys.argv[2])))
"""


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_same_seed_same_state_across_processes(hash_seed):
    tests_dir = os.path.dirname(__file__)
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}

    output = subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT, tests_dir, "42"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert output.stdout.strip() == digest_in_process(42)


def test_other_seed_keeps_documented_records(monkeypatch):
    default = uncached_app(monkeypatch, 42).test_client()
    other = uncached_app(monkeypatch, 7).test_client()

    assert details(other, "camp_123456789") == details(default, "camp_123456789")
    for campaign_id in ("camp_987654321", "camp_555666777"):
        assert details(other, campaign_id) == details(default, campaign_id)


def test_other_seed_keeps_counts(monkeypatch):
    app = uncached_app(monkeypatch, 7)
    client = app.test_client()
    leadership = details(client, "camp_111222333")["statistics"]

    assert len(store_of(app).list_campaigns(ACME)) == 25
    assert len(store_of(app).list_campaigns(GLOBEX)) == 12
    assert len(store_of(app).list_campaigns(INITECH)) == 3
    assert leadership["total_invitations"] == 50
    assert leadership["completed_assessments"] == 35
    assert len(invitations(client, "camp_123456789")) == 30


def invitation_statuses_by_company(app):
    state = store_of(app).state
    counts = {}
    for invitation in state.invitations.values():
        company_id = state.campaigns[invitation.campaign_id].company_id
        key = (company_id, invitation.status)
        counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("seed", [0, 7, 123456])
def test_other_seed_keeps_generated_counts(monkeypatch, seed):
    default = uncached_app(monkeypatch, 42)
    other = uncached_app(monkeypatch, seed)

    default_state = store_of(default).state
    other_state = store_of(other).state
    assert len(other_state.invitations) == len(default_state.invitations)
    assert invitation_statuses_by_company(other) == invitation_statuses_by_company(
        default
    )


def test_other_seed_changes_generated_content(monkeypatch):
    default = uncached_app(monkeypatch, 42).test_client()
    other = uncached_app(monkeypatch, 7).test_client()

    default_emails = {i["email"] for i in invitations(default, "camp_123456789")}
    other_emails = {i["email"] for i in invitations(other, "camp_123456789")}
    default_names = [c["name"] for c in campaigns(default, GLOBEX)]
    other_names = [c["name"] for c in campaigns(other, GLOBEX)]

    assert default_emails != other_emails
    assert default_names != other_names


def test_runtime_ids_repeat_after_reset(app, client, auth):
    mock = app.extensions["deepsy_mock"]

    def create_pair():
        campaign = client.post(
            f"/api/v1/campaign/{ACME}/create", json={"name": "Repeat"}, headers=auth
        ).get_json()["campaign_id"]
        invitation = client.post(
            f"/api/v1/campaign/{ACME}/camp_123456789/invitations/create",
            json={"email": "repeat@example.com"},
            headers=auth,
        ).get_json()["invitation_id"]
        return campaign, invitation

    first = create_pair()
    mock.reset()
    second = create_pair()

    assert first == second
    assert first[0] != first[1]


def test_runtime_ids_follow_seed(app, client, auth):
    mock = app.extensions["deepsy_mock"]

    def create_id():
        return client.post(
            f"/api/v1/campaign/{ACME}/create", json={"name": "Seeded"}, headers=auth
        ).get_json()["campaign_id"]

    default = create_id()
    mock.reset(7)
    other = create_id()
    mock.reset(42)

    assert create_id() == default
    assert other != default


def test_reset_restores_seeded_state(app, client, auth):
    mock = app.extensions["deepsy_mock"]
    before = responses_of(client)
    client.post(
        f"/api/v1/campaign/{ACME}/bulk-archive",
        json={"campaign_ids": ["camp_123456789"]},
        headers=auth,
    )
    client.post(
        f"/api/v1/campaign/{ACME}/camp_111222333/invitations/create",
        json={"email": "gone@example.com", "send_email": True},
        headers=auth,
    )

    mock.reset()

    assert responses_of(client) == before
    assert mock.store.list_emails() == []


def test_apps_do_not_share_state(client, auth):
    other = create_app({"ACCESS_LOG": False}).test_client()

    client.post(f"/api/v1/campaign/{ACME}/create", json={"name": "Mine"}, headers=auth)

    assert len(campaigns(client, ACME)) == 26
    assert len(campaigns(other, ACME)) == 25
