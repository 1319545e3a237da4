"""Campaign endpoints: list, create, get-details, update, bulk-archive, body rules."""

import gzip
import json
import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from conftest import ACME, GLOBEX, bearer

API = f"/api/v1/campaign/{ACME}"
DOCUMENTED = "camp_123456789"
LIST_FIELDS = {
    "campaign_id",
    "name",
    "description",
    "status",
    "created_at",
    "updated_at",
    "candidates_count",
    "invitations_sent",
    "completion_rate",
}
SORTABLE = [
    "created_at",
    "updated_at",
    "name",
    "status",
    "candidates_count",
    "invitations_sent",
    "completion_rate",
]
DEFAULT_SETTINGS = {
    "allow_retakes": False,
    "time_limit": 3600,
    "send_results_email": True,
    "require_consent": True,
}
STATUSES = ["draft", "active", "paused", "completed", "archived"]
ALLOWED_TRANSITIONS = {
    ("draft", "active"),
    ("draft", "archived"),
    ("active", "paused"),
    ("active", "completed"),
    ("active", "archived"),
    ("paused", "active"),
    ("paused", "completed"),
    ("paused", "archived"),
    ("completed", "archived"),
}
FIXED_NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def store_of(app):
    return app.extensions["deepsy_mock"].store


def list_campaigns(client, auth, query=""):
    return client.get(f"{API}/list{query}", headers=auth)


def all_campaigns(client, auth, extra=""):
    response = list_campaigns(client, auth, f"?limit=100{extra}")
    assert response.status_code == 200
    return response.get_json()["items"]


