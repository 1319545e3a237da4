"""Start and stop `deepsy-mock serve` as a child process on a free loopback port.

The pytest plugin and the project's own end-to-end tests use this, so both
run the same server as the command line does.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# A port picked free can be taken by another process before the server binds
# it; the start is then tried again on another port.
_START_ATTEMPTS = 3


def free_port(host="127.0.0.1"):
    """Return a TCP port that is free on `host` at the time of the call."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class ServerStartError(RuntimeError):
    """The server did not answer its health check; the message holds its log."""


class ServerProcess:
    """A running `deepsy-mock serve`; use as a context manager or start/stop."""

    def __init__(
        self,
        *,
        host="127.0.0.1",
        port=None,
        seed=42,
        fixtures=None,
        fixtures_mode="extend",
        env=None,
        quiet=True,
        start_timeout=15.0,
    ):
        self.host = host
        self.port = port
        self.seed = seed
        self.fixtures = fixtures
        self.fixtures_mode = fixtures_mode
        self.env = env
        self.quiet = quiet
        self.start_timeout = start_timeout
        self.process = None
        self._log = None

    @property
    def url(self):
        """The server root, such as http://127.0.0.1:8000."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self):
        return f"{self.url}/api/v1"

    def _command(self, port):
        command = [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--host",
            self.host,
            "--port",
            str(port),
            "--seed",
            str(self.seed),
            "--fixtures-mode",
            self.fixtures_mode,
        ]
        if self.fixtures is not None:
            command += ["--fixtures", str(self.fixtures)]
        if self.quiet:
            command.append("--quiet")
        return command

    def log_text(self):
        """Return what the server has written to its log so far."""
        if self._log is None:
            return ""
        self._log.flush()
        with open(self._log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def _wait_until_healthy(self, token):
        deadline = time.monotonic() + self.start_timeout
        request = urllib.request.Request(f"{self.url}/_mock/health")
        if token:
            request.add_header("X-Mock-Admin-Token", token)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(request, timeout=1) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise ServerStartError(
            f"deepsy-mock did not answer on {self.url} within "
            f"{self.start_timeout} s. Its log:\n{self.log_text()}"
        )

    def start(self):
        """Start the server and wait for its health check; return self."""
        env = {**os.environ, **(self.env or {})}
        token = env.get("DEEPSY_MOCK_ADMIN_TOKEN")
        fixed_port = self.port is not None
        for _ in range(1 if fixed_port else _START_ATTEMPTS):
            port = self.port if fixed_port else free_port(self.host)
            self._log = tempfile.NamedTemporaryFile(
                "w+", prefix="deepsy-mock-", suffix=".log", delete=False
            )
            self.process = subprocess.Popen(
                self._command(port),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
            self.port = port
            if self._wait_until_healthy(token):
                return self
            if not fixed_port:
                self.port = None
        raise ServerStartError(
            f"deepsy-mock exited during start (code {self.process.returncode}). "
            f"Its log:\n{self.log_text()}"
        )

    def stop(self, timeout=10.0):
        """Stop the server as Ctrl-C would; kill it if it does not exit in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        if self._log is not None:
            self._log.close()
            os.unlink(self._log.name)
