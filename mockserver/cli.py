"""The `deepsy-mock` command line."""

import argparse
import logging
import os
import sys

from .config import ConfigError
from .store.fixtures import FixtureError

logger = logging.getLogger("mockserver")

EXAMPLE_KEY = "deepsy-dev-your-api-key-here"


def _env(name, default):
    return os.environ.get(f"DEEPSY_MOCK_{name}", default)


def _int_env(name, default):
    value = _env(name, None)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(
            f"deepsy-mock: DEEPSY_MOCK_{name} must be an integer, not {value!r}."
        ) from None


def default_threads():
    # Granian warns above this many Python threads for the machine's cores.
    return 2 * (os.cpu_count() or 1) + 1


def build_parser():
    parser = argparse.ArgumentParser(
        prog="deepsy-mock",
        description="A stateful in-memory mock of the DeePsy API v1.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve the mock over HTTP",
        description="Serve the mock. Each option defaults to the environment "
        "variable DEEPSY_MOCK_<OPTION>, then to the value shown.",
    )
    serve.add_argument(
        "--host",
        default=_env("HOST", "127.0.0.1"),
        help="address to listen on (default: %(default)s; 0.0.0.0 in a container)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=_int_env("PORT", 8000),
        help="TCP port to listen on (default: %(default)s)",
    )
    serve.add_argument(
        "--seed",
        type=int,
        default=_int_env("SEED", 42),
        help="seed of the generated data and ids (default: %(default)s)",
    )
    serve.add_argument(
        "--fixtures",
        metavar="DIR",
        default=_env("FIXTURES", None),
        help="directory of your own fixture files (default: bundled fixtures only)",
    )
    serve.add_argument(
        "--fixtures-mode",
        choices=("extend", "replace"),
        default=_env("FIXTURES_MODE", "extend"),
        help="extend: your records on top of the bundled ones; replace: only "
        "yours (default: %(default)s)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=_int_env("THREADS", default_threads()),
        help="Python threads serving requests (default: %(default)s, twice the "
        "number of CPU cores plus one)",
    )
    serve.add_argument(
        "--quiet",
        action="store_true",
        default=_env("QUIET", "").lower() in ("1", "true", "yes"),
        help="do not log one line per request",
    )
    return parser


def _check_port(parser, port):
    if not 0 < port < 65536:
        parser.error(f"--port must be 1 to 65535, not {port}.")


def _key_hint(app):
    """Name the documented example key, or where to find keys when it is absent."""
    if app.extensions["deepsy_mock"].store.find_api_key(EXAMPLE_KEY) is not None:
        return f"example key {EXAMPLE_KEY}"
    return "GET /_mock/keys lists the API keys"


def run_serve(args, parser):
    from . import create_app
    from .server import check_port_free, serve

    _check_port(parser, args.port)
    if args.threads < 1:
        parser.error(f"--threads must be 1 or more, not {args.threads}.")
    config = {
        "SEED": args.seed,
        "FIXTURES": args.fixtures,
        "FIXTURES_MODE": args.fixtures_mode,
        "ACCESS_LOG": not args.quiet,
    }
    try:
        app = create_app(config)
    except FixtureError as error:
        print(f"deepsy-mock: invalid fixtures: {error}", file=sys.stderr)
        return 2
    except ConfigError as error:
        print(f"deepsy-mock: invalid configuration: {error}", file=sys.stderr)
        return 2
    try:
        check_port_free(args.host, args.port)
    except OSError as error:
        print(f"deepsy-mock: cannot listen: {error}", file=sys.stderr)
        return 2
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    logger.info(
        "DeePsy mock serving http://%s:%d/api/v1 (seed %d, %s)",
        shown_host,
        args.port,
        args.seed,
        _key_hint(app),
    )
    serve(app, config, host=args.host, port=args.port, threads=args.threads)
    logger.info("DeePsy mock stopped")
    return 0


def main(argv=None):
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return run_serve(args, parser)
    parser.error(f"Unknown command {args.command!r}.")
    return 2
