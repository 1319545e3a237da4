"""Invitation endpoints: list, create, bulk create, send email, delete, bulk delete."""

import re
import unicodedata

import pytest
from conftest import ACME, GLOBEX, bearer

API = f"/api/v1/campaign/{ACME}"
DOCUMENTED = "camp_123456789"
LEADERSHIP = "camp_111222333"
RESOURCE_FIELDS = [
    "invitation_id",
    "campaign_id",
    "email",
    "first_name",
    "last_name",
    "message",
    "status",
    "created_at",
    "updated_at",
    "sent_at",
    "emails_sent",
    "completed_at",
    "score",
]
SORTABLE = [
    "created_at",
    "updated_at",
    "email",
    "first_name",
    "last_name",
    "status",
    "sent_at",
    "completed_at",
    "score",
]
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def store_of(app):
    return app.extensions["deepsy_mock"].store


def invitations_url(campaign_id=DOCUMENTED):
    return f"{API}/{campaign_id}/invitations"


def campaign_in_status(app, status):
    """Create an Acme campaign in `status` through the store."""
    store = store_of(app)
    campaign_id = store.create_campaign(ACME, name=f"Invitations {status}").campaign_id
    path = {
        "draft": [],
        "active": ["active"],
        "paused": ["active", "paused"],
        "completed": ["active", "completed"],
        "archived": ["archived"],
    }[status]
    for step in path:
        store.update_campaign(ACME, campaign_id, {"status": step})
    return campaign_id


def create(client, auth, body, campaign_id=DOCUMENTED):
    return client.post(
        f"{invitations_url(campaign_id)}/create", json=body, headers=auth
    )


def bulk(client, auth, body, campaign_id=DOCUMENTED):
    return client.post(
        f"{invitations_url(campaign_id)}/bulk-invitations", json=body, headers=auth
    )


def list_all(client, auth, campaign_id=DOCUMENTED, query=""):
    response = client.get(
        f"{invitations_url(campaign_id)}/list?limit=100{query}", headers=auth
    )
    assert response.status_code == 200
    return response.get_json()["items"]


def send_email(client, auth, invitation_id, campaign_id=DOCUMENTED, **kwargs):
    return client.post(
        f"{invitations_url(campaign_id)}/{invitation_id}/send-email-invitation",
        headers=auth,
        **kwargs,
    )


def snapshot(app):
    state = store_of(app).state
    return (
        dict(state.campaigns),
        dict(state.invitations),
        dict(state.emails),
        {campaign: dict(index) for campaign, index in state.invitation_index.items()},
    )


def invitation_with_status(client, auth, status, campaign_id=DOCUMENTED):
    items = list_all(client, auth, campaign_id)
    return next(i for i in items if i["status"] == status)


# List.


def test_list_documented_campaign(client, auth):
    response = client.get(f"{invitations_url()}/list", headers=auth)
    body = response.get_json()

    assert response.status_code == 200
    assert body["count"] == 30
    assert body["pages"] == 3
    assert len(body["items"]) == 10


def test_list_items_are_full_resources(client, auth):
    for item in list_all(client, auth):
        assert list(item) == RESOURCE_FIELDS
        assert item["campaign_id"] == DOCUMENTED
        assert re.fullmatch(r"inv_\d{9}", item["invitation_id"])


def test_list_documented_statuses(client, auth):
    statuses = [item["status"] for item in list_all(client, auth)]

    assert statuses.count("completed") == 25
    assert set(statuses) - {"completed"} <= {"sent", "opened"}


def test_list_documented_invitations_all_sent(client, auth):
    for item in list_all(client, auth):
        assert item["emails_sent"] >= 1
        assert TIMESTAMP.fullmatch(item["sent_at"])


def test_list_completed_have_score_and_time(client, auth):
    for item in list_all(client, auth):
        completed = item["status"] == "completed"
        assert (item["score"] is not None) == completed
        assert (item["completed_at"] is not None) == completed


def expected_order(items, field, descending):
    def key(item):
        value = item[field]
        return fold(value) if isinstance(value, str) else value

    present = sorted(
        (i for i in items if i[field] is not None),
        key=lambda i: (key(i), i["invitation_id"]),
        reverse=descending,
    )
    missing = sorted(
        (i for i in items if i[field] is None),
        key=lambda i: i["invitation_id"],
        reverse=descending,
    )
    return present + missing


