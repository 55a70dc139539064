"""The app over HTTP under gunicorn against a bare Bolt app (`python -m bench.app_bench`).

The app runs as production runs it (`python -m bot run` in HTTP mode); the bare baseline and
the floor (the app's Slack traffic alone) run with the same gunicorn options (see
bench/bare_app.py and bench/floor_app.py); each against its own SlackStandIn in this process,
in the same run. Virtual people do full checks back to back (bench/journeys.py) at
each concurrency; the table is printed and replaces this benchmark's section of
bench/RESULTS.md (`--no-write` to only print, `--quick` for a smoke run).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

if __package__ in (None, ""):  # run as a script: make `bot` and `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bare_app, floor_app, servers
from bench.journeys import CallWatch, Flavor, Samples, run_level
from bench.results import write_section
from bench.store_bench import postgres_database, postgres_version
from bot.cli.run import HTTP_THREADS, HTTP_WORKERS
from bot.sandbox import Conversation, SlackStandIn, User
from bot.slack import ids

SECTION: Final = "App over HTTP against a bare Bolt app (bench/app_bench.py)"
LEVELS: Final = ((1, 20), (10, 100), (50, 250))  # (concurrency, full checks)
QUICK_LEVELS: Final = ((1, 4), (10, 20), (50, 50))
WARM_UP_CHECKS: Final = 20
GOAL_THROUGHPUT_RATIO: Final = 0.9
GOAL_OPEN_RATIO: Final = 1.2
GOAL_OPEN_P99_MS: Final = 300.0
GOAL_POST_P99_MS: Final = 500.0
GOAL_COLD_START_S: Final = 1.5
GOAL_RSS_MB: Final = 120.0


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1); NaN for no samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil(n * fraction), at least 1
    return ordered[min(len(ordered), int(rank)) - 1]


def real_values(name: str) -> Mapping[str, Any]:
    """The real modal filled in: nine answers and the title (other inputs keep their initial)."""
    return {**floor_app.ANSWERS, ids.BLOCK_TITLE: name}


def bare_values(name: str) -> Mapping[str, Any]:
    """The bare modal's one field."""
    return {bare_app.BLOCK: name}


@dataclass
class Level:
    """One app at one concurrency: the samples and the CPU both sides spent."""

    concurrency: int
    samples: Samples
    app_cpu: float
    bench_cpu: float


@dataclass
class AppRun:
    """Everything measured for one app."""

    name: str
    cold_start_fresh: float = 0.0
    cold_start: float = 0.0
    peak_rss_kib: int = 0
    pss_kib: int = 0
    levels: dict[int, Level] = field(default_factory=dict)


@dataclass
class Target:
    """One app under test: its stand-in, people, channel, server and how it fills the modal."""

    run: AppRun
    module: list[str]
    flavor: Flavor
    slack: SlackStandIn
    watch: CallWatch
    people: list[User]
    channel: Conversation
    env: dict[str, str]
    root: Path = servers.ROOT
    served: servers.Served | None = None


@contextmanager
def target(
    name: str,
    module: list[str],
    flavor: Flavor,
    people: int,
    workdir: Path,
    *,
    database_url: str | None = None,
) -> Iterator[Target]:
    """A stand-in with a workspace, `people` people and #deals (the bot a member)."""
    with SlackStandIn() as slack:
        workspace = slack.add_workspace("Acme")
        users = [slack.add_user(workspace, f"person{index}") for index in range(people)]
        channel = slack.add_channel(workspace, "deals", members=users, bot=True)
        env = {
            "SLACK_BOT_TOKEN": slack.bot_token(workspace),
            "SLACK_SIGNING_SECRET": slack.app.signing_secret,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url or f"sqlite:///{workdir / name}.db",
            "LOG_LEVEL": "INFO",
        }
        watch = CallWatch(slack)
        watch.start()
        found = Target(AppRun(name), module, flavor, slack, watch, users, channel, env)
        try:
            yield found
        finally:
            if found.served is not None:
                found.served.stop()
            watch.stop()


def start_server(found: Target, workdir: Path) -> None:
    """Time a first start (fresh database) and a restart; keep the restarted server."""
    first = servers.start(found.run.name, found.module, found.env, workdir, found.root)
    found.run.cold_start_fresh = first.ready_after
    first.stop()
    found.served = servers.start(found.run.name, found.module, found.env, workdir, found.root)
    found.run.cold_start = found.served.ready_after
    found.slack.request_url = found.served.events_url