def create(client, auth, **body):
    response = client.post(f"{API}/create", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def update(client, auth, campaign_id, body):
    return client.put(f"{API}/{campaign_id}/update", json=body, headers=auth)


def details(client, auth, campaign_id):
    return client.get(f"{API}/{campaign_id}/get-details", headers=auth)


def campaign_in_status(client, auth, status):
    """Create a campaign and drive it to `status` through allowed transitions."""
    campaign_id = create(client, auth, name=f"Becomes {status}")["campaign_id"]
    path = {
        "draft": [],
        "active": ["active"],
        "paused": ["active", "paused"],
        "completed": ["active", "completed"],
        "archived": ["archived"],
    }[status]
    for step in path:
        assert update(client, auth, campaign_id, {"status": step}).status_code == 200
    return campaign_id


def snapshot(app):
    state = store_of(app).state
    return (
        dict(state.campaigns),
        dict(state.invitations),
        dict(state.emails),
        {campaign: dict(index) for campaign, index in state.invitation_index.items()},
    )


# List.


def test_list_items_have_exact_fields(client, auth):
    items = all_campaigns(client, auth)

    for item in items:
        assert set(item) == LIST_FIELDS


def test_list_item_field_types(client, auth):
    item = all_campaigns(client, auth)[0]

    assert isinstance(item["candidates_count"], int)
    assert isinstance(item["invitations_sent"], int)
    assert isinstance(item["completion_rate"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["created_at"])


def test_list_defaults_first_page_newest_first(client, auth):
    response = list_campaigns(client, auth)
    body = response.get_json()
    everything = all_campaigns(client, auth)

    assert response.status_code == 200
    assert body["count"] == 25
    assert body["pages"] == 3
    assert body["items"] == everything[:10]
    assert [i["created_at"] for i in everything] == sorted(
        (i["created_at"] for i in everything), reverse=True
    )


def expected_order(items, field, descending):
    def key(item):
        value = item[field]
        return fold(value) if isinstance(value, str) else value

    ordered = sorted(items, key=lambda i: (key(i), i["campaign_id"]))
    return ordered[::-1] if descending else ordered


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("field", SORTABLE)
def test_list_sorts_by_field_ties_by_id(client, auth, field, order):
    items = all_campaigns(client, auth, f"&order_by={field}&order={order}")

    assert items == expected_order(items, field, order == "desc")
    assert len(items) == 25


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_list_status_ties_broken_by_id(client, auth, order):
    items = all_campaigns(client, auth, f"&order_by=status&order={order}")
    drafts = [i["campaign_id"] for i in items if i["status"] == "draft"]

    assert len(drafts) >= 3
    assert drafts == sorted(drafts, reverse=order == "desc")


def test_list_name_sort_ignores_case_and_accents(client, auth):
    for name in ["banana zz", "Apple zz", "Éclair zz", "cherry zz", "Dune zz"]:
        create(client, auth, name=name)

    items = all_campaigns(client, auth, "&order_by=name&order=asc&query=zz")

    assert [i["name"] for i in items] == [
        "Apple zz",
        "banana zz",
        "cherry zz",
        "Dune zz",
        "Éclair zz",
    ]


def test_list_folded_name_ties_by_id(client, auth):
    ids = [create(client, auth, name=name)["campaign_id"] for name in ["Qx", "qx"]]

    items = all_campaigns(client, auth, "&order_by=name&order=desc&query=qx")

    assert [i["campaign_id"] for i in items] == sorted(ids, reverse=True)


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("field", SORTABLE)
def test_list_paging_never_repeats_or_skips(client, auth, field, order):
    everything = all_campaigns(client, auth, f"&order_by={field}&order={order}")
    seen = []
    for page in range(1, 5):
        body = list_campaigns(
            client, auth, f"?limit=7&page={page}&order_by={field}&order={order}"
        ).get_json()
        seen += [item["campaign_id"] for item in body["items"]]

    assert seen == [item["campaign_id"] for item in everything]
    assert len(set(seen)) == 25


def test_list_page_past_end_is_empty(client, auth):
    response = list_campaigns(client, auth, "?page=4")

    assert response.status_code == 200
    assert response.get_json() == {"items": [], "count": 25, "pages": 3}


def test_list_last_page_is_partial(client, auth):
    body = list_campaigns(client, auth, "?page=3").get_json()

    assert len(body["items"]) == 5


@pytest.mark.parametrize(
    ("limit", "pages"), [(1, 25), (5, 5), (7, 4), (24, 2), (25, 1), (100, 1)]
)
def test_list_pages_is_count_over_limit(client, auth, limit, pages):
    body = list_campaigns(client, auth, f"?limit={limit}").get_json()

    assert body["count"] == 25
    assert body["pages"] == pages
    assert len(body["items"]) == min(limit, 25)


def test_list_no_match_has_zero_pages(client, auth):
    response = list_campaigns(client, auth, "?query=no-campaign-has-this-text")

    assert response.get_json() == {"items": [], "count": 0, "pages": 0}


@pytest.mark.parametrize(
    "query", ["zephyr", "ZEPHYR", "Zéphyr", "ZÉPHYR", "  zephyr  ", "aluation zé"]
)
def test_list_search_ignores_case_and_accents(client, auth, query):
    created = create(client, auth, name="Évaluation Zéphyr")

    body = list_campaigns(client, auth, "?" + f"query={query}").get_json()

    assert body["count"] == 1
    assert body["items"][0]["campaign_id"] == created["campaign_id"]


def test_list_search_matches_description(client, auth):
    created = create(client, auth, name="Plain", description="About Ørsted wind")

    body = list_campaigns(client, auth, "?query=orsted").get_json()

    assert [i["campaign_id"] for i in body["items"]] == [created["campaign_id"]]


def test_list_search_counts_every_match(client, auth):
    everything = all_campaigns(client, auth)
    matching = [
        i["campaign_id"]
        for i in everything
        if "assessment" in fold(i["name"]) or "assessment" in fold(i["description"])
    ]

    body = list_campaigns(client, auth, "?query=Assessment&limit=100").get_json()

    assert body["count"] == len(matching)
    assert [i["campaign_id"] for i in body["items"]] == matching


def test_list_search_ignores_other_fields(client, auth):
    body = list_campaigns(client, auth, f"?query={DOCUMENTED}").get_json()

    assert body["count"] == 0


@pytest.mark.parametrize("query", ["", "%20%20%20"])
def test_list_blank_search_is_no_filter(client, auth, query):
    body = list_campaigns(client, auth, f"?query={query}").get_json()

    assert body["count"] == 25


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page=%201", "page"),
        ("page=%EF%BC%91", "page"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("limit=" + "9" * 5000, "limit"),
        ("page=" + "9" * 5000, "page"),
        ("page=9223372036854775808", "page"),
        ("order=ASC", "order"),
        ("order=Desc", "order"),
        ("order=ascending", "order"),
        ("order=", "order"),
        ("order_by=CREATED_AT", "order_by"),
        ("order_by=campaign_id", "order_by"),
        ("order_by=description", "order_by"),
        ("order_by=settings", "order_by"),
        ("order_by=", "order_by"),
        ("page=1&page=2", "page"),
        ("limit=10&limit=10", "limit"),
        ("sort=name", "sort"),
        ("Page=1", "Page"),
        ("offset=10", "offset"),
    ],
)
def test_list_invalid_query_is_422(client, auth, query, field):
    response = list_campaigns(client, auth, f"?{query}")
    body = response.get_json()

    assert response.status_code == 422
    assert body["error_code"] == "VALIDATION_ERROR"
    assert list(body["details"]) == [field]
    assert body["details"][field]


def test_list_reports_every_invalid_parameter(client, auth):
    response = list_campaigns(client, auth, "?page=0&limit=0&order=ASC&foo=1")

    assert set(response.get_json()["details"]) == {"page", "limit", "order", "foo"}


def test_list_reports_repeated_with_invalid(client, auth):
    response = list_campaigns(client, auth, "?limit=1&limit=2&order=ASC&foo=1")
    details = response.get_json()["details"]

    assert response.status_code == 422
    assert set(details) == {"limit", "order", "foo"}
    assert details["limit"] == ["Given 2 times; give it at most once."]


def test_list_repeated_and_invalid_value(client, auth):
    response = list_campaigns(client, auth, "?limit=0&limit=5")

    assert response.get_json()["details"] == {
        "limit": ["Given 2 times; give it at most once.", "Must be 1 to 100."]
    }


def test_list_largest_page_is_past_end(client, auth):
    response = list_campaigns(client, auth, "?page=9223372036854775807")

    assert response.status_code == 200
    assert response.get_json() == {"items": [], "count": 25, "pages": 3}


def test_list_leading_zero_page_accepted(client, auth):
    response = list_campaigns(client, auth, "?page=02&limit=10")

    assert (
        response.get_json()["items"]
        == list_campaigns(client, auth, "?page=2").get_json()["items"]
    )


def test_list_shows_only_own_company(client):
    founder = bearer("deepsy-dev-mock-founder")
    acme = client.get(f"/api/v1/campaign/{ACME}/list?limit=100", headers=founder)
    globex = client.get(f"/api/v1/campaign/{GLOBEX}/list?limit=100", headers=founder)
    acme_ids = {i["campaign_id"] for i in acme.get_json()["items"]}
    globex_ids = {i["campaign_id"] for i in globex.get_json()["items"]}

    assert len(acme_ids) == 25
    assert len(globex_ids) == 12
    assert not acme_ids & globex_ids


# Create.


def test_create_defaults(client, auth):
    created = create(client, auth, name="Defaults")

    assert re.fullmatch(r"camp_\d{9}", created["campaign_id"])
    assert created["description"] == ""
    assert created["status"] == "draft"
    assert created["settings"] == DEFAULT_SETTINGS
    assert created["tests"] == []
    assert created["statistics"] == {
        "total_invitations": 0,
        "completed_assessments": 0,
        "completion_rate": 0.0,
        "average_score": None,
    }
    assert created["created_at"] == created["updated_at"]


def test_create_returns_full_resource(client, auth):
    created = create(client, auth, name="Full")

    assert list(created) == [
        "campaign_id",
        "name",
        "description",
        "status",
        "created_at",
        "updated_at",
        "settings",
        "statistics",
        "tests",
    ]


def test_create_stamps_current_time(app, client, auth):
    store_of(app).clock = lambda: FIXED_NOW

    created = create(client, auth, name="Timed")

    assert created["created_at"] == "2030-05-06T07:08:09Z"
    assert created["updated_at"] == "2030-05-06T07:08:09Z"


def test_create_then_listed_and_detailed(client, auth):
    created = create(client, auth, name="Findable")

    listed = all_campaigns(client, auth)
    fetched = details(client, auth, created["campaign_id"]).get_json()

    assert listed[0]["campaign_id"] == created["campaign_id"]
    assert len(listed) == 26
    assert fetched == created


def test_create_ids_are_distinct(client, auth):
    ids = {create(client, auth, name=f"N{n}")["campaign_id"] for n in range(20)}

    assert len(ids) == 20


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("  Padded  ", "Padded"),
        ("\tTabbed\n", "Tabbed"),
        ("Inner  spaces", "Inner  spaces"),
        ("x" * 200, "x" * 200),
        ("  " + "y" * 200 + "  ", "y" * 200),
        ("é" * 200, "é" * 200),
    ],
    ids=["spaces", "tab-newline", "inner", "200", "200-padded", "200-accented"],
)
def test_create_name_trimmed_and_kept(client, auth, name, stored):
    assert create(client, auth, name=name)["name"] == stored


