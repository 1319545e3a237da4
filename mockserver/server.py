"""Serve the app with Granian, one worker process running the app in threads.

The state lives in memory, so it must not be split across processes: one
Granian worker process serves every request, with a pool of Python threads.
The app is built in the command's process first, so a bad fixture file fails
at once with its message. Where workers start by fork (Linux), the worker
takes that app over. Where they start by spawn (macOS), the worker builds
its own from the same configuration.
"""

import errno
import functools
import logging
import socket
import threading

from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server import Server

logger = logging.getLogger(__name__)

# Seconds Granian waits for the worker to stop before it kills it.
WORKER_STOP_SECONDS = 3

# The app built by `serve`, for a forked worker to take over.
_prebuilt = {}


def _load_app(config, *args, **kwargs):
    from . import create_app

    app = _prebuilt.pop("app", None)
    return app if app is not None else create_app(config)


class _WakingEvent(threading.Event):
    """A threading.Event whose wait without timeout wakes four times a second.

    Python runs signal handlers in the main thread only. When the kernel
    delivers SIGINT to another thread of Granian's main process, a main
    thread blocked in an untimed wait never wakes to run the handler, and
    Ctrl-C is lost. Waking regularly lets the pending handler run.

    NOTE: the lost Ctrl-C was seen twice by testers and not reproduced in 60
    scripted runs, with or without this class; the cause is inferred.
    """

    def wait(self, timeout=None):
        if timeout is not None:
            return super().wait(timeout)
        while not super().wait(0.25):
            pass
        return True


class PortInUse(OSError):
    """The address and port are taken by another server."""


def check_port_free(host, port):
    """Raise PortInUse when another socket listens on `host` and `port`.

    Granian binds with SO_REUSEPORT, so on Linux a second server started on a
    taken port would silently share it with the first, and each would see
    only part of the requests. A bind without SO_REUSEPORT fails on a port
    where a server listens, so it detects the taken port first.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR lets the bind pass while a connection of a stopped
        # server is still in TIME_WAIT, or while a socket that only reserves
        # the port is bound, and fail for a listening socket.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"Port {port} on {host} is already in use; stop the other "
                    "server or choose another port with --port."
                ) from error
            raise


def serve(app, config, *, host, port, threads):
    """Serve `app` until interrupted; `config` rebuilds it in a spawned worker."""
    _prebuilt["app"] = app
    server = Server(
        "mockserver:create_app",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=1,
        blocking_threads=threads,
        # The mock logs requests itself; Granian reports only problems.
        log_level=LogLevels.warning,
        log_access=False,
        respawn_failed_workers=False,
        # Ctrl-C in a terminal signals the worker and Granian's main process
        # at once, and Granian 2.8 then sometimes waits for the worker
        # forever. The state is in memory with nothing to flush, so a worker
        # that has not stopped after this many seconds is killed.
        workers_kill_timeout=WORKER_STOP_SECONDS,
    )
    # Granian's main loop waits on this event until a signal handler sets it.
    server.main_loop_interrupt = _WakingEvent()
    server.serve(target_loader=functools.partial(_load_app, config), wrap_loader=False)
