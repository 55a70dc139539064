"""Leases on post intents and the reply an event carries, so another process can finish them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Add rb_posts lease columns, rb_events.payload, and indexes over unfinished work."""
    with op.batch_alter_table("rb_posts") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(128)))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True)))
    with op.batch_alter_table("rb_events") as batch:
        batch.add_column(sa.Column("payload", _json()))
    unposted = sa.text("message_ts IS NULL")
    op.create_index(
        "ix_rb_posts_unposted",
        "rb_posts",
        ["lease_until"],
        postgresql_where=unposted,
        sqlite_where=unposted,
    )
    unanswered = sa.text("stage <> 'answered' AND payload IS NOT NULL")
    op.create_index(
        "ix_rb_events_unanswered",
        "rb_events",
        ["lease_until"],
        postgresql_where=unanswered,
        sqlite_where=unanswered,
    )


def downgrade() -> None:
    """Drop the indexes and columns again."""
    op.drop_index("ix_rb_events_unanswered", "rb_events")
    op.drop_index("ix_rb_posts_unposted", "rb_posts")
    with op.batch_alter_table("rb_events") as batch:
        batch.drop_column("payload")
    with op.batch_alter_table("rb_posts") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
