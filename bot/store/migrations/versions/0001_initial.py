"""Verdicts, their revisions, Slack events, and slack-sdk's OAuth tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

The DDL is written out here, frozen, rather than taken from the code's current tables:
a migration must create what this version created, whatever later versions define.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the first schema."""
    op.create_table(
        "rb_verdicts",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("message_ts", sa.String(32)),
        sa.Column("creator_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("counterpart", sa.String(255)),
        sa.Column("answers", _json(), nullable=False),
        sa.Column("result", _json(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.UniqueConstraint("team_id", "channel_id", "message_ts", name="uq_rb_verdicts_message"),
    )
    op.create_index("ix_rb_verdicts_team_created", "rb_verdicts", ["team_id", "created_at", "id"])
    op.create_index(
        "ix_rb_verdicts_channel_created",
        "rb_verdicts",
        ["team_id", "channel_id", "created_at", "id"],
    )
    op.create_index(
        "ix_rb_verdicts_creator_created",
        "rb_verdicts",
        ["team_id", "creator_id", "created_at", "id"],
    )

    op.create_table(
        "rb_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "verdict_id",
            sa.String(16),
            sa.ForeignKey("rb_verdicts.id", ondelete="CASCADE", name="fk_rb_revisions_verdict"),
            nullable=False,
        ),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.String(32), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("trigger_ts", sa.String(64)),
        sa.Column("changes", _json(), nullable=False),
        sa.Column("answers", _json(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("undoes", sa.Integer),
        sa.Column("created_at", _when(), nullable=False),
        sa.UniqueConstraint("verdict_id", "revision", name="uq_rb_revisions_revision"),
        sa.UniqueConstraint("verdict_id", "trigger_ts", name="uq_rb_revisions_trigger"),
        sa.CheckConstraint(
            "source IN ('modal', 'thread', 'button', 'undo')", name="ck_rb_revisions_source"
        ),
    )
    op.create_index("ix_rb_revisions_team", "rb_revisions", ["team_id"])

    op.create_table(
        "rb_events",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("event_key", sa.String(128), primary_key=True),
        sa.Column("stage", sa.String(10), nullable=False),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("lease_until", _when(), nullable=False),
        sa.Column("verdict_id", sa.String(16)),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.CheckConstraint(
            "stage IN ('received', 'applied', 'answered')", name="ck_rb_events_stage"
        ),
    )

    # slack-sdk 3.48's SQLAlchemyInstallationStore / SQLAlchemyOAuthStateStore tables, as
    # their build_*_table() define them (tests/store/test_schema.py checks they still match).
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(200)),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.String(200)),
        sa.Column("user_token_expires_at", sa.DateTime),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False),
        sa.Column("token_type", sa.String(32)),
        sa.Column("installed_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False),
        sa.Column("installed_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "slack_bots_idx",
        "slack_bots",
        ["client_id", "enterprise_id", "team_id", "installed_at"],
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("expire_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    """Drop everything this revision created."""
    for table in (
        "slack_oauth_states",
        "slack_bots",
        "slack_installations",
        "rb_events",
        "rb_revisions",
        "rb_verdicts",
    ):
        op.drop_table(table)
