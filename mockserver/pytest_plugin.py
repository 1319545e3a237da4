"""Pytest fixtures that run the DeePsy mock for the tests of an integration.

Apart from the package's `__init__`, this module imports only the standard
library and pytest when it loads, and it starts nothing. A server starts the
first time a test requests `deepsy_mock` or `deepsy_client`, and serves
every later test of the session (of the worker, under pytest-xdist) with the
same fixture settings. Each such test begins with a reset to its seed.
"""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

EXAMPLE_KEY = "deepsy-dev-your-api-key-here"
DEFAULT_SEED = 42
FIXTURES_MODES = ("extend", "replace")
MARKER = "deepsy_mock"
MARKER_FIELDS = ("seed", "fixtures", "fixtures_mode")
ADMIN_TOKEN_HEADER = "X-Mock-Admin-Token"
# Seconds a control call may take. A reset to a seed not seen before builds
# the state again, which takes about 0.1 s with the bundled fixtures.
CONTROL_TIMEOUT = 30
# Seconds `deepsy_client` waits for a response unless a request sets `timeout`.
CLIENT_TIMEOUT = 10


class DeepsyMockError(Exception):
    """A failed control API call, with the HTTP status and the server's JSON error."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class ServerSettings:
    """The seed a test resets to and the fixture settings of its server."""

    seed: int
    fixtures: Path | None
    fixtures_mode: str

    @property
    def server_key(self):
        """The settings that need a server process of their own."""
        return (self.fixtures, self.fixtures_mode)


_SETTINGS_KEY = pytest.StashKey[ServerSettings]()


def pytest_addoption(parser):
    group = parser.getgroup("deepsy-mock", "DeePsy mock server")
    group.addoption(
        "--deepsy-mock-seed",
        type=int,
        default=None,
        metavar="N",
        help="seed the deepsy_mock fixture resets to before each test "
        f"(default: the ini option deepsy_mock_seed, else {DEFAULT_SEED})",
    )
    group.addoption(
        "--deepsy-mock-fixtures",
        default=None,
        metavar="DIR",
        help="directory of fixture files for the mock server, relative to the "
        "current directory (default: the ini option deepsy_mock_fixtures, "
        "else the bundled fixtures only)",
    )
    group.addoption(
        "--deepsy-mock-fixtures-mode",
        default=None,
        choices=FIXTURES_MODES,
        help="extend: your fixture records on top of the bundled ones; "
        "replace: only yours (default: the ini option "
        "deepsy_mock_fixtures_mode, else extend)",
    )
    parser.addini(
        "deepsy_mock_seed",
        f"seed the deepsy_mock fixture resets to (default {DEFAULT_SEED})",
        default="",
    )
    parser.addini(
        "deepsy_mock_fixtures",
        "directory of fixture files for the mock server, relative to the ini file",
        default="",
    )
    parser.addini(
        "deepsy_mock_fixtures_mode",
        "extend or replace (default extend)",
        default="",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{MARKER}(seed=None, fixtures=None, fixtures_mode=None): settings of "
        "the DeePsy mock for this test. seed replaces the session's reset seed "
        "for this test only; fixtures (a directory relative to the test file) "
        "and fixtures_mode select a server started with those fixture files.",
    )
    config.stash[_SETTINGS_KEY] = session_settings(config)


def session_settings(config) -> ServerSettings:
    """Read the session's seed and fixture settings from the options and ini file.

    Raises pytest.UsageError for an ini value that is not valid.
    """
    seed = config.getoption("deepsy_mock_seed")
    if seed is None:
        seed = _ini_seed(config.getini("deepsy_mock_seed"))

    fixtures = config.getoption("deepsy_mock_fixtures")
    if fixtures is not None and not fixtures.strip():
        raise pytest.UsageError(
            "--deepsy-mock-fixtures needs a directory; leave the option out to "
            "use the bundled fixtures only."
        )
    if fixtures is not None:
        fixtures = (config.invocation_params.dir / fixtures).resolve()
    elif config.getini("deepsy_mock_fixtures"):
        base = config.inipath.parent if config.inipath else config.rootpath
        fixtures = (base / config.getini("deepsy_mock_fixtures")).resolve()

    mode = config.getoption("deepsy_mock_fixtures_mode")
    if mode is None:
        mode = config.getini("deepsy_mock_fixtures_mode").strip() or "extend"
    if mode not in FIXTURES_MODES:
        raise pytest.UsageError(
            f"deepsy_mock_fixtures_mode must be extend or replace, not {mode!r}."
        )
    return _normalized(ServerSettings(seed, fixtures, mode))


def _ini_seed(value):
    if not value.strip():
        return DEFAULT_SEED
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(
            f"deepsy_mock_seed must be an integer, not {value!r}."
        ) from None


def _normalized(settings):
    # The mode only matters with a directory: both modes of the bundled
    # fixtures alone give the same server, so they share one process.
    if settings.fixtures is None and settings.fixtures_mode != "extend":
        return ServerSettings(settings.seed, None, "extend")
    return settings


def marker_settings(item, session: ServerSettings) -> ServerSettings:
    """Apply the test's `deepsy_mock` markers to the session's settings.

    Markers closer to the test win, field by field, so a class or module
    marker can set the fixtures and a function marker the seed. Fails the
    test for a marker argument that is not valid.
    """
    values = {}
    for marker in item.iter_markers(MARKER):
        _check_marker(marker)
        for name, value in marker.kwargs.items():
            values.setdefault(name, value)

    seed = values.get("seed")
    if seed is None:
        seed = session.seed
    fixtures = session.fixtures
    if "fixtures" in values:
        fixtures = values["fixtures"]
        if fixtures is not None:
            fixtures = (item.path.parent / fixtures).resolve()
    mode = values.get("fixtures_mode") or session.fixtures_mode
    return _normalized(ServerSettings(seed, fixtures, mode))


def _check_marker(marker):
    if marker.args:
        pytest.fail(
            f"@pytest.mark.{MARKER} takes keyword arguments only "
            f"({', '.join(MARKER_FIELDS)}), not {marker.args!r}.",
            pytrace=False,
        )
    unknown = sorted(set(marker.kwargs) - set(MARKER_FIELDS))
    if unknown:
        pytest.fail(
            f"@pytest.mark.{MARKER} has no argument {', '.join(unknown)}; "
            f"use {', '.join(MARKER_FIELDS)}.",
            pytrace=False,
        )
    seed = marker.kwargs.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        pytest.fail(
            f"@pytest.mark.{MARKER}(seed=...) must be an integer, not {seed!r}.",
            pytrace=False,
        )
    fixtures = marker.kwargs.get("fixtures")
    is_path = isinstance(fixtures, os.PathLike) or (
        isinstance(fixtures, str) and fixtures.strip()
    )
    if fixtures is not None and not is_path:
        pytest.fail(
            f"@pytest.mark.{MARKER}(fixtures=...) must be a path, not {fixtures!r}. "
            "fixtures=None selects the bundled fixtures.",
            pytrace=False,
        )
    mode = marker.kwargs.get("fixtures_mode")
    if mode is not None and mode not in FIXTURES_MODES:
        pytest.fail(
            f"@pytest.mark.{MARKER}(fixtures_mode=...) must be extend or replace, "
            f"not {mode!r}.",
            pytrace=False,
        )


class _ServerPool:
    """The session's servers, one per fixture settings, started on first use."""

    def __init__(self, seed):
        self.seed = seed
        self._servers = {}
        self._failures = {}

    def get(self, settings):
        """Return the running server for these fixture settings, or fail the test."""
        key = settings.server_key
        if key in self._failures:
            pytest.fail(self._failures[key], pytrace=False)
        server = self._servers.get(key)
        if server is None:
            server = self._start(settings)
        if server.process.poll() is not None:
            message = (
                f"deepsy-mock on {server.url} exited during the session "
                f"(code {server.process.returncode}). Its log:\n{server.log_text()}"
            )
            # This test reports the exit; later tests get a new server.
            del self._servers[key]
            server.close()
            pytest.fail(message, pytrace=False)
        return server

    def _start(self, settings):
        from .process import ServerProcess, ServerStartError

        server = ServerProcess(
            seed=self.seed,
            fixtures=settings.fixtures,
            fixtures_mode=settings.fixtures_mode,
        )
        try:
            server.start()
        except ServerStartError as error:
            where = settings.fixtures or "the bundled fixtures"
            self._failures[settings.server_key] = (
                f"The DeePsy mock did not start with {where}. {error}"
            )
            server.close()
        else:
            self._servers[settings.server_key] = server
            return server
        # Failing outside the except block keeps the start error out of the
        # report a second time as the failure's cause.
        pytest.fail(self._failures[settings.server_key], pytrace=False)

    def close(self):
        for server in self._servers.values():
            server.close()
        self._servers.clear()


