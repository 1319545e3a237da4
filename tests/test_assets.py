"""Campaign asset endpoints: upload, list, get, replace, rename and the file URL."""

import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from conftest import ACME, GLOBEX, INITECH, bearer

from mockserver import create_app
from mockserver.files import parse_byte_ranges, safe_file_path

API = "/api/v1"
LOGO = "asset_246813579"
LETTER = "asset_135792468"
LOGO_FILE = Path(__file__).parent.parent / "fixtures" / "files" / "acme-logo.svg"
BOUNDARY = "test-boundary-7MA4YWxk"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
DIGITS = b"0123456789"
FIXED_NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
ASSET_FIELDS = {
    "asset_id",
    "name",
    "file_name",
    "file_path",
    "content_type",
    "size",
    "checksum",
    "url",
    "created_at",
    "updated_at",
}


def multipart(*parts, boundary=BOUNDARY):
    """Return a multipart/form-data body built from (header lines, content) parts."""
    chunks = [
        f"--{boundary}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n"
        for headers, content in parts
    ]
    return b"".join(chunks) + f"--{boundary}--\r\n".encode()


def file_part(file_name, content, content_type=None, name="file"):
    """Return a file part; the name goes in `filename*`, so any character survives."""
    encoded = quote(file_name, safe="")
    headers = (
        f"Content-Disposition: form-data; name=\"{name}\"; filename*=UTF-8''{encoded}"
    )
    if content_type is not None:
        headers += f"\r\nContent-Type: {content_type}"
    return headers, content


def text_part(name, value):
    return f'Content-Disposition: form-data; name="{name}"', value.encode()


def send_multipart(client, path, body, method="POST", headers=None):
    headers = {"Content-Type": MULTIPART, **(bearer() if headers is None else headers)}
    return client.open(f"{API}{path}", method=method, data=body, headers=headers)


def upload(client, file_name="digits.txt", content=DIGITS, company=ACME, **kwargs):
    body = multipart(file_part(file_name, content, kwargs.pop("content_type", None)))
    return send_multipart(client, f"/campaign-assets/{company}/upload", body, **kwargs)


def local_path(url):
    """Return the path of an absolute file URL from the test client's host."""
    return url.removeprefix("http://localhost")


@pytest.fixture
def store(app):
    """The app's store, with its clock fixed at FIXED_NOW."""
    store = app.extensions["deepsy_mock"].store
    store.clock = lambda: FIXED_NOW
    return store


@pytest.fixture
def small_app():
    """An app whose asset files may be at most 1024 bytes."""
    return create_app({"ACCESS_LOG": False, "MAX_ASSET_BYTES": 1024})


@pytest.fixture
def digits_path(client):
    """The file path of an uploaded 10-byte text file, "0123456789"."""
    response = upload(client)
    assert response.status_code == 201
    return local_path(response.get_json()["url"])


# Upload.


def test_upload_returns_created_asset(client, store):
    response = upload(client, "Acme logo v2.png", b"\x89PNG fake")
    body = response.get_json()

    assert response.status_code == 201
    assert set(body) == ASSET_FIELDS
    assert body["asset_id"].startswith("asset_")
    assert body["name"] == "Acme logo v2.png"
    assert body["file_name"] == "Acme logo v2.png"
    assert body["file_path"] == "Acme logo v2.png"
    assert body["content_type"] == "image/png"
    assert body["size"] == 9
    assert body["checksum"] == "sha256:" + hashlib.sha256(b"\x89PNG fake").hexdigest()
    assert body["url"] == (
        f"http://localhost/api/v1/campaign-assets/{body['asset_id']}/"
        "Acme%20logo%20v2.png"
    )
    assert body["created_at"] == "2030-05-06T07:08:09Z"
    assert body["updated_at"] == "2030-05-06T07:08:09Z"


def test_upload_appears_in_list_and_get(client, auth):
    asset = upload(client).get_json()

    listed = client.get(f"{API}/campaign-assets/{ACME}/list", headers=auth)
    fetched = client.get(
        f"{API}/campaign-assets/{ACME}/{asset['asset_id']}", headers=auth
    )

    assert listed.get_json()["items"][0] == asset
    assert fetched.status_code == 200
    assert fetched.get_json() == asset


def test_upload_serves_uploaded_bytes(client):
    asset = upload(client, "letter.txt", b"Dear candidate").get_json()

    response = client.get(local_path(asset["url"]))

    assert response.status_code == 200
    assert response.data == b"Dear candidate"
    assert response.headers["Content-Type"] == "text/plain"


def test_upload_name_part_sets_display_name(client):
    body = multipart(
        file_part("logo.svg", b"<svg/>"), text_part("name", "  Brand logo  ")
    )

    response = send_multipart(client, f"/campaign-assets/{ACME}/upload", body)

    assert response.status_code == 201
    assert response.get_json()["name"] == "Brand logo"
    assert response.get_json()["file_name"] == "logo.svg"


def test_upload_accepts_test_client_files(client, auth):
    data = {"file": (io.BytesIO(b"a,b\n1,2\n"), "scores.csv"), "name": "Scores"}

    response = client.post(
        f"{API}/campaign-assets/{ACME}/upload", data=data, headers=auth
    )

    assert response.status_code == 201
    assert response.get_json()["content_type"] == "text/csv"


