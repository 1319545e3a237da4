"""Tests of the example client, against the DeePsy mock of the pytest plugin.

They use only what the plugin provides: `deepsy_mock` to steer the server
and read its outbox and journal, and `deepsy_client` to check the API's
state independently of the client under test.
"""

from pathlib import Path

import pytest
from invite import (
    CampaignNotActive,
    DeepsyApi,
    DeepsyError,
    completion_report,
    invite_candidates,
    main,
    read_candidates,
)

ACME = "c193a06f-1c25-4e65-84a7-95faaae7ae7b"
# Seeded: active, 30 invitations of which 25 are completed, mean score 78.5.
ACTIVE_CAMPAIGN = "camp_123456789"
DRAFT_CAMPAIGN = "camp_987654321"
BULK_PATH = f"/api/v1/campaign/{ACME}/{ACTIVE_CAMPAIGN}/invitations/bulk-invitations"
CANDIDATES_CSV = Path(__file__).with_name("candidates.csv")
CANDIDATES = [
    {"email": "ada.lovelace@example.com", "first_name": "Ada", "last_name": "Lovelace"},
    {"email": "grace.hopper@example.com", "first_name": "Grace", "last_name": "Hopper"},
]


@pytest.fixture
def waits():
    """The seconds the client waited between attempts, in order."""
    return []


@pytest.fixture
def api(deepsy_mock, deepsy_client, waits):
    """The client under test, with the key that `deepsy_client` sends."""
    client = DeepsyApi(deepsy_mock.api_url, deepsy_client.key, sleep=waits.append)
    yield client
    client.close()


def test_invite_creates_invitations(api, deepsy_client):
    result = invite_candidates(api, ACME, ACTIVE_CAMPAIGN, CANDIDATES)
    listing = deepsy_client.get(
        f"/campaign/{ACME}/{ACTIVE_CAMPAIGN}/invitations/list",
        params={"query": "ada.lovelace"},
    )

    assert [item["email"] for item in result.created] == [
        "ada.lovelace@example.com",
        "grace.hopper@example.com",
    ]
    assert result.failed == []
    assert listing.json()["count"] == 1
    assert listing.json()["items"][0]["status"] == "sent"


def test_invite_sends_emails(api, deepsy_mock):
    invite_candidates(api, ACME, ACTIVE_CAMPAIGN, CANDIDATES, message="Welcome!")

    emails = deepsy_mock.emails(campaign_id=ACTIVE_CAMPAIGN)

    assert sorted(email["to"] for email in emails) == [
        "ada.lovelace@example.com",
        "grace.hopper@example.com",
    ]
    assert all("Welcome!" in email["body"] for email in emails)
    assert deepsy_mock.emails(to="nobody@example.com") == []


def test_invite_reports_failures(api):
    candidates = [*CANDIDATES, {"email": "not-an-address"}, CANDIDATES[0]]

    result = invite_candidates(api, ACME, ACTIVE_CAMPAIGN, candidates)

    assert len(result.created) == 2
    assert [(f["index"], f["error_code"]) for f in result.failed] == [
        (2, "VALIDATION_ERROR"),
        (3, "INVITATION_ALREADY_EXISTS"),
    ]


def test_invite_rejects_draft_campaign(api, deepsy_mock):
    with pytest.raises(CampaignNotActive):
        invite_candidates(api, ACME, DRAFT_CAMPAIGN, CANDIDATES)

    assert deepsy_mock.requests(method="POST") == []
    assert deepsy_mock.emails() == []


def test_invite_retries_after_503(api, deepsy_mock, waits):
    deepsy_mock.add_fault(BULK_PATH, method="POST", status=503, times=1, retry_after=2)

    result = invite_candidates(api, ACME, ACTIVE_CAMPAIGN, CANDIDATES)
    posts = deepsy_mock.requests(method="POST", path_prefix=BULK_PATH)

    assert len(result.created) == 2
    assert waits == [2]
    assert [entry["status"] for entry in posts] == [503, 200]


def test_invite_gives_up_after_attempts(api, deepsy_mock, waits):
    deepsy_mock.add_fault(BULK_PATH, method="POST", status=503, retry_after=1)

    with pytest.raises(DeepsyError) as caught:
        invite_candidates(api, ACME, ACTIVE_CAMPAIGN, CANDIDATES)

    assert caught.value.status == 503
    assert caught.value.error_code == "SERVICE_UNAVAILABLE"
    assert waits == [1, 1]
    assert len(deepsy_mock.requests(method="POST", path_prefix=BULK_PATH)) == 3
    assert deepsy_mock.emails() == []


def test_report_counts_progress(api, deepsy_mock):
    created = invite_candidates(api, ACME, ACTIVE_CAMPAIGN, CANDIDATES).created
    deepsy_mock.progress(created[0]["invitation_id"], "completed", score=90)
    deepsy_mock.progress(created[1]["invitation_id"], "started")

    report = completion_report(api, ACME, ACTIVE_CAMPAIGN)

    assert report["statistics"]["total_invitations"] == 32
    assert report["statistics"]["completed_assessments"] == 26
    assert report["statistics"]["completion_rate"] == 81.3
    assert report["statistics"]["average_score"] == 78.9
    assert report["by_status"]["completed"] == 26
    assert report["by_status"]["started"] == 1
    assert sum(report["by_status"].values()) == 32
    assert "grace.hopper@example.com" in report["waiting"]
    assert "ada.lovelace@example.com" not in report["waiting"]


@pytest.mark.deepsy_mock(seed=7)
def test_report_same_for_any_seed(api):
    report = completion_report(api, ACME, ACTIVE_CAMPAIGN)

    assert report["statistics"]["completed_assessments"] == 25
    assert report["statistics"]["completion_rate"] == 83.3
    assert report["statistics"]["average_score"] == 78.5


def test_read_candidates_from_csv():
    candidates = read_candidates(CANDIDATES_CSV)

    assert candidates[:2] == CANDIDATES
    assert candidates[2]["email"] == "not-an-address"


def test_main_prints_failures_and_report(
    deepsy_mock, deepsy_client, monkeypatch, capsys
):
    monkeypatch.setenv("DEEPSY_API_KEY", deepsy_client.key)
    argv = [
        "--base-url",
        deepsy_mock.api_url,
        "--company",
        ACME,
        "--campaign",
        ACTIVE_CAMPAIGN,
        str(CANDIDATES_CSV),
    ]

    status = main(argv)
    output = capsys.readouterr().out

    assert status == 1
    assert "Invited 2 of 3 candidates." in output
    assert "line 4 not-an-address: VALIDATION_ERROR" in output
    assert "25 of 32 completed (78.1%)" in output


def test_main_reports_api_error(deepsy_mock, monkeypatch, capsys):
    monkeypatch.setenv("DEEPSY_API_KEY", "deepsy-dev-mock-no-permissions")
    argv = ["--base-url", deepsy_mock.api_url, "--company", ACME]
    argv += ["--campaign", ACTIVE_CAMPAIGN, str(CANDIDATES_CSV)]

    status = main(argv)

    assert status == 2
    assert "NO_PERMISSIONS_FOUND" in capsys.readouterr().err


def test_main_requires_api_key(monkeypatch, capsys):
    monkeypatch.delenv("DEEPSY_API_KEY", raising=False)
    argv = ["--base-url", "http://127.0.0.1:9/api/v1", "--company", ACME]
    argv += ["--campaign", ACTIVE_CAMPAIGN, str(CANDIDATES_CSV)]

    status = main(argv)

    assert status == 2
    assert "DEEPSY_API_KEY is missing" in capsys.readouterr().err
