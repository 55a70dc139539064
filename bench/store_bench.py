"""Store throughput and latency: create and revise, one writer and ten, SQLite and PostgreSQL.

Run `python -m bench.store_bench` (or `python bench/store_bench.py`) from the repository root.
It prints a table and replaces its own section of bench/RESULTS.md. PostgreSQL is used
through a temporary database that is dropped at the end (RB_BENCH_POSTGRES overrides the
server URL); when the server is unreachable its rows say so.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import secrets
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bot` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
import sqlalchemy
from psycopg import sql

from bench.results import replace_section, speed_note
from bench.store_floor import (
    create_tables,
    drop_tables,
    open_database,
    pgbench_latencies,
    revise_operation,
)
from bot.core.models import Answers
from bot.heap import settle
from bot.store import Revised, Store, VerdictRecord, diff_answers, open_store
from bot.store.engine import Database

SECTION = "## Store (bench/store_bench.py)"
PG_ADMIN_URL = os.environ.get("RB_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
TEAM = "TBENCH"
WRITERS = 10
GOAL_P99_MS = 10.0
PACED_RATE = 20.0  # revises per second per writer in the open-loop rows
FLOOR = "revise floor"  # bench/store_floor.py's transaction through the store's engine
PGBENCH_FLOOR = "revise floor, pgbench"  # the same transaction run by PostgreSQL's C client


@dataclass(frozen=True)
class Row:
    """One measured scenario."""

    backend: str
    operation: str
    writers: str
    ops: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.ops / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def result_for(answers: Answers) -> dict[str, Any]:
    """A result snapshot of realistic size (the store treats it as opaque JSON)."""
    return {
        "verdict": "partnership" if answers.risk == "shared" else "collaboration",
        "leaning": "partnership",
        "score": 1.5,
        "confidence": "medium",
        "answers": answers.choices(),
        "reasons": [{"dimension": key, "value": value} for key, value in answers.choices().items()],
        "obligations": [{"code": f"O{index}", "text": "x" * 80} for index in range(8)],
    }


BASE = Answers(horizon="multi_year", agreement="mou", aim="shared_goal", roles="named_leads")


def toggle_risk(current: VerdictRecord) -> Revised:
    """A refinement: flip one answer, rescore, report the change."""
    risk = "own" if current.answers.risk == "shared" else "shared"
    answers = Answers.model_validate(current.answers.model_dump() | {"risk": risk})
    return Revised(answers, result_for(answers), diff_answers(current.answers, answers))


def create(store: Store, index: int) -> VerdictRecord:
    """One verdict, as a modal submission stores it."""
    return store.create_verdict(
        TEAM,
        channel_id=f"C{index % 7}",
        creator_id=f"U{index % 13}",
        title=f"Deal {index}",
        counterpart="Acme",
        answers=BASE,
        result=result_for(BASE),
    )


def revise(store: Store, verdict_id: str, tag: str) -> None:
    """One thread refinement, idempotent on its reply ts."""
    outcome = store.revise(
        TEAM, verdict_id, actor_id="U1", source="thread", trigger_ts=tag, update=toggle_risk
    )
    if not outcome.applied:
        raise RuntimeError(f"revision {tag} not applied: {outcome.status}")


def timed(operation: Callable[[int], object], count: int) -> tuple[list[float], float, float]:
    """Run `operation` count times; latencies in ms, and the start and end of the run."""
    latencies = []
    start = time.perf_counter()
    for index in range(count):
        before = time.perf_counter()
        operation(index)
        latencies.append((time.perf_counter() - before) * 1000)
    return latencies, start, time.perf_counter()


def paced(
    operation: Callable[[int], object], count: int, rate: float, seed: int
) -> tuple[list[float], float, float]:
    """Open loop: start operations at random (Poisson) times averaging `rate` per second.

    Latency counts from the scheduled start, so time spent queueing behind a slow call is
    included (no coordinated omission).
    """
    arrivals = random.Random(seed)
    latencies = []
    start = due = time.perf_counter()
    for index in range(count):
        due += arrivals.expovariate(rate)
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        operation(index)
        latencies.append((time.perf_counter() - due) * 1000)
    return latencies, start, time.perf_counter()


def measure(
    operation: Callable[[int], object], count: int, rate: float | None, seed: int
) -> tuple[list[float], float, float]:
    """Closed loop (back to back) without a rate, open loop with one."""
    return timed(operation, count) if rate is None else paced(operation, count, rate, seed)


def operation_for(
    store: Store, kind: str, worker: int, verdict_id: str | None
) -> Callable[[int], object]:
    """The operation one writer repeats: a create, or a revise of its verdict."""
    if kind == "create":
        return lambda index: create(store, worker * 100_000 + index)
    assert verdict_id is not None
    nonce = secrets.token_hex(4)
    return lambda index: revise(store, verdict_id, f"{nonce}-{worker}-{index}")


def in_threads(
    store: Store, kind: str, writers: int, count: int, *, shared: bool, rate: float | None = None
) -> Row:
    """`writers` threads sharing one store (one process, like a gunicorn worker)."""
    targets = [create(store, -1 - index).id for index in range(writers)]
    if shared:
        targets = [targets[0]] * writers
    return threaded(
        store.backend,
        kind,
        describe(writers, "threads", shared, rate),
        lambda worker: operation_for(store, kind, worker, targets[worker]),
        writers=writers,
        count=count,
        rate=rate,
    )


def threaded(
    backend: str,
    kind: str,
    writers_text: str,
    make: Callable[[int], Callable[[int], object]],
    *,
    writers: int,
    count: int,
    rate: float | None,
) -> Row:
    """Run `make(worker)`'s operation in `writers` threads, started together after a warm-up."""
    for worker in range(writers):  # warm up connections and prepared statements
        warm_up = make(worker)
        for index in range(5):
            warm_up(index)
    settle()  # as a serving process does once started
    barrier = threading.Barrier(writers)
    results: list[tuple[list[float], float, float]] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        operation = make(worker)
        barrier.wait()
        measured = measure(operation, count, rate, worker)
        with lock:
            results.append(measured)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return merge(backend, kind, writers_text, results)


