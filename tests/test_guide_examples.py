"""The request examples of the DeePsy campaign guide, sent over real HTTP.

Each example is copied as the guide writes it (headers, body text and key);
only the base URL `https://deepsy.fr` becomes the live server's. Every test
starts from a freshly reset server.
"""

import re

import requests

TIMEOUT = 10
ACME = "c193a06f-1c25-4e65-84a7-95faaae7ae7b"
GUIDE_BASE = "https://deepsy.fr"
KEY_HEADER = {"Authorization": "Bearer deepsy-dev-your-api-key-here"}
JSON_HEADERS = {**KEY_HEADER, "Content-Type": "application/json"}
DOCUMENTED_SETTINGS = {
    "allow_retakes": False,
    "time_limit": 3600,
    "send_results_email": True,
    "require_consent": True,
}


def local(server, guide_url):
    """Return the guide's URL with the live server in place of deepsy.fr."""
    assert guide_url.startswith(GUIDE_BASE)
    return server.url + guide_url.removeprefix(GUIDE_BASE)


def send(server, method, guide_url, headers, body=None):
    return requests.request(
        method,
        local(server, guide_url),
        headers=headers,
        data=body.encode() if body is not None else None,
        timeout=TIMEOUT,
    )


# List campaigns.

# The list item of the guide's list response.
DOCUMENTED_ITEM = {
    "campaign_id": "camp_123456789",
    "name": "Q1 2024 Recruitment Campaign",
    "description": "Psychological assessment for new hires",
    "status": "active",
    "created_at": "2023-01-01T00:00:00Z",
    "updated_at": "2023-01-15T10:30:00Z",
    "candidates_count": 25,
    "invitations_sent": 30,
    "completion_rate": 83.3,
}


def test_guide_list_campaigns(fresh_server):
    response = send(
        fresh_server,
        "GET",
        "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b/list",
        KEY_HEADER,
    )
    body = response.json()
    documented = [i for i in body["items"] if i["campaign_id"] == "camp_123456789"]

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert set(body) == {"items", "count", "pages"}
    assert body["count"] == 25
    assert body["pages"] == 3
    assert documented == [DOCUMENTED_ITEM]


def test_guide_list_searched_as_documented(fresh_server):
    response = send(
        fresh_server,
        "GET",
        "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b/list"
        "?query=Q1 2024 Recruitment",
        KEY_HEADER,
    )

    assert response.json() == {"items": [DOCUMENTED_ITEM], "count": 1, "pages": 1}


# Create campaign.

CREATE_URL = (
    "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b/create"
)
# The body of the guide's curl example, as its -d argument writes it.
CREATE_EXAMPLE_BODY = """{
"name": "Q2 2024 Leadership Assessment",
"description": "Comprehensive leadership evaluation",
"settings": {
"allow_retakes": false,
"time_limit": 3600
}
}"""
# The guide's "Request Body" section of create.
CREATE_REQUEST_BODY = """{
"name": "Q2 2024 Leadership Assessment",
"description": "Comprehensive leadership evaluation for management positions",
"settings": {
"allow_retakes": false,
"time_limit": 3600,
"send_results_email": true,
"require_consent": true
},
"tests": [
"personality_assessment",
"cognitive_ability",
"leadership_potential"
]
}"""


def test_guide_create_example(fresh_server):
    response = send(fresh_server, "POST", CREATE_URL, JSON_HEADERS, CREATE_EXAMPLE_BODY)
    body = response.json()

    assert response.status_code == 201
    assert re.fullmatch(r"camp_\d{9}", body["campaign_id"])
    assert body["name"] == "Q2 2024 Leadership Assessment"
    assert body["description"] == "Comprehensive leadership evaluation"
    assert body["status"] == "draft"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["created_at"])
    assert body["settings"] == DOCUMENTED_SETTINGS


def test_guide_create_request_body(fresh_server):
    response = send(fresh_server, "POST", CREATE_URL, JSON_HEADERS, CREATE_REQUEST_BODY)
    body = response.json()

    assert response.status_code == 201
    assert body["status"] == "draft"
    assert body["description"] == (
        "Comprehensive leadership evaluation for management positions"
    )
    assert body["settings"] == DOCUMENTED_SETTINGS
    assert [t["test_id"] for t in body["tests"]] == [
        "personality_assessment",
        "cognitive_ability",
        "leadership_potential",
    ]


def test_guide_created_campaign_is_listed(fresh_server):
    created = send(
        fresh_server, "POST", CREATE_URL, JSON_HEADERS, CREATE_EXAMPLE_BODY
    ).json()

    listed = send(
        fresh_server,
        "GET",
        "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b/list",
        KEY_HEADER,
    ).json()

    assert listed["count"] == 26
    assert listed["items"][0]["campaign_id"] == created["campaign_id"]


# Get campaign details.


