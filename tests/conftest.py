"""Fixtures of the project's own tests: the app, its test client and a live server."""

import pytest

from mockserver import create_app
from mockserver.process import ServerProcess

ACME = "c193a06f-1c25-4e65-84a7-95faaae7ae7b"
GLOBEX = "5f0c2a9e-8d1b-4c3e-9a7f-2b6d4e8c1a3f"
INITECH = "9b7e4d2c-1a3f-4e5b-8c6d-7f0a2e4b6c8d"
EXAMPLE_KEY = "deepsy-dev-your-api-key-here"


def bearer(key=EXAMPLE_KEY):
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def app():
    return create_app({"ACCESS_LOG": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth():
    """Headers with the documentation's example key (Acme, permissions 6)."""
    return bearer()


@pytest.fixture(scope="session")
def live_server():
    """A `deepsy-mock serve` process on a free loopback port, for the whole session.

    Tests that use it must reset it first (`POST /_mock/reset`), or use the
    `fresh_server` fixture.
    """
    with ServerProcess() as server:
        yield server


@pytest.fixture
def fresh_server(live_server):
    """The live server, reset to its seed."""
    import requests

    response = requests.post(f"{live_server.url}/_mock/reset", timeout=10)
    response.raise_for_status()
    return live_server