@pytest.mark.parametrize(
    ("file_name", "declared", "expected"),
    [
        ("photo.JPG", None, "image/jpeg"),
        ("photo.jpeg", None, "image/jpeg"),
        ("anim.gif", None, "image/gif"),
        ("hero.webp", None, "image/webp"),
        ("logo.svg", "application/octet-stream", "image/svg+xml"),
        ("report.pdf", "image/png", "application/pdf"),
        ("notes.txt", None, "text/plain"),
        ("brief.doc", None, "application/msword"),
        (
            "brief.docx",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("sheet.xls", None, "application/vnd.ms-excel"),
        (
            "sheet.xlsx",
            None,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("deck.ppt", None, "application/vnd.ms-powerpoint"),
        (
            "deck.pptx",
            None,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("jingle.mp3", None, "audio/mpeg"),
        ("intro.mp4", None, "video/mp4"),
        ("scan", "image/png", "image/png"),
        ("export.data", "Text/CSV; charset=utf-8", "text/csv"),
        ("photo", "image/jpg", "image/jpeg"),
        ("track", "audio/mp3", "audio/mpeg"),
    ],
)
def test_upload_detects_content_type(client, file_name, declared, expected):
    response = upload(client, file_name, b"data", content_type=declared)

    assert response.status_code == 201
    assert response.get_json()["content_type"] == expected


@pytest.mark.parametrize(
    ("file_name", "declared"),
    [
        ("setup.exe", "application/octet-stream"),
        ("page.html", "text/html"),
        ("archive.zip", "application/zip"),
        ("no-extension", None),
        ("movie.mkv", "video/x-matroska"),
    ],
)
def test_upload_rejects_unsupported_type(client, file_name, declared):
    response = upload(client, file_name, b"data", content_type=declared)

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize(
    ("file_name", "declared"),
    [
        ("setup.exe", "image/png"),
        ("page.html", "text/plain"),
        ("PAGE.HTM", "text/plain"),
        ("archive.zip", "application/pdf"),
        ("script.js", "text/plain"),
        ("firmware.bin", "image/png"),
    ],
)
def test_upload_disallowed_extension_beats_declared_type(client, file_name, declared):
    response = upload(client, file_name, b"data", content_type=declared)
    body = response.get_json()

    assert response.status_code == 415
    assert body["error_code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "extension" in body["error"]


@pytest.mark.parametrize(
    ("file_name", "declared", "expected"),
    [
        ("Q1.2024", "application/pdf", "application/pdf"),
        ("export.data", "text/csv", "text/csv"),
        ("photo.jpe", "image/jpeg", "image/jpeg"),
    ],
)
def test_upload_unknown_extension_uses_declared_type(
    client, file_name, declared, expected
):
    response = upload(client, file_name, b"data", content_type=declared)

    assert response.status_code == 201
    assert response.get_json()["content_type"] == expected


@pytest.mark.parametrize(
    ("file_name", "declared", "expected_path"),
    [
        ("../../etc/passwd.txt", None, "passwd.txt"),
        ("C:\\Users\\me\\logo.png", None, "logo.png"),
        ("a\x01b\x7f.txt", None, "ab.txt"),
        ("line\nbreak.txt", None, "linebreak.txt"),
        ("\u202egnp.txt", None, "gnp.txt"),
        ("notes..txt", None, "notes.txt"),
        ("..", "text/plain", "file.txt"),
        ("  spaced.txt  ", None, "spaced.txt"),
        ("uploads/", "image/png", "file.png"),
        ("photo", "image/jpeg", "photo"),
    ],
)
def test_upload_makes_file_path_safe(client, file_name, declared, expected_path):
    response = upload(client, file_name, b"data", content_type=declared)
    body = response.get_json()

    assert response.status_code == 201
    assert body["file_path"] == expected_path
    assert body["file_name"] == file_name
    assert client.get(local_path(body["url"])).data == b"data"


@pytest.mark.parametrize(
    "file_name",
    ["Acme logo v2.png", "été 2024 (final).pdf", "100% #1 & more?.txt", ".hidden.txt"],
)
def test_upload_keeps_safe_file_name(client, file_name):
    response = upload(client, file_name, b"data")
    body = response.get_json()

    assert response.status_code == 201
    assert body["file_path"] == file_name
    assert client.get(local_path(body["url"])).data == b"data"


def test_upload_empty_file_name_gets_fallback(client):
    body = multipart(
        (
            'Content-Disposition: form-data; name="file"; filename=""\r\n'
            "Content-Type: image/png",
            b"png",
        )
    )

    response = send_multipart(client, f"/campaign-assets/{ACME}/upload", body)

    assert response.status_code == 201
    assert response.get_json()["file_path"] == "file.png"
    assert response.get_json()["name"] == "file.png"


def test_upload_cuts_long_file_name(client):
    response = upload(client, "x" * 300 + ".txt", b"data")
    body = response.get_json()

    assert response.status_code == 201
    assert body["file_path"] == "x" * 196 + ".txt"
    assert body["name"] == body["file_path"]
    assert body["file_name"] == "x" * 300 + ".txt"


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/json", b'{"file": "logo.png"}'),
        ("application/x-www-form-urlencoded", b"file=logo.png"),
        ("multipart/mixed; boundary=x", b"--x--\r\n"),
        (None, b""),
    ],
)
def test_upload_rejects_non_multipart_body(client, auth, content_type, data):
    headers = dict(auth)
    if content_type is not None:
        headers["Content-Type"] = content_type

    response = client.post(
        f"{API}/campaign-assets/{ACME}/upload", data=data, headers=headers
    )

    assert response.status_code == 415
    assert response.get_json()["error_code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_upload_file_over_limit_is_413(small_app):
    response = upload(small_app.test_client(), "big.txt", b"x" * 1025)

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"


def test_upload_file_at_limit_is_accepted(small_app):
    response = upload(small_app.test_client(), "big.txt", b"x" * 1024)

    assert response.status_code == 201
    assert response.get_json()["size"] == 1024


def test_upload_request_over_limit_is_413(small_app):
    # The file limit is 1024 bytes, plus 64 KiB for the multipart framing.
    body = multipart(file_part("a.txt", b"a"), text_part("name", "n" * 70_000))

    response = send_multipart(
        small_app.test_client(), f"/campaign-assets/{ACME}/upload", body
    )

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"


def test_upload_chunked_body_over_limit_413(small_app, auth):
    body = multipart(file_part("a.txt", b"a"), text_part("name", "n" * 70_000))

    response = small_app.test_client().post(
        f"{API}/campaign-assets/{ACME}/upload",
        input_stream=io.BytesIO(body),
        headers={**auth, "Content-Type": MULTIPART},
    )

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    "parts",
    [
        [file_part("a.txt", b"a"), text_part("name", "n" * 600_000)],
        [file_part("a.txt", b"a"), *(text_part(f"p{i}", "x") for i in range(1001))],
    ],
    ids=["text-part-over-500000-bytes", "over-1000-parts"],
)
def test_upload_form_limits_are_413(client, parts):
    response = send_multipart(
        client, f"/campaign-assets/{ACME}/upload", multipart(*parts)
    )

    assert response.status_code == 413
    assert response.get_json()["error_code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", multipart(file_part("a.txt", b"a"))),
        ("multipart/form-data; boundary=other", multipart(file_part("a.txt", b"a"))),
        (MULTIPART, multipart(file_part("a.txt", b"abc"))[:-30]),
        (MULTIPART, multipart(file_part("a.txt", b"abc"))[:20]),
        (MULTIPART, b"not a multipart body at all"),
        (MULTIPART, multipart(("Content-Type: text/plain", b"no disposition"))),
        (
            MULTIPART,
            multipart(('Content-Disposition: form-data; filename="a.txt"', b"a")),
        ),
        (MULTIPART, multipart(file_part("a.txt", b"a", name=""))),
        (MULTIPART, multipart(file_part("a.txt", b"a"), text_part("", "x"))),
    ],
    ids=[
        "no-boundary",
        "wrong-boundary",
        "truncated-data",
        "truncated-headers",
        "garbage",
        "no-disposition",
        "no-part-name",
        "empty-file-part-name",
        "empty-text-part-name",
    ],
)
def test_upload_malformed_body_is_400(client, auth, content_type, body):
    response = client.post(
        f"{API}/campaign-assets/{ACME}/upload",
        data=body,
        headers={**auth, "Content-Type": content_type},
    )

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_MULTIPART"