def test_create_description_at_limit(client, auth):
    created = create(client, auth, name="Long", description="d" * 2000)

    assert created["description"] == "d" * 2000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": None}, "name"),
        ({"name": 5}, "name"),
        ({"name": ["x"]}, "name"),
        ({"name": "x", "description": "d" * 2001}, "description"),
        ({"name": "x", "description": None}, "description"),
        ({"name": "x", "description": 5}, "description"),
        ({"name": "x", "status": "active"}, "status"),
        ({"name": "x", "campaign_id": "camp_000000001"}, "campaign_id"),
        ({"name": "x", "Name": "y"}, "Name"),
        ({"name": "x", "settings": None}, "settings"),
        ({"name": "x", "settings": []}, "settings"),
        ({"name": "x", "settings": {"time_limit": "60"}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": True}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": 60.5}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": 60.0}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": 0}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": -1}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": 86401}}, "settings.time_limit"),
        ({"name": "x", "settings": {"time_limit": None}}, "settings.time_limit"),
        ({"name": "x", "settings": {"allow_retakes": 1}}, "settings.allow_retakes"),
        (
            {"name": "x", "settings": {"allow_retakes": "true"}},
            "settings.allow_retakes",
        ),
        (
            {"name": "x", "settings": {"send_results_email": None}},
            "settings.send_results_email",
        ),
        (
            {"name": "x", "settings": {"require_consent": 0}},
            "settings.require_consent",
        ),
        ({"name": "x", "settings": {"timelimit": 60}}, "settings.timelimit"),
        ({"name": "x", "tests": "personality_assessment"}, "tests"),
        ({"name": "x", "tests": None}, "tests"),
        ({"name": "x", "tests": [5]}, "tests.0"),
        ({"name": "x", "tests": ["no_such_test"]}, "tests.0"),
        ({"name": "x", "tests": ["cognitive_ability", "Cognitive_Ability"]}, "tests.1"),
        (
            {"name": "x", "tests": ["cognitive_ability", "cognitive_ability"]},
            "tests.1",
        ),
    ],
)
def test_create_invalid_body_is_422(app, client, auth, body, field):
    before = snapshot(app)

    response = client.post(f"{API}/create", json=body, headers=auth)
    payload = response.get_json()

    assert response.status_code == 422
    assert payload["error_code"] == "VALIDATION_ERROR"
    assert field in payload["details"]
    assert all(isinstance(m, str) for m in payload["details"][field])
    assert snapshot(app) == before


