"""`python -m bot run`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP under gunicorn."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any, Final

from pydantic import ValidationError

from bot.config import Settings

logger = logging.getLogger(__name__)

HTTP_WORKERS: Final = 2
HTTP_THREADS: Final = 8


def add_parser(commands: Any) -> None:
    """Register the `run` subcommand."""
    parser = commands.add_parser(
        "run",
        help="run the Slack app",
        description="Run the Slack app: Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the settings, then serve until stopped."""
    try:
        settings = Settings()
    except ValidationError as error:
        names = ", ".join(str(issue["loc"][0]).upper() for issue in error.errors())
        print(f"error: invalid settings: {names}. See .env.example.", file=sys.stderr)
        return 2
    missing = settings.missing_for_run()
    if missing:
        print(
            "error: missing settings: "
            + "; ".join(missing)
            + ". Set them in the environment or in a .env file (see .env.example).",
            file=sys.stderr,
        )
        return 2
    if settings.slack_app_token is not None and settings.oauth:
        print(
            "error: OAuth installs (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET) need HTTP mode: leave "
            "SLACK_APP_TOKEN empty, or unset them and set SLACK_BOT_TOKEN (see .env.example).",
            file=sys.stderr,
        )
        return 2
    from bot.logs import setup_logging  # noqa: PLC0415 - only a running app needs these

    setup_logging(settings.log_level)
    problem = prepare_database(settings.database_url)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2 if problem.startswith("error: invalid settings") else 1
    if settings.slack_app_token is not None:
        return run_socket_mode(settings)
    return run_http(settings)


def prepare_database(url: str) -> str | None:
    """Reach the database and bring its schema up to date once, before serving; the problem."""
    from bot.store import InvalidUrlError, StoreUnavailableError, open_store  # noqa: PLC0415

    try:
        store = open_store(url)
    except InvalidUrlError as error:
        return f"error: invalid settings: {error}"
    except StoreUnavailableError as error:
        cause = str(getattr(error.__cause__, "orig", "") or "").strip()
        detail = cause.splitlines()[0][:200] if cause else ""
        return (
            f"error: {error}{f' ({detail})' if detail else ''}. Check DATABASE_URL and that the "
            "database is running, then start the app again."
        )
    logger.info("database %s ready", store.describe())
    store.close()  # each server process opens its own (no connection crosses a fork)
    return None


def run_socket_mode(settings: Settings) -> int:
    """Serve over Socket Mode (no public URL)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler  # noqa: PLC0415

    from bot.heap import settle  # noqa: PLC0415
    from bot.slack.app import create_app  # noqa: PLC0415
    from bot.slack.deps import Deps  # noqa: PLC0415
    from bot.slack.recovery import start_recovery  # noqa: PLC0415
    from bot.store import open_store  # noqa: PLC0415

    assert settings.slack_app_token is not None  # noqa: S101 - checked by the caller
    store = open_store(settings.database_url)
    deps = Deps.of(store, lease_seconds=settings.lease_seconds)
    app = create_app(settings, store, deps=deps)
    logger.info("Socket Mode: connecting (database %s)", store.describe())
    handler = SocketModeHandler(
        app, settings.slack_app_token.get_secret_value(), web_client=app.client
    )
    sweeper = start_recovery(settings, app, deps)
    settle()
    try:
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated
    finally:
        sweeper.stop()
        store.close()
    return 0


def run_http(settings: Settings) -> int:
    """Serve /slack/events and /healthz under gunicorn (gthread workers)."""
    from bot.cli.gunicorn import serve  # noqa: PLC0415

    logger.info("HTTP mode on port %d", settings.port)
    serve(settings, workers=HTTP_WORKERS, threads=HTTP_THREADS)
    return 0
