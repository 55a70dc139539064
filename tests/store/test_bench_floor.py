"""The store benchmark's floor (bench/store_floor.py) does the revise it stands in for."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import inspect, text

from bench.store_floor import (
    create_tables,
    drop_tables,
    open_database,
    pgbench_latencies,
    revise_operation,
)
from tests.support.databases import PostgresServer

REVISIONS = text("SELECT id, revision FROM rb_floor_verdicts ORDER BY id")
HISTORY = text("SELECT verdict_id, revision FROM rb_floor_revisions ORDER BY verdict_id, revision")


def test_each_floor_revise_writes_one_revision_and_drop_leaves_nothing(fresh_url: str) -> None:
    db = open_database(fresh_url)
    try:
        create_tables(db, 3)
        revise = revise_operation(db, 1, "t")
        for index in range(3):
            revise(index)
        with db.engine.connect() as connection:
            assert connection.execute(REVISIONS).all() == [(0, 0), (1, 3), (2, 0)]
            assert connection.execute(HISTORY).all() == [(1, 1), (1, 2), (1, 3)]
        drop_tables(db)
        assert not [name for name in inspect(db.engine).get_table_names() if "floor" in name]
    finally:
        db.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(("shared", "rate"), [(False, None), (True, 200.0)])
def test_pgbench_runs_the_floor_revise(
    pg_server: PostgresServer, shared: bool, rate: float | None
) -> None:
    if shutil.which("pgbench") is None:
        pytest.skip("pgbench is not installed (Debian: postgresql-client)")
    url = pg_server.create_database()
    db = open_database(url)
    try:
        create_tables(db, 2)
        measured = pgbench_latencies(url, clients=2, count=5, shared=shared, rate=rate)
        assert measured is not None
        latencies, seconds = measured
        assert len(latencies) == 10
        assert all(latency > 0 for latency in latencies)
        assert 0 < seconds < 60
        with db.engine.connect() as connection:
            expected = [(0, 10), (1, 0)] if shared else [(0, 5), (1, 5)]
            assert connection.execute(REVISIONS).all() == expected
            assert len(connection.execute(HISTORY).all()) == 10
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_failing_pgbench_says_why(pg_server: PostgresServer) -> None:
    if shutil.which("pgbench") is None:
        pytest.skip("pgbench is not installed (Debian: postgresql-client)")
    missing = pg_server.url_of("rb_test_no_such_database")
    with pytest.raises(RuntimeError, match=r"pgbench failed .*rb_test_no_such_database"):
        pgbench_latencies(missing, clients=1, count=1, shared=True, rate=None)
