"""Bring a database's schema to a given Alembic revision (head by default), in place."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import inspect, text

from bot.store.engine import IMMEDIATE, Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS: Final = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions (a test keeps them equal). A database already
# there is opened without loading Alembic at all: each app worker starts faster and smaller.
HEAD: Final = "0003"

# Alembic's `context` and `op` are process-wide proxies: one upgrade at a time per process.
# Between processes, the lock taken in migrations/env.py does the same.
_ONE_AT_A_TIME: Final = threading.Lock()
MIGRATE_LOCK_SUFFIX: Final = "-migrate.lock"


def alembic_config() -> Config:
    """An Alembic config pointing at the scripts shipped inside the package (no ini file)."""
    from alembic.config import Config  # noqa: PLC0415 - Alembic loads only to migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply migrations up to `revision` under a lock, so replicas starting together are safe.

    Threads and SQLite replicas take turns from the first read: one that finds the schema
    being created waits for it rather than reading a half-made one (or, on a new SQLite file,
    asking for WAL mode while another replica switches it on: "database is locked").
    """
    with _ONE_AT_A_TIME, _sqlite_file_lock(db):
        if revision == "head" and stored_revision(db) == HEAD:
            return
        from alembic import command  # noqa: PLC0415 - Alembic loads only to migrate

        config = alembic_config()
        with db.unavailable_as_error(), db.engine.connect() as connection:
            connection.execution_options(**{IMMEDIATE: True})  # SQLite: the lock, from the start
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


@contextmanager
def _sqlite_file_lock(db: Database) -> Iterator[None]:
    """Between processes on one SQLite file: one schema check or upgrade at a time (a lock file).

    SQLite's own write lock does not cover a whole Alembic upgrade (the driver may commit
    around DDL), so two replicas starting together could both apply a migration.
    """
    database = db.engine.url.database
    if db.engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    try:
        descriptor = os.open(database + MIGRATE_LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # no such folder, read-only: connecting fails next, with a clear error
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)


def stored_revision(db: Database) -> str | None:
    """The revision in alembic_version, read without Alembic; None if there is none yet."""
    with db.unavailable_as_error(), db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None if it has no schema yet."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415 - see alembic_config

    with db.unavailable_as_error(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this code."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - see alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"  # noqa: S101 - packaging invariant
    return head
