"""Tests of the pytest plugin: its fixtures, marker, options and xdist workers.

Session-level behaviour runs in inner pytest sessions, each in its own
process (pytester's `runpytest_subprocess`). The fixtures' methods are
tested directly, because the plugin is loaded in this session too.
"""

import json

import pytest

from mockserver.pytest_plugin import DeepsyMockError

pytest_plugins = ["pytester"]

ACME = "c193a06f-1c25-4e65-84a7-95faaae7ae7b"
ACTIVE_CAMPAIGN = "camp_123456789"
# Campaigns of Acme in the seeded state, for every seed.
ACME_CAMPAIGNS = 25
FIXTURE_CAMPAIGN = {
    "campaign_id": "camp_100000001",
    "company_id": ACME,
    "name": "Campaign from a fixture file",
    "status": "active",
    "created_at": "2024-05-01T00:00:00Z",
}

# Helpers of the inner sessions.
INNER_CONFTEST = f"""
import pytest

ACME = "{ACME}"


@pytest.fixture
def campaign_names(deepsy_client):
    def list_names(query=None):
        params = {{"limit": 100, "order_by": "name", "order": "asc"}}
        if query:
            params["query"] = query
        response = deepsy_client.get(f"/campaign/{{ACME}}/list", params=params)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    return list_names
"""


@pytest.fixture
def inner(pytester):
    """A pytester directory with the inner sessions' conftest."""
    pytester.makeconftest(INNER_CONFTEST)
    return pytester


def run_inner(pytester, *args):
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def write_fixtures(directory, campaigns):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "campaigns.json").write_text(json.dumps(campaigns), encoding="utf-8")
    return directory


def test_plugin_loading_stays_lazy(inner):
    inner.makepyfile(
        """
        import sys

        def test_plain():
            assert "requests" not in sys.modules
            assert "mockserver.process" not in sys.modules
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=1)


def test_plugin_fixtures_serve_api(inner):
    inner.makepyfile(
        """
        def test_health(deepsy_mock, deepsy_client):
            response = deepsy_client.get("/health")

            assert response.status_code == 200
            assert response.json() == {"status": "ok"}
            assert deepsy_mock.api_url == deepsy_mock.url + "/api/v1"
            assert deepsy_mock.url.startswith("http://127.0.0.1:")
            assert deepsy_mock.seed == 42
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=1)


def test_plugin_resets_between_tests(inner):
    inner.makepyfile(
        """
        CAMPAIGN = "Left over by the first test"

        def test_first(deepsy_mock, deepsy_client, campaign_names):
            created = deepsy_client.post(
                f"/campaign/{ACME}/create", json={"name": CAMPAIGN}
            )
            deepsy_mock.add_fault("/api/v1/health", status=503)

            assert created.status_code == 201
            assert campaign_names(CAMPAIGN) == [CAMPAIGN]
            assert deepsy_client.get("/health").status_code == 503

        def test_second(deepsy_mock, deepsy_client, campaign_names):
            assert campaign_names(CAMPAIGN) == []
            assert deepsy_client.get("/health").status_code == 200
            assert deepsy_mock.requests(method="POST") == []
        """.replace("{ACME}", ACME)
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=2)