def measure(found: Target, concurrency: int, checks: int, tag: int) -> Level:
    """One level of load, then wait for the work after the acks to finish."""
    assert found.served is not None
    app_before, bench_before = found.served.cpu_seconds(), time.process_time()
    samples = run_level(
        found.slack,
        found.watch,
        found.people,
        found.channel,
        found.flavor,
        concurrency=concurrency,
        checks=checks,
        tag=tag,
    )
    found.watch.quiet()
    found.slack.settle(timeout=60)
    return Level(
        concurrency,
        samples,
        app_cpu=found.served.cpu_seconds() - app_before,
        bench_cpu=time.process_time() - bench_before,
    )


def run(
    levels: tuple[tuple[int, int], ...],
    workdir: Path,
    app_root: Path,
    database_url: str | None = None,
) -> list[AppRun]:
    """Start the three apps, warm them up, then run every level on each in turn."""
    people = max(concurrency for concurrency, _ in levels)
    with ExitStack() as stack:
        targets = [
            stack.enter_context(
                target("bare", ["bench.bare_app"], Flavor("bare", bare_values), people, workdir)
            ),
            stack.enter_context(
                target("floor", ["bench.floor_app"], Flavor("floor", real_values), people, workdir)
            ),
            stack.enter_context(
                target(
                    "app",
                    ["bot", "run"],
                    Flavor("app", real_values),
                    people,
                    workdir,
                    database_url=database_url,
                )
            ),
        ]
        targets[-1].root = app_root
        for found in targets:
            start_server(found, workdir)
        for found in targets:
            measure(found, min(10, people), WARM_UP_CHECKS, tag=0)
        for tag, (concurrency, checks) in enumerate(levels, start=1):
            for found in targets:
                found.run.levels[concurrency] = measure(found, concurrency, checks, tag)
                print(describe(found.run.name, found.run.levels[concurrency]), flush=True)
        for found in targets:
            assert found.served is not None
            found.run.peak_rss_kib = found.served.peak_rss_kib()
            found.run.pss_kib = found.served.pss_kib()
        return [found.run for found in targets]


def describe(name: str, level: Level) -> str:
    """One progress line."""
    s = level.samples
    return (
        f"{name} c={level.concurrency}: {s.journeys} journeys in {s.seconds:.1f} s, "
        f"{len(s.failures)} failed, open p99 {percentile(s.command_to_open, 0.99):.0f} ms, "
        f"post p99 {percentile(s.submit_to_post, 0.99):.0f} ms"
    )


def row(name: str, level: Level) -> str:
    """A table row."""
    s = level.samples
    cut = [
        f"{percentile(values, 0.5):.0f} / {percentile(values, 0.99):.0f}"
        for values in (s.command_ack, s.submit_ack, s.command_to_open, s.submit_to_post)
    ]
    per_journey = 1000 / max(s.journeys, 1)
    return (
        f"| {name} | {level.concurrency} | {s.journeys} | {len(s.failures)} | "
        f"{s.journeys / s.seconds:.1f} | {' | '.join(cut)} | "
        f"{level.app_cpu * per_journey:.1f} | {level.bench_cpu * per_journey:.1f} |"
    )


def mb(kib: int) -> str:
    """KiB as whole MB (10^6 bytes)."""
    return f"{kib * 1024 / 1e6:.0f}"


def verdict(met: bool) -> str:
    """The goal column."""
    return "met" if met else "**MISSED**"


def against_bare(bare: AppRun, other: AppRun, name: str) -> list[str]:
    """The goal rows that compare an app with the bare one: throughput and views.open p99."""
    top = max(other.levels)
    ours, base = other.levels[top].samples, bare.levels[top].samples
    ratio = (ours.journeys / ours.seconds) / (base.journeys / base.seconds)
    open_p99 = percentile(ours.command_to_open, 0.99)
    open_ratio = open_p99 / percentile(base.command_to_open, 0.99)
    return [
        f"| throughput at concurrency {top}, {name} / bare | {ratio:.2f}x | "
        f">= {GOAL_THROUGHPUT_RATIO}x | {verdict(ratio >= GOAL_THROUGHPUT_RATIO)} |",
        f"| p99 command -> views.open at {top}, {name} / bare | {open_ratio:.2f}x "
        f"({open_p99:.0f} ms) | <= {GOAL_OPEN_RATIO}x and < {GOAL_OPEN_P99_MS:.0f} ms | "
        f"{verdict(open_ratio <= GOAL_OPEN_RATIO and open_p99 < GOAL_OPEN_P99_MS)} |",
    ]


