"""Alembic environment: runs on the connection `bot.store.migrate` hands over, under a lock."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

# Any constant works; it only has to be the same in every replica of this app.
MIGRATION_LOCK_KEY = 0x52424F54  # "RBOT"

connection: Connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")

# One transaction for the whole upgrade. PostgreSQL: an advisory lock held to its end makes a
# second replica wait, then find the schema at head. SQLite: BEGIN IMMEDIATE (migrate.py sets
# it on this connection) does the same.
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    context.run_migrations()
