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

# Without a port reservation (on systems that lack SO_REUSEPORT) a port
# picked free can be taken by another process before the server binds it.
# The start is then tried again on another port.
_START_ATTEMPTS = 3
# The command line exits with this code for invalid fixtures or arguments,
# which another attempt would only repeat.
_USAGE_EXIT_CODE = 2
ADMIN_TOKEN_VARIABLE = "DEEPSY_MOCK_ADMIN_TOKEN"


def free_port(host="127.0.0.1"):
    """Return a TCP port that is free on `host` at the time of the call."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def reserve_port(host="127.0.0.1"):
    """Bind a socket to a free port and keep it bound; return the socket or None.

    Granian listens with SO_REUSEPORT, so two servers given the same port
    both start and the kernel splits connections between them. A socket
    that sets SO_REUSEPORT and stays bound (without listening) keeps Linux
    from handing the port to any other `bind` to port 0, while the server
    can still bind it. SO_REUSEADDR lets the command's own check for a taken
    port bind it too, since this socket never listens. Where SO_REUSEPORT is
    missing this returns None.
    """
    if not hasattr(socket, "SO_REUSEPORT"):
        return None
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
    except OSError:
        sock.close()
        return None
    return sock


class ServerStartError(RuntimeError):
    """The server failed its health check; the message contains its log."""

    def __init__(self, message, returncode=None):
        super().__init__(message)
        self.returncode = returncode


class ServerProcess:
    """A running `deepsy-mock serve`; use as a context manager or start/stop.

    The server takes its seed and fixture settings from these arguments only:
    a `DEEPSY_MOCK_FIXTURES` variable in the environment is not passed on,
    so a shell set up for a development server cannot change test data.
    Other `DEEPSY_MOCK_*` variables, such as the admin token, reach the
    server.
    """

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
        self.admin_token = None
        self._log = None
        self._reservation = None
        self._group_ended = False

    @property
    def url(self):
        """The server root, such as http://127.0.0.1:8000."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self):
        """The root of the DeePsy API, such as http://127.0.0.1:8000/api/v1."""
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

    def _environment(self):
        env = {**os.environ, **(self.env or {})}
        env.pop("DEEPSY_MOCK_FIXTURES", None)
        return env

    def log_text(self):
        """Return what the server has written to its log so far."""
        if self._log is None:
            return ""
        self._log.flush()
        with open(self._log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def _wait_until_healthy(self):
        deadline = time.monotonic() + self.start_timeout
        request = urllib.request.Request(f"{self.url}/_mock/health")
        if self.admin_token:
            request.add_header("X-Mock-Admin-Token", self.admin_token)
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
        self.stop()
        raise ServerStartError(
            f"deepsy-mock did not respond on {self.url} within "
            f"{self.start_timeout} s. Its log:\n{self.log_text()}"
        )

    def _pick_port(self):
        if self.port is not None:
            return self.port
        self._reservation = reserve_port(self.host)
        if self._reservation is not None:
            return self._reservation.getsockname()[1]
        return free_port(self.host)

    def _spawn(self, port, env):
        self._remove_log()
        self._log = tempfile.NamedTemporaryFile(
            "w+", prefix="deepsy-mock-", suffix=".log", delete=False
        )
        # On POSIX the server gets a process group of its own, which its
        # Granian worker processes share, so `stop` can end the workers of a
        # server that was killed and could not stop them itself.
        group = {"process_group": 0} if hasattr(os, "killpg") else {}
        self.process = subprocess.Popen(
            self._command(port),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            **group,
        )
        self._group_ended = False
        self.port = port

    def start(self):
        """Start the server and wait for its health check; return self.

        Raises ServerStartError, with the server's log, when the server
        exits during start (invalid fixtures, port in use) or does not
        respond within `start_timeout` seconds.
        """
        env = self._environment()
        # The server drops surrounding white space from the token, as HTTP
        # does from header values.
        self.admin_token = (env.get(ADMIN_TOKEN_VARIABLE) or "").strip() or None
        fixed_port = self.port is not None
        for _ in range(1 if fixed_port else _START_ATTEMPTS):
            self._spawn(self._pick_port(), env)
            if self._wait_until_healthy():
                return self
            self._kill_process_group()
            self._release_port()
            if not fixed_port:
                self.port = None
            if self.process.returncode == _USAGE_EXIT_CODE:
                break
        raise ServerStartError(
            f"deepsy-mock exited during start (code {self.process.returncode}). "
            f"Its log:\n{self.log_text()}",
            returncode=self.process.returncode,
        )

    def _release_port(self):
        if self._reservation is not None:
            self._reservation.close()
            self._reservation = None

    def _remove_log(self):
        if self._log is not None:
            self._log.close()
            os.unlink(self._log.name)
            self._log = None

    def stop(self, timeout=10.0):
        """Stop the server as Ctrl-C would; kill it if it does not exit in time.

        Worker processes left over by a server that exited without stopping
        them (killed with SIGKILL, say) are killed too, on POSIX.
        """
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.process is not None and not self._group_ended:
            self._kill_process_group()
        self._release_port()

    def _kill_process_group(self):
        # Once the group is empty its id may be reused, so it is killed once.
        self._group_ended = True
        if not hasattr(os, "killpg"):
            return
        try:
            # The group id is the server's pid, because `_spawn` made the
            # server the leader of a new group.
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            # No process is left in the group: the server stopped its workers.
            pass

    def close(self):
        """Stop the server and delete its log file."""
        self.stop()
        self._remove_log()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.close()
