"""Table definitions used by the queries; migrations/ creates and upgrades them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from bot.store.schema.types import UTCDateTime, json_type

metadata = MetaData()

ID = 32  # Slack ids (T…, E…, C…, U…) and message ts fit easily

verdicts = Table(
    "rb_verdicts",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("team_id", String(ID), nullable=False),
    Column("enterprise_id", String(ID)),
    Column("channel_id", String(ID), nullable=False),
    Column("message_ts", String(ID)),
    Column("creator_id", String(ID), nullable=False),
    Column("title", String(255), nullable=False),
    Column("counterpart", String(255)),
    Column("answers", json_type(), nullable=False),
    Column("result", json_type(), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("pinned", Boolean, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("source_link", Text),
    UniqueConstraint("team_id", "channel_id", "message_ts", name="uq_rb_verdicts_message"),
    Index("ix_rb_verdicts_team_created", "team_id", "created_at", "id"),
    Index("ix_rb_verdicts_channel_created", "team_id", "channel_id", "created_at", "id"),
    Index("ix_rb_verdicts_creator_created", "team_id", "creator_id", "created_at", "id"),
)

revisions = Table(
    "rb_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "verdict_id",
        String(16),
        ForeignKey("rb_verdicts.id", ondelete="CASCADE", name="fk_rb_revisions_verdict"),
        nullable=False,
    ),
    Column("team_id", String(ID), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("actor_id", String(ID), nullable=False),
    Column("source", String(8), nullable=False),
    Column("trigger_ts", String(64)),
    Column("changes", json_type(), nullable=False),
    Column("answers", json_type(), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("undoes", Integer),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("verdict_id", "revision", name="uq_rb_revisions_revision"),
    UniqueConstraint("verdict_id", "trigger_ts", name="uq_rb_revisions_trigger"),
    CheckConstraint(
        "source IN ('modal', 'thread', 'button', 'undo')", name="ck_rb_revisions_source"
    ),
    Index("ix_rb_revisions_team", "team_id"),
)

events = Table(
    "rb_events",
    metadata,
    Column("team_id", String(ID), primary_key=True),
    Column("event_key", String(128), primary_key=True),
    Column("stage", String(10), nullable=False),
    Column("owner", String(128), nullable=False),
    Column("lease_until", UTCDateTime(), nullable=False),
    Column("verdict_id", String(16)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("payload", json_type()),  # what a crashed handler's successor needs to finish it
    CheckConstraint("stage IN ('received', 'applied', 'answered')", name="ck_rb_events_stage"),
    Index(
        "ix_rb_events_unanswered",
        "lease_until",
        postgresql_where=text("stage <> 'answered' AND payload IS NOT NULL"),
        sqlite_where=text("stage <> 'answered' AND payload IS NOT NULL"),
    ),
)

posts = Table(
    "rb_posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(ID), nullable=False),
    Column(
        "verdict_id",
        String(16),
        ForeignKey("rb_verdicts.id", ondelete="CASCADE", name="fk_rb_posts_verdict"),
        nullable=False,
    ),
    Column("kind", String(16), nullable=False),
    Column("key", String(64), nullable=False),
    Column("channel_id", String(ID), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("message_ts", String(ID)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("posted_at", UTCDateTime()),
    Column("lease_owner", String(128)),  # who is posting it (None: nobody has tried yet)
    Column("lease_until", UTCDateTime()),  # nobody else may post it before this
    UniqueConstraint("verdict_id", "kind", "key", name="uq_rb_posts_intent"),
    Index("ix_rb_posts_pending", "team_id", "message_ts"),
    Index(
        "ix_rb_posts_unposted",
        "lease_until",
        postgresql_where=text("message_ts IS NULL"),
        sqlite_where=text("message_ts IS NULL"),
    ),
)
