"""`python -m bot run` as a real process for tests: start it, wait until it serves, stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.sandbox import Conversation, SlackStandIn, User, Workspace
from bot.slack import ids
from bot.store import Store, open_store
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
COMMAND = (sys.executable, "-m", "bot", "run")
START_SECONDS = 60.0  # a cold start under gunicorn takes 1-3 s; a loaded 2-core machine, longer
ERROR_MARKS = ("Traceback", "listener failed", " ERROR ", "[ERROR]", "CRITICAL", "SIGPIPE")
LEASE_SECONDS = 3  # short, so a dead process's work is taken over quickly
RECOVERY_SECONDS = 0.5


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SIGPIPE_BIT = 1 << (13 - 1)  # SIGPIPE's bit in /proc/<pid>/status SigIgn


def ignores_sigpipe(pid: int) -> bool:
    """Whether a process ignores SIGPIPE (a write to a closed connection cannot kill it)."""
    status = Path(f"/proc/{pid}/status").read_text()
    ignored = next(x for x in status.splitlines() if x.startswith("SigIgn:")).split()[1]
    return bool(int(ignored, 16) & SIGPIPE_BIT)


def process_env(settings: dict[str, str]) -> dict[str, str]:
    """The whole environment of a `python -m bot run`: PATH, this repository, `settings`."""
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **settings}


def app_env(slack: SlackStandIn, workspace: Workspace, database_url: str) -> dict[str, str]:
    """The settings of an app installed in `workspace` of the stand-in, on this database."""
    return {
        "SLACK_BOT_TOKEN": slack.bot_token(workspace),
        "SLACK_SIGNING_SECRET": slack.app.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
    }


class AppProcess:
    """`python -m bot run` on a free port in its own process group (gunicorn and workers)."""

    def __init__(self, name: str, settings: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        with self.log.open("ab") as sink:  # a file: a pipe could fill and block the app
            self.process = subprocess.Popen(
                COMMAND,
                cwd=workdir,
                env=process_env({**settings, "PORT": str(self.port)}),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one group: a SIGKILL takes the workers too
            )

    @property
    def events_url(self) -> str:
        """Its Request URL."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    def healthy(self) -> bool:
        """True once it answers /healthz."""
        try:
            url = f"http://127.0.0.1:{self.port}/healthz"
            with urllib.request.urlopen(url, timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        """Block until `check()` holds; AssertionError with the log if it exits or never does."""

        def up() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"app {self.name} exited before {what}")
            return check()

        try:
            wait_until(up, START_SECONDS, f"{what} of app {self.name}")
        except AssertionError as failure:
            raise AssertionError(f"{failure}; its log:\n{self.output()}") from None

    def wait_healthy(self) -> None:
        """Block until it answers /healthz (AssertionError with the log if it never does)."""
        self.wait_for(self.healthy, "an answer to /healthz")

    def workers(self) -> set[int]:
        """The pids of its gunicorn workers (children of the master), from /proc."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue  # it exited while we looked
            if int(fields[1]) == self.process.pid:
                found.add(int(stat.parent.name))
        return found

    def output(self) -> str:
        """What it logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def errors(self) -> list[str]:
        """Lines of its log so far that report an error or a traceback."""
        return [line for line in self.output().splitlines() if any(m in line for m in ERROR_MARKS)]

    def stop(self) -> str:
        """Stop it (SIGTERM, then SIGKILL if it hangs); its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.output()

    def kill(self) -> None:
        """SIGKILL the whole process group and reap the master."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


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

    def launch(self, **overrides: str) -> AppProcess:
        """Start one more app process with these settings changed (not waiting for it)."""
        name = f"app-{len(self.processes) + 1}"
        app = AppProcess(name, {**self.env, **overrides}, self.workdir)
        self.processes.append(app)
        return app

    def start(self, **overrides: str) -> AppProcess:
        """Start the app on a fresh port, wait until it serves, send Slack's requests to it."""
        app = self.launch(**overrides)
        app.wait_healthy()
        self.slack.request_url = app.events_url
        return app

    def start_socket_mode(self) -> AppProcess:
        """Start the app in Socket Mode and wait until its websocket is connected."""
        self.slack.socket_mode = True
        connected = self.slack.socket_connections + 1
        app = self.launch(SLACK_APP_TOKEN=self.slack.app.app_token)
        app.wait_for(
            lambda: self.slack.socket_connections >= connected, "the Socket Mode connection"
        )
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

    def idle(self) -> bool:
        """Whether the store holds no work for any process: every post made and its ts stored,
        every thread reply answered. Only such work can post anything: once idle, a duplicate
        would already be in Slack."""
        unanswered = (
            "SELECT COUNT(*) FROM rb_events WHERE team_id = :team AND stage != 'answered' "
            "AND event_key NOT LIKE 'view_submission:%'"  # those stay claimed: a replay marker
        )
        with self.store.engine.connect() as connection:
            left = connection.execute(text(unanswered), {"team": self.acme.id}).scalar()
        return left == 0 and self.store.pending_posts(self.acme.id) == ()

    def skipped(self, event_id: str, times: int = 1) -> bool:
        """Whether the app's processes logged `times` deliveries of this event as skipped."""
        line = f"reply {event_id} of {self.acme.id} skipped"
        return sum(app.output().count(line) for app in self.processes) >= times

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
        env = app_env(slack, acme, database_url) | {
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