def goals(bare: AppRun, app: AppRun) -> list[str]:
    """Each goal of issue 7 with the figure and whether it is met."""
    top = max(app.levels)
    post_p99 = percentile(app.levels[top].samples.submit_to_post, 0.99)
    cold = max(app.cold_start, app.cold_start_fresh)
    rss_mb = app.peak_rss_kib * 1024 / 1e6
    return [
        *against_bare(bare, app, "app"),
        f"| p99 submission -> verdict posted at {top} | {post_p99:.0f} ms | "
        f"< {GOAL_POST_P99_MS:.0f} ms | {verdict(post_p99 < GOAL_POST_P99_MS)} |",
        f"| cold start to ready (worse of fresh and existing database) | {cold:.2f} s | "
        f"< {GOAL_COLD_START_S} s | {verdict(cold < GOAL_COLD_START_S)} |",
        f"| peak RSS, master + workers | {rss_mb:.0f} MB | < {GOAL_RSS_MB:.0f} MB | "
        f"{verdict(rss_mb < GOAL_RSS_MB)} |",
    ]


def floor_lines(bare: AppRun, floor: AppRun) -> list[str]:
    """What the product's Slack traffic alone reaches: the ceiling for the real app."""
    return [
        "The floor: the product's Slack traffic with none of its work (bench/floor_app.py), "
        "against the bare app in the same run. What it misses, no app doing the product's "
        "flow on this stack can meet.",
        "",
        "| goal (issue 7) | floor | goal | floor meets it |",
        "|---|---:|---|---|",
        *against_bare(bare, floor, "floor"),
        f"| peak RSS, master + workers (bare app: {mb(bare.peak_rss_kib)} MB) | "
        f"{mb(floor.peak_rss_kib)} MB | < {GOAL_RSS_MB:.0f} MB | "
        f"{verdict(floor.peak_rss_kib * 1024 / 1e6 < GOAL_RSS_MB)} |",
    ]


def versions() -> str:
    """The software the figures depend on."""
    names = ("gunicorn", "slack_bolt", "slack_sdk", "SQLAlchemy", "pydantic")
    return ", ".join(f"{name} {version(name)}" for name in names) + (
        f", SQLite {sqlite3.sqlite_version}"
    )


DESCRIPTION: Final = (
    "Command: `python -m bench.app_bench` (`--quick` for a smoke run, `--no-write` to only "
    "print). The apps run in the same run under gunicorn as `python -m bot run` serves HTTP "
    "mode ({workers} gthread workers x {threads} threads, {listeners} listener threads, "
    "request verification on): *app* is `python -m bot run` on {database}; *bare* is "
    "bench/bare_app.py, a Bolt app whose command handler acks and opens a one-field modal "
    "and whose submission handler acks and posts one message; *floor* is "
    "bench/floor_app.py, the real app's Slack traffic alone (its modal, verdict message and "
    "explanation, built once at start and posted for every check; no store, no "
    "classification). Each talks to its own SlackStandIn (bot/sandbox) in the bench "
    "process, which signs every request as Slack does and records when it receives each Web "
    "API call. {people} virtual people do full checks back to back: /relationship with a "
    "short description -> the stand-in receives views.open for that trigger_id -> submit "
    "the opened view (the app: nine answers and a title, as for the floor; bare: the title) "
    "-> the stand-in receives the chat.postMessage carrying that title (the app and the "
    "floor: the verdict's parent message; its thread replies follow and are not counted). A "
    "journey is a modal opened or a verdict posted; throughput is completed journeys per "
    "second from the first command to the last completion. Latencies in ms (p50 / p99): ack "
    "= the app's HTTP answer as the stand-in timed it; open = command sent -> views.open "
    "received; post = submission sent -> parent chat.postMessage received. CPU ms per "
    "journey: the app's processes, and the bench process (stand-in and load generator), "
    "including the work that finishes after the last journey. All three were warmed with "
    "{warm} checks first; the levels alternate between them."
)