def test_create_error_names_allowed_fields(client, auth):
    response = client.post(f"{API}/create", json={"nme": "x"}, headers=auth)

    assert "name" in response.get_json()["details"]["nme"][0]


def test_create_reports_all_errors_together(client, auth):
    response = client.post(
        f"{API}/create", json={"name": "", "tests": ["no_such_test"]}, headers=auth
    )

    assert set(response.get_json()["details"]) == {"name", "tests.0"}


@pytest.mark.parametrize("time_limit", [1, 86400])
def test_create_time_limit_bounds_accepted(client, auth, time_limit):
    created = create(client, auth, name="Bounds", settings={"time_limit": time_limit})

    assert created["settings"]["time_limit"] == time_limit


def test_create_partial_settings_keep_defaults(client, auth):
    created = create(
        client, auth, name="Partial", settings={"allow_retakes": True, "time_limit": 60}
    )

    assert created["settings"] == {
        **DEFAULT_SETTINGS,
        "allow_retakes": True,
        "time_limit": 60,
    }


def test_create_tests_resolved_from_catalogue(client, auth):
    created = create(
        client,
        auth,
        name="Tests",
        tests=["leadership_potential", "personality_assessment", "cognitive_ability"],
    )

    assert created["tests"] == [
        {
            "test_id": "leadership_potential",
            "name": "Leadership Potential",
            "duration": 1500,
        },
        {
            "test_id": "personality_assessment",
            "name": "Personality Assessment",
            "duration": 1200,
        },
        {"test_id": "cognitive_ability", "name": "Cognitive Ability", "duration": 1800},
    ]


def test_create_unknown_test_lists_known_ids(client, auth):
    response = client.post(
        f"{API}/create", json={"name": "x", "tests": ["iq"]}, headers=auth
    )

    assert "personality_assessment" in response.get_json()["details"]["tests.0"][0]


def test_create_with_unknown_query_is_422(app, client, auth):
    before = snapshot(app)

    response = client.post(f"{API}/create?dry_run=1", json={"name": "x"}, headers=auth)

    assert response.status_code == 422
    assert "dry_run" in response.get_json()["details"]
    assert snapshot(app) == before


# Get-details.


def test_details_of_documented_campaign(client, auth):
    response = details(client, auth, DOCUMENTED)

    assert response.status_code == 200
    assert response.get_json() == {
        "campaign_id": "camp_123456789",
        "name": "Q1 2024 Recruitment Campaign",
        "description": "Psychological assessment for new hires",
        "status": "active",
        "created_at": "2023-01-01T00:00:00Z",
        "updated_at": "2023-01-15T10:30:00Z",
        "settings": DEFAULT_SETTINGS,
        "statistics": {
            "total_invitations": 30,
            "completed_assessments": 25,
            "completion_rate": 83.3,
            "average_score": 78.5,
        },
        "tests": [
            {
                "test_id": "personality_assessment",
                "name": "Personality Assessment",
                "duration": 1200,
            }
        ],
    }


def test_details_statistics_follow_invitations(app, client, auth):
    campaign_id = campaign_in_status(client, auth, "active")
    invitations = f"{API}/{campaign_id}/invitations"
    ids = [
        client.post(
            f"{invitations}/create", json={"email": f"c{n}@example.com"}, headers=auth
        ).get_json()["invitation_id"]
        for n in range(3)
    ]
    store = store_of(app)
    store.progress_invitation(ids[0], "completed", 90.0)
    store.progress_invitation(ids[1], "completed", 75.5)
    store.progress_invitation(ids[2], "started")

    statistics = details(client, auth, campaign_id).get_json()["statistics"]
    listed = next(
        i for i in all_campaigns(client, auth) if i["campaign_id"] == campaign_id
    )

    assert statistics == {
        "total_invitations": 3,
        "completed_assessments": 2,
        "completion_rate": 66.7,
        "average_score": 82.8,
    }
    assert listed["invitations_sent"] == 3
    assert listed["candidates_count"] == 3
    assert listed["completion_rate"] == 66.7


def test_details_completion_rate_rounds_half_up(app, client, auth):
    campaign_id = campaign_in_status(client, auth, "active")
    items = [{"email": f"r{n}@example.com"} for n in range(80)]
    created = client.post(
        f"{API}/{campaign_id}/invitations/bulk-invitations",
        json={"invitations": items},
        headers=auth,
    ).get_json()["created"]
    for invitation in created[:23]:
        store_of(app).progress_invitation(
            invitation["invitation_id"], "completed", 50.0
        )

    statistics = details(client, auth, campaign_id).get_json()["statistics"]

    assert statistics["completion_rate"] == 28.8


def test_details_average_score_rounds_half_up(app, client, auth):
    campaign_id = campaign_in_status(client, auth, "active")
    created = client.post(
        f"{API}/{campaign_id}/invitations/bulk-invitations",
        json={"invitations": [{"email": "a@example.com"}, {"email": "b@example.com"}]},
        headers=auth,
    ).get_json()["created"]
    for invitation, score in zip(created, [0.7, 23.4], strict=True):
        store_of(app).progress_invitation(
            invitation["invitation_id"], "completed", score
        )

    statistics = details(client, auth, campaign_id).get_json()["statistics"]

    assert statistics["average_score"] == 12.1