def process_worker(url: str, kind: str, worker: int, count: int, pace: dict[str, Any]) -> None:
    """A writer in its own process with its own store (like a replica)."""
    with open_store(url, pool_size=1, max_overflow=0) as store:
        verdict_id = create(store, -1000 - worker).id
        warm_up = operation_for(store, kind, worker, verdict_id)
        for index in range(5):
            warm_up(index)
        operation = operation_for(store, kind, worker, verdict_id)
        settle()  # as a serving process does once started
        pace["barrier"].wait()
        pace["out"].put(measure(operation, count, pace["rate"], worker))


def floor_process_worker(
    url: str, _kind: str, worker: int, count: int, pace: dict[str, Any]
) -> None:
    """A writer of the floor's revise (bench/store_floor.py) in its own process."""
    db = open_database(url, pool_size=1)
    try:
        warm_up = revise_operation(db, worker, secrets.token_hex(4))
        for index in range(5):
            warm_up(index)
        operation = revise_operation(db, worker, secrets.token_hex(4))
        settle()
        pace["barrier"].wait()
        pace["out"].put(measure(operation, count, pace["rate"], worker))
    finally:
        db.dispose()


def in_processes(
    url: str,
    backend: str,
    kind: str,
    writers: int,
    count: int,
    *,
    rate: float | None = None,
    target: Callable[[str, str, int, int, dict[str, Any]], None] = process_worker,
) -> Row:
    """`writers` separate processes, each with its own store (or what `target` opens)."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers)
    out = context.Queue()
    processes = [
        context.Process(
            target=target,
            args=(url, kind, worker, count, {"rate": rate, "barrier": barrier, "out": out}),
        )
        for worker in range(writers)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join()
        process.close()
    return merge(backend, kind, describe(writers, "processes", False, rate), results)


def describe(writers: int, how: str, shared: bool, rate: float | None) -> str:
    """The writers column: how many, how, and the pace."""
    text = "1" if writers == 1 else f"{writers} {how}"
    if shared:
        text += ", one verdict"
    return text + (" back to back" if rate is None else f", {rate:.0f}/s each")


def merge(
    backend: str, kind: str, writers: str, results: list[tuple[list[float], float, float]]
) -> Row:
    latencies = [latency for measured in results for latency in measured[0]]
    start = min(measured[1] for measured in results)
    end = max(measured[2] for measured in results)
    return Row(backend, kind, writers, len(latencies), end - start, latencies)


def run_backend(url: str, backend: str, count: int) -> list[Row]:
    """Every scenario on one database, each started on a tidied database (see tidy)."""
    rows = []
    with open_store(url) as store:
        for kind in ("create", "revise"):
            for writers, writer_count in ((1, count * 2), (WRITERS, count)):
                tidy(url)
                rows.append(in_threads(store, kind, writers, writer_count, shared=False))
        for shared in (False, True):
            for rate in (None, PACED_RATE):
                if shared or rate is not None:  # the plain back to back row is above
                    tidy(url)
                    rows.append(
                        in_threads(store, "revise", WRITERS, count, shared=shared, rate=rate)
                    )
    for rate in (None, PACED_RATE):
        tidy(url)
        rows.append(in_processes(url, backend, "revise", WRITERS, count, rate=rate))
    return rows + run_floor(url, backend, count)


def run_floor(url: str, backend: str, count: int) -> list[Row]:
    """The floor's revise (bench/store_floor.py) in the scenarios the goal is read at."""
    db = open_database(url)
    rows = []
    try:
        create_tables(db, WRITERS)
        for shared in (False, True):
            for rate in (None, PACED_RATE):
                tidy(url)
                rows.append(
                    threaded(
                        backend,
                        FLOOR,
                        describe(WRITERS, "threads", shared, rate),
                        floor_writers(db, shared),
                        writers=WRITERS,
                        count=count,
                        rate=rate,
                    )
                )
        for rate in (None, PACED_RATE):
            tidy(url)
            rows.append(
                in_processes(
                    url, backend, FLOOR, WRITERS, count, rate=rate, target=floor_process_worker
                )
            )
        if backend == "postgresql":
            rows += pgbench_rows(url, backend, count)
    finally:
        drop_tables(db)
        db.dispose()
    return rows


