"""`python -m bot run`: missing settings, HTTP mode under gunicorn, and Socket Mode."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.config import Settings
from bot.sandbox import SlackStandIn
from bot.slack import ids
from bot.slack.app import create_app
from bot.store import open_store
from tests.support.apps import drain
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


def bot_command(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` with exactly this environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_run_without_tokens_exits_2_and_names_what_to_set(tmp_path: Path) -> None:
    done = bot_command("run", env={}, cwd=tmp_path)
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET" in done.stderr
    assert "SLACK_BOT_TOKEN" in done.stderr
    assert ".env.example" in done.stderr


def free_port() -> int:
    """A port nobody listens on right now."""
    import socket  # noqa: PLC0415 - only this helper needs it

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """A stand-in with one workspace."""
    with SlackStandIn() as slack:
        yield slack


def test_http_mode_under_gunicorn_serves_health_and_signed_commands(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    acme = standin.add_workspace("Acme")
    alice = standin.add_user(acme, "alice")
    deals = standin.add_channel(acme, "deals", members=[alice], bot=True)
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": standin.bot_token(acme),
        "SLACK_SIGNING_SECRET": standin.app.signing_secret,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(port),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = eventually(lambda: _get(f"http://127.0.0.1:{port}/healthz"), timeout=20)
        assert health == "ok\n"
        standin.request_url = f"http://127.0.0.1:{port}/slack/events"
        answer = standin.slash_command(alice, deals, ids.COMMAND, "a one-off event")
        assert answer.ok
        assert standin.wait_for_call("views.open", timeout=10).ok
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert standin.bot_token(acme) not in output
    assert standin.app.signing_secret not in output


def _get(url: str) -> str | None:
    """The body of a GET, or None while the server is not up."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback URL built above
            body: str = response.read().decode()
            return body
    except OSError:
        return None


def test_socket_mode_journey(standin: SlackStandIn, tmp_path: Path) -> None:
    acme = standin.add_workspace("Acme")
    alice = standin.add_user(acme, "alice")
    deals = standin.add_channel(acme, "deals", members=[alice], bot=True)
    settings = Settings(
        slack_bot_token=SecretStr(standin.bot_token(acme)),
        slack_signing_secret=SecretStr(standin.app.signing_secret),
        slack_app_token=SecretStr(standin.app.app_token),
        slack_api_url=standin.api_url,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
    )
    store = open_store(settings.database_url)
    app = create_app(settings, store)
    standin.socket_mode = True
    handler = SocketModeHandler(app, standin.app.app_token, web_client=app.client)
    handler.connect()  # type: ignore[no-untyped-call]
    try:
        standin.wait_for_socket()
        answer = standin.slash_command(alice, deals, ids.COMMAND)
        assert answer.ok
        standin.wait_for_call("views.open")
        values: dict[str, Any] = {"horizon": "short", "resources": "separate", "risk": "own"}
        assert standin.submit(alice, values).delivery.ok
        posted = eventually(
            lambda: [
                m
                for m in standin.messages(deals)
                if (m.get("metadata") or {}).get("event_type") == ids.METADATA_EVENT
            ]
        )
        assert posted
    finally:
        handler.client.auto_reconnect_enabled = False
        standin.close_socket_connections()
        handler.close()  # type: ignore[no-untyped-call]
        drain(app)
        store.close()