def test_upload_empty_body_is_400(client, auth):
    # `data=b""` would make the test client write an empty form; this sends
    # no bytes at all.
    response = client.post(
        f"{API}/campaign-assets/{ACME}/upload",
        input_stream=io.BytesIO(b""),
        content_length=0,
        headers={**auth, "Content-Type": MULTIPART},
    )

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_MULTIPART"


def test_upload_body_shorter_than_length_is_400(client, auth):
    body = multipart(file_part("a.txt", b"abc"))

    response = client.post(
        f"{API}/campaign-assets/{ACME}/upload",
        input_stream=io.BytesIO(body[:-20]),
        content_length=len(body),
        headers={**auth, "Content-Type": MULTIPART},
    )

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_MULTIPART"


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ([text_part("name", "No file")], "file"),
        ([text_part("file", "not a file")], "file"),
        ([file_part("empty.txt", b"")], "file"),
        ([file_part("a.txt", b"a"), text_part("title", "typo")], "title"),
        ([file_part("a.txt", b"a"), text_part("name", "   ")], "name"),
        ([file_part("a.txt", b"a"), text_part("name", "n" * 201)], "name"),
        ([file_part("a.txt", b"a"), file_part("b.txt", b"b", name="name")], "name"),
        ([file_part("a.txt", b"a"), file_part("b.txt", b"b")], "file"),
        (
            [file_part("a.txt", b"a"), text_part("name", "A"), text_part("name", "B")],
            "name",
        ),
    ],
    ids=[
        "file-missing",
        "file-as-text",
        "file-empty",
        "unknown-part",
        "name-blank",
        "name-too-long",
        "name-as-file",
        "file-twice",
        "name-twice",
    ],
)
def test_upload_invalid_form_is_422(client, parts, field):
    response = send_multipart(
        client, f"/campaign-assets/{ACME}/upload", multipart(*parts)
    )
    body = response.get_json()

    assert response.status_code == 422
    assert body["error_code"] == "VALIDATION_ERROR"
    assert list(body["details"]) == [field]


def test_upload_accepts_200_character_name(client):
    body = multipart(file_part("a.txt", b"a"), text_part("name", "n" * 200))

    response = send_multipart(client, f"/campaign-assets/{ACME}/upload", body)

    assert response.status_code == 201
    assert response.get_json()["name"] == "n" * 200


def test_upload_unknown_query_parameter_is_422(client):
    body = multipart(file_part("a.txt", b"a"))

    response = send_multipart(client, f"/campaign-assets/{ACME}/upload?x=1", body)

    assert response.status_code == 422
    assert list(response.get_json()["details"]) == ["x"]


def test_upload_checks_type_before_form(client):
    parts = [file_part("setup.exe", b"MZ"), text_part("title", "typo")]

    response = send_multipart(
        client, f"/campaign-assets/{ACME}/upload", multipart(*parts)
    )

    assert response.status_code == 415


def test_upload_checks_size_before_type(small_app):
    response = upload(small_app.test_client(), "setup.exe", b"x" * 2000)

    assert response.status_code == 413


def test_upload_checks_declared_size_before_syntax(small_app, auth):
    response = small_app.test_client().post(
        f"{API}/campaign-assets/{ACME}/upload",
        data=b"x" * 70_000,
        headers={**auth, "Content-Type": MULTIPART},
    )

    assert response.status_code == 413


def test_upload_checks_media_type_before_size(small_app, auth):
    response = small_app.test_client().post(
        f"{API}/campaign-assets/{ACME}/upload",
        data=b"x" * 70_000,
        headers={**auth, "Content-Type": "application/json"},
    )

    assert response.status_code == 415


