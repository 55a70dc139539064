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
from typing import TYPE_CHECKING, Final

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, String, Table, delete

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
)
bots: Final = Table(
    "slack_bots",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", String(32)),
)


def _require_greenlet() -> None:
    # Checked up front: SQLAlchemy raises its ImportError only on the first import attempt.
    if importlib.util.find_spec("greenlet") is None:
        raise StoreError(NEEDS_GREENLET)


def installation_store(engine: Engine, client_id: str) -> SQLAlchemyInstallationStore:
    """slack-sdk's installation store for this app's client id, on the store's engine."""
    _require_greenlet()
    from slack_sdk.oauth.installation_store.sqlalchemy import (  # noqa: PLC0415 - optional
        SQLAlchemyInstallationStore,
    )

    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def oauth_state_store(engine: Engine, expiration_seconds: int) -> SQLAlchemyOAuthStateStore:
    """slack-sdk's OAuth state store, on the store's engine."""
    _require_greenlet()
    from slack_sdk.oauth.state_store.sqlalchemy import (  # noqa: PLC0415 - optional
        SQLAlchemyOAuthStateStore,
    )

    return SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)


def delete_installations(connection: Connection, team_id: str) -> None:
    """Inside a transaction: every installation and bot row of a workspace, any client id."""
    connection.execute(delete(installations).where(installations.c.team_id == team_id))
    connection.execute(delete(bots).where(bots.c.team_id == team_id))