class DeepsyMock:
    """The mock server of the current test, driven through its control API.

    `url` is the server root and `api_url` the root of the DeePsy API.
    `seed` is the seed that `reset()` restores; `server` is the
    `mockserver.process.ServerProcess` behind it. Every method raises
    DeepsyMockError, with the server's JSON error, when the call fails.
    """

    def __init__(self, server, http, settings):
        self.server = server
        self.url = server.url
        self.api_url = server.api_url
        self.seed = settings.seed
        self.fixtures = settings.fixtures
        self.fixtures_mode = settings.fixtures_mode
        self._http = http

    def __repr__(self):
        return f"<DeepsyMock {self.url} seed={self.seed}>"

    def control(self, method, path, *, json=None, params=None):
        """Call `/_mock{path}` and return its JSON, or None for an empty body."""
        import requests

        headers = {}
        if self.server.admin_token:
            headers[ADMIN_TOKEN_HEADER] = self.server.admin_token
        url = f"{self.url}/_mock{path}"
        try:
            response = self._http.request(
                method,
                url,
                json=json,
                params=params,
                headers=headers,
                timeout=CONTROL_TIMEOUT,
            )
        except requests.RequestException as error:
            raise DeepsyMockError(
                f"{method} {url} failed: {error}. The server log:\n"
                f"{self.server.log_text()}"
            ) from error
        if response.status_code >= 300:
            raise _control_error(method, path, response)
        if not response.content:
            return None
        return response.json()

    def reset(self, seed=None):
        """Restore the seeded state, empty the outbox, journal and faults.

        With `seed`, that seed is used and becomes `self.seed` until the test
        ends; the next test resets to its own seed. Returns the server's
        response, `{"status": "ok", "seed": n}`.
        """
        if seed is not None:
            self.seed = seed
        return self.control("POST", "/reset", json={"seed": self.seed})

    def state(self):
        """Return the whole state as the server exports it (a versioned document)."""
        return self.control("GET", "/state")

    def load_state(self, data):
        """Replace the whole state with a document that `state()` returned."""
        return self.control("PUT", "/state", json=data)

    def emails(self, **filters):
        """Return the emails in the outbox, filtered by `campaign_id` or `to`."""
        return self.control("GET", "/emails", params=_query(filters))["items"]

    def requests(self, **filters):
        """Return the journal entries, filtered by `method`, `path_prefix`, `status`."""
        return self.control("GET", "/requests", params=_query(filters))["items"]

    def add_fault(
        self,
        path,
        *,
        method=None,
        status=None,
        error_code=None,
        error=None,
        latency_ms=None,
        times=None,
        probability=None,
        retry_after=None,
    ):
        """Inject an error or latency for API requests to `path`; return the fault.

        `path` is the full request path, such as `/api/v1/health`, where `*`
        matches within one segment and `**` across segments. Fields left as
        None take the server's defaults.
        """
        fields = {
            "path": path,
            "method": method,
            "status": status,
            "error_code": error_code,
            "error": error,
            "latency_ms": latency_ms,
            "times": times,
            "probability": probability,
            "retry_after": retry_after,
        }
        body = {name: value for name, value in fields.items() if value is not None}
        return self.control("POST", "/faults", json=body)

    def clear_faults(self):
        """Remove every injected fault."""
        return self.control("DELETE", "/faults")

    def progress(self, invitation_id, status, score=None):
        """Move a candidate forward to `status`; a `completed` move needs `score`.

        Returns the invitation.
        """
        body = {"status": status}
        if score is not None:
            body["score"] = score
        return self.control("POST", f"/invitations/{invitation_id}/progress", json=body)


