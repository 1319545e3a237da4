"""The `deepsy-mock serve` command: start line, request log, options, Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from conftest import ACME, EXAMPLE_KEY, bearer

from mockserver.process import ServerProcess, free_port


def run_command(*args, env=None, timeout=30):
    return subprocess.run(
        [sys.executable, "-m", "mockserver", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_serve_logs_start_line_and_requests():
    with ServerProcess(quiet=False) as server:
        response = requests.get(f"{server.api_url}/health", headers=bearer())
        assert response.status_code == 200
        time.sleep(0.2)
        log = server.log_text()

    assert f"http://127.0.0.1:{server.port}/api/v1" in log
    assert "seed 42" in log
    assert EXAMPLE_KEY in log.splitlines()[0]
    access_lines = [
        line
        for line in log.splitlines()
        if "mockserver.access" in line and "/api/v1" in line
    ]
    assert len(access_lines) == 1
    assert "GET /api/v1/health 200" in access_lines[0]
    assert access_lines[0].endswith(" ms")


def test_serve_never_logs_request_key():
    key = "deepsy-dev-mock-founder"
    with ServerProcess(quiet=False) as server:
        requests.get(f"{server.api_url}/health", headers=bearer(key))
        time.sleep(0.2)
        log = server.log_text()

    assert "GET /api/v1/health 200" in log
    assert key not in log
    assert "Bearer" not in log


def test_serve_quiet_logs_no_requests():
    with ServerProcess(quiet=True) as server:
        requests.get(f"{server.api_url}/health", headers=bearer())
        time.sleep(0.2)
        log = server.log_text()

    assert "mockserver.access" not in log


def test_serve_stops_cleanly_on_interrupt():
    server = ServerProcess().start()
    try:
        server.process.send_signal(signal.SIGINT)
        exit_code = server.process.wait(10)
        log = server.log_text()
    finally:
        server.stop()

    assert exit_code == 0
    assert "DeePsy mock stopped" in log
    assert "Traceback" not in log


def test_serve_stops_on_interrupt_to_group():
    # Ctrl-C in a terminal signals the whole process group: Granian's main
    # process and its worker at once.
    server = ServerProcess().start()
    try:
        os.killpg(server.process.pid, signal.SIGINT)
        exit_code = server.process.wait(15)
    finally:
        server.stop()

    assert exit_code == 0


def test_serve_seed_option_changes_generated_data():
    url_path = f"/api/v1/campaign/{ACME}/list?limit=100&order_by=name&order=asc"
    names = {}
    for seed in (42, 7):
        with ServerProcess(seed=seed) as server:
            response = requests.get(server.url + url_path, headers=bearer())
            names[seed] = [item["name"] for item in response.json()["items"]]

    assert len(names[42]) == len(names[7]) == 25
    assert "Q1 2024 Recruitment Campaign" in names[7]
    assert names[42] != names[7]


def test_serve_reads_options_from_environment():
    port = free_port()
    env = {"DEEPSY_MOCK_PORT": str(port), "DEEPSY_MOCK_SEED": "7"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--quiet"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                response = requests.post(
                    f"http://127.0.0.1:{port}/_mock/reset", timeout=1
                )
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "seed": 7}


def test_serve_rejects_bad_fixture_file(tmp_path):
    (tmp_path / "campaigns.json").write_text(
        json.dumps(
            [
                {
                    "campaign_id": "camp_100000001",
                    "company_id": ACME,
                    "name": "Broken",
                    "status": "running",
                    "created_at": "2024-01-01T00:00:00Z",
                }
            ]
        )
    )

    result = run_command("serve", "--fixtures", str(tmp_path), "--port", "1")

    assert result.returncode == 2
    assert "campaigns.json" in result.stderr
    assert "camp_100000001" in result.stderr
    assert "'status'" in result.stderr


def test_serve_rejects_missing_fixture_directory(tmp_path):
    result = run_command("serve", "--fixtures", str(tmp_path / "nowhere"))

    assert result.returncode == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port must be 1 to 65535"),
        (["--port", "http"], "invalid int value"),
        (["--threads", "0"], "--threads must be 1 or more"),
        (["--fixtures-mode", "merge"], "invalid choice"),
    ],
)
def test_serve_rejects_bad_option(args, message):
    result = run_command("serve", *args)

    assert result.returncode == 2
    assert message in result.stderr


def test_serve_rejects_bad_environment_value():
    result = run_command("serve", env={"DEEPSY_MOCK_PORT": "eighty"})

    assert result.returncode != 0
    assert "DEEPSY_MOCK_PORT must be an integer" in result.stderr


def test_cli_without_command_prints_usage():
    result = run_command()

    assert result.returncode == 2
    assert "usage: deepsy-mock" in result.stderr


def test_serve_rejects_port_in_use():
    with ServerProcess() as server:
        result = run_command("serve", "--port", str(server.port))

    assert result.returncode == 2
    assert f"Port {server.port} on 127.0.0.1 is already in use" in result.stderr