@pytest.fixture
def mixed_campaign(app, client, auth):
    """The 50 invitations of the leadership campaign plus 3 never sent."""
    for n in range(3):
        response = create(client, auth, {"email": f"new{n}@example.com"}, LEADERSHIP)
        assert response.status_code == 201
    return LEADERSHIP


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("field", SORTABLE)
def test_list_sorts_nulls_last(client, auth, mixed_campaign, field, order):
    items = list_all(client, auth, mixed_campaign, f"&order_by={field}&order={order}")

    assert len(items) == 53
    assert items == expected_order(items, field, order == "desc")


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("field", ["sent_at", "completed_at", "score"])
def test_list_null_values_at_end(client, auth, mixed_campaign, field, order):
    items = list_all(client, auth, mixed_campaign, f"&order_by={field}&order={order}")
    values = [item[field] for item in items]
    first_null = values.index(None)

    assert all(value is None for value in values[first_null:])


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("field", SORTABLE)
def test_list_paging_stable(client, auth, mixed_campaign, field, order):
    everything = list_all(
        client, auth, mixed_campaign, f"&order_by={field}&order={order}"
    )
    seen = []
    for page in range(1, 10):
        response = client.get(
            f"{invitations_url(mixed_campaign)}/list?limit=6&page={page}"
            f"&order_by={field}&order={order}",
            headers=auth,
        )
        seen += [item["invitation_id"] for item in response.get_json()["items"]]

    assert seen == [item["invitation_id"] for item in everything]


@pytest.mark.parametrize(
    ("query", "field"),
    [("JANE", "first_name"), ("smîth", "last_name"), ("ExAmPlE.org", "email")],
)
def test_list_search_fields(client, auth, query, field):
    created = create(
        client,
        auth,
        {
            "email": "jane.search@example.org",
            "first_name": "Jane",
            "last_name": "Smith",
        },
    ).get_json()

    items = list_all(client, auth, query=f"&query={query}")
    searched = ("email", "first_name", "last_name")

    assert fold(query) in fold(created[field])
    assert created["invitation_id"] in [i["invitation_id"] for i in items]
    for item in items:
        assert any(fold(query) in fold(item[name]) for name in searched)


def test_list_search_accented_name(client, auth):
    created = create(
        client,
        auth,
        {"email": "zoe@example.com", "first_name": "Zoë", "last_name": "Lefèvre"},
    ).get_json()

    items = list_all(client, auth, query="&query=%20lefevre%20")

    assert [i["invitation_id"] for i in items] == [created["invitation_id"]]


def test_list_search_ignores_message(client, auth):
    create(client, auth, {"email": "m@example.com", "message": "unfindable-word"})

    assert list_all(client, auth, query="&query=unfindable-word") == []


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "page=0", "order=DESC", "order_by=score2", "x=1"],
)
def test_list_invalid_query_is_422(client, auth, query):
    response = client.get(f"{invitations_url()}/list?{query}", headers=auth)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"


def test_list_unknown_campaign_is_404(client, auth):
    response = client.get(f"{invitations_url('camp_000000000')}/list", headers=auth)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_list_other_company_campaign_is_404(client):
    founder = bearer("deepsy-dev-mock-founder")
    globex_id = client.get(
        f"/api/v1/campaign/{GLOBEX}/list", headers=founder
    ).get_json()["items"][0]["campaign_id"]

    response = client.get(f"{invitations_url(globex_id)}/list", headers=founder)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


def test_list_empty_campaign(client, auth):
    response = client.get(f"{invitations_url('camp_987654321')}/list", headers=auth)

    assert response.get_json() == {"items": [], "count": 0, "pages": 0}


# Create.


def test_create_defaults(client, auth):
    response = create(client, auth, {"email": "candidate@example.com"})
    body = response.get_json()

    assert response.status_code == 201
    assert list(body) == RESOURCE_FIELDS
    assert re.fullmatch(r"inv_\d{9}", body["invitation_id"])
    assert body["campaign_id"] == DOCUMENTED
    assert body["email"] == "candidate@example.com"
    assert body["first_name"] == ""
    assert body["last_name"] == ""
    assert body["message"] == ""
    assert body["status"] == "pending"
    assert body["sent_at"] is None
    assert body["emails_sent"] == 0
    assert body["completed_at"] is None
    assert body["score"] is None
    assert body["created_at"] == body["updated_at"]
    assert TIMESTAMP.fullmatch(body["created_at"])


