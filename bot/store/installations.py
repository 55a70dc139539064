"""slack-sdk's OAuth stores on the store's engine; their tables come from our migrations.

Why migrations rather than their `create_tables()`: create_all skips tables that exist, so a
column slack-sdk adds later would silently be missing on upgrade; and two replicas calling it
together race on CREATE TABLE. Migration 0001 freezes their schema and runs under the lock.

slack-sdk's SQLAlchemy stores import `sqlalchemy.ext.asyncio`, which on SQLAlchemy 2.1 needs
the `greenlet` package; they are imported only when asked for, so the rest of the store works
without it.
"""

from __future__ import annotations

import importlib.util
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, cast

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    select,
)

from bot.store.engine import Database
from bot.store.errors import StoreError

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

NEEDS_GREENLET: Final = (
    "slack-sdk's SQLAlchemy OAuth stores import sqlalchemy.ext.asyncio, which needs the "
    "'greenlet' package on SQLAlchemy 2.1: install SQLAlchemy[asyncio]"
)

# Only what deleting a workspace needs of slack-sdk's tables (migration 0001 has them whole).
_metadata = MetaData()
installations: Final = Table(
    "slack_installations",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", String(32)),
    Column("installed_at", DateTime),
)
bots: Final = Table(
    "slack_bots",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", String(32)),
    Column("installed_at", DateTime),
)


def _require_greenlet() -> None:
    # Checked up front: SQLAlchemy raises its ImportError only on the first import attempt.
    if importlib.util.find_spec("greenlet") is None:
        raise StoreError(NEEDS_GREENLET)


class StoreWrites:
    """The engine as slack-sdk's stores use it, with their writes made the store's own writes.

    slack-sdk writes in `engine.begin()` and reads in `engine.connect()`. Its plain BEGIN is
    deferred: on SQLite, a state check that reads and then deletes fails at once with
    "database is locked" when another writer committed in between (one OAuth install in five
    failed so, with a 401 at the redirect). Here `begin()` is `Database.write()`: BEGIN
    IMMEDIATE, queued behind the app's other writers like any write of the store.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def begin(self) -> AbstractContextManager[Connection]:
        """A write transaction of the store."""
        return self._database.write()

    def connect(self) -> Connection:
        """A connection for reading."""
        return self._database.engine.connect()


def installation_store(database: Database, client_id: str) -> SQLAlchemyInstallationStore:
    """slack-sdk's installation store for this app's client id, writing as the store writes."""
    _require_greenlet()
    from slack_sdk.oauth.installation_store.sqlalchemy import (  # noqa: PLC0415 - optional
        SQLAlchemyInstallationStore,
    )

    # slack-sdk annotates an Engine and uses only begin() and connect() of it.
    engine = cast(Engine, StoreWrites(database))
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def oauth_state_store(database: Database, expiration_seconds: int) -> SQLAlchemyOAuthStateStore:
    """slack-sdk's OAuth state store, writing as the store writes."""
    _require_greenlet()
    from slack_sdk.oauth.state_store.sqlalchemy import (  # noqa: PLC0415 - optional
        SQLAlchemyOAuthStateStore,
    )

    engine = cast(Engine, StoreWrites(database))
    return SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)


def installed_since(connection: Connection, team_id: str, since: float) -> bool:
    """Inside a transaction: whether a bot of the workspace was installed at or after `since`."""
    query = select(bots.c.id).where(bots.c.team_id == team_id, bots.c.installed_at >= _utc(since))
    return connection.execute(query.limit(1)).first() is not None


def delete_installations(connection: Connection, team_id: str, *, before: float | None) -> None:
    """Inside a transaction: the installation and bot rows of a workspace, any client id
    (only those installed before `before`, a Unix time, when given)."""
    for table in (installations, bots):
        condition = table.c.team_id == team_id
        if before is not None:
            condition &= table.c.installed_at < _utc(before)
        connection.execute(delete(table).where(condition))


def _utc(unix_time: float) -> datetime:
    """A Unix time as slack-sdk stores it: a naive UTC datetime."""
    return datetime.fromtimestamp(unix_time, tz=UTC).replace(tzinfo=None)