def test_upload_checks_key_before_body(client):
    response = client.post(
        f"{API}/campaign-assets/{ACME}/upload",
        data=b"{}",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 401
    assert response.get_json()["error_code"] == "API_KEY_NOT_PROVIDED"


# Access checks, common to every asset endpoint but the file URL.

ASSET_ENDPOINTS = [
    ("POST", "/campaign-assets/{company}/upload", "multipart"),
    ("GET", "/campaign-assets/{company}/list", None),
    ("GET", f"/campaign-assets/{{company}}/{LOGO}", None),
    ("PUT", f"/campaign-assets/{{company}}/{LOGO}/replace", "multipart"),
    ("PUT", f"/campaign-assets/{{company}}/{LOGO}/rename", "json"),
]


def call_endpoint(client, endpoint, company, headers):
    method, path, body_kind = endpoint
    url = API + path.format(company=company)
    if body_kind == "multipart":
        body = multipart(file_part("a.txt", b"a"))
        return client.open(
            url,
            method=method,
            data=body,
            headers={**headers, "Content-Type": MULTIPART},
        )
    if body_kind == "json":
        return client.open(url, method=method, json={"name": "New"}, headers=headers)
    return client.open(url, method=method, headers=headers)


@pytest.mark.parametrize("endpoint", ASSET_ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
@pytest.mark.parametrize(
    ("headers", "status", "error_code"),
    [
        ({}, 401, "API_KEY_NOT_PROVIDED"),
        ({"Authorization": "Token abc"}, 401, "INVALID_API_KEY_FORMAT"),
        (bearer("deepsy-dev-unknown"), 401, "INVALID_API_KEY"),
        (bearer("deepsy-dev-mock-inactive"), 401, "API_KEY_INACTIVE"),
        (bearer("deepsy-dev-mock-globex"), 403, "USER_NOT_IN_COMPANY"),
        (bearer("deepsy-dev-mock-no-permissions"), 403, "NO_PERMISSIONS_FOUND"),
        (bearer("deepsy-dev-mock-reports"), 403, "INSUFFICIENT_PERMISSIONS"),
    ],
)
def test_endpoint_rejects_key_for_acme(client, endpoint, headers, status, error_code):
    response = call_endpoint(client, endpoint, ACME, headers)

    assert response.status_code == status
    assert response.get_json()["error_code"] == error_code


@pytest.mark.parametrize("endpoint", ASSET_ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_endpoint_inactive_subscription_is_402(client, endpoint):
    response = call_endpoint(
        client, endpoint, INITECH, bearer("deepsy-dev-mock-initech")
    )

    assert response.status_code == 402
    assert response.get_json()["error_code"] == "ACTIVE_SUBSCRIPTION_REQUIRED"


@pytest.mark.parametrize("endpoint", ASSET_ENDPOINTS[2:], ids=lambda e: e[0] + e[1])
def test_endpoint_other_company_asset_is_404(client, endpoint):
    # The founder key reaches Globex, but the asset belongs to Acme.
    response = call_endpoint(
        client, endpoint, GLOBEX, bearer("deepsy-dev-mock-founder")
    )

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


@pytest.mark.parametrize("endpoint", ASSET_ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_endpoint_not_a_uuid_company_is_403(client, auth, endpoint):
    response = call_endpoint(client, endpoint, "not-a-uuid", auth)

    assert response.status_code == 403
    assert response.get_json()["error_code"] == "USER_NOT_IN_COMPANY"


@pytest.mark.parametrize("endpoint", ASSET_ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
def test_endpoint_accepts_founder_key(client, endpoint):
    response = call_endpoint(client, endpoint, ACME, bearer("deepsy-dev-mock-founder"))

    assert response.status_code in (200, 201)


# Routing between the company endpoints and the public file URL.


def test_routing_get_on_upload_is_asset_lookup(client, auth):
    response = client.get(f"{API}/campaign-assets/{ACME}/upload", headers=auth)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


def test_routing_not_a_uuid_list_is_403(client, auth):
    response = client.get(f"{API}/campaign-assets/not-a-uuid/list", headers=auth)

    assert response.status_code == 403
    assert response.get_json()["error_code"] == "USER_NOT_IN_COMPANY"


def test_routing_asset_id_segment_is_file_url(client):
    response = client.get(f"{API}/campaign-assets/{LOGO}/list")

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


def test_routing_post_to_file_url_is_405(client, auth):
    response = client.post(f"{API}/campaign-assets/{LOGO}/upload", headers=auth)

    assert response.status_code == 405
    assert response.get_json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["Allow"]
    assert "POST" not in response.headers["Allow"]


def test_routing_get_on_replace_is_405(client, auth):
    response = client.get(f"{API}/campaign-assets/{ACME}/{LOGO}/replace", headers=auth)

    assert response.status_code == 405
    assert "PUT" in response.headers["Allow"]


def test_routing_nested_file_path_is_404(client):
    response = client.get(f"{API}/campaign-assets/{LOGO}/sub/acme-logo.svg")

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


# List.


def ids_of(response):
    return [item["asset_id"] for item in response.get_json()["items"]]


def test_list_returns_seeded_assets(client, auth):
    response = client.get(f"{API}/campaign-assets/{ACME}/list", headers=auth)
    body = response.get_json()

    assert response.status_code == 200
    assert ids_of(response) == [LETTER, LOGO]
    assert body["count"] == 2
    assert body["pages"] == 1
    assert set(body["items"][0]) == ASSET_FIELDS


def test_list_other_company_has_none(client):
    response = client.get(
        f"{API}/campaign-assets/{GLOBEX}/list", headers=bearer("deepsy-dev-mock-globex")
    )

    assert response.status_code == 200
    assert response.get_json() == {"items": [], "count": 0, "pages": 0}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("order=asc", [LOGO, LETTER]),
        ("order_by=name&order=asc", [LOGO, LETTER]),
        ("order_by=size&order=asc", [LETTER, LOGO]),
        ("order_by=content_type", [LETTER, LOGO]),
        ("order_by=updated_at", [LETTER, LOGO]),
        ("limit=1", [LETTER]),
        ("limit=1&page=2", [LOGO]),
        ("limit=1&page=3", []),
        ("query=LOGO", [LOGO]),
        ("query=welcome-letter.txt", [LETTER]),
        ("query=%20%20", [LETTER, LOGO]),
        ("query=nothing-matches", []),
    ],
)
def test_list_applies_query(client, auth, query, expected):
    response = client.get(f"{API}/campaign-assets/{ACME}/list?{query}", headers=auth)

    assert response.status_code == 200
    assert ids_of(response) == expected


def test_list_counts_pages_past_the_end(client, auth):
    response = client.get(
        f"{API}/campaign-assets/{ACME}/list?limit=1&page=3", headers=auth
    )

    assert response.get_json()["count"] == 2
    assert response.get_json()["pages"] == 2


def test_list_search_ignores_accents(client, auth):
    body = multipart(file_part("guide.pdf", b"%PDF"), text_part("name", "Évaluation"))
    created = send_multipart(client, f"/campaign-assets/{ACME}/upload", body)

    response = client.get(
        f"{API}/campaign-assets/{ACME}/list?query=evaluation", headers=auth
    )

    assert ids_of(response) == [created.get_json()["asset_id"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("order=ASC", "order"),
        ("order_by=file_name", "order_by"),
        ("sort=name", "sort"),
    ],
)
def test_list_invalid_query_is_422(client, auth, query, field):
    response = client.get(f"{API}/campaign-assets/{ACME}/list?{query}", headers=auth)
    body = response.get_json()

    assert response.status_code == 422
    assert body["error_code"] == "VALIDATION_ERROR"
    assert field in body["details"]


# Get.


def test_get_returns_seeded_logo(client, auth):
    response = client.get(f"{API}/campaign-assets/{ACME}/{LOGO}", headers=auth)
    content = LOGO_FILE.read_bytes()

    assert response.status_code == 200
    assert response.get_json() == {
        "asset_id": LOGO,
        "name": "Acme logo",
        "file_name": "acme-logo.svg",
        "file_path": "acme-logo.svg",
        "content_type": "image/svg+xml",
        "size": len(content),
        "checksum": "sha256:" + hashlib.sha256(content).hexdigest(),
        "url": f"http://localhost/api/v1/campaign-assets/{LOGO}/acme-logo.svg",
        "created_at": "2023-01-02T09:00:00Z",
        "updated_at": "2023-01-02T09:00:00Z",
    }


def test_get_url_uses_public_base_url(auth):
    app = create_app({"ACCESS_LOG": False, "PUBLIC_BASE_URL": "https://mock.test/"})

    response = app.test_client().get(
        f"{API}/campaign-assets/{ACME}/{LOGO}", headers=auth
    )

    assert response.get_json()["url"] == (
        f"https://mock.test/api/v1/campaign-assets/{LOGO}/acme-logo.svg"
    )


@pytest.mark.parametrize("asset_id", ["asset_000000000", "upload", "camp_123456789"])
def test_get_unknown_asset_is_404(client, auth, asset_id):
    response = client.get(f"{API}/campaign-assets/{ACME}/{asset_id}", headers=auth)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


def test_get_unknown_query_parameter_is_422(client, auth):
    response = client.get(f"{API}/campaign-assets/{ACME}/{LOGO}?v=1", headers=auth)

    assert response.status_code == 422
    assert list(response.get_json()["details"]) == ["v"]


# Replace.


def replace(client, asset_id, *parts, headers=None):
    path = f"/campaign-assets/{ACME}/{asset_id}/replace"
    return send_multipart(client, path, multipart(*parts), "PUT", headers)


def test_replace_changes_file_keeps_id(client, store):
    response = replace(client, LOGO, file_part("logo-2024.png", b"\x89PNG new"))
    body = response.get_json()

    assert response.status_code == 200
    assert body["asset_id"] == LOGO
    assert body["name"] == "Acme logo"
    assert body["file_name"] == "logo-2024.png"
    assert body["file_path"] == "logo-2024.png"
    assert body["content_type"] == "image/png"
    assert body["size"] == 8
    assert body["checksum"] == "sha256:" + hashlib.sha256(b"\x89PNG new").hexdigest()
    assert body["url"].endswith(f"/campaign-assets/{LOGO}/logo-2024.png")
    assert body["created_at"] == "2023-01-02T09:00:00Z"
    assert body["updated_at"] == "2030-05-06T07:08:09Z"


def test_replace_moves_the_file_url(client):
    replace(client, LOGO, file_part("logo-2024.png", b"\x89PNG new"))

    old = client.get(f"{API}/campaign-assets/{LOGO}/acme-logo.svg")
    new = client.get(f"{API}/campaign-assets/{LOGO}/logo-2024.png")

    assert old.status_code == 404
    assert old.get_json()["error_code"] == "ASSET_NOT_FOUND"
    assert new.status_code == 200
    assert new.data == b"\x89PNG new"


def test_replace_same_file_name_changes_etag(client):
    path = f"{API}/campaign-assets/{LOGO}/acme-logo.svg"
    before = client.get(path).headers["ETag"]

    replace(client, LOGO, file_part("acme-logo.svg", b"<svg>new</svg>"))
    response = client.get(path, headers={"If-None-Match": before})

    assert response.status_code == 200
    assert response.data == b"<svg>new</svg>"


def test_replace_name_part_renames(client):
    response = replace(
        client, LOGO, file_part("logo.svg", b"<svg/>"), text_part("name", " New logo ")
    )

    assert response.status_code == 200
    assert response.get_json()["name"] == "New logo"


def test_replace_shows_in_get(client, auth):
    replaced = replace(client, LETTER, file_part("letter-v2.txt", b"v2")).get_json()

    response = client.get(f"{API}/campaign-assets/{ACME}/{LETTER}", headers=auth)

    assert response.get_json() == replaced


def test_replace_unknown_asset_is_404(client):
    response = replace(client, "asset_000000000", file_part("a.txt", b"a"))

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


def test_replace_checks_asset_before_body(client, auth):
    response = client.put(
        f"{API}/campaign-assets/{ACME}/asset_000000000/replace",
        json={"file": "a.txt"},
        headers=auth,
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("parts", "status", "error_code"),
    [
        ([file_part("setup.exe", b"MZ")], 415, "UNSUPPORTED_MEDIA_TYPE"),
        ([text_part("name", "Only a name")], 422, "VALIDATION_ERROR"),
        ([file_part("a.txt", b"")], 422, "VALIDATION_ERROR"),
    ],
)
def test_replace_invalid_body_keeps_asset(client, auth, parts, status, error_code):
    response = replace(client, LOGO, *parts)
    after = client.get(f"{API}/campaign-assets/{ACME}/{LOGO}", headers=auth)

    assert response.status_code == status
    assert response.get_json()["error_code"] == error_code
    assert after.get_json()["file_path"] == "acme-logo.svg"


def test_replace_non_multipart_is_415(client, auth):
    response = client.put(
        f"{API}/campaign-assets/{ACME}/{LOGO}/replace", json={}, headers=auth
    )

    assert response.status_code == 415


def test_replace_file_over_limit_is_413(small_app):
    response = replace(small_app.test_client(), LOGO, file_part("a.txt", b"x" * 1025))

    assert response.status_code == 413


def test_replace_malformed_body_is_400(client, auth):
    response = client.put(
        f"{API}/campaign-assets/{ACME}/{LOGO}/replace",
        data=b"--nope",
        headers={**auth, "Content-Type": MULTIPART},
    )

    assert response.status_code == 400
    assert response.get_json()["error_code"] == "INVALID_MULTIPART"


# Rename.


def rename(client, asset_id, json=None, **kwargs):
    headers = kwargs.pop("headers", bearer())
    return client.put(
        f"{API}/campaign-assets/{ACME}/{asset_id}/rename",
        json=json,
        headers=headers,
        **kwargs,
    )


def test_rename_changes_display_name_only(client, store):
    response = rename(client, LOGO, {"name": "  Brand mark  "})
    body = response.get_json()

    assert response.status_code == 200
    assert body["name"] == "Brand mark"
    assert body["file_name"] == "acme-logo.svg"
    assert body["file_path"] == "acme-logo.svg"
    assert body["url"].endswith(f"/campaign-assets/{LOGO}/acme-logo.svg")
    assert body["updated_at"] == "2030-05-06T07:08:09Z"
    assert body["created_at"] == "2023-01-02T09:00:00Z"


def test_rename_keeps_file_url_working(client):
    rename(client, LOGO, {"name": "Brand mark"})

    response = client.get(f"{API}/campaign-assets/{LOGO}/acme-logo.svg")

    assert response.status_code == 200
    assert response.data == LOGO_FILE.read_bytes()


def test_rename_shows_in_list(client, auth):
    rename(client, LETTER, {"name": "Zebra letter"})

    response = client.get(
        f"{API}/campaign-assets/{ACME}/list?order_by=name&order=asc", headers=auth
    )

    assert ids_of(response) == [LOGO, LETTER]
    assert response.get_json()["items"][1]["name"] == "Zebra letter"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"name": 5}, "name"),
        ({"name": None}, "name"),
        ({"name": "Ok", "file_path": "x.svg"}, "file_path"),
    ],
)
def test_rename_invalid_body_is_422(client, body, field):
    response = rename(client, LOGO, body)

    assert response.status_code == 422
    assert response.get_json()["error_code"] == "VALIDATION_ERROR"
    assert list(response.get_json()["details"]) == [field]