def test_create_without_email_sends_nothing(app, client, auth):
    create(client, auth, {"email": "quiet@example.com", "send_email": False})

    assert store_of(app).list_emails() == []


def test_create_all_fields_trimmed(client, auth):
    body = create(
        client,
        auth,
        {
            "email": "  Jane.Smith@Example.com ",
            "first_name": " Jane ",
            "last_name": "Smith  ",
            "message": "  Welcome  ",
        },
    ).get_json()

    assert body["email"] == "Jane.Smith@Example.com"
    assert body["first_name"] == "Jane"
    assert body["last_name"] == "Smith"
    assert body["message"] == "  Welcome  "


def test_create_appears_in_list(client, auth):
    created = create(client, auth, {"email": "listed@example.com"}).get_json()

    items = list_all(client, auth)

    assert items[0] == created
    assert len(items) == 31


def test_create_updates_campaign_statistics(client, auth):
    create(client, auth, {"email": "stats@example.com"})

    statistics = client.get(f"{API}/{DOCUMENTED}/get-details", headers=auth).get_json()[
        "statistics"
    ]

    assert statistics["total_invitations"] == 31
    assert statistics["completion_rate"] == 80.6


@pytest.mark.parametrize(
    "email",
    [
        "jane+tag@example.com",
        "first.last@sub.example.co.uk",
        "UPPER@EXAMPLE.COM",
        "o'brien@example.ie",
    ],
)
def test_create_valid_email_accepted(client, auth, email):
    response = create(client, auth, {"email": email})

    assert response.status_code == 201
    assert response.get_json()["email"] == email


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": ""}, "email"),
        ({"email": "   "}, "email"),
        ({"email": "plain"}, "email"),
        ({"email": "jane@"}, "email"),
        ({"email": "@example.com"}, "email"),
        ({"email": "jane doe@example.com"}, "email"),
        ({"email": "jane@@example.com"}, "email"),
        ({"email": "jane@example"}, "email"),
        ({"email": "jane@exa mple.com"}, "email"),
        ({"email": "j" * 243 + "@example.com"}, "email"),
        ({"email": 5}, "email"),
        ({"email": None}, "email"),
        ({"email": ["jane@example.com"]}, "email"),
        ({"email": "a@example.com", "first_name": "f" * 101}, "first_name"),
        ({"email": "a@example.com", "last_name": "l" * 101}, "last_name"),
        ({"email": "a@example.com", "first_name": None}, "first_name"),
        ({"email": "a@example.com", "last_name": 5}, "last_name"),
        ({"email": "a@example.com", "message": "m" * 2001}, "message"),
        ({"email": "a@example.com", "message": None}, "message"),
        ({"email": "a@example.com", "send_email": "true"}, "send_email"),
        ({"email": "a@example.com", "send_email": 1}, "send_email"),
        ({"email": "a@example.com", "send_email": None}, "send_email"),
        ({"email": "a@example.com", "status": "sent"}, "status"),
        ({"email": "a@example.com", "sendEmail": True}, "sendEmail"),
    ],
)
def test_create_invalid_body_is_422(app, client, auth, body, field):
    before = snapshot(app)

    response = create(client, auth, body)
    payload = response.get_json()

    assert response.status_code == 422
    assert payload["error_code"] == "VALIDATION_ERROR"
    assert field in payload["details"]
    assert snapshot(app) == before


def test_create_lengths_at_limit_accepted(client, auth):
    response = create(
        client,
        auth,
        {
            "email": "j" * 242 + "@example.com",
            "first_name": "f" * 100,
            "last_name": "l" * 100,
            "message": "m" * 2000,
        },
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "second",
    ["dup@example.com", "DUP@example.com", "Dup@Example.Com", " dup@example.com"],
)
def test_create_duplicate_email_is_409(app, client, auth, second):
    create(client, auth, {"email": "dup@example.com"})
    before = snapshot(app)

    response = create(client, auth, {"email": second, "send_email": True})

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "INVITATION_ALREADY_EXISTS"
    assert snapshot(app) == before


DECOMPOSED = "rene\u0301@example.com"
COMPOSED = "ren\u00e9@example.com"


def test_create_decomposed_email_stored_composed(client, auth):
    response = create(client, auth, {"email": DECOMPOSED})

    assert response.status_code == 201
    assert response.get_json()["email"] == COMPOSED