def _query(filters):
    return {name: value for name, value in filters.items() if value is not None}


def _control_error(method, path, response):
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error_code" in body:
        message = (
            f"{method} /_mock{path} failed with HTTP {response.status_code} "
            f"{body['error_code']}: {body.get('error')}"
        )
        if body.get("details"):
            message += f" Details: {body['details']}"
    else:
        message = (
            f"{method} /_mock{path} failed with HTTP {response.status_code}: "
            f"{response.text[:500]}"
        )
    return DeepsyMockError(message, status=response.status_code, body=body)


@functools.cache
def client_class():
    """Return the class of `deepsy_client`, a `requests.Session` subclass.

    It is built on first use so that loading the plugin does not import
    requests.
    """
    import requests

    class DeepsyClient(requests.Session):
        """A session for the DeePsy API of the mock that sends an API key.

        A URL without a scheme is a path relative to `api_url`
        (`client.get("/health")`); an absolute URL is used unchanged. Set
        `key` to change the key of later requests (None sends no
        Authorization header), or call `with_key(key)` for a second client.
        Requests wait at most `timeout` seconds unless they set their own.
        """

        def __init__(self, api_url, key=EXAMPLE_KEY, *, timeout=CLIENT_TIMEOUT):
            super().__init__()
            self.api_url = api_url.rstrip("/")
            self.timeout = timeout
            self._derived = []
            self.key = key

        @property
        def key(self):
            """The API key sent as `Authorization: Bearer <key>`, or None."""
            return self._key

        @key.setter
        def key(self, key):
            self._key = key
            if key is None:
                self.headers.pop("Authorization", None)
            else:
                self.headers["Authorization"] = f"Bearer {key}"

        def url_for(self, url):
            """Return the absolute URL of a path relative to `api_url`."""
            if "://" in url:
                return url
            if url and not url.startswith("/"):
                url = "/" + url
            return self.api_url + url

        def request(self, method, url, *args, **kwargs):
            kwargs.setdefault("timeout", self.timeout)
            return super().request(method, self.url_for(url), *args, **kwargs)

        def with_key(self, key):
            """Return another client for the same API that sends `key`.

            It is closed with this one.
            """
            client = type(self)(self.api_url, key, timeout=self.timeout)
            self._derived.append(client)
            return client

        def close(self):
            for client in self._derived:
                client.close()
            self._derived.clear()
            super().close()

    return DeepsyClient


def __getattr__(name):
    # `from mockserver.pytest_plugin import DeepsyClient` (for type hints)
    # builds the class then, not when pytest loads the plugin.
    if name == "DeepsyClient":
        return client_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@pytest.fixture(scope="session")
def _deepsy_mock_servers(request):
    """The session's mock servers (one per worker under pytest-xdist)."""
    import requests

    pool = _ServerPool(request.config.stash[_SETTINGS_KEY].seed)
    http = requests.Session()
    yield pool, http
    http.close()
    pool.close()


@pytest.fixture
def deepsy_mock(request, _deepsy_mock_servers):
    """A running DeePsy mock, reset to the test's seed (see `DeepsyMock`)."""
    pool, http = _deepsy_mock_servers
    settings = marker_settings(request.node, request.config.stash[_SETTINGS_KEY])
    mock = DeepsyMock(pool.get(settings), http, settings)
    mock.reset()
    return mock


@pytest.fixture
def deepsy_client(deepsy_mock):
    """A requests session for the mock's API sending the documentation's example key."""
    client = client_class()(deepsy_mock.api_url)
    yield client
    client.close()