def floor_writers(db: Database, shared: bool) -> Callable[[int], Callable[[int], object]]:
    """Each floor writer's operation: on verdict 0 if shared, else on its own."""
    return lambda worker: revise_operation(db, 0 if shared else worker, secrets.token_hex(4))


def pgbench_rows(url: str, backend: str, count: int) -> list[Row]:
    """The floor's revise run by pgbench, PostgreSQL's own C client; none without pgbench."""
    rows = []
    for shared in (False, True):
        for rate in (None, PACED_RATE):
            tidy(url)
            measured = pgbench_latencies(
                url,
                clients=WRITERS,
                count=count,
                shared=shared,
                rate=None if rate is None else rate * WRITERS,
            )
            if measured is None:
                print("pgbench not installed: no pgbench floor rows", file=sys.stderr)
                return rows
            latencies, seconds = measured
            writers = describe(WRITERS, "clients", shared, rate)
            rows.append(Row(backend, PGBENCH_FLOOR, writers, len(latencies), seconds, latencies))
    return rows


def tidy(url: str) -> None:
    """Start a scenario where the last one's leftovers cannot slow it, as pgbench vacuums
    before each run: PostgreSQL vacuums the dead row versions the revises left and writes a
    checkpoint; SQLite moves its write-ahead log into the database and empties it.

    Without this, a back to back run leaves autovacuum and a checkpoint due, and the next
    scenario's tail measures them (a paced row's p99 went from ~4 ms alone to ~19 ms).
    """
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
        try:
            connection.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:  # superuser or pg_checkpoint only
            print("no CHECKPOINT before the row: the role may not", file=sys.stderr)


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """A temporary database on the server, dropped afterwards; None if unreachable."""
    name = f"rb_bench_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        print(f"PostgreSQL unreachable ({type(error).__name__}): skipping it", file=sys.stderr)
        yield None
        return
    info = psycopg.conninfo.conninfo_to_dict(PG_ADMIN_URL)
    user, host, port = info.get("user", "postgres"), info["host"], info.get("port", 5432)
    url = f"postgresql://{user}@{host}:{port}/{name}"
    try:
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def postgres_version() -> str:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as connection:
            row = connection.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError:
        return "unreachable"
    return str(row[0]).split()[0] if row else "unknown"


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown"