def test_rename_array_body_is_422(client):
    response = rename(client, LOGO, ["name"])

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("data", "content_type", "status", "error_code"),
    [
        (b"name=x", "application/x-www-form-urlencoded", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"name": ', "application/json", 400, "INVALID_JSON"),
        (b"", "application/json", 400, "INVALID_JSON"),
        (b"", None, 400, "INVALID_JSON"),
    ],
)
def test_rename_bad_body(client, auth, data, content_type, status, error_code):
    headers = dict(auth)
    if content_type is not None:
        headers["Content-Type"] = content_type

    response = client.put(
        f"{API}/campaign-assets/{ACME}/{LOGO}/rename", data=data, headers=headers
    )

    assert response.status_code == status
    assert response.get_json()["error_code"] == error_code


def test_rename_unknown_asset_is_404(client):
    response = rename(client, "asset_000000000", {"name": "x"})

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


def test_rename_unknown_query_parameter_is_422(client):
    response = rename(client, LOGO, {"name": "x"}, query_string={"force": "1"})

    assert response.status_code == 422
    assert list(response.get_json()["details"]) == ["force"]


# The public file URL.

LOGO_PATH = f"{API}/campaign-assets/{LOGO}/acme-logo.svg"
LOGO_ETAG = '"' + hashlib.sha256(LOGO_FILE.read_bytes()).hexdigest() + '"'
LOGO_MODIFIED = "Mon, 02 Jan 2023 09:00:00 GMT"
EARLIER = "Sun, 01 Jan 2023 09:00:00 GMT"
LATER = "Tue, 03 Jan 2023 09:00:00 GMT"


