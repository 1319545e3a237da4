"""Measure the costs integrators pay per test: reset, a list request, start-up.

Run from the repository root with the project installed:

    python benchmarks/measure_core.py

It prints the median of many runs for each figure. The figures depend on the
machine; docs/benchmarks.md records them with the machine they came from.
"""

import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

from mockserver import create_app
from mockserver.process import free_port

ACME = "c193a06f-1c25-4e65-84a7-95faaae7ae7b"
HEADERS = {"Authorization": "Bearer deepsy-dev-your-api-key-here"}


def median_ms(function, runs):
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations)


def measure_reset(app, runs=2000):
    mock = app.extensions["deepsy_mock"]
    return median_ms(mock.reset, runs)


def measure_list(app, runs=2000):
    client = app.test_client()
    url = f"/api/v1/campaign/{ACME}/list?limit=10"

    def list_campaigns():
        response = client.get(url, headers=HEADERS)
        assert response.status_code == 200, response.get_data(as_text=True)

    return median_ms(list_campaigns, runs)


def measure_startup(runs=10):
    """Return the median time from launching `deepsy-mock serve` to its first 200."""
    durations = []
    for _ in range(runs):
        port = free_port()
        url = f"http://127.0.0.1:{port}/_mock/health"
        start = time.perf_counter()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mockserver",
                "serve",
                "--port",
                str(port),
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=1) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.005)
                if time.perf_counter() - start > 30:
                    raise RuntimeError("deepsy-mock serve did not start within 30 s")
            durations.append((time.perf_counter() - start) * 1000)
        finally:
            process.terminate()
            process.wait(10)
    return statistics.median(durations)


def main():
    app = create_app({"ACCESS_LOG": False})
    print(f"reset at seed 42, median of 2000:        {measure_reset(app):.3f} ms")
    print(f"list of 10 campaigns, test client:        {measure_list(app):.3f} ms")
    print(f"start-up to first 200, median of 10 runs: {measure_startup():.0f} ms")


if __name__ == "__main__":
    main()