def test_guide_get_details(fresh_server):
    response = send(
        fresh_server,
        "GET",
        "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b"
        "/camp_123456789/get-details",
        KEY_HEADER,
    )

    assert response.status_code == 200
    assert response.json() == {
        "campaign_id": "camp_123456789",
        "name": "Q1 2024 Recruitment Campaign",
        "description": "Psychological assessment for new hires",
        "status": "active",
        "created_at": "2023-01-01T00:00:00Z",
        "updated_at": "2023-01-15T10:30:00Z",
        "settings": {
            "allow_retakes": False,
            "time_limit": 3600,
            "send_results_email": True,
            "require_consent": True,
        },
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


# Update campaign.

UPDATE_URL = (
    "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b"
    "/camp_123456789/update"
)


def test_guide_update_example(fresh_server):
    response = send(
        fresh_server,
        "PUT",
        UPDATE_URL,
        JSON_HEADERS,
        """{
"name": "Updated Campaign Name",
"status": "active"
}""",
    )
    body = response.json()

    assert response.status_code == 200
    assert body["campaign_id"] == "camp_123456789"
    assert body["name"] == "Updated Campaign Name"
    assert body["status"] == "active"
    assert body["description"] == "Psychological assessment for new hires"
    assert body["updated_at"] != "2023-01-15T10:30:00Z"


def test_guide_update_request_body(fresh_server):
    response = send(
        fresh_server,
        "PUT",
        UPDATE_URL,
        JSON_HEADERS,
        """{
"name": "Updated Campaign Name",
"description": "Updated description",
"status": "active",
"settings": {
"allow_retakes": true,
"time_limit": 4800
}
}""",
    )
    body = response.json()

    assert response.status_code == 200
    assert body["name"] == "Updated Campaign Name"
    assert body["description"] == "Updated description"
    assert body["status"] == "active"
    assert body["settings"] == {
        "allow_retakes": True,
        "time_limit": 4800,
        "send_results_email": True,
        "require_consent": True,
    }
    assert body["statistics"]["total_invitations"] == 30


# Bulk archive.

BULK_ARCHIVE_URL = (
    "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b"
    "/bulk-archive"
)


def test_guide_bulk_archive_example(fresh_server):
    response = send(
        fresh_server,
        "POST",
        BULK_ARCHIVE_URL,
        JSON_HEADERS,
        """{
"campaign_ids": ["camp_123456789", "camp_987654321"]
}""",
    )

    assert response.status_code == 200
    assert response.json() == {
        "archived": ["camp_123456789", "camp_987654321"],
        "not_found": [],
    }


def test_guide_bulk_archive_request_body(fresh_server):
    response = send(
        fresh_server,
        "POST",
        BULK_ARCHIVE_URL,
        JSON_HEADERS,
        """{
"campaign_ids": [
"camp_123456789",
"camp_987654321",
"camp_555666777"
]
}""",
    )
    details = send(
        fresh_server,
        "GET",
        "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b"
        "/camp_555666777/get-details",
        KEY_HEADER,
    ).json()

    assert response.status_code == 200
    assert response.json() == {
        "archived": ["camp_123456789", "camp_987654321", "camp_555666777"],
        "not_found": [],
    }
    assert details["status"] == "archived"


# Invitations.

INVITATIONS_URL = (
    "https://deepsy.fr/api/v1/campaign/c193a06f-1c25-4e65-84a7-95faaae7ae7b"
    "/camp_123456789/invitations"
)


def emails_of(server):
    response = requests.get(f"{server.url}/_mock/emails", timeout=TIMEOUT)
    assert response.status_code == 200
    return response.json()["items"]


def test_guide_create_invitation_body(fresh_server):
    response = send(
        fresh_server,
        "POST",
        f"{INVITATIONS_URL}/create",
        JSON_HEADERS,
        """{
"email": "candidate@example.com",
"first_name": "Jane",
"last_name": "Smith",
"message": "You're invited to complete our assessment",
"send_email": true
}""",
    )
    body = response.json()
    emails = emails_of(fresh_server)

    assert response.status_code == 201
    assert re.fullmatch(r"inv_\d{9}", body["invitation_id"])
    assert body["campaign_id"] == "camp_123456789"
    assert body["email"] == "candidate@example.com"
    assert body["first_name"] == "Jane"
    assert body["last_name"] == "Smith"
    assert body["message"] == "You're invited to complete our assessment"
    assert body["status"] == "sent"
    assert body["emails_sent"] == 1
    assert [e["to"] for e in emails] == ["candidate@example.com"]
    assert emails[0]["invitation_id"] == body["invitation_id"]
    assert emails[0]["link"].startswith(fresh_server.url)


def test_guide_bulk_invitations_body(fresh_server):
    response = send(
        fresh_server,
        "POST",
        f"{INVITATIONS_URL}/bulk-invitations",
        JSON_HEADERS,
        """{
"invitations": [
{
"email": "candidate1@example.com",
"first_name": "John",
"last_name": "Doe"
},
{
"email": "candidate2@example.com",
"first_name": "Jane",
"last_name": "Smith"
}
],
"send_emails": true,
"message": "Welcome to our assessment process"
}""",
    )
    body = response.json()
    emails = emails_of(fresh_server)

    assert response.status_code == 200
    assert body["failed"] == []
    assert [(i["email"], i["first_name"], i["last_name"]) for i in body["created"]] == [
        ("candidate1@example.com", "John", "Doe"),
        ("candidate2@example.com", "Jane", "Smith"),
    ]
    assert [i["status"] for i in body["created"]] == ["sent", "sent"]
    assert [e["to"] for e in emails] == [
        "candidate1@example.com",
        "candidate2@example.com",
    ]
    assert all("Welcome to our assessment process" in e["body"] for e in emails)


def test_guide_invitation_list_after_create(fresh_server):
    send(
        fresh_server,
        "POST",
        f"{INVITATIONS_URL}/create",
        JSON_HEADERS,
        '{"email": "candidate@example.com"}',
    )

    response = send(fresh_server, "GET", f"{INVITATIONS_URL}/list", KEY_HEADER)

    assert response.status_code == 200
    assert response.json()["count"] == 31
    assert response.json()["items"][0]["email"] == "candidate@example.com"
