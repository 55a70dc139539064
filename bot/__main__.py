"""`python -m bot`: the command line (thin; each subcommand lives in bot/cli)."""

from __future__ import annotations

import argparse
import signal
import sys

from bot.cli import classify, playground, run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Relationship Bot: partnership or collaboration?"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    classify.add_parser(commands)
    run.add_parser(commands)
    playground.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "classify" and hasattr(signal, "SIGPIPE"):
        # A quiet exit when piped into `head`. Never for the servers: with SIGPIPE at its
        # default, a client hanging up before its answer would kill the whole process.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
