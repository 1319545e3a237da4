"""HTTP behaviour shared by every endpoint: CORS, JSON errors and HEAD."""

import gzip

import pytest
import requests
from conftest import ACME, bearer

from mockserver import create_app

ORIGIN = {"Origin": "http://localhost:3000"}
LIST = f"/api/v1/campaign/{ACME}/list"
DETAILS = f"/api/v1/campaign/{ACME}/camp_123456789/get-details"


def error_body_keys(response):
    return set(response.get_json())


# CORS.


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", LIST, bearer(), 200),
        ("GET", "/api/v1/health", bearer(), 200),
        ("POST", f"/api/v1/campaign/{ACME}/create", bearer(), 400),
        ("GET", LIST, {}, 401),
        ("GET", LIST, bearer("deepsy-dev-mock-reports"), 403),
        ("GET", f"/api/v1/campaign/{ACME}/camp_000000000/get-details", bearer(), 404),
        ("GET", "/api/v1/no-such-endpoint", {}, 404),
        ("DELETE", LIST, {}, 405),
        ("GET", f"{LIST}?order=ASC", bearer(), 422),
    ],
)
def test_cors_allows_any_origin(client, method, path, headers, status):
    response = client.open(path, method=method, headers={**headers, **ORIGIN})

    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_without_origin_header(client, auth):
    response = client.get(LIST, headers=auth)

    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_on_internal_error(app, client, auth, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("simulated store failure")

    monkeypatch.setattr(app.extensions["deepsy_mock"].store, "list_campaigns", fail)

    response = client.get(LIST, headers={**auth, **ORIGIN})

    assert response.status_code == 500
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "path",
    [
        LIST,
        f"/api/v1/campaign/{ACME}/camp_000000000/update",
        f"/api/v1/campaign/{ACME}/camp_123456789/invitations/inv_000000000/delete",
        "/api/v1/user/me",
    ],
)
def test_preflight_answers_204_without_key(client, path, method):
    response = client.options(
        path,
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    allowed_methods = response.headers["Access-Control-Allow-Methods"]
    allowed_headers = response.headers["Access-Control-Allow-Headers"].lower()

    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    for name in ("GET", "POST", "PUT", "DELETE"):
        assert name in allowed_methods
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers


def test_preflight_ignores_bad_key(client):
    response = client.options(
        LIST,
        headers={
            **ORIGIN,
            **bearer("deepsy-dev-mock-inactive"),
            "Access-Control-Request-Method": "GET",
        },
    )

    assert response.status_code == 204


def test_cors_origins_configurable():
    app = create_app({"ACCESS_LOG": False, "CORS_ORIGINS": ["http://localhost:3000"]})
    client = app.test_client()

    allowed = client.get("/api/v1/health", headers={**bearer(), **ORIGIN})
    other = client.get(
        "/api/v1/health", headers={**bearer(), "Origin": "http://elsewhere.example"}
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "Access-Control-Allow-Origin" not in other.headers


# Every error is the JSON error body.


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api",
        "/api/v1",
        "/api/v1/",
        "/api/v2/health",
        "/api/v1/campaigns",
        f"{LIST}/",
        "/api/v1/%ff",
        "/favicon.ico",
    ],
)
def test_unknown_path_is_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error_code"] == "NOT_FOUND"
    assert error_body_keys(response) == {"error", "error_code"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", LIST, {"GET", "HEAD", "OPTIONS"}),
        ("PATCH", f"/api/v1/campaign/{ACME}/camp_123456789/update", {"PUT", "OPTIONS"}),
        ("PUT", f"/api/v1/campaign/{ACME}/create", {"POST", "OPTIONS"}),
        (
            "GET",
            f"/api/v1/campaign/{ACME}/camp_123456789/invitations/inv_1/delete",
            {"DELETE", "OPTIONS"},
        ),
    ],
)
def test_wrong_method_is_json_405(client, method, path, allowed):
    response = client.open(path, method=method, headers=bearer())
    allow = {name.strip() for name in response.headers["Allow"].split(",")}

    assert response.status_code == 405
    assert response.mimetype == "application/json"
    assert response.get_json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert error_body_keys(response) == {"error", "error_code"}
    assert allow == allowed