def test_details_statistics_after_delete(client, auth):
    invitations = f"{API}/{DOCUMENTED}/invitations"
    items = client.get(f"{invitations}/list?limit=100", headers=auth).get_json()
    completed = [
        i["invitation_id"] for i in items["items"] if i["status"] == "completed"
    ]
    client.post(
        f"{invitations}/bulk-delete", json={"invitation_ids": completed}, headers=auth
    )

    statistics = details(client, auth, DOCUMENTED).get_json()["statistics"]

    assert statistics == {
        "total_invitations": 5,
        "completed_assessments": 0,
        "completion_rate": 0.0,
        "average_score": None,
    }


@pytest.mark.parametrize("campaign_id", ["camp_000000000", "nope", "CAMP_123456789"])
def test_details_unknown_campaign_is_404(client, auth, campaign_id):
    response = details(client, auth, campaign_id)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_details_takes_no_query(client, auth):
    response = client.get(f"{API}/{DOCUMENTED}/get-details?verbose=1", headers=auth)

    assert response.status_code == 422
    assert "verbose" in response.get_json()["details"]


# Update.


def test_update_name_only(client, auth):
    before = details(client, auth, DOCUMENTED).get_json()

    response = update(client, auth, DOCUMENTED, {"name": "  Renamed  "})
    after = response.get_json()

    assert response.status_code == 200
    assert after["name"] == "Renamed"
    assert {**after, "name": before["name"], "updated_at": before["updated_at"]} == (
        before
    )


def test_update_returns_what_details_show(client, auth):
    updated = update(client, auth, DOCUMENTED, {"description": "New"}).get_json()

    assert details(client, auth, DOCUMENTED).get_json() == updated


def test_update_settings_merged(client, auth):
    response = update(client, auth, DOCUMENTED, {"settings": {"time_limit": 4800}})

    assert response.get_json()["settings"] == {**DEFAULT_SETTINGS, "time_limit": 4800}


def test_update_settings_merge_twice(client, auth):
    update(client, auth, DOCUMENTED, {"settings": {"allow_retakes": True}})

    response = update(
        client, auth, DOCUMENTED, {"settings": {"require_consent": False}}
    )

    assert response.get_json()["settings"] == {
        **DEFAULT_SETTINGS,
        "allow_retakes": True,
        "require_consent": False,
    }


def test_update_tests_replace_list(client, auth):
    response = update(
        client,
        auth,
        DOCUMENTED,
        {"tests": ["cognitive_ability", "leadership_potential"]},
    )

    assert [t["test_id"] for t in response.get_json()["tests"]] == [
        "cognitive_ability",
        "leadership_potential",
    ]


def test_update_tests_emptied(client, auth):
    response = update(client, auth, DOCUMENTED, {"tests": []})

    assert response.get_json()["tests"] == []


def test_update_stamps_updated_at(app, client, auth):
    store_of(app).clock = lambda: FIXED_NOW

    response = update(client, auth, DOCUMENTED, {"settings": {}})

    assert response.get_json()["updated_at"] == "2030-05-06T07:08:09Z"
    assert response.get_json()["created_at"] == "2023-01-01T00:00:00Z"