def test_create_decomposed_duplicate_is_409(client, auth):
    create(client, auth, {"email": COMPOSED})

    response = create(client, auth, {"email": DECOMPOSED})

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "INVITATION_ALREADY_EXISTS"


def test_bulk_decomposed_email_accepted(client, auth):
    response = bulk(client, auth, {"invitations": [{"email": DECOMPOSED}]})
    body = response.get_json()

    assert body["failed"] == []
    assert [i["email"] for i in body["created"]] == [COMPOSED]


def test_create_duplicate_of_seeded_invitation(client, auth):
    seeded = list_all(client, auth)[0]["email"]

    response = create(client, auth, {"email": seeded.upper()})

    assert response.status_code == 409


def test_create_same_email_other_campaign_ok(client, auth):
    create(client, auth, {"email": "twice@example.com"})

    response = create(client, auth, {"email": "twice@example.com"}, LEADERSHIP)

    assert response.status_code == 201


def test_create_with_email_records_outbox(app, client, auth):
    body = create(
        client,
        auth,
        {
            "email": "candidate@example.com",
            "first_name": "Jane",
            "last_name": "Smith",
            "message": "You're invited to complete our assessment",
            "send_email": True,
        },
    ).get_json()
    emails = store_of(app).list_emails()

    assert body["status"] == "sent"
    assert body["emails_sent"] == 1
    assert body["sent_at"] == body["created_at"]
    assert len(emails) == 1
    assert emails[0].to == "candidate@example.com"
    assert emails[0].invitation_id == body["invitation_id"]
    assert emails[0].campaign_id == DOCUMENTED
    assert emails[0].company_id == ACME
    assert "Q1 2024 Recruitment Campaign" in emails[0].subject
    assert "You're invited to complete our assessment" in emails[0].body
    assert body["invitation_id"] in emails[0].link
    assert emails[0].link in emails[0].body


def test_create_with_email_standard_text(app, client, auth):
    create(client, auth, {"email": "std@example.com", "send_email": True})

    email = store_of(app).list_emails()[0]

    assert email.body.strip()
    assert email.link in email.body


@pytest.mark.parametrize("send_email", [False, True])
@pytest.mark.parametrize("status", ["completed", "archived"])
def test_create_closed_campaign_is_409(app, client, auth, status, send_email):
    campaign_id = campaign_in_status(app, status)
    before = snapshot(app)

    response = create(
        client,
        auth,
        {"email": "late@example.com", "send_email": send_email},
        campaign_id,
    )

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACCEPTING_INVITATIONS"
    assert snapshot(app) == before


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_create_with_email_inactive_is_409(app, client, auth, status):
    campaign_id = campaign_in_status(app, status)
    before = snapshot(app)

    response = create(
        client, auth, {"email": "early@example.com", "send_email": True}, campaign_id
    )

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACTIVE"
    assert snapshot(app) == before


@pytest.mark.parametrize("status", ["draft", "active", "paused"])
def test_create_without_email_open_campaign(app, client, auth, status):
    campaign_id = campaign_in_status(app, status)

    response = create(client, auth, {"email": "ok@example.com"}, campaign_id)

    assert response.status_code == 201
    assert response.get_json()["status"] == "pending"


def test_create_closed_checked_before_duplicate(app, client, auth):
    campaign_id = campaign_in_status(app, "active")
    create(client, auth, {"email": "x@example.com"}, campaign_id)
    store_of(app).update_campaign(ACME, campaign_id, {"status": "completed"})

    response = create(
        client, auth, {"email": "x@example.com", "send_email": True}, campaign_id
    )

    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACCEPTING_INVITATIONS"


def test_create_inactive_checked_before_duplicate(app, client, auth):
    campaign_id = campaign_in_status(app, "paused")
    create(client, auth, {"email": "x@example.com"}, campaign_id)

    response = create(
        client, auth, {"email": "x@example.com", "send_email": True}, campaign_id
    )

    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACTIVE"


def test_create_validation_before_campaign_state(app, client, auth):
    campaign_id = campaign_in_status(app, "archived")

    response = create(client, auth, {"email": "not-an-address"}, campaign_id)

    assert response.status_code == 422


def test_create_unknown_campaign_is_404(client, auth):
    response = create(client, auth, {"email": "a@example.com"}, "camp_000000000")

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"


# Bulk create.


