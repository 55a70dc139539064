"""The schema is created at first start and upgraded in place, keeping the data."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.core.models import Answers
from bot.store import build_engine, normalize_url, open_store, upgrade
from bot.store.engine import Database
from bot.store.migrate import HEAD, current_revision, head_revision, stored_revision
from tests.store import workers
from tests.store.helpers import TEAM, set_answers

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["tests.store.workers"])

INSERT_VERDICT_0001 = text(
    "INSERT INTO rb_verdicts (id, team_id, enterprise_id, channel_id, message_ts, creator_id,"
    " title, counterpart, answers, result, verdict, revision, pinned, deleted, created_at,"
    " updated_at) VALUES ('old1', :team, NULL, 'C1', '1.0', 'U1', 'Old deal', 'Acme',"
    " :answers, :result, 'collaboration', 1, :true, :false, :at, :at)"
)
INSERT_REVISION_0001 = text(
    "INSERT INTO rb_revisions (verdict_id, team_id, revision, actor_id, source, trigger_ts,"
    " changes, answers, verdict, undoes, created_at) VALUES ('old1', :team, 1, 'U1', 'modal',"
    " NULL, '[]', :answers, 'collaboration', NULL, :at)"
)


def database(url: str) -> Database:
    return Database(build_engine(normalize_url(url)))


def test_upgrade_from_first_revision_keeps_data(fresh_url: str) -> None:
    db = database(fresh_url)
    try:
        upgrade(db, "0001")
        assert current_revision(db) == "0001"
        at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        stamp = at.replace(tzinfo=None) if db.is_sqlite else at
        values = {
            "team": TEAM,
            "answers": '{"horizon": "short", "aim": "own_goals"}',
            "result": '{"verdict": "collaboration", "score": -3}',
            "true": True,
            "false": False,
            "at": stamp,
        }
        with db.write() as connection:
            connection.execute(INSERT_VERDICT_0001, values)
            connection.execute(INSERT_REVISION_0001, values)
    finally:
        db.dispose()

    with open_store(fresh_url) as store:
        old = store.get_verdict(TEAM, "old1")
        assert old.answers == Answers(horizon="short", aim="own_goals")
        assert old.result == {"verdict": "collaboration", "score": -3}
        assert (old.pinned, old.message_ts, old.source_link) == (True, "1.0", None)
        assert old.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        outcome = store.revise(
            TEAM,
            "old1",
            actor_id="U2",
            source="thread",
            trigger_ts="2",
            update=set_answers(risk="own"),
        )
        assert outcome.verdict.revision == 2
        assert store.record_post_intent(TEAM, "old1", "parent", "C1", revision=2).id == 1

    db = database(fresh_url)
    try:
        assert current_revision(db) == head_revision() == "0003"
    finally:
        db.dispose()


def test_replicas_starting_together_on_an_empty_database(fresh_url: str, tmp_path: Path) -> None:
    replicas = 4
    barrier = _context.Barrier(replicas)
    outs = [tmp_path / f"replica-{index}" for index in range(replicas)]
    processes = [
        _context.Process(target=workers.boot, args=(fresh_url, barrier, str(out))) for out in outs
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
        process.close()
    assert [out.read_text() for out in outs] == ["ok"] * replicas
    db = database(fresh_url)
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()


def test_threads_opening_together_take_turns(fresh_url: str) -> None:
    """Alembic's proxies are process-wide: concurrent opens in one process must queue."""
    start = threading.Barrier(3)
    errors: list[Exception] = []

    def boot() -> None:
        start.wait(timeout=30)
        try:
            open_store(fresh_url).close()
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=boot) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_head_constant_is_alembics_head(db_url: str) -> None:
    assert head_revision() == HEAD
    db = database(db_url)
    try:
        assert stored_revision(db) == current_revision(db) == HEAD
    finally:
        db.dispose()


def test_a_database_at_head_opens_without_loading_alembic(db_url: str) -> None:
    open_store(db_url).close()
    probe = (
        "import sys; from bot.store import open_store; "
        f"open_store({db_url!r}).close(); print('alembic' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "False"


def test_reopening_at_head_changes_nothing(db_url: str) -> None:
    with open_store(db_url) as store:
        before = sorted(inspect(store.engine).get_table_names())
    with open_store(db_url) as store:
        assert sorted(inspect(store.engine).get_table_names()) == before
    assert {"rb_verdicts", "rb_revisions", "rb_events", "rb_posts"} <= set(before)


@pytest.mark.usefixtures("needs_greenlet")
def test_slack_sdk_tables_match_what_slack_sdk_expects(db_url: str) -> None:
    with open_store(db_url) as store:
        expected = (
            store.installation_store("cid").metadata.tables
            | store.oauth_state_store(60).metadata.tables
        )
        inspector = inspect(store.engine)
        for name, table in expected.items():
            columns = {column["name"] for column in inspector.get_columns(name)}
            assert columns == {column.name for column in table.columns}, name
