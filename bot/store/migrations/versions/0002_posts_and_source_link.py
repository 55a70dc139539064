"""Crash-safe posting (post intents) and the permalink a verdict was made from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add rb_posts and rb_verdicts.source_link; existing verdicts keep their data."""
    op.add_column("rb_verdicts", sa.Column("source_link", sa.Text()))
    op.create_table(
        "rb_posts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column(
            "verdict_id",
            sa.String(16),
            sa.ForeignKey("rb_verdicts.id", ondelete="CASCADE", name="fk_rb_posts_verdict"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("verdict_id", "kind", "key", name="uq_rb_posts_intent"),
    )
    op.create_index("ix_rb_posts_pending", "rb_posts", ["team_id", "message_ts"])


def downgrade() -> None:
    """Drop rb_posts and rb_verdicts.source_link."""
    op.drop_table("rb_posts")
    with op.batch_alter_table("rb_verdicts") as batch:
        batch.drop_column("source_link")