def render(runs: list[AppRun], levels: tuple[tuple[int, int], ...], database: str) -> str:
    """The section body."""
    bare, floor, app = runs
    lines = [
        DESCRIPTION.format(
            database=database,
            workers=HTTP_WORKERS,
            threads=HTTP_THREADS,
            listeners=bare_app.LISTENER_THREADS,
            people=max(c for c, _ in levels),
            warm=WARM_UP_CHECKS,
        ),
        "",
        f"Software: {versions()}.",
        "",
        "| app | concurrency | journeys | failed | journeys/s | ack command | ack submit | "
        "open | post | app CPU ms/journey | bench CPU ms/journey |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for concurrency, _ in levels:
        for found in runs:
            lines.append(row(found.name, found.levels[concurrency]))
    lines += [
        "",
        "| app | cold start, fresh database | cold start, existing database | peak RSS | PSS |",
        "|---|---:|---:|---:|---:|",
    ]
    for found in runs:
        lines.append(
            f"| {found.name} | {found.cold_start_fresh:.2f} s | {found.cold_start:.2f} s | "
            f"{mb(found.peak_rss_kib)} MB | {mb(found.pss_kib)} MB |"
        )
    lines += [
        "",
        "Cold start: spawning the server process -> the first 200 from /healthz (gunicorn "
        "answers once a worker has built its app; fresh database: the schema is created "
        "first). Peak RSS: VmHWM summed over the gunicorn master and its workers at the end of "
        "the run, as the goal counts it (pages the workers share with the master count once "
        "per process). PSS: their proportional set size at the end, shared pages counted "
        "once. MB = 10^6 bytes.",
        "",
        "| goal (issue 7) | measured | goal | |",
        "|---|---:|---|---|",
        *goals(bare, app),
        "",
        cpu_note(bare, app),
        "",
        *floor_lines(bare, floor),
        "",
        "classify p99 under 50 us: see the core section (`python -m bench.core_bench`).",
    ]
    return "\n".join(lines)


def cpu_note(bare: AppRun, app: AppRun) -> str:
    """Where the CPU went at the top concurrency: the throughput ratio's first-order cause."""
    top = max(app.levels)

    def per_journey(level: Level, seconds: float) -> float:
        return seconds * 1000 / max(level.samples.journeys, 1)

    ours, base = app.levels[top], bare.levels[top]
    app_ms, bare_ms = per_journey(ours, ours.app_cpu), per_journey(base, base.app_cpu)
    return (
        f"CPU per journey at concurrency {top}: the app's processes {app_ms:.1f} ms, the bare "
        f"app's {bare_ms:.1f} ms ({app_ms / bare_ms:.1f}x); the stand-in and load generator "
        f"{per_journey(ours, ours.bench_cpu):.1f} ms for the app, "
        f"{per_journey(base, base.bench_cpu):.1f} ms for the bare app. Both share this "
        "machine's two cores, so throughput at saturation follows the sum."
    )


def main() -> None:
    """Run the benchmark, print the section and record it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few checks per level (smoke run)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="run the app on a temporary PostgreSQL database (its own section)",
    )
    parser.add_argument(
        "--app-root",
        type=Path,
        default=servers.ROOT,
        help="run the app from another checkout (before/after comparisons); implies --no-write",
    )
    arguments = parser.parse_args()
    levels = QUICK_LEVELS if arguments.quick else LEVELS
    with ExitStack() as stack:
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="rb-bench-"))
        database_url = None
        if arguments.postgres:
            database_url = stack.enter_context(postgres_database())
            if database_url is None:
                raise SystemExit("PostgreSQL is unreachable")
        runs = run(levels, Path(directory), arguments.app_root.resolve(), database_url)
    database = (
        "a SQLite file"
        if database_url is None
        else f"PostgreSQL {postgres_version()} (its server's CPU is not in the app's column)"
    )
    body = render(runs, levels, database)
    print(body)
    if not arguments.no_write and arguments.app_root.resolve() == servers.ROOT:
        write_section(SECTION + (" on PostgreSQL" if arguments.postgres else ""), body)


if __name__ == "__main__":
    main()
