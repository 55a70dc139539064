"""Where one app of bench/app_bench.py spends its CPU under load (`python -m bench.app_profile`).

Starts the app (`app`, `floor` or `bare`) as the benchmark does, warms it, then samples both
gunicorn workers with py-spy (`--gil`: only the thread holding the GIL, so shares are of CPU)
while 50 people do full checks, and prints each part's share of the samples. Needs py-spy
(`pip install py-spy`), which is not one of the project's dependencies.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Final

if __package__ in (None, ""):  # run as a script: make `bot` and `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import app_bench
from bench.journeys import Flavor

MODULES: Final = {"app": ["bot", "run"], "floor": ["bench.floor_app"], "bare": ["bench.bare_app"]}
# A sample belongs to the first of these parts with a marker in its stack: a Web API call made
# by a listener counts as a Web API call, a store call made by Bolt middleware as the store.
PARTS: Final = (
    ("Web API calls through slack_sdk (JSON, HTTP)", ("slack_sdk/web/", "http/client.py")),
    ("store (SQLAlchemy, SQLite)", ("sqlalchemy/", "bot/store/")),
    ("core (classify, interpret)", ("bot/core/",)),
    ("builders (Block Kit)", ("bot/slack/builders/",)),
    ("Bolt reading the request (body, JSON)", ("slack_bolt/request/",)),
    ("Bolt signature check", ("signature",)),
    ("Bolt authorize, middleware, dispatch, ack", ("slack_bolt/",)),
    ("listener code (bot/slack)", ("bot/slack/",)),
    ("gunicorn (HTTP parsing, sockets)", ("gunicorn/",)),
)
OTHER: Final = "other (threads, GC, logging)"
SAMPLE_HZ: Final = 200


def part_of(stack: str) -> str:
    """The part a sampled stack is counted in."""
    for name, markers in PARTS:
        if any(marker in stack for marker in markers):
            return name
    return OTHER


def shares(raw_files: list[Path]) -> Counter[str]:
    """Samples per part, from py-spy's raw output (`frame;frame;... count` per line)."""
    counts: Counter[str] = Counter()
    for path in raw_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            stack, _, count = line.rpartition(" ")
            if count.isdigit():
                counts[part_of(stack)] += int(count)
    return counts


def profile(name: str, checks: int, workdir: Path) -> tuple[str, Counter[str]]:
    """Sample the app's workers during one level of load at concurrency 50."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    values = app_bench.bare_values if name == "bare" else app_bench.real_values
    with app_bench.target(name, MODULES[name], Flavor(name, values), 50, workdir) as found:
        app_bench.start_server(found, workdir)
        app_bench.measure(found, 10, app_bench.WARM_UP_CHECKS, tag=0)
        assert found.served is not None
        workers = [str(pid) for pid in found.served.pids()[1:]]
        outputs = {pid: workdir / f"spy-{pid}.txt" for pid in workers}
        options = ["--format", "raw", "--rate", str(SAMPLE_HZ), "--gil", "--nonblocking"]
        spies = [
            subprocess.Popen(  # noqa: S603 - py-spy from PATH on our own processes
                [spy, "record", *options, "--pid", pid, "--output", str(output)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for pid, output in outputs.items()
        ]
        time.sleep(1.0)  # py-spy attaches
        level = app_bench.measure(found, 50, checks, tag=1)
        for process in spies:
            process.send_signal(signal.SIGINT)
        for process in spies:
            process.wait()
        return app_bench.describe(name, level), shares([o for o in outputs.values() if o.exists()])


def main() -> None:
    """Profile the chosen app and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=sorted(MODULES), help="which app to profile")
    parser.add_argument("--checks", type=int, default=250, help="full checks at concurrency 50")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rb-profile-") as directory:
        described, counts = profile(arguments.app, arguments.checks, Path(directory))
    total = sum(counts.values()) or 1
    print(described)
    print(f"| part | share of {total} samples |\n|---|---:|")
    for part, count in counts.most_common():
        print(f"| {part} | {100 * count / total:.0f}% |")


if __name__ == "__main__":
    main()