def test_update_moves_campaign_first(app, client, auth):
    store_of(app).clock = lambda: FIXED_NOW
    update(client, auth, "camp_555666777", {"name": "Touched"})

    first = all_campaigns(client, auth, "&order_by=updated_at")[0]

    assert first["campaign_id"] == "camp_555666777"
    assert first["updated_at"] == "2030-05-06T07:08:09Z"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": None}, "name"),
        ({"description": "d" * 2001}, "description"),
        ({"status": "ACTIVE"}, "status"),
        ({"status": "deleted"}, "status"),
        ({"status": None}, "status"),
        ({"settings": {"time_limit": 0}}, "settings.time_limit"),
        ({"settings": {"time_limit": "60"}}, "settings.time_limit"),
        ({"settings": {"allow_retakes": "yes"}}, "settings.allow_retakes"),
        ({"settings": {"colour": "red"}}, "settings.colour"),
        ({"settings": None}, "settings"),
        ({"tests": ["nope"]}, "tests.0"),
        ({"tests": ["cognitive_ability", "cognitive_ability"]}, "tests.1"),
        ({"tests": None}, "tests"),
        ({"campaign_id": "camp_000000001"}, "campaign_id"),
        ({"statistics": {}}, "statistics"),
        ({"name": "ok", "created_at": "2023-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_update_invalid_body_is_422(app, client, auth, body, field):
    before = snapshot(app)

    response = update(client, auth, DOCUMENTED, body)
    payload = response.get_json()

    assert response.status_code == 422
    assert payload["error_code"] == "VALIDATION_ERROR"
    assert field in payload["details"]
    assert snapshot(app) == before


def test_update_unknown_campaign_is_404(client, auth):
    response = update(client, auth, "camp_000000000", {"name": "x"})

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


@pytest.mark.parametrize("target", STATUSES)
@pytest.mark.parametrize("source", STATUSES)
def test_update_status_transition_table(app, client, auth, source, target):
    campaign_id = campaign_in_status(client, auth, source)
    before = snapshot(app)

    response = update(client, auth, campaign_id, {"status": target})
    body = response.get_json()

    if source == "archived":
        assert response.status_code == 409
        assert body["error_code"] == "CAMPAIGN_ARCHIVED"
        assert snapshot(app) == before
    elif source == target or (source, target) in ALLOWED_TRANSITIONS:
        assert response.status_code == 200
        assert body["status"] == target
    else:
        assert response.status_code == 409
        assert body["error_code"] == "INVALID_STATUS_TRANSITION"
        assert source in body["error"]
        assert snapshot(app) == before


@pytest.mark.parametrize(
    "body",
    [{"name": "Again"}, {"description": ""}, {"settings": {}}, {"tests": []}],
)
def test_update_archived_campaign_is_409(app, client, auth, body):
    campaign_id = campaign_in_status(client, auth, "archived")
    before = snapshot(app)

    response = update(client, auth, campaign_id, body)

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "CAMPAIGN_ARCHIVED"
    assert snapshot(app) == before


def test_update_bad_transition_changes_nothing_else(client, auth):
    campaign_id = campaign_in_status(client, auth, "completed")

    update(client, auth, campaign_id, {"status": "active", "name": "Changed"})

    assert details(client, auth, campaign_id).get_json()["name"] == "Becomes completed"


# Bulk archive.


def bulk_archive(client, auth, campaign_ids):
    return client.post(
        f"{API}/bulk-archive", json={"campaign_ids": campaign_ids}, headers=auth
    )


def test_bulk_archive_keeps_request_order(client, auth):
    response = bulk_archive(client, auth, ["camp_555666777", DOCUMENTED])

    assert response.status_code == 200
    assert response.get_json() == {
        "archived": ["camp_555666777", DOCUMENTED],
        "not_found": [],
    }
    assert details(client, auth, DOCUMENTED).get_json()["status"] == "archived"
    assert details(client, auth, "camp_555666777").get_json()["status"] == "archived"


def test_bulk_archive_ignores_duplicates(client, auth):
    response = bulk_archive(
        client, auth, [DOCUMENTED, "camp_000000000", DOCUMENTED, "camp_000000000"]
    )

    assert response.get_json() == {
        "archived": [DOCUMENTED],
        "not_found": ["camp_000000000"],
    }


def test_bulk_archive_other_company_not_found(client, auth):
    founder = bearer("deepsy-dev-mock-founder")
    globex_id = client.get(
        f"/api/v1/campaign/{GLOBEX}/list", headers=founder
    ).get_json()["items"][0]["campaign_id"]

    response = bulk_archive(client, auth, [globex_id, DOCUMENTED])

    assert response.get_json() == {"archived": [DOCUMENTED], "not_found": [globex_id]}


def test_bulk_archive_leaves_other_company_untouched(app, client, auth):
    store = store_of(app)
    globex_ids = [c.campaign_id for c in store.list_campaigns(GLOBEX)]
    before = {cid: store.state.campaigns[cid] for cid in globex_ids}

    bulk_archive(client, auth, globex_ids)

    assert {cid: store.state.campaigns[cid] for cid in globex_ids} == before


def test_bulk_archive_already_archived_counts(app, client, auth):
    campaign_id = campaign_in_status(client, auth, "archived")
    archived_at = details(client, auth, campaign_id).get_json()["updated_at"]
    store_of(app).clock = lambda: FIXED_NOW

    response = bulk_archive(client, auth, [campaign_id, DOCUMENTED])

    assert response.get_json()["archived"] == [campaign_id, DOCUMENTED]
    assert details(client, auth, campaign_id).get_json()["updated_at"] == archived_at
    assert (
        details(client, auth, DOCUMENTED).get_json()["updated_at"]
        == "2030-05-06T07:08:09Z"
    )


@pytest.mark.parametrize("status", ["draft", "active", "paused", "completed"])
def test_bulk_archive_from_every_status(client, auth, status):
    campaign_id = campaign_in_status(client, auth, status)

    response = bulk_archive(client, auth, [campaign_id])

    assert response.get_json()["archived"] == [campaign_id]
    assert details(client, auth, campaign_id).get_json()["status"] == "archived"


def test_bulk_archive_hundred_ids_accepted(client, auth):
    ids = [DOCUMENTED] + [f"camp_{n:09d}" for n in range(99)]

    response = bulk_archive(client, auth, ids)

    assert response.status_code == 200
    assert response.get_json()["archived"] == [DOCUMENTED]
    assert len(response.get_json()["not_found"]) == 99


@pytest.mark.parametrize(
    "body",
    [
        {"campaign_ids": []},
        {"campaign_ids": [f"camp_{n:09d}" for n in range(101)]},
        {"campaign_ids": DOCUMENTED},
        {"campaign_ids": [5]},
        {"campaign_ids": [None]},
        {"campaign_ids": None},
        {},
        {"campaign_ids": [DOCUMENTED], "force": True},
        {"ids": [DOCUMENTED]},
    ],
    ids=[
        "empty",
        "101",
        "string",
        "number-item",
        "null-item",
        "null",
        "missing",
        "unknown-field",
        "wrong-name",
    ],
)
def test_bulk_archive_invalid_body_is_422(app, client, auth, body):
    before = snapshot(app)

    response = client.post(f"{API}/bulk-archive", json=body, headers=auth)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"
    assert snapshot(app) == before


# Body rules, shared by every endpoint that reads a JSON body.

INVITATIONS = f"{API}/{DOCUMENTED}/invitations"
JSON_ENDPOINTS = [
    ("POST", f"{API}/create", {"name": "Body rules"}),
    ("PUT", f"{API}/{DOCUMENTED}/update", {"name": "Body rules"}),
    ("POST", f"{API}/bulk-archive", {"campaign_ids": [DOCUMENTED]}),
    ("POST", f"{INVITATIONS}/create", {"email": "body.rules@example.com"}),
    (
        "POST",
        f"{INVITATIONS}/bulk-invitations",
        {"invitations": [{"email": "body.rules@example.com"}]},
    ),
    ("POST", f"{INVITATIONS}/bulk-delete", {"invitation_ids": ["inv_000000001"]}),
]


def endpoint_id(endpoint):
    return endpoint[1].rsplit("/", 1)[-1]


def send(client, auth, endpoint, **kwargs):
    method, path, _ = endpoint
    kwargs.setdefault("headers", auth)
    return client.open(path, method=method, **kwargs)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/json",
        "application/+json",
    ],
)
@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS, ids=endpoint_id)
def test_body_not_json_type_is_415(app, client, auth, endpoint, content_type):
    before = snapshot(app)

    response = send(
        client, auth, endpoint, data=json.dumps(endpoint[2]), content_type=content_type
    )

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "APPLICATION/JSON", "application/merge+json"],
)
def test_body_json_type_variants_accepted(client, auth, content_type):
    response = client.post(
        f"{API}/create",
        data='{"name": "Typed"}',
        content_type=content_type,
        headers=auth,
    )

    assert response.status_code == 201