def test_internal_error_is_json_500(app, client, auth, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("simulated store failure")

    monkeypatch.setattr(app.extensions["deepsy_mock"].store, "get_campaign", fail)

    response = client.get(DETAILS, headers=auth)

    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert response.get_json()["error_code"] == "INTERNAL_ERROR"
    assert "simulated" not in response.get_json()["error"]
    assert error_body_keys(response) == {"error", "error_code"}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", LIST, {"headers": {}}, 401),
        ("GET", "/api/v1/campaign/not-a-uuid/list", {}, 403),
        ("GET", f"/api/v1/campaign/{ACME}/camp_000000000/get-details", {}, 404),
        ("POST", f"/api/v1/campaign/{ACME}/create", {"data": "{"}, 400),
        ("POST", f"/api/v1/campaign/{ACME}/create", {"data": "x=1"}, 400),
        (
            "POST",
            f"/api/v1/campaign/{ACME}/create",
            {"data": "x", "content_type": "text/plain"},
            415,
        ),
    ],
)
def test_errors_are_json(client, method, path, kwargs, status):
    kwargs = {"headers": bearer(), **kwargs}
    if "data" in kwargs and "content_type" not in kwargs:
        kwargs["content_type"] = "application/json"

    response = client.open(path, method=method, **kwargs)

    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert error_body_keys(response) == {"error", "error_code"}
    assert isinstance(response.get_json()["error"], str)


def test_validation_error_adds_details(client, auth):
    response = client.get(f"{LIST}?limit=0", headers=auth)

    assert response.mimetype == "application/json"
    assert error_body_keys(response) == {"error", "error_code", "details"}
    assert response.get_json()["details"] == {"limit": ["Must be 1 to 100."]}


def test_success_is_json(client, auth):
    response = client.get(LIST, headers=auth)

    assert response.mimetype == "application/json"


# HEAD.


@pytest.mark.parametrize(
    "path",
    [LIST, DETAILS, "/api/v1/health", "/api/v1/user/me", "/api/v1/user/companies"],
)
def test_head_answers_like_get(client, auth, path):
    got = client.get(path, headers=auth)

    headed = client.head(path, headers=auth)

    assert headed.status_code == got.status_code
    assert headed.data == b""
    assert headed.headers["Content-Type"] == got.headers["Content-Type"]
    assert headed.headers["Content-Length"] == got.headers["Content-Length"]


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        (LIST, {}, 401),
        (f"/api/v1/campaign/{ACME}/camp_000000000/get-details", bearer(), 404),
        (f"{LIST}?page=0", bearer(), 422),
        ("/api/v1/nope", {}, 404),
        (f"/api/v1/campaign/{ACME}/create", bearer(), 405),
    ],
)
def test_head_error_has_status_and_no_body(client, path, headers, status):
    response = client.head(path, headers=headers)

    assert response.status_code == status
    assert response.data == b""
    assert response.mimetype == "application/json"


def test_head_changes_nothing(app, client, auth):
    before = dict(app.extensions["deepsy_mock"].store.state.campaigns)

    client.head(LIST, headers=auth)

    assert dict(app.extensions["deepsy_mock"].store.state.campaigns) == before


# The same rules over real HTTP, through the server that `deepsy-mock serve` runs.


def test_live_head_answers_like_get(fresh_server):

    url = f"{fresh_server.url}{LIST}"
    got = requests.get(url, headers=bearer(), timeout=10)

    headed = requests.head(url, headers=bearer(), timeout=10)

    assert headed.status_code == 200
    assert headed.content == b""
    assert headed.headers["Content-Type"] == got.headers["Content-Type"]
    assert headed.headers["Content-Length"] == got.headers["Content-Length"]


def test_live_preflight_without_key(fresh_server):

    response = requests.options(
        f"{fresh_server.url}{LIST}",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
        timeout=10,
    )

    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("size", [2 * 1024 * 1024, 12 * 1024 * 1024])
