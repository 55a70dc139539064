"""`python -m bot playground`: the real app in a small Slack in the browser, no workspace."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
from types import FrameType
from typing import Any, Final

DEFAULT_PORT: Final = 3000
LOG_LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")


def add_parser(commands: Any) -> None:
    """Register the `playground` subcommand."""
    parser = commands.add_parser(
        "playground",
        help="try the app in your browser, no Slack workspace needed",
        description=(
            "Start a local Slack stand-in, the real app (HTTP mode, SQLite in a temporary "
            "folder) and a page that looks and behaves like a small Slack."
        ),
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port for the page on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="WARNING",
        help="how much the app logs to the terminal (default WARNING)",
    )
    parser.set_defaults(handler=run)


def _port(text: str) -> int:
    """A TCP port number, 0 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535, not {port}")
    return port


def banner(url: str, teammate: str) -> str:
    """What the terminal says once everything runs."""
    return (
        "Relationship Bot playground: the real app in a small local Slack.\n"
        "\n"
        f"  Open {url} in your browser.\n"
        "\n"
        f'  Workspace "Acme": you and {teammate}; #deals has the bot, #general does not.\n'
        "  Try /relationship in #deals. The app keeps its data in a temporary SQLite file,\n"
        "  deleted when you stop.\n"
        "\n"
        "  Press Ctrl+C to stop."
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C (SIGINT) or SIGTERM, then stop everything cleanly."""
    from bot.logs import setup_logging  # noqa: PLC0415 - only a running playground needs these
    from bot.sandbox.playground import Playground  # noqa: PLC0415

    setup_logging(args.log_level)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    playground = Playground(port=args.port)
    try:
        try:
            playground.start()
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            print(
                f"error: port {args.port} is already in use; choose another with --port "
                f"(e.g. --port {args.port + 1}).",
                file=sys.stderr,
            )
            return 2
        print(banner(playground.url, playground.teammate.name), flush=True)
        while not stop.wait(0.5):
            pass
        print("\nStopping…", flush=True)
        playground.stop()
        print("Stopped.", flush=True)
        return 0
    finally:
        playground.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