@pytest.mark.parametrize("coding", ["gzip", "br", "GZIP", "gzip, identity"])
@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS, ids=endpoint_id)
def test_body_content_coding_is_415(app, client, auth, endpoint, coding):
    before = snapshot(app)

    response = send(
        client,
        auth,
        endpoint,
        data=gzip.compress(json.dumps(endpoint[2]).encode()),
        content_type="application/json",
        headers={**auth, "Content-Encoding": coding},
    )

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert response.headers["Accept-Encoding"] == "identity"
    assert snapshot(app) == before


def test_body_identity_coding_accepted(client, auth):
    response = client.post(
        f"{API}/create",
        json={"name": "Plain"},
        headers={**auth, "Content-Encoding": "identity"},
    )

    assert response.status_code == 201


def test_body_without_content_type_read_as_json(client, auth):
    response = client.post(f"{API}/create", data='{"name": "Untyped"}', headers=auth)

    assert response.status_code == 201
    assert response.get_json()["name"] == "Untyped"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": NaN}',
        b'{"name": "x", "settings": {"time_limit": Infinity}}',
        b'{"name": "x", "settings": {"time_limit": -Infinity}}',
        b'{"name": "x"} trailing',
        b'{"name": "x"}{"name": "y"}',
        b'{"name": "x",}',
        b"{'name': 'x'}",
        b'{"name": "x"',
        b'{"name": "\xff\xfe"}',
        b"\xef\xbb\xbf{}",
        b'{"name": "x\x00"}',
        b"[" * 100_000,
        b'{"name": undefined}',
        b"name=x",
        b'{"name": "\\ud800"}',
        b'{"name": "\\udc00x"}',
    ],
    ids=[
        "nan",
        "infinity",
        "minus-infinity",
        "trailing-garbage",
        "two-documents",
        "trailing-comma",
        "single-quotes",
        "truncated",
        "invalid-utf8",
        "byte-order-mark",
        "raw-control-character",
        "deep-nesting",
        "undefined",
        "form-encoded",
        "lone-high-surrogate",
        "lone-low-surrogate",
    ],
)
@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS, ids=endpoint_id)
def test_body_unparsable_is_400(app, client, auth, endpoint, raw):
    before = snapshot(app)

    response = send(client, auth, endpoint, data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"
    assert set(response.get_json()) == {"error", "error_code"}
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(None, None), (b"", "application/json"), (b"  \n ", "application/json")],
    ids=["no-body", "empty-json", "whitespace"],
)
@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS, ids=endpoint_id)
def test_body_missing_is_400(app, client, auth, endpoint, data, content_type):
    before = snapshot(app)

    response = send(client, auth, endpoint, data=data, content_type=content_type)

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"
    assert snapshot(app) == before


@pytest.mark.parametrize(
    "raw", [b"[]", b'[{"name": "x"}]', b"null", b'"text"', b"5", b"true"]
)
@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS, ids=endpoint_id)
def test_body_not_object_is_422(app, client, auth, endpoint, raw):
    before = snapshot(app)

    response = send(client, auth, endpoint, data=raw, content_type="application/json")
    body = response.get_json()

    assert response.status_code == 422
    assert body["error_code"] == "VALIDATION_ERROR"
    assert body["details"] == {"body": ["Must be a JSON object."]}
    assert snapshot(app) == before