def test_bulk_documented_body(app, client, auth):
    response = bulk(
        client,
        auth,
        {
            "invitations": [
                {
                    "email": "candidate1@example.com",
                    "first_name": "John",
                    "last_name": "Doe",
                },
                {
                    "email": "candidate2@example.com",
                    "first_name": "Jane",
                    "last_name": "Smith",
                },
            ],
            "send_emails": True,
            "message": "Welcome to our assessment process",
        },
    )
    body = response.get_json()
    emails = store_of(app).list_emails()

    assert response.status_code == 200
    assert body["failed"] == []
    assert [i["email"] for i in body["created"]] == [
        "candidate1@example.com",
        "candidate2@example.com",
    ]
    assert [i["status"] for i in body["created"]] == ["sent", "sent"]
    assert [i["message"] for i in body["created"]] == [
        "Welcome to our assessment process"
    ] * 2
    assert [e.to for e in emails] == [
        "candidate1@example.com",
        "candidate2@example.com",
    ]
    assert all("Welcome to our assessment process" in e.body for e in emails)


def test_bulk_defaults_send_nothing(app, client, auth):
    body = bulk(client, auth, {"invitations": [{"email": "b@example.com"}]}).get_json()

    assert body["created"][0]["status"] == "pending"
    assert body["created"][0]["message"] == ""
    assert body["created"][0]["first_name"] == ""
    assert store_of(app).list_emails() == []


def test_bulk_reports_failures_by_index(app, client, auth):
    seeded = list_all(client, auth)[0]["email"]
    items = [
        {"email": "ok1@example.com"},
        {"email": "not-an-address"},
        {"email": seeded},
        {"email": "ok2@example.com", "first_name": "f" * 101},
        {"email": "OK1@example.com"},
        {"email": "ok3@example.com", "last_name": "Last"},
        {"email": "ok3@example.com"},
    ]

    response = bulk(client, auth, {"invitations": items})
    body = response.get_json()

    assert response.status_code == 200
    assert [i["email"] for i in body["created"]] == [
        "ok1@example.com",
        "ok3@example.com",
    ]
    assert body["created"][1]["last_name"] == "Last"
    assert [(f["index"], f["error_code"]) for f in body["failed"]] == [
        (1, "VALIDATION_ERROR"),
        (2, "INVITATION_ALREADY_EXISTS"),
        (3, "VALIDATION_ERROR"),
        (4, "INVITATION_ALREADY_EXISTS"),
        (6, "INVITATION_ALREADY_EXISTS"),
    ]
    assert [f["email"] for f in body["failed"]] == [
        "not-an-address",
        seeded,
        "ok2@example.com",
        "OK1@example.com",
        "ok3@example.com",
    ]
    for failure in body["failed"]:
        assert set(failure) == {"index", "email", "error", "error_code"}
        assert failure["error"]
    assert len(list_all(client, auth)) == 32


def test_bulk_failure_names_invalid_field(client, auth):
    body = bulk(
        client,
        auth,
        {"invitations": [{"email": "a@example.com", "last_name": "l" * 101}]},
    ).get_json()

    assert "last_name" in body["failed"][0]["error"]


def test_bulk_all_failing_creates_nothing(app, client, auth):
    before = snapshot(app)

    body = bulk(client, auth, {"invitations": [{"email": "bad"}, {"email": ""}]})

    assert body.status_code == 200
    assert body.get_json()["created"] == []
    assert [f["index"] for f in body.get_json()["failed"]] == [0, 1]
    assert snapshot(app) == before


def test_bulk_created_in_request_order(client, auth):
    emails = [f"order{n:02d}@example.com" for n in (5, 1, 9, 3, 7)]

    body = bulk(
        client, auth, {"invitations": [{"email": e} for e in emails]}
    ).get_json()

    assert [i["email"] for i in body["created"]] == emails
    assert len({i["invitation_id"] for i in body["created"]}) == 5