DESCRIPTION = (
    "A create stores one verdict and its first revision. A revise locks the verdict row, runs "
    "the update callback (one answer flipped, a ~1 KB result), writes the revision unless its "
    "reply ts was applied already, updates the verdict and commits: 4 round trips on "
    "PostgreSQL (loopback, synchronous_commit on; the history row and the verdict row in one "
    "statement); on SQLite WAL, synchronous=FULL, "
    "BEGIN IMMEDIATE. Latency is per call as the caller sees it. *Back to back*: each writer "
    "starts its next call as soon as the last returns (a saturation test: with every write "
    "serialized, latency is about writers x service time). *{rate:.0f}/s each*: each writer "
    "starts calls at random (Poisson) times, {rate:.0f} a second on average, and latency "
    "counts from the planned start, queueing included. Threads share one store (one app "
    "process); processes have a store each (replicas). {count} calls per writer, {single} "
    "for a single writer. Each row starts on a tidied database, as pgbench vacuums before a "
    "run: PostgreSQL vacuumed and checkpointed, SQLite's write-ahead log checkpointed. "
    "*revise floor* rows (bench/store_floor.py) run the same transaction with none of the "
    "store's own work (two small tables, no JSON records, no callback) through the store's "
    "engine (SQLAlchemy Core, the same pragmas, BEGIN IMMEDIATE and writer queue); "
    "*revise floor, pgbench* rows run it in pgbench, PostgreSQL's own C client "
    "(prepared statements, 2 threads), with no Python at all: what a floor cannot do on this "
    "machine, no revise can."
)


def render(rows: list[Row], count: int) -> str:
    """The RESULTS.md section."""
    lines = [
        SECTION,
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {cpu_model()}, "
        f"{os.cpu_count()} cores; Python {platform.python_version()}, "
        f"SQLAlchemy {sqlalchemy.__version__}, psycopg {psycopg.__version__}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {postgres_version()}; {speed_note()}.",
        "",
        DESCRIPTION.format(count=count, single=count * 2, rate=PACED_RATE),
        "",
        "| backend | operation | writers | ops | ops/s | p50 ms | p99 ms | max ms |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.backend} | {row.operation} | {row.writers} | {row.ops} | "
            f"{row.throughput:,.0f} | {statistics.median(row.latencies_ms):.2f} | "
            f"{row.percentile(0.99):.2f} | {max(row.latencies_ms):.2f} |"
        )
    lines += [
        "",
        f"Goal: a revise under {GOAL_P99_MS:.0f} ms p99 at {WRITERS} concurrent writers, read at "
        f"a stated load: the paced rows ({WRITERS} writers x {PACED_RATE:.0f}/s = "
        f"{WRITERS * PACED_RATE:.0f} revises a second, latency from the planned start, as "
        "`pgbench --rate` measures it). The back to back rows are saturation tests and report "
        "capacity: SQLite runs one write at a time and one verdict's revisions are serialized "
        "on both backends, so each call waits for the ones queued before it and latency is "
        "writers / throughput (Little's law), whatever the service time; their p99 is shown "
        "against the goal too, for a reader who counts them.",
    ]
    for row in rows:
        if row.operation == "create" or not row.writers.startswith(str(WRITERS)):
            continue
        p99 = row.percentile(0.99)
        if row.writers.endswith("back to back"):
            under = "under" if p99 < GOAL_P99_MS else "OVER"
            lines.append(
                f"- {row.backend}, {row.operation}, {row.writers} (saturation, "
                f"{row.throughput:,.0f} revises/s): "
                f"p99 {p99:.2f} ms, {under} {GOAL_P99_MS:.0f} ms"
            )
        else:
            verdict = "met" if p99 < GOAL_P99_MS else "MISSED"
            lines.append(
                f"- {row.backend}, {row.operation}, {row.writers}: p99 {p99:.2f} ms, {verdict}"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="operations per writer")
    parser.add_argument("--no-write", action="store_true", help="print only")
    arguments = parser.parse_args()

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as directory:
        rows += run_backend(f"sqlite:///{directory}/bench.db", "sqlite", arguments.count)
    with postgres_database() as url:
        if url is not None:
            rows += run_backend(url, "postgresql", arguments.count)
    section = render(rows, arguments.count)
    print(section)
    if not arguments.no_write:
        replace_section(section)


if __name__ == "__main__":
    main()