def test_live_large_body_is_json_413(fresh_server, size):

    response = requests.post(
        f"{fresh_server.url}/api/v1/campaign/{ACME}/create",
        data=b'{"name": "' + b"x" * size + b'"}',
        headers={**bearer(), "Content-Type": "application/json"},
        timeout=30,
    )

    assert response.status_code == 413
    assert response.json()["error_code"] == "PAYLOAD_TOO_LARGE"


def test_live_wrong_method_has_allow(fresh_server):

    response = requests.delete(f"{fresh_server.url}{LIST}", timeout=10)

    assert response.status_code == 405
    assert response.json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"page=2", "text/plain", 415),
        (b'{"page": 2}', "application/json", 422),
        (None, "text/plain", 200),
    ],
    ids=["text-body", "json-field", "type-without-body"],
)
def test_live_get_body_checked(fresh_server, data, content_type, status):
    response = requests.get(
        f"{fresh_server.url}{LIST}",
        data=data,
        headers={**bearer(), "Content-Type": content_type},
        timeout=10,
    )

    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_live_gzip_body_is_415(fresh_server):
    response = requests.post(
        f"{fresh_server.url}/api/v1/campaign/{ACME}/create",
        data=gzip.compress(b'{"name": "Compressed"}'),
        headers={
            **bearer(),
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
        },
        timeout=10,
    )

    assert response.status_code == 415
    assert response.json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert response.headers["Accept-Encoding"] == "identity"


# CORS preflights on every path, and origin lists.

PREFLIGHT = {**ORIGIN, "Access-Control-Request-Method": "GET"}
APP_ORIGIN = {"Origin": "http://app.example"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-endpoint",
        "/api/v1",
        "/api/v1/",
        "/api/v1/campaign-assets/asset_123456789/",
        "/api/v1//health",
        f"/api/v1/campaign/{ACME}/list/extra",
    ],
)
def test_preflight_unknown_path_is_204(client, path):
    response = client.options(path, headers=PREFLIGHT)

    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_preflight_known_path_lists_allow(client):
    response = client.options(LIST, headers=PREFLIGHT)

    assert response.status_code == 204
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_cors_single_origin_sends_vary(method):
    app = create_app({"ACCESS_LOG": False, "CORS_ORIGINS": ["http://localhost:3000"]})

    response = app.test_client().open(
        "/api/v1/health", method=method, headers={**bearer(), **PREFLIGHT}
    )

    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert response.headers.getlist("Vary") == ["Origin"]


@pytest.mark.parametrize("headers", [APP_ORIGIN, {}], ids=["other-origin", "none"])
def test_cors_unlisted_origin_gets_none(headers):
    app = create_app({"ACCESS_LOG": False, "CORS_ORIGINS": ["http://localhost:3000"]})

    response = app.test_client().get("/api/v1/health", headers={**bearer(), **headers})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_cors_origins_from_environment(monkeypatch):
    monkeypatch.setenv(
        "DEEPSY_MOCK_CORS_ORIGINS", "http://localhost:3000, http://app.example"
    )
    client = create_app({"ACCESS_LOG": False}).test_client()

    first = client.get("/api/v1/health", headers=ORIGIN)
    second = client.options("/api/v1/nowhere", headers={**PREFLIGHT, **APP_ORIGIN})
    other = client.get("/api/v1/health", headers={"Origin": "http://app.example.org"})

    assert first.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert first.headers.getlist("Vary") == ["Origin"]
    assert second.status_code == 204
    assert second.headers["Access-Control-Allow-Origin"] == "http://app.example"
    assert second.headers.getlist("Vary") == ["Origin"]
    assert "Access-Control-Allow-Origin" not in other.headers


def test_live_preflight_unknown_path_is_204(fresh_server):
    response = requests.options(
        f"{fresh_server.api_url}/no-such-endpoint", headers=PREFLIGHT, timeout=10
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "origins",
    [['["http://localhost:3000"]'], ["http://app.example*"], ["^http://.*"]],
)
def test_cors_origins_match_literally(origins):
    app = create_app({"ACCESS_LOG": False, "CORS_ORIGINS": origins})

    response = app.test_client().get("/api/v1/health", headers=APP_ORIGIN)

    assert "Access-Control-Allow-Origin" not in response.headers