@pytest.mark.parametrize("endpoint", JSON_ENDPOINTS, ids=endpoint_id)
def test_body_over_limit_is_413(app, client, auth, endpoint):
    before = snapshot(app)
    raw = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'

    response = send(client, auth, endpoint, data=raw, content_type="application/json")

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"
    assert snapshot(app) == before


def test_body_over_file_limit_is_413(client, auth):
    raw = b'{"name": "' + b"x" * (11 * 1024 * 1024) + b'"}'

    response = client.post(
        f"{API}/create", data=raw, content_type="application/json", headers=auth
    )

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"


def test_body_limit_is_configurable():
    from mockserver import create_app

    app = create_app({"ACCESS_LOG": False, "MAX_JSON_BYTES": 64})
    client = app.test_client()
    small = b'{"name": "' + b"x" * 40 + b'"}'
    large = b'{"name": "' + b"x" * 60 + b'"}'

    accepted = client.post(
        f"{API}/create", data=small, content_type="application/json", headers=bearer()
    )
    rejected = client.post(
        f"{API}/create", data=large, content_type="application/json", headers=bearer()
    )

    assert accepted.status_code == 201
    assert rejected.status_code == 413


def test_body_at_limit_reaches_validation(client, auth):
    padding = 1024 * 1024 - len(b'{"name": "x", "description": ""}')
    raw = b'{"name": "x", "description": "' + b"d" * padding + b'"}'

    response = client.post(
        f"{API}/create", data=raw, content_type="application/json", headers=auth
    )

    assert len(raw) == 1024 * 1024
    assert response.status_code == 422
    assert "description" in response.get_json()["details"]


@pytest.mark.parametrize("sign", ["", "-"])
def test_body_integer_of_many_digits_is_422(app, client, auth, sign):
    before = snapshot(app)
    number = sign + "1" + "0" * 5000
    raw = '{"name": "x", "settings": {"time_limit": ' + number + "}}"

    response = client.post(
        f"{API}/create", data=raw, content_type="application/json", headers=auth
    )

    assert response.status_code == 422
    assert response.get_json()["details"] == {
        "settings.time_limit": ["Must be 1 to 86400 seconds."]
    }
    assert snapshot(app) == before


def test_body_duplicate_keys_last_wins(client, auth):
    response = client.post(
        f"{API}/create",
        data='{"name": "First", "name": "Second"}',
        content_type="application/json",
        headers=auth,
    )

    assert response.get_json()["name"] == "Second"


def test_body_unicode_escapes_decoded(client, auth):
    response = client.post(
        f"{API}/create",
        data='{"name": "\\u00c9valuation \\ud83d\\ude00"}',
        content_type="application/json",
        headers=auth,
    )

    assert response.get_json()["name"] == "Évaluation \U0001f600"


# Endpoints that take no body: GET requests.

GET_ENDPOINTS = [
    f"{API}/list",
    f"{API}/{DOCUMENTED}/get-details",
    f"{INVITATIONS}/list",
]
GET_IDS = ["campaign-list", "campaign-details", "invitation-list"]


@pytest.mark.parametrize("path", GET_ENDPOINTS, ids=GET_IDS)
def test_get_with_text_body_is_415(client, auth, path):
    response = client.get(path, data="page=2", content_type="text/plain", headers=auth)

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("path", GET_ENDPOINTS, ids=GET_IDS)
def test_get_with_json_field_is_422(client, auth, path):
    response = client.get(path, json={"page": 2}, headers=auth)
    body = response.get_json()

    assert response.status_code == 422
    assert body["error_code"] == "VALIDATION_ERROR"
    assert body["details"] == {
        "page": [
            "This endpoint takes no body; send its parameters in the query string."
        ]
    }


@pytest.mark.parametrize("path", GET_ENDPOINTS, ids=GET_IDS)
def test_get_with_unparsable_body_is_400(client, auth, path):
    response = client.get(path, data="{", content_type="application/json", headers=auth)

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_JSON"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("{}", "application/json"), (None, "text/plain"), ("", "text/plain")],
    ids=["empty-object", "type-without-body", "empty-text"],
)
@pytest.mark.parametrize("path", GET_ENDPOINTS, ids=GET_IDS)
def test_get_without_content_accepted(client, auth, path, data, content_type):
    response = client.get(path, data=data, content_type=content_type, headers=auth)

    assert response.status_code == 200


def test_get_body_checked_after_resource(client, auth):
    response = client.get(
        f"{API}/camp_000000000/get-details",
        data="x",
        content_type="text/plain",
        headers=auth,
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_get_body_checked_before_query(client, auth):
    response = client.get(
        f"{API}/list?bogus=1", data="x", content_type="text/plain", headers=auth
    )

    assert response.status_code == 415


def test_snapshot_helper_sees_changes(app, client, auth):
    before = snapshot(app)

    create(client, auth, name="Visible")

    assert snapshot(app) != before


def test_store_records_are_replaced_not_mutated(app, client, auth):
    store = store_of(app)
    original = store.state.campaigns[DOCUMENTED]

    update(client, auth, DOCUMENTED, {"name": "Replaced"})

    assert original.name == "Q1 2024 Recruitment Campaign"
    assert store.state.campaigns[DOCUMENTED] == replace(
        original,
        name="Replaced",
        updated_at=store.state.campaigns[DOCUMENTED].updated_at,
    )