def test_file_returns_bytes_and_headers(client):
    response = client.get(LOGO_PATH)
    content = LOGO_FILE.read_bytes()

    assert response.status_code == 200
    assert response.data == content
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["Content-Length"] == str(len(content))
    assert response.headers["ETag"] == LOGO_ETAG
    assert response.headers["Last-Modified"] == LOGO_MODIFIED
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["Accept-Ranges"] == "bytes"


def test_file_ignores_query_string(client):
    response = client.get(LOGO_PATH + "?v=1700000000&cache=no")

    assert response.status_code == 200
    assert response.data == LOGO_FILE.read_bytes()


def test_file_ignores_api_key(client):
    response = client.get(LOGO_PATH, headers=bearer("deepsy-dev-unknown"))

    assert response.status_code == 200


def test_file_head_has_headers_without_body(client):
    response = client.head(LOGO_PATH)

    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Content-Length"] == str(LOGO_FILE.stat().st_size)
    assert response.headers["ETag"] == LOGO_ETAG


@pytest.mark.parametrize(
    "path",
    [
        f"/campaign-assets/{LOGO}/other.svg",
        f"/campaign-assets/{LOGO}/ACME-LOGO.SVG",
        f"/campaign-assets/{LOGO}/welcome-letter.txt",
        "/campaign-assets/asset_000000000/acme-logo.svg",
    ],
)
def test_file_unknown_path_is_404(client, path):
    response = client.get(API + path)

    assert response.status_code == 404
    assert response.get_json()["error_code"] == "ASSET_NOT_FOUND"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"If-None-Match": LOGO_ETAG}, 304),
        ({"If-None-Match": "W/" + LOGO_ETAG}, 304),
        ({"If-None-Match": f'"other", {LOGO_ETAG}'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Modified-Since": LOGO_MODIFIED}, 304),
        ({"If-Modified-Since": LATER}, 304),
        ({"If-Modified-Since": EARLIER}, 200),
        ({"If-Modified-Since": "yesterday"}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": LATER}, 200),
        ({"If-Match": LOGO_ETAG}, 200),
        ({"If-Match": "*"}, 200),
        ({"If-Match": '"other"'}, 412),
        ({"If-Match": "W/" + LOGO_ETAG}, 412),
        ({"If-Unmodified-Since": LOGO_MODIFIED}, 200),
        ({"If-Unmodified-Since": EARLIER}, 412),
        ({"If-Unmodified-Since": "not a date"}, 200),
        ({"If-Match": LOGO_ETAG, "If-Unmodified-Since": EARLIER}, 200),
        ({"If-Match": '"other"', "If-None-Match": LOGO_ETAG}, 412),
        ({"If-Unmodified-Since": EARLIER, "If-Modified-Since": LATER}, 412),
        ({"If-None-Match": LOGO_ETAG, "Range": "bytes=0-3"}, 304),
        ({"If-Match": '"other"', "Range": "bytes=0-3"}, 412),
        ({"If-Match": LOGO_ETAG, "Range": "bytes=0-3"}, 206),
    ],
)
def test_file_evaluates_preconditions(client, headers, status):
    response = client.get(LOGO_PATH, headers=headers)

    assert response.status_code == status


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_file_not_modified_has_etag_no_body(client, method):
    response = client.open(
        LOGO_PATH, method=method, headers={"If-None-Match": LOGO_ETAG}
    )

    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == LOGO_ETAG
    assert "Content-Length" not in response.headers


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_file_failed_precondition_is_412(client, method):
    response = client.open(LOGO_PATH, method=method, headers={"If-Match": '"other"'})

    assert response.status_code == 412
    if method == "GET":
        assert response.get_json()["error_code"] == "PRECONDITION_FAILED"


@pytest.mark.parametrize(
    ("range_header", "expected_body", "content_range"),
    [
        ("bytes=0-3", b"0123", "bytes 0-3/10"),
        ("bytes=7-", b"789", "bytes 7-9/10"),
        ("bytes=-3", b"789", "bytes 7-9/10"),
        ("bytes=-20", DIGITS, "bytes 0-9/10"),
        ("bytes=5-100", b"56789", "bytes 5-9/10"),
        ("bytes=9-9", b"9", "bytes 9-9/10"),
        ("Bytes=0-0", b"0", "bytes 0-0/10"),
        ("bytes= 2-4 ,", b"234", "bytes 2-4/10"),
    ],
)
def test_file_range_returns_partial_content(
    client, digits_path, range_header, expected_body, content_range
):
    response = client.get(digits_path, headers={"Range": range_header})

    assert response.status_code == 206
    assert response.data == expected_body
    assert response.headers["Content-Range"] == content_range
    assert response.headers["Content-Length"] == str(len(expected_body))
    assert response.headers["Content-Type"] == "text/plain"


@pytest.mark.parametrize(
    "range_header",
    [
        "items=0-3",
        "bytes=3-1",
        "bytes=abc",
        "bytes=-",
        "bytes 0-3",
        "bytes=0-1,4-5",
        "bytes=0-3,20-",
    ],
    ids=[
        "unknown-unit",
        "last-before-first",
        "not-numbers",
        "no-numbers",
        "no-equals",
        "two-ranges",
        "two-ranges-one-outside",
    ],
)
def test_file_ignored_range_returns_whole_file(client, digits_path, range_header):
    response = client.get(digits_path, headers={"Range": range_header})

    assert response.status_code == 200
    assert response.data == DIGITS
    assert "Content-Range" not in response.headers


@pytest.mark.parametrize("range_header", ["bytes=10-", "bytes=10-20", "bytes=-0"])
def test_file_unsatisfiable_range_is_416(client, digits_path, range_header):
    response = client.get(digits_path, headers={"Range": range_header})

    assert response.status_code == 416
    assert response.get_json()["error_code"] == "RANGE_NOT_SATISFIABLE"
    assert response.headers["Content-Range"] == "bytes */10"


def test_file_head_ignores_range(client, digits_path):
    response = client.head(digits_path, headers={"Range": "bytes=0-3"})

    assert response.status_code == 200
    assert response.headers["Content-Length"] == "10"
    assert "Content-Range" not in response.headers


def test_file_head_skips_unsatisfiable_range(client, digits_path):
    response = client.head(digits_path, headers={"Range": "bytes=50-"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("if_range", "status"),
    [
        (LOGO_ETAG, 206),
        ('"other"', 200),
        ("W/" + LOGO_ETAG, 200),
        (LOGO_MODIFIED, 206),
        (LATER, 200),
        ("not a date", 200),
    ],
)
def test_file_if_range_decides_range(client, if_range, status):
    response = client.get(
        LOGO_PATH, headers={"Range": "bytes=0-4", "If-Range": if_range}
    )

    assert response.status_code == status
    expected = LOGO_FILE.read_bytes()
    assert response.data == (expected[:5] if status == 206 else expected)


def test_file_if_range_without_range_is_ignored(client):
    response = client.get(LOGO_PATH, headers={"If-Range": '"other"'})

    assert response.status_code == 200


def test_file_failed_if_range_skips_416(client, digits_path):
    response = client.get(
        digits_path, headers={"Range": "bytes=50-", "If-Range": '"other"'}
    )

    assert response.status_code == 200
    assert response.data == DIGITS


# Helpers of the file module.


@pytest.mark.parametrize(
    "name", ["logo.png", "Ünïcödé naïve.pdf", "a (1).txt", "x" * 200, "no-extension"]
)
def test_safe_file_path_keeps_safe_names(name):
    assert safe_file_path(name, "text/plain") == name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bytes=0-499", [(0, 499)]),
        ("bytes=-500", [(None, 500)]),
        ("bytes=9500-", [(9500, None)]),
        ("bytes=0-0, -1", [(0, 0), (None, 1)]),
        ("bytes=1-0", None),
        ("bytes=", None),
        ("pages=1-2", None),
        ("bytes=0-١", None),
    ],
)
def test_parse_byte_ranges_reads_range_set(value, expected):
    assert parse_byte_ranges(value) == expected


