"""Start an app under gunicorn in its own process, time it to ready, read its CPU and peak RSS."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

ROOT: Final = Path(__file__).resolve().parents[1]
READY_TIMEOUT: Final = 30.0
READY_POLL: Final = 0.005
CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")
# Settings the apps must not inherit from the bench's environment (they would change the mode).
DROPPED_ENV: Final = ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """Every descendant of a process (gunicorn's workers), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def peak_rss_kib(pid: int) -> int:
    """A process's peak resident set size (VmHWM) in KiB; 0 when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def pss_kib(pid: int) -> int:
    """A process's proportional set size now (shared pages split between their users), KiB."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far; 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Served:
    """An app server process and how long it took to answer /healthz."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    ready_after: float
    log: IO[bytes]

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        """The Request URL."""
        return self.url + "/slack/events"

    def pids(self) -> list[int]:
        """The gunicorn master and its workers."""
        return [self.process.pid, *children(self.process.pid)]

    def peak_rss_kib(self) -> int:
        """Peak RSS summed over the master and every worker."""
        return sum(peak_rss_kib(pid) for pid in self.pids())

    def pss_kib(self) -> int:
        """PSS summed over the master and every worker: their memory, shared pages once."""
        return sum(pss_kib(pid) for pid in self.pids())

    def cpu_seconds(self) -> float:
        """CPU time used by the master and the workers alive now."""
        return sum(cpu_seconds(pid) for pid in self.pids())

    def stop(self) -> None:
        """Stop gunicorn gracefully (SIGTERM to the master) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def healthy(url: str) -> bool:
    """True when /healthz answers 200."""
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:  # noqa: S310 - loopback
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start(
    name: str, module: list[str], env: dict[str, str], workdir: Path, root: Path = ROOT
) -> Served:
    """Spawn `python -m <module>` from `root` with `env` and wait until it answers /healthz."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    full_env |= env | {"PORT": str(port), "PYTHONPATH": str(root)}
    log = (workdir / f"{name}.log").open("ab")
    spawned = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - this interpreter running this repository's code
        [sys.executable, "-m", *module], cwd=workdir, env=full_env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    while not healthy(url):
        if process.poll() is not None:
            log.close()
            tail = Path(log.name).read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")
        if time.monotonic() - spawned > READY_TIMEOUT:
            process.kill()
            process.wait()
            log.close()
            raise RuntimeError(f"{name} not ready in {READY_TIMEOUT:.0f} s; see {log.name}")
        time.sleep(READY_POLL)
    return Served(name, process, port, time.monotonic() - spawned, log)
