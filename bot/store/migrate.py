"""Bring a database's schema to a given Alembic revision (head by default), in place."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.store.engine import IMMEDIATE, Database

MIGRATIONS: Final = Path(__file__).with_name("migrations")

# Alembic's `context` and `op` are process-wide proxies: one upgrade at a time per process.
# Between processes, the lock taken in migrations/env.py does the same.
_ONE_AT_A_TIME: Final = threading.Lock()
MIGRATE_LOCK_SUFFIX: Final = "-migrate.lock"


def alembic_config() -> Config:
    """An Alembic config pointing at the scripts shipped inside the package (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply migrations up to `revision` under a lock, so replicas starting together are safe."""
    config = alembic_config()
    with (
        _ONE_AT_A_TIME,
        _sqlite_file_lock(db),
        db.unavailable_as_error(),
        db.engine.connect() as connection,
    ):
        connection.execution_options(**{IMMEDIATE: True})  # SQLite: the lock, from the start
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def _sqlite_file_lock(db: Database) -> Iterator[None]:
    """Between processes on one SQLite file: one whole upgrade at a time, on a lock file.

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


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None if it has no schema yet."""
    with db.unavailable_as_error(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"  # noqa: S101 - packaging invariant
    return head