# Over real HTTP: the server under Granian.


@pytest.fixture
def live_asset(fresh_server):
    """Upload a 10-byte text file to the live server and return its metadata."""
    response = requests.post(
        f"{fresh_server.api_url}/campaign-assets/{ACME}/upload",
        files={"file": ("digits live.txt", DIGITS, "text/plain")},
        data={"name": "Digits"},
        headers=bearer(),
        timeout=10,
    )
    assert response.status_code == 201
    return response.json()


def test_live_upload_serves_file(live_asset):
    response = requests.get(live_asset["url"], timeout=10)

    assert live_asset["name"] == "Digits"
    assert live_asset["file_path"] == "digits live.txt"
    assert response.status_code == 200
    assert response.content == DIGITS
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_live_head_has_length_no_body(live_asset):
    response = requests.head(live_asset["url"], timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Length"] == "10"
    assert response.content == b""


def test_live_range_returns_partial_content(live_asset):
    response = requests.get(
        live_asset["url"], headers={"Range": "bytes=2-5"}, timeout=10
    )

    assert response.status_code == 206
    assert response.content == b"2345"
    assert response.headers["Content-Range"] == "bytes 2-5/10"
    assert response.headers["Content-Length"] == "4"


def test_live_unsatisfiable_range_is_416(live_asset):
    response = requests.get(
        live_asset["url"], headers={"Range": "bytes=10-"}, timeout=10
    )

    assert response.status_code == 416
    assert response.json()["error_code"] == "RANGE_NOT_SATISFIABLE"
    assert response.headers["Content-Range"] == "bytes */10"


def test_live_if_none_match_returns_304(live_asset):
    etag = requests.get(live_asset["url"], timeout=10).headers["ETag"]

    response = requests.get(
        live_asset["url"], headers={"If-None-Match": etag}, timeout=10
    )

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag


def test_live_chunked_upload_is_accepted(fresh_server):
    body = multipart(file_part("chunked.txt", b"sent in chunks"))

    def chunks():
        yield from (body[i : i + 16] for i in range(0, len(body), 16))

    response = requests.post(
        f"{fresh_server.api_url}/campaign-assets/{ACME}/upload",
        data=chunks(),
        headers={**bearer(), "Content-Type": MULTIPART},
        timeout=10,
    )

    assert response.status_code == 201
    assert response.json()["size"] == 14


def test_live_malformed_upload_is_400(fresh_server):
    response = requests.post(
        f"{fresh_server.api_url}/campaign-assets/{ACME}/upload",
        data=multipart(file_part("a.txt", b"abc"))[:-20],
        headers={**bearer(), "Content-Type": MULTIPART},
        timeout=10,
    )

    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_MULTIPART"


@pytest.mark.parametrize(
    ("sent_name", "file_name"),
    [
        # As browsers send it: HTML form encoding leaves backslashes alone.
        ("C:\\Users\\bob\\cv.pdf", "C:\\Users\\bob\\cv.pdf"),
        # As a client that escapes backslashes in the quoted string sends it.
        ("C:\\\\Users\\\\bob\\\\cv.pdf", "C:\\Users\\bob\\cv.pdf"),
    ],
)
def test_upload_windows_path_drops_directories(client, sent_name, file_name):
    headers = f'Content-Disposition: form-data; name="file"; filename="{sent_name}"'
    body = multipart((headers, b"%PDF-1.4"))

    response = send_multipart(client, f"/campaign-assets/{ACME}/upload", body)

    assert response.status_code == 201
    assert response.get_json()["file_name"] == file_name
    assert response.get_json()["file_path"] == "cv.pdf"


def test_upload_escaped_quote_in_file_name(client):
    headers = 'Content-Disposition: form-data; name="file"; filename="a\\"b.pdf"'
    body = multipart((headers, b"%PDF-1.4"))

    response = send_multipart(client, f"/campaign-assets/{ACME}/upload", body)

    assert response.status_code == 201
    assert response.get_json()["file_path"] == 'a"b.pdf'
