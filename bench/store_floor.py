"""The floor under a revise: the same transaction with none of the store's own work.

A revise locks the verdict row, writes a history row, updates the verdict and commits (on
PostgreSQL both writes in one statement, as the store makes them). The floor runs just that
on two small tables of its own: no JSON records, no update callback, no event or post
bookkeeping. It runs through the store's own transaction machinery (bot.store.engine:
SQLAlchemy Core, SQLite's pragmas, BEGIN IMMEDIATE and writer queue), the stack the store is
built on, and on PostgreSQL also through pgbench, PostgreSQL's own C client, which has no
Python at all. What the floor cannot do on a machine, no revise can.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

from sqlalchemy import text

from bot.store.engine import Database, build_engine, normalize_url

# Literal SQL on the floor's own tables: nothing in it comes from input.
CREATE: Final = (
    "CREATE TABLE rb_floor_verdicts (id INTEGER PRIMARY KEY, revision INTEGER NOT NULL, "
    "answers TEXT NOT NULL, result TEXT NOT NULL)",
    "CREATE TABLE rb_floor_revisions (verdict_id INTEGER NOT NULL, revision INTEGER NOT NULL, "
    "trigger_ts VARCHAR(64) NOT NULL, answers TEXT NOT NULL, PRIMARY KEY (verdict_id, revision), "
    "UNIQUE (verdict_id, trigger_ts))",
)
DROP: Final = ("DROP TABLE IF EXISTS rb_floor_revisions", "DROP TABLE IF EXISTS rb_floor_verdicts")
RESULT: Final = "x" * 1000  # about a result snapshot's size
_CREATE_VERDICT: Final = text("INSERT INTO rb_floor_verdicts VALUES (:id, 0, '{}', '')")
_SELECT: Final = text("SELECT revision FROM rb_floor_verdicts WHERE id = :id")
_SELECT_FOR_UPDATE: Final = text("SELECT revision FROM rb_floor_verdicts WHERE id = :id FOR UPDATE")
_INSERT: Final = text(
    "INSERT INTO rb_floor_revisions (verdict_id, revision, trigger_ts, answers) "
    "VALUES (:id, :revision, :trigger_ts, '{}') ON CONFLICT DO NOTHING"
)
_UPDATE: Final = text(
    "UPDATE rb_floor_verdicts SET revision = :revision, answers = '{}', result = :result "
    "WHERE id = :id AND revision = :old"
)
# PostgreSQL: both writes in one statement, as the store makes them (bot/store/revisions.py).
_INSERT_AND_UPDATE: Final = text(
    "WITH inserted AS (INSERT INTO rb_floor_revisions (verdict_id, revision, trigger_ts, answers) "
    "VALUES (:id, :revision, :trigger_ts, '{}') ON CONFLICT DO NOTHING RETURNING 1), "
    "updated AS (UPDATE rb_floor_verdicts SET revision = :revision, answers = '{}', "
    "result = :result WHERE id = :id AND revision = :old AND EXISTS (SELECT 1 FROM inserted) "
    "RETURNING 1) SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated)"
)
# pgbench's script for the same transaction; VERDICT becomes 0 (one verdict) or :client_id.
PGBENCH_SCRIPT: Final = (
    "\\set vid VERDICT\n"
    "BEGIN;\n"
    "SELECT revision FROM rb_floor_verdicts WHERE id = :vid FOR UPDATE \\gset\n"
    "WITH inserted AS (INSERT INTO rb_floor_revisions (verdict_id, revision, trigger_ts, answers) "
    "VALUES (:vid, :revision + 1, md5(random()::text), '{}') ON CONFLICT DO NOTHING RETURNING 1), "
    "updated AS (UPDATE rb_floor_verdicts SET revision = :revision + 1, answers = '{}', "
    "result = repeat('x', 1000) WHERE id = :vid AND revision = :revision "
    "AND EXISTS (SELECT 1 FROM inserted) RETURNING 1) "
    "SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated);\n"
    "COMMIT;\n"
)


def open_database(url: str, *, pool_size: int = 10) -> Database:
    """The store's transaction machinery on `url`, without the store."""
    return Database(build_engine(normalize_url(url), pool_size=pool_size, max_overflow=0))


def create_tables(db: Database, verdicts: int) -> None:
    """The floor's two tables, with `verdicts` verdicts at revision 0 (ids 0 .. verdicts-1)."""
    with db.engine.begin() as connection:
        for statement in (*DROP, *CREATE):
            connection.exec_driver_sql(statement)
        connection.execute(_CREATE_VERDICT, [{"id": index} for index in range(verdicts)])


def drop_tables(db: Database) -> None:
    """Leave the database as the floor found it."""
    with db.engine.begin() as connection:
        for statement in DROP:
            connection.exec_driver_sql(statement)


def revise_operation(db: Database, verdict: int, tag: str) -> Callable[[int], object]:
    """One writer's floor revise of `verdict`, each call with its own trigger ts."""
    select = _SELECT if db.is_sqlite else _SELECT_FOR_UPDATE  # SQLite: BEGIN IMMEDIATE locks

    def revise(index: int) -> None:
        with db.write() as connection:
            old = connection.execute(select, {"id": verdict}).scalar_one()
            values = {
                "id": verdict,
                "revision": old + 1,
                "result": RESULT,
                "old": old,
                "trigger_ts": f"{tag}-{index}",
            }
            if db.is_sqlite:
                connection.execute(_INSERT, values)
                connection.execute(_UPDATE, values)
            else:
                connection.execute(_INSERT_AND_UPDATE, values)

    return revise


def pgbench_latencies(
    url: str, *, clients: int, count: int, shared: bool, rate: float | None
) -> tuple[list[float], float] | None:
    """Per-transaction latency in ms of pgbench running the floor's revise, and the seconds
    from the first start to the last end; None without pgbench.

    `rate` is the total across clients (pgbench's --rate); latency then counts from each
    transaction's scheduled start, schedule lag included, as the store benchmark counts it.
    """
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return None
    info = normalize_url(url)
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "revise.sql"
        script.write_text(PGBENCH_SCRIPT.replace("VERDICT", "0" if shared else ":client_id"))
        command = [
            pgbench,
            "--no-vacuum",
            "--protocol=prepared",
            f"--client={clients}",
            "--jobs=2",
            f"--transactions={count}",
            "--log",
            f"--log-prefix={directory}/log",
            f"--file={script}",
            f"--host={info.host or '127.0.0.1'}",
            f"--port={info.port or 5432}",
            f"--username={info.username or 'postgres'}",
            *([f"--rate={rate}"] if rate is not None else []),
            str(info.database),
        ]
        environment = dict(os.environ)
        if info.password:  # pgbench reads it from the environment, never from the command line
            environment["PGPASSWORD"] = info.password
        # pgbench from PATH, with arguments built here
        ran = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, env=environment, check=False
        )
        if ran.returncode != 0:
            raise RuntimeError(f"pgbench failed ({ran.returncode}): {ran.stderr.strip()}")
        latencies, starts, ends = [], [], []
        for log in Path(directory).glob("log.*"):
            # client, transaction, time (us), script, end (s, us)[, schedule lag (us)]
            for line in log.read_text().splitlines():
                fields = [int(field) for field in line.split()]
                end = fields[4] + fields[5] / 1e6
                lag = fields[6] if rate is not None else 0
                latencies.append((fields[2] + lag) / 1000)
                starts.append(end - (fields[2] + lag) / 1e6)
                ends.append(end)
        return latencies, max(ends) - min(starts)