def test_plugin_marker_seed_reverts(inner):
    inner.makepyfile(
        """
        import pytest

        names = {}

        def test_session_seed(deepsy_mock, campaign_names):
            names[42] = campaign_names()

            assert deepsy_mock.seed == 42

        @pytest.mark.deepsy_mock(seed=7)
        def test_marker_seed(deepsy_mock, campaign_names):
            names[7] = campaign_names()

            assert deepsy_mock.seed == 7
            assert names[7] != names[42]

        def test_after_marker(deepsy_mock, campaign_names):
            assert deepsy_mock.seed == 42
            assert campaign_names() == names[42]
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=3)


SEED_SEVEN_TEST = """
def test_seed_seven(deepsy_mock, campaign_names):
    names = campaign_names()
    deepsy_mock.reset(seed=42)
    default_names = campaign_names()
    deepsy_mock.reset(seed=7)

    assert deepsy_mock.seed == 7
    assert names != default_names
    assert campaign_names() == names
"""


@pytest.mark.parametrize(
    ("ini", "args"),
    [
        (None, ["--deepsy-mock-seed", "7"]),
        ("[pytest]\ndeepsy_mock_seed = 7\n", []),
        ("[pytest]\ndeepsy_mock_seed = 3\n", ["--deepsy-mock-seed=7"]),
    ],
    ids=["option", "ini", "option-over-ini"],
)
def test_plugin_session_seed(inner, ini, args):
    if ini:
        inner.makeini(ini)
    inner.makepyfile(SEED_SEVEN_TEST)

    result = run_inner(inner, *args)

    result.assert_outcomes(passed=1)


def test_plugin_bad_ini_seed_fails(inner):
    inner.makeini("[pytest]\ndeepsy_mock_seed = seven\n")
    inner.makepyfile("def test_nothing():\n    pass\n")

    result = run_inner(inner)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*deepsy_mock_seed must be an integer*'seven'*"])


FIXTURE_CAMPAIGN_TEST = f"""
def test_fixture_campaign(deepsy_client):
    response = deepsy_client.get(
        "/campaign/{ACME}/{FIXTURE_CAMPAIGN["campaign_id"]}/get-details"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "{FIXTURE_CAMPAIGN["name"]}"
"""


def test_plugin_fixtures_option(inner):
    write_fixtures(inner.path / "data", [FIXTURE_CAMPAIGN])
    inner.makepyfile(FIXTURE_CAMPAIGN_TEST)

    result = run_inner(inner, "--deepsy-mock-fixtures", "data")

    result.assert_outcomes(passed=1)


def test_plugin_fixtures_ini_relative(inner):
    write_fixtures(inner.path / "config" / "data", [FIXTURE_CAMPAIGN])
    (inner.path / "config" / "pytest.ini").write_text(
        "[pytest]\ndeepsy_mock_fixtures = data\n", encoding="utf-8"
    )
    inner.makepyfile(FIXTURE_CAMPAIGN_TEST)

    result = run_inner(inner, "-c", "config/pytest.ini", "--rootdir", ".")

    result.assert_outcomes(passed=1)


def test_plugin_marker_fixtures_server(inner):
    write_fixtures(inner.path / "data", [FIXTURE_CAMPAIGN])
    inner.makepyfile(
        f"""
        import pytest

        PATH = "/campaign/{ACME}/{FIXTURE_CAMPAIGN["campaign_id"]}/get-details"
        urls = []

        def test_bundled(deepsy_mock, deepsy_client):
            urls.append(deepsy_mock.url)

            assert deepsy_client.get(PATH).status_code == 404

        @pytest.mark.deepsy_mock(fixtures="data", seed=7)
        def test_marker(deepsy_mock, deepsy_client):
            urls.append(deepsy_mock.url)

            assert deepsy_client.get(PATH).status_code == 200
            assert deepsy_mock.seed == 7

        def test_bundled_again(deepsy_mock, deepsy_client):
            assert deepsy_client.get(PATH).status_code == 404
            assert deepsy_mock.url == urls[0]
            assert urls[1] != urls[0]
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=3)


def test_plugin_bad_fixtures_name_file(inner):
    bad = dict(FIXTURE_CAMPAIGN, status="running")
    write_fixtures(inner.path / "data", [bad])
    inner.makepyfile(
        """
        def test_first(deepsy_mock):
            pass

        def test_second(deepsy_mock):
            pass
        """
    )

    result = run_inner(inner, "--deepsy-mock-fixtures", "data")

    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*invalid fixtures: *data/campaigns.json: record 0*field 'status'*"]
    )


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("sed=7", "*has no argument sed; use seed, fixtures, fixtures_mode*"),
        ("7", "*takes keyword arguments only*"),
        ("seed='7'", "*seed=...) must be an integer, not '7'*"),
        ("fixtures_mode='merge'", "*must be extend or replace, not 'merge'*"),
        ("fixtures=''", "*fixtures=...) must be a path, not ''*"),
        ("fixtures=7", "*fixtures=...) must be a path, not 7*"),
    ],
)
def test_plugin_marker_rejects_bad_arguments(inner, marker, message):
    inner.makepyfile(
        f"""
        import pytest

        @pytest.mark.deepsy_mock({marker})
        def test_marked(deepsy_mock):
            pass
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([message])


def test_plugin_empty_fixtures_option_fails(inner):
    inner.makepyfile(
        """
        def test_unused(deepsy_mock):
            pass
        """
    )

    result = run_inner(inner, "--deepsy-mock-fixtures=")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--deepsy-mock-fixtures needs a directory*"])


def test_plugin_fixtures_file_not_directory(inner):
    write_fixtures(inner.path / "data", [FIXTURE_CAMPAIGN])
    inner.makepyfile(
        """
        def test_unused(deepsy_mock):
            pass
        """
    )

    result = run_inner(inner, "--deepsy-mock-fixtures", "data/campaigns.json")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*campaigns.json: the fixture directory is a file*"])


def test_plugin_new_server_after_exit(inner):
    inner.makepyfile(
        """
        import signal

        def test_kills_server(deepsy_mock):
            deepsy_mock.server.process.send_signal(signal.SIGKILL)
            deepsy_mock.server.process.wait(10)

        def test_reports_exit(deepsy_mock):
            pass

        def test_gets_new_server(deepsy_mock, deepsy_client):
            assert deepsy_client.get("/health").status_code == 200
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at setup of test_reports_exit*", "*exited during the session*"]
    )