def test_bulk_five_hundred_accepted(client, auth):
    items = [{"email": f"c{n}@example.com"} for n in range(500)]

    response = bulk(client, auth, {"invitations": items})

    assert response.status_code == 200
    assert len(response.get_json()["created"]) == 500
    assert len({i["invitation_id"] for i in response.get_json()["created"]}) == 500


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "invitations"),
        ({"invitations": []}, "invitations"),
        ({"invitations": [{"email": f"c{n}@example.com"} for n in range(501)]}, None),
        ({"invitations": None}, "invitations"),
        ({"invitations": {"email": "a@example.com"}}, "invitations"),
        ({"invitations": ["a@example.com"]}, "invitations.0"),
        ({"invitations": [{"email": "a@example.com"}, None]}, "invitations.1"),
        ({"invitations": [{"first_name": "No email"}]}, "invitations.0.email"),
        ({"invitations": [{"email": 5}]}, "invitations.0.email"),
        ({"invitations": [{"email": None}]}, "invitations.0.email"),
        (
            {"invitations": [{"email": "a@example.com", "first_name": 5}]},
            "invitations.0.first_name",
        ),
        (
            {"invitations": [{"email": "a@example.com", "message": "per item"}]},
            "invitations.0.message",
        ),
        (
            {"invitations": [{"email": "a@example.com"}], "send_emails": "yes"},
            "send_emails",
        ),
        (
            {"invitations": [{"email": "a@example.com"}], "send_email": True},
            "send_email",
        ),
        (
            {"invitations": [{"email": "a@example.com"}], "message": "m" * 2001},
            "message",
        ),
        ({"invitations": [{"email": "a@example.com"}], "message": 5}, "message"),
    ],
)
def test_bulk_shape_error_is_422(app, client, auth, body, field):
    before = snapshot(app)

    response = bulk(client, auth, body)
    payload = response.get_json()

    assert response.status_code == 422
    assert payload["error_code"] == "VALIDATION_ERROR"
    assert field is None or field in payload["details"]
    assert snapshot(app) == before


def test_bulk_shape_error_even_with_valid_items(app, client, auth):
    items = [{"email": "fine@example.com"}, {"email": "fine2@example.com", "age": 3}]
    before = snapshot(app)

    response = bulk(client, auth, {"invitations": items})

    assert response.status_code == 422
    assert "invitations.1.age" in response.get_json()["details"]
    assert snapshot(app) == before


@pytest.mark.parametrize("send_emails", [False, True])
@pytest.mark.parametrize("status", ["completed", "archived"])
def test_bulk_closed_campaign_is_409(app, client, auth, status, send_emails):
    campaign_id = campaign_in_status(app, status)
    before = snapshot(app)

    response = bulk(
        client,
        auth,
        {"invitations": [{"email": "a@example.com"}], "send_emails": send_emails},
        campaign_id,
    )

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACCEPTING_INVITATIONS"
    assert snapshot(app) == before


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_bulk_send_inactive_creates_nothing(app, client, auth, status):
    campaign_id = campaign_in_status(app, status)
    before = snapshot(app)

    response = bulk(
        client,
        auth,
        {"invitations": [{"email": "a@example.com"}], "send_emails": True},
        campaign_id,
    )

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACTIVE"
    assert snapshot(app) == before


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_bulk_without_sending_inactive_ok(app, client, auth, status):
    campaign_id = campaign_in_status(app, status)

    response = bulk(
        client, auth, {"invitations": [{"email": "a@example.com"}]}, campaign_id
    )

    assert response.status_code == 200
    assert len(response.get_json()["created"]) == 1


def test_bulk_unknown_campaign_is_404(client, auth):
    response = bulk(client, auth, {"invitations": [{"email": "a@example.com"}]}, "nope")

    assert response.status_code == 404


# Send email.


def test_send_email_without_body(app, client, auth):
    invitation = invitation_with_status(client, auth, "sent")

    response = send_email(client, auth, invitation["invitation_id"])
    body = response.get_json()
    emails = store_of(app).list_emails()

    assert response.status_code == 200
    assert list(body) == RESOURCE_FIELDS
    assert body["emails_sent"] == invitation["emails_sent"] + 1
    assert body["status"] == "sent"
    assert body["sent_at"] > invitation["sent_at"]
    assert body["updated_at"] == body["sent_at"]
    assert [e.invitation_id for e in emails] == [invitation["invitation_id"]]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(b"", "application/json"), (b"{}", "application/json"), (b"", None)],
    ids=["empty-json", "empty-object", "empty-untyped"],
)
def test_send_email_empty_body_ok(client, auth, data, content_type):
    invitation = invitation_with_status(client, auth, "opened")

    response = send_email(
        client, auth, invitation["invitation_id"], data=data, content_type=content_type
    )

    assert response.status_code == 200
    assert response.get_json()["status"] == "opened"


