"""The app as a real process (`python -m bot run`, HTTP mode) for tests to SIGKILL and restart."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import Conversation, SlackStandIn, User, Workspace
from bot.slack import ids
from bot.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60.0  # a cold start under gunicorn takes 1-3 s; a loaded machine, longer
LEASE_SECONDS = 3  # short, so a dead process's work is taken over quickly
RECOVERY_SECONDS = 0.5


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `check()` until it is truthy; its value (AssertionError naming `what` if never)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f}s for {what}")
        time.sleep(0.05)


class AppProcess:
    """`python -m bot run` in its own process group (gunicorn master and workers)."""

    def __init__(self, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.port = int(env["PORT"])
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=cwd,
                env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one group: a SIGKILL takes the workers too
            )

    @property
    def events_url(self) -> str:
        """The Request URL of this process."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    def wait_healthy(self) -> None:
        """Block until /healthz answers (AssertionError with the log if the process died)."""

        def healthy() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited early:\n{self.output()}")
            try:
                url = f"http://127.0.0.1:{self.port}/healthz"
                with urllib.request.urlopen(url, timeout=1) as answer:
                    return bool(answer.status == 200)
            except OSError:
                return False

        wait_until(healthy, START_SECONDS, "the app to answer /healthz")

    def kill(self) -> None:
        """SIGKILL the whole process group and reap the master."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def output(self) -> str:
        """What the process logged so far."""
        return self.log.read_text(errors="replace")


@dataclass
class Crashable:
    """A workspace on the stand-in, the app as processes on one SQLite file, and its store."""

    slack: SlackStandIn
    acme: Workspace
    alice: User
    bob: User
    deals: Conversation
    store: Store
    env: dict[str, str]
    workdir: Path
    processes: list[AppProcess] = field(default_factory=list)

    def start(self, **overrides: str) -> AppProcess:
        """Start the app on a fresh port, wait until it serves, send Slack's requests to it."""
        env = {**self.env, "PORT": str(free_port()), **overrides}
        log = self.workdir / f"app-{len(self.processes) + 1}.log"
        app = AppProcess(env, self.workdir, log)
        self.processes.append(app)
        app.wait_healthy()
        self.slack.request_url = app.events_url
        return app

    def start_socket_mode(self) -> AppProcess:
        """Start the app in Socket Mode and wait until its websocket is connected."""
        self.slack.socket_mode = True
        env = {**self.env, "PORT": str(free_port()), "SLACK_APP_TOKEN": self.slack.app.app_token}
        log = self.workdir / f"app-{len(self.processes) + 1}.log"
        app = AppProcess(env, self.workdir, log)
        self.processes.append(app)
        connected = self.slack.socket_connections + 1

        def up() -> bool:
            if app.process.poll() is not None:
                raise AssertionError(f"the app exited early:\n{app.output()}")
            return self.slack.socket_connections >= connected

        wait_until(up, START_SECONDS, "the app's Socket Mode connection")
        return app

    def submit_check(self, values: dict[str, Any]) -> None:
        """Alice runs /relationship in #deals and submits the modal (the app acks it)."""
        opened = len(self.slack.calls("views.open", ok=True))
        assert self.slack.slash_command(self.alice, self.deals, ids.COMMAND).ok
        self.slack.wait_for_call("views.open", count=opened + 1, ok=True, timeout=30)
        assert self.slack.submit(self.alice, values).delivery.ok

    def verdict_messages(self) -> list[dict[str, Any]]:
        """The bot's verdict messages in #deals."""
        return [
            m
            for m in self.slack.messages(self.deals)
            if (m.get("metadata") or {}).get("event_type") == ids.METADATA_EVENT
        ]

    def thread_texts(self, ts: str) -> list[str]:
        """The texts of a thread's replies (parent left out)."""
        return [m["text"] for m in self.slack.thread(self.deals, ts)[1:]]


@pytest.fixture
def crashable(tmp_path: Path) -> Iterator[Crashable]:
    """The stand-in with one workspace; app processes are killed and reaped at the end."""
    database_url = f"sqlite:///{tmp_path / 'bot.db'}"
    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")
        alice = slack.add_user(acme, "alice")
        bob = slack.add_user(acme, "bob")
        deals = slack.add_channel(acme, "deals", members=[alice, bob], bot=True)
        env = {
            "SLACK_BOT_TOKEN": slack.bot_token(acme),
            "SLACK_SIGNING_SECRET": slack.app.signing_secret,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "LEASE_SECONDS": str(LEASE_SECONDS),
            "RECOVERY_SECONDS": str(RECOVERY_SECONDS),
            "LOG_LEVEL": "INFO",
        }
        with open_store(database_url) as store:
            crash = Crashable(slack, acme, alice, bob, deals, store, env, tmp_path)
            try:
                yield crash
            finally:
                for app in crash.processes:
                    app.kill()
                slack.faults.clear()