def test_plugin_marker_registered(inner):
    result = run_inner(inner, "--markers")

    result.stdout.fnmatch_lines(["@pytest.mark.deepsy_mock(seed=None, *"])


def test_plugin_sends_admin_token(inner, monkeypatch):
    monkeypatch.setenv("DEEPSY_MOCK_ADMIN_TOKEN", "plugin-test-token")
    inner.makepyfile(
        """
        import requests

        def test_token(deepsy_mock):
            anonymous = requests.get(f"{deepsy_mock.url}/_mock/emails", timeout=10)

            assert anonymous.status_code == 401
            assert deepsy_mock.emails() == []
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=1)


def test_plugin_admin_token_with_spaces(inner, monkeypatch):
    monkeypatch.setenv("DEEPSY_MOCK_ADMIN_TOKEN", "  plugin-test-token ")
    inner.makepyfile(
        """
        import requests

        def test_token(deepsy_mock):
            headers = {"X-Mock-Admin-Token": "plugin-test-token"}
            url = f"{deepsy_mock.url}/_mock/emails"

            assert requests.get(url, headers=headers, timeout=10).status_code == 200
            assert deepsy_mock.emails() == []
        """
    )

    result = run_inner(inner)

    result.assert_outcomes(passed=1)


XDIST_TESTS = f"""
import time

import pytest

# Seconds a worker waits for the other worker to create its campaign.
BARRIER_TIMEOUT = 120


def wait_for_other_worker(directory, number):
    deadline = time.monotonic() + BARRIER_TIMEOUT
    while len(list(directory.glob(f"created-{{number}}-*"))) < 2:
        assert time.monotonic() < deadline, "the other worker created nothing"
        time.sleep(0.05)


@pytest.mark.parametrize("number", [1, 2])
def test_worker_campaign(deepsy_mock, deepsy_client, campaign_names, number,
                         worker_id, request):
    directory = request.config.rootpath
    name = f"Worker campaign {{worker_id}} {{number}}"
    created = deepsy_client.post("/campaign/{ACME}/create", json={{"name": name}})
    (directory / f"created-{{number}}-{{worker_id}}").write_text(deepsy_mock.url)
    wait_for_other_worker(directory, number)
    listing = deepsy_client.get("/campaign/{ACME}/list").json()

    assert created.status_code == 201
    assert campaign_names("Worker campaign") == [name]
    assert listing["count"] == {ACME_CAMPAIGNS} + 1
"""


@pytest.mark.slow
def test_plugin_xdist_workers_isolated(inner):
    inner.makepyfile(XDIST_TESTS)

    result = run_inner(inner, "-n", "2", "--dist", "each")
    urls = {path.read_text() for path in inner.path.glob("created-*")}

    result.assert_outcomes(passed=4)
    assert len(urls) == 2


def test_client_relative_and_absolute_urls(deepsy_mock, deepsy_client):
    urls = ["/health", "health", f"{deepsy_mock.api_url}/health"]

    statuses = [deepsy_client.get(url).status_code for url in urls]

    assert statuses == [200, 200, 200]


def test_client_sends_example_key(deepsy_client):
    response = deepsy_client.get("/user/me")

    assert response.status_code == 200
    assert response.json()["email"] == "john.doe@example.com"


def test_client_with_key_leaves_original(deepsy_client):
    other = deepsy_client.with_key("deepsy-dev-mock-no-company")

    response = other.get("/user/companies")

    assert response.status_code == 422
    assert response.json()["error_code"] == "NO_COMPANY_MEMBERSHIP"
    assert deepsy_client.get("/user/companies").status_code == 200


def test_client_without_key(deepsy_client):
    deepsy_client.key = None

    response = deepsy_client.get("/health")

    assert response.status_code == 401
    assert response.json()["error_code"] == "API_KEY_NOT_PROVIDED"


def test_mock_reset_to_seed(deepsy_mock):
    answer = deepsy_mock.reset(seed=7)

    assert answer == {"status": "ok", "seed": 7}
    assert deepsy_mock.seed == 7
    assert deepsy_mock.reset() == {"status": "ok", "seed": 7}


def test_mock_state_round_trip(deepsy_mock, deepsy_client):
    saved = deepsy_mock.state()
    created = deepsy_client.post(f"/campaign/{ACME}/create", json={"name": "Later"})
    campaign_id = created.json()["campaign_id"]

    deepsy_mock.load_state(saved)
    details = deepsy_client.get(f"/campaign/{ACME}/{campaign_id}/get-details")

    assert created.status_code == 201
    assert details.status_code == 404
    assert saved["version"] == deepsy_mock.state()["version"]


def test_mock_emails_filters(deepsy_mock, deepsy_client):
    response = deepsy_client.post(
        f"/campaign/{ACME}/{ACTIVE_CAMPAIGN}/invitations/create",
        json={"email": "ada@example.com", "send_email": True},
    )

    emails = deepsy_mock.emails(to="ada@example.com")

    assert response.status_code == 201
    assert [email["invitation_id"] for email in emails] == [
        response.json()["invitation_id"]
    ]
    assert deepsy_mock.emails(campaign_id="camp_111222333") == []


def test_mock_requests_filters(deepsy_mock, deepsy_client):
    deepsy_client.get("/health")
    deepsy_client.get("/user/me")

    entries = deepsy_mock.requests(path_prefix="/api/v1/health")

    assert [(entry["method"], entry["status"]) for entry in entries] == [("GET", 200)]
    assert deepsy_mock.requests(method="POST") == []
    assert len(deepsy_mock.requests(status=200)) == 2


def test_mock_fault_fires_times(deepsy_mock, deepsy_client):
    fault = deepsy_mock.add_fault("/api/v1/health", status=503, times=1)

    faulted = deepsy_client.get("/health")
    after = deepsy_client.get("/health")

    assert fault["status"] == 503
    assert faulted.status_code == 503
    assert faulted.json()["error_code"] == "SERVICE_UNAVAILABLE"
    assert "Retry-After" in faulted.headers
    assert after.status_code == 200


def test_mock_clear_faults(deepsy_mock, deepsy_client):
    deepsy_mock.add_fault("/api/v1/**", method="GET", status=500)
    faulted = deepsy_client.get("/health")

    deepsy_mock.clear_faults()

    assert faulted.status_code == 500
    assert deepsy_client.get("/health").status_code == 200


def test_mock_progress_completes_invitation(deepsy_mock, deepsy_client):
    created = deepsy_client.post(
        f"/campaign/{ACME}/{ACTIVE_CAMPAIGN}/invitations/create",
        json={"email": "grace@example.com", "send_email": True},
    )
    invitation_id = created.json()["invitation_id"]

    invitation = deepsy_mock.progress(invitation_id, "completed", score=88)

    assert invitation["status"] == "completed"
    assert invitation["score"] == 88
    assert invitation["completed_at"] is not None


def test_mock_control_error_raised(deepsy_mock):
    with pytest.raises(DeepsyMockError) as caught:
        deepsy_mock.progress("inv_000000001", "completed", score=50)

    assert caught.value.status == 404
    assert caught.value.body["error_code"] == "INVITATION_NOT_FOUND"
    assert "INVITATION_NOT_FOUND" in str(caught.value)


def test_mock_unknown_filter_raises(deepsy_mock):
    with pytest.raises(DeepsyMockError) as caught:
        deepsy_mock.emails(recipient="ada@example.com")

    assert caught.value.status == 422
    assert caught.value.body["error_code"] == "VALIDATION_ERROR"


# The server process behind the fixtures.


def serves_health(url):
    import requests

    try:
        return requests.get(f"{url}/_mock/health", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def test_server_stop_ends_left_over_workers():
    import signal
    import time

    from mockserver.process import ServerProcess

    server = ServerProcess().start()
    # Killed this way, the server cannot stop its Granian worker, which
    # goes on serving the port.
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)

    server.close()
    # The kernel closes the killed worker's socket shortly after the signal.
    deadline = time.monotonic() + 10
    while serves_health(server.url) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert not serves_health(server.url)