def test_send_email_custom_message(app, client, auth):
    invitation = invitation_with_status(client, auth, "sent")

    response = send_email(
        client, auth, invitation["invitation_id"], json={"message": "A reminder"}
    )

    assert response.status_code == 200
    assert "A reminder" in store_of(app).list_emails()[0].body


def test_send_email_uses_invitation_message(app, client, auth):
    created = create(
        client, auth, {"email": "m@example.com", "message": "Stored text"}
    ).get_json()

    response = send_email(client, auth, created["invitation_id"])
    email = store_of(app).list_emails()[0]

    assert response.get_json()["status"] == "sent"
    assert "Stored text" in email.body
    assert email.to == "m@example.com"


def test_send_email_twice_counts_two(app, client, auth):
    created = create(client, auth, {"email": "twice@example.com"}).get_json()

    send_email(client, auth, created["invitation_id"])
    response = send_email(client, auth, created["invitation_id"])

    assert response.get_json()["emails_sent"] == 2
    assert len(store_of(app).list_emails()) == 2


def test_send_email_completed_invitation_is_409(app, client, auth):
    invitation = invitation_with_status(client, auth, "completed")
    before = snapshot(app)

    response = send_email(client, auth, invitation["invitation_id"])

    assert response.status_code == 409
    assert response.get_json()["error_code"] == "INVITATION_ALREADY_COMPLETED"
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("status", "error_code"),
    [
        ("draft", "CAMPAIGN_NOT_ACTIVE"),
        ("paused", "CAMPAIGN_NOT_ACTIVE"),
        ("completed", "CAMPAIGN_NOT_ACCEPTING_INVITATIONS"),
        ("archived", "CAMPAIGN_NOT_ACCEPTING_INVITATIONS"),
    ],
)
def test_send_email_campaign_state_is_409(app, client, auth, status, error_code):
    campaign_id = campaign_in_status(app, "draft")
    invitation = create(client, auth, {"email": "s@example.com"}, campaign_id)
    store = store_of(app)
    for step in {
        "draft": [],
        "paused": ["active", "paused"],
        "completed": ["active", "completed"],
        "archived": ["archived"],
    }[status]:
        store.update_campaign(ACME, campaign_id, {"status": step})
    before = snapshot(app)

    response = send_email(
        client, auth, invitation.get_json()["invitation_id"], campaign_id
    )

    assert response.status_code == 409
    assert response.get_json()["error_code"] == error_code
    assert snapshot(app) == before


