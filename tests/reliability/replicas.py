"""`python -m bot run` as a test peer: start it on a free port, watch its log, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.sandbox import SlackStandIn, Workspace
from tests.e2e.conftest import eventually

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # cold starts on a loaded 2-core machine
ERROR_MARKS = ("Traceback", "listener failed", " ERROR ", "[ERROR]", "CRITICAL", "SIGPIPE")


@dataclass
class Replica:
    """One app process (gunicorn master and its workers) serving HTTP on a port."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def events_url(self) -> str:
        """Its Request URL."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    def healthy(self) -> bool:
        """True once it answers /healthz."""
        try:
            url = f"http://127.0.0.1:{self.port}/healthz"
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

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

    def errors(self) -> list[str]:
        """Lines of its log so far that report an error or a traceback."""
        log = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in log.splitlines() if any(mark in line for mark in ERROR_MARKS)]

    def stop(self) -> str:
        """Stop it (SIGTERM, then SIGKILL if it hangs); its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.log.read_text(encoding="utf-8", errors="replace")


def app_env(slack: SlackStandIn, workspace: Workspace, database_url: str) -> dict[str, str]:
    """The environment of an app process installed in `workspace` of the stand-in."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token(workspace),
        "SLACK_SIGNING_SECRET": slack.app.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
    }


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_replica(name: str, env: dict[str, str], tmp: Path) -> Replica:
    """`python -m bot run` on a free port, logging to a file (a pipe could fill and block)."""
    port = free_port()
    log = tmp / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp,
            env={**env, "PORT": str(port)},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return Replica(name, port, process, log)


def wait_healthy(replicas: list[Replica]) -> None:
    """Block until every replica answers /healthz; fail with its log if one does not."""
    for replica in replicas:
        up = eventually(replica.healthy, timeout=START_TIMEOUT)
        assert up, f"replica {replica.name} did not start:\n{replica.stop()}"
