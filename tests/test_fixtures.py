"""Fixture files: the bundled set, users' directories, and the errors they get."""

import json
import logging

import pytest
from conftest import ACME, GLOBEX, INITECH

from mockserver import create_app
from mockserver.store.fixtures import FixtureError, load_fixtures

UMBRELLA = "0b9d3c1e-7f64-4e2a-9d7b-51c2f0a8e6d4"


def write(directory, name, data):
    (directory / name).write_text(json.dumps(data), encoding="utf-8")


def invitation(invitation_id, email, **fields):
    return {
        "invitation_id": invitation_id,
        "campaign_id": "camp_987654321",
        "email": email,
        "status": "sent",
        "created_at": "2024-01-01T00:00:00Z",
        **fields,
    }


def campaign_counts(app):
    store = app.extensions["deepsy_mock"].store
    return {
        company: len(store.list_campaigns(company))
        for company in (ACME, GLOBEX, INITECH)
    }


def test_bundled_fixtures_load():
    fixture_set = load_fixtures()

    assert len(fixture_set.records["companies"]) == 3
    assert len(fixture_set.records["keys"]) == 8
    assert len(fixture_set.records["campaigns"]) == 4


def test_extend_adds_user_company(tmp_path):
    company = {
        "company_id": UMBRELLA,
        "name": "Umbrella Labs",
        "email": "hr@umbrella.example.com",
        "created_at": "2023-02-01T09:00:00Z",
        "subscription_active": True,
    }
    write(tmp_path, "companies.json", [company])

    app = create_app({"FIXTURES": str(tmp_path), "ACCESS_LOG": False})

    companies = app.extensions["deepsy_mock"].store.state.companies
    assert companies[UMBRELLA].name == "Umbrella Labs"
    assert ACME in companies


def test_extend_generation_keeps_bundled_companies(tmp_path):
    generation = {
        "campaigns_per_company": {ACME: 30},
        "created_between": ["2022-01-03T00:00:00Z", "2022-12-20T00:00:00Z"],
    }
    write(tmp_path, "generation.json", generation)

    app = create_app({"FIXTURES": str(tmp_path), "ACCESS_LOG": False})

    assert campaign_counts(app) == {ACME: 30, GLOBEX: 12, INITECH: 3}


def test_replace_uses_only_user_records(tmp_path):
    write(tmp_path, "companies.json", [])

    app = create_app(
        {"FIXTURES": str(tmp_path), "FIXTURES_MODE": "replace", "ACCESS_LOG": False}
    )

    state = app.extensions["deepsy_mock"].store.state
    assert state.companies == {}
    assert state.keys == {}
    assert "personality_assessment" in state.catalogue


def test_duplicate_address_in_campaign_rejected(tmp_path):
    write(
        tmp_path,
        "invitations.json",
        [
            invitation("inv_100000001", "jane@example.com"),
            invitation("inv_100000002", "JANE@example.com"),
        ],
    )

    with pytest.raises(FixtureError) as raised:
        load_fixtures(tmp_path)

    message = str(raised.value)
    assert "invitations.json: record 1 (inv_100000002): field 'email'" in message
    assert "already invites this address" in message


def test_duplicate_id_in_file_rejected(tmp_path):
    write(
        tmp_path,
        "invitations.json",
        [
            invitation("inv_100000001", "jane@example.com"),
            invitation("inv_100000001", "john@example.com"),
        ],
    )

    with pytest.raises(FixtureError) as raised:
        load_fixtures(tmp_path)

    message = str(raised.value)
    assert "record 1 (inv_100000001): field 'invitation_id'" in message
    assert "record 0 has the same id" in message


@pytest.mark.parametrize(
    ("fields", "field_name"),
    [
        ({"status": "completed", "completed_at": "2024-01-02T00:00:00Z"}, "score"),
        ({"status": "completed", "score": 80.0}, "completed_at"),
        ({"status": "opened", "score": 80.0}, "score"),
        ({"status": "started", "completed_at": "2024-01-02T00:00:00Z"}, "completed_at"),
    ],
)
def test_progress_fields_must_fit_status(tmp_path, fields, field_name):
    write(
        tmp_path, "invitations.json", [invitation("inv_100000001", "a@x.io", **fields)]
    )

    with pytest.raises(FixtureError) as raised:
        load_fixtures(tmp_path)

    assert f"field '{field_name}'" in str(raised.value)


def test_completed_invitation_with_score_loads(tmp_path):
    completed = invitation(
        "inv_100000001",
        "jane@example.com",
        status="completed",
        score=82.5,
        completed_at="2024-01-02T00:00:00Z",
    )
    write(tmp_path, "invitations.json", [completed])

    app = create_app({"FIXTURES": str(tmp_path), "ACCESS_LOG": False})

    store = app.extensions["deepsy_mock"].store
    statistics = store.get_campaign(ACME, "camp_987654321").statistics
    assert statistics.completed_assessments == 1
    assert statistics.average_score == 82.5


def test_asset_type_not_allowed_rejected(tmp_path):
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    asset = {
        "asset_id": "asset_100000001",
        "company_id": ACME,
        "name": "Tool",
        "file": "tool.exe",
        "created_at": "2023-02-01T09:00:00Z",
    }
    write(tmp_path, "assets.json", [asset])

    with pytest.raises(FixtureError) as raised:
        load_fixtures(tmp_path)

    assert "record 0 (asset_100000001): field 'content_type'" in str(raised.value)


def test_asset_file_path_made_safe(tmp_path):
    (tmp_path / "brochure 2024.pdf").write_bytes(b"%PDF-1.4")
    asset = {
        "asset_id": "asset_100000001",
        "company_id": ACME,
        "name": "Brochure",
        "file": "brochure 2024.pdf",
        "created_at": "2023-02-01T09:00:00Z",
    }
    write(tmp_path, "assets.json", [asset])

    app = create_app({"FIXTURES": str(tmp_path), "ACCESS_LOG": False})

    stored = app.extensions["deepsy_mock"].store.state.assets["asset_100000001"]
    assert stored.content_type == "application/pdf"
    assert stored.file_path == "brochure 2024.pdf"
    assert stored.size == 8


def test_unknown_file_logs_warning(tmp_path, caplog):
    write(tmp_path, "campaign.json", [])

    with caplog.at_level(logging.WARNING, logger="mockserver.store.fixtures"):
        load_fixtures(tmp_path)

    assert "campaign.json" in caplog.text
    assert "campaigns.json" in caplog.text