def test_send_email_campaign_checked_before_invitation(app, client, auth):
    invitation = invitation_with_status(client, auth, "completed")
    store_of(app).update_campaign(ACME, DOCUMENTED, {"status": "paused"})

    response = send_email(client, auth, invitation["invitation_id"])

    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_ACTIVE"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "m" * 2001}, "message"),
        ({"message": 5}, "message"),
        ({"message": None}, "message"),
        ({"subject": "Hi"}, "subject"),
    ],
)
def test_send_email_invalid_body_is_422(app, client, auth, body, field):
    invitation = invitation_with_status(client, auth, "sent")
    before = snapshot(app)

    response = send_email(client, auth, invitation["invitation_id"], json=body)

    assert response.status_code == 422
    assert field in response.get_json()["details"]
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"null", "application/json", 422),
        (b"[]", "application/json", 422),
        (b"{", "application/json", 400),
        (b"message=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_send_email_bad_body(app, client, auth, data, content_type, status):
    invitation = invitation_with_status(client, auth, "sent")
    before = snapshot(app)

    response = send_email(
        client, auth, invitation["invitation_id"], data=data, content_type=content_type
    )

    assert response.status_code == status
    assert snapshot(app) == before


def test_send_email_invitation_of_other_campaign_is_404(app, client, auth):
    other = list_all(client, auth, LEADERSHIP)[0]["invitation_id"]

    response = send_email(client, auth, other)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "INVITATION_NOT_FOUND"
    assert store_of(app).list_emails() == []


# Delete and bulk delete.


def delete(client, auth, invitation_id, campaign_id=DOCUMENTED):
    return client.delete(
        f"{invitations_url(campaign_id)}/{invitation_id}/delete", headers=auth
    )


def bulk_delete(client, auth, invitation_ids, campaign_id=DOCUMENTED):
    return client.post(
        f"{invitations_url(campaign_id)}/bulk-delete",
        json={"invitation_ids": invitation_ids},
        headers=auth,
    )


def test_delete_invitation(client, auth):
    invitation_id = list_all(client, auth)[0]["invitation_id"]

    response = delete(client, auth, invitation_id)

    assert response.status_code == 200
    assert response.get_json() == {"invitation_id": invitation_id, "deleted": True}
    assert invitation_id not in [i["invitation_id"] for i in list_all(client, auth)]
    assert len(list_all(client, auth)) == 29


def test_delete_twice_is_404(client, auth):
    invitation_id = list_all(client, auth)[0]["invitation_id"]
    delete(client, auth, invitation_id)

    response = delete(client, auth, invitation_id)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "INVITATION_NOT_FOUND"


def test_delete_frees_email_for_reuse(client, auth):
    invitation = list_all(client, auth)[0]
    delete(client, auth, invitation["invitation_id"])

    response = create(client, auth, {"email": invitation["email"]})

    assert response.status_code == 201
    assert response.get_json()["invitation_id"] != invitation["invitation_id"]


def test_delete_other_campaign_invitation_is_404(app, client, auth):
    other = list_all(client, auth, LEADERSHIP)[0]["invitation_id"]
    before = snapshot(app)

    response = delete(client, auth, other)

    assert response.status_code == 404
    assert snapshot(app) == before


def test_delete_with_unknown_body_field_is_422(app, client, auth):
    invitation_id = list_all(client, auth)[0]["invitation_id"]
    before = snapshot(app)

    response = client.delete(
        f"{invitations_url()}/{invitation_id}/delete",
        json={"force": True},
        headers=auth,
    )

    assert response.status_code == 422
    assert snapshot(app) == before


def test_bulk_delete_order_and_duplicates(client, auth):
    ids = [i["invitation_id"] for i in list_all(client, auth)][:3]
    other = list_all(client, auth, LEADERSHIP)[0]["invitation_id"]
    request = [ids[2], "inv_000000000", ids[0], ids[2], other, ids[1], other]

    response = bulk_delete(client, auth, request)

    assert response.status_code == 200
    assert response.get_json() == {
        "deleted": [ids[2], ids[0], ids[1]],
        "not_found": ["inv_000000000", other],
    }
    assert len(list_all(client, auth)) == 27
    assert len(list_all(client, auth, LEADERSHIP)) == 50


def test_bulk_delete_five_hundred_accepted(client, auth):
    response = bulk_delete(client, auth, [f"inv_{n:09d}" for n in range(500)])

    assert response.status_code == 200
    assert len(response.get_json()["not_found"]) == 500


@pytest.mark.parametrize(
    "body",
    [
        {"invitation_ids": []},
        {"invitation_ids": [f"inv_{n:09d}" for n in range(501)]},
        {"invitation_ids": "inv_000000001"},
        {"invitation_ids": [1]},
        {"invitation_ids": None},
        {},
        {"invitation_ids": ["inv_000000001"], "all": True},
    ],
    ids=["empty", "501", "string", "number", "null", "missing", "unknown-field"],
)
def test_bulk_delete_invalid_body_is_422(app, client, auth, body):
    before = snapshot(app)

    response = client.post(f"{invitations_url()}/bulk-delete", json=body, headers=auth)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"
    assert snapshot(app) == before


def test_bulk_delete_updates_statistics(client, auth):
    completed = [
        i["invitation_id"] for i in list_all(client, auth) if i["status"] == "completed"
    ]

    bulk_delete(client, auth, completed[:5])
    listed = client.get(f"{API}/list?limit=100", headers=auth).get_json()["items"]
    documented = next(i for i in listed if i["campaign_id"] == DOCUMENTED)

    assert documented["invitations_sent"] == 25
    assert documented["candidates_count"] == 20
    assert documented["completion_rate"] == 80.0


# Paths of another campaign or company.


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("POST", "send-email-invitation"),
        ("DELETE", "delete"),
    ],
)
def test_invitation_under_wrong_campaign_is_404(client, auth, method, suffix):
    invitation_id = list_all(client, auth)[0]["invitation_id"]

    response = client.open(
        f"{invitations_url(LEADERSHIP)}/{invitation_id}/{suffix}",
        method=method,
        headers=auth,
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "INVITATION_NOT_FOUND"


def test_invitation_under_unknown_campaign_is_campaign_404(client, auth):
    invitation_id = list_all(client, auth)[0]["invitation_id"]

    response = delete(client, auth, invitation_id, "camp_000000000")

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "CAMPAIGN_NOT_FOUND"
