"""URL rules, SQLite settings, and errors that say what is wrong without leaking secrets."""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from bot.store import (
    InvalidUrlError,
    StoreError,
    StoreUnavailableError,
    VerdictRecord,
    normalize_url,
    open_store,
)
from bot.store import engine as engine_module
from tests.store.helpers import TEAM, make_verdict


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///relationship-bot.db", "sqlite+pysqlite"),
    ],
)
def test_urls_are_normalized(url: str, driver: str) -> None:
    assert normalize_url(url).drivername == driver


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "mysql://u@h/db", "not a url", ""]
)
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidUrlError):
        normalize_url(url)


def test_unreachable_database_is_unavailable_without_password() -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        open_store("postgresql://bot:s3cret-pw@127.0.0.1:1/none")
    assert "s3cret-pw" not in str(caught.value)
    assert "127.0.0.1:1" in str(caught.value)


def test_unwritable_sqlite_path_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError):
        open_store(f"sqlite:///{tmp_path / 'missing-dir' / 'bot.db'}")


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'bot.db'}") as store:
        assert store.backend == "sqlite"
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_describe_hides_the_password(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'bot.db'}") as store:
        assert store.describe().startswith("sqlite+pysqlite:///")


def test_sqlite_reads_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    with open_store(url) as store:
        verdict = make_verdict(store)
        inside, release = threading.Event(), threading.Event()

        def slow_update(current: VerdictRecord) -> None:
            inside.set()
            release.wait(timeout=30)

        writer = threading.Thread(
            target=store.revise,
            args=(TEAM, verdict.id),
            kwargs={"actor_id": "U", "source": "thread", "trigger_ts": "1", "update": slow_update},
        )
        writer.start()
        try:
            assert inside.wait(timeout=30)
            started = time.monotonic()
            assert store.get_verdict(TEAM, verdict.id) == verdict
            assert store.list_by_team(TEAM).items == (verdict,)
            with store.engine.connect() as connection:  # as slack-sdk's OAuth stores read
                assert connection.execute(text("SELECT count(*) FROM rb_verdicts")).scalar() == 1
            assert time.monotonic() - started < 1.0  # well under the 5 s busy timeout
        finally:
            release.set()
            writer.join(timeout=30)


def test_oauth_stores_say_what_is_missing(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'bot.db'}") as store:
        if importlib.util.find_spec("greenlet") is None:
            with pytest.raises(StoreError, match="greenlet"):
                store.installation_store("client")
            with pytest.raises(StoreError, match="greenlet"):
                store.oauth_state_store(60)
        else:
            bots = store.installation_store("client")
            assert bots.find_bot(enterprise_id=None, team_id="T1") is None
            states = store.oauth_state_store(60)
            state = states.issue()
            assert states.consume(state)
            assert not states.consume(state)


@pytest.mark.postgres
def test_postgres_connections_killed_by_the_server_are_replaced(
    pg_session_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server restart kills pooled connections; idle ones are pinged and replaced."""
    with open_store(pg_session_url) as store:
        verdict = make_verdict(store)

        def kill_backends() -> None:
            with psycopg.connect(pg_session_url) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = 'relationship-bot' AND datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                )

        kill_backends()
        monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)
        assert store.get_verdict(TEAM, verdict.id) == verdict  # pinged, replaced, answered

        kill_backends()
        monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 3600.0)
        with pytest.raises(StoreUnavailableError):  # not pinged: fails once...
            store.get_verdict(TEAM, verdict.id)
        assert store.get_verdict(TEAM, verdict.id) == verdict  # ...then the pool is renewed
