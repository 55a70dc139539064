"""Crash-safe posting: the intent is stored before a Slack post, its message ts after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection, Row, bindparam, delete, exc, insert, select, update

from bot.store.engine import Database
from bot.store.errors import NotFoundError
from bot.store.records import PostRecord
from bot.store.schema.tables import posts, verdicts

# Hot-path statements are built once (see verdicts.py): each post stores an intent and its ts.
_FIND: Final = select(posts).where(
    posts.c.team_id == bindparam("team_id"),
    posts.c.verdict_id == bindparam("verdict_id"),
    posts.c.kind == bindparam("kind"),
    posts.c.key == bindparam("key"),
)
_GET: Final = select(posts).where(
    posts.c.team_id == bindparam("team_id"), posts.c.id == bindparam("post_id")
)
_INSERT: Final = insert(posts)
_VERDICT_IN_TEAM: Final = select(verdicts.c.id).where(
    verdicts.c.team_id == bindparam("team_id"), verdicts.c.id == bindparam("verdict_id")
)
_COMPLETE: Final = (
    update(posts)
    .where(posts.c.team_id == bindparam("b_team_id"), posts.c.id == bindparam("b_post_id"))
    .values(message_ts=bindparam("b_message_ts"), posted_at=bindparam("b_stamp"))
)
_SET_VERDICT_MESSAGE: Final = (
    update(verdicts)
    .where(
        verdicts.c.team_id == bindparam("b_team_id"),
        verdicts.c.id == bindparam("b_verdict_id"),
        verdicts.c.channel_id == bindparam("b_channel_id"),
    )
    .values(message_ts=bindparam("b_message_ts"), updated_at=bindparam("b_stamp"))
)


def record_post_intent(
    db: Database,
    team_id: str,
    verdict_id: str,
    kind: str,
    channel_id: str,
    *,
    revision: int,
    key: str = "",
) -> PostRecord:
    """Store the intent to post (kind, key) for a verdict, or return the one stored before.

    A returned record that is already `posted` means: do not post again.
    """
    with db.write() as connection:
        found = {"team_id": team_id, "verdict_id": verdict_id}
        if connection.execute(_VERDICT_IN_TEAM, found).first() is None:
            raise NotFoundError(f"no verdict {verdict_id} in team {team_id}")
        existing = _find(connection, team_id, verdict_id, kind, key)
        if existing is not None:
            return _from_row(existing)
        try:
            with connection.begin_nested():
                connection.execute(
                    _INSERT,
                    {
                        "team_id": team_id,
                        "verdict_id": verdict_id,
                        "kind": kind,
                        "key": key,
                        "channel_id": channel_id,
                        "revision": revision,
                        "created_at": datetime.now(UTC),
                    },
                )
        except exc.IntegrityError:
            pass  # a concurrent writer stored the same intent first: return theirs
        row = _find(connection, team_id, verdict_id, kind, key)
        assert row is not None  # noqa: S101 - inserted or found just above
        return _from_row(row)


def complete_post(db: Database, team_id: str, post_id: int, message_ts: str) -> PostRecord:
    """Store the ts Slack gave the post; a parent post also becomes the verdict's message."""
    stamp = datetime.now(UTC)
    with db.write() as connection:
        row = _get(connection, team_id, post_id)
        if row.message_ts is None:
            done = {
                "b_team_id": team_id,
                "b_post_id": post_id,
                "b_message_ts": message_ts,
                "b_stamp": stamp,
            }
            connection.execute(_COMPLETE, done)
            if row.kind == "parent":
                connection.execute(
                    _SET_VERDICT_MESSAGE,
                    done | {"b_verdict_id": row.verdict_id, "b_channel_id": row.channel_id},
                )
            row = _get(connection, team_id, post_id)
        return _from_row(row)


def pending_posts(db: Database, team_id: str | None = None) -> tuple[PostRecord, ...]:
    """Intents without a message ts, oldest first: one team's, or all (for recovery at start)."""
    query = select(posts).where(posts.c.message_ts.is_(None)).order_by(posts.c.id)
    if team_id is not None:
        query = query.where(posts.c.team_id == team_id)
    with db.read() as connection:
        return tuple(_from_row(row) for row in connection.execute(query))


def discard_post(db: Database, team_id: str, post_id: int) -> None:
    """Drop an intent that can never be posted (e.g. the channel is gone)."""
    with db.write() as connection:
        done = connection.execute(
            delete(posts).where(posts.c.team_id == team_id, posts.c.id == post_id)
        )
        if done.rowcount != 1:
            raise NotFoundError(f"no post {post_id} in team {team_id}")


def _find(
    connection: Connection, team_id: str, verdict_id: str, kind: str, key: str
) -> Row[Any] | None:
    return connection.execute(
        _FIND, {"team_id": team_id, "verdict_id": verdict_id, "kind": kind, "key": key}
    ).first()


def _get(connection: Connection, team_id: str, post_id: int) -> Row[Any]:
    row = connection.execute(_GET, {"team_id": team_id, "post_id": post_id}).first()
    if row is None:
        raise NotFoundError(f"no post {post_id} in team {team_id}")
    return row


def _from_row(row: Row[Any]) -> PostRecord:
    return PostRecord(
        id=row.id,
        team_id=row.team_id,
        verdict_id=row.verdict_id,
        kind=row.kind,
        key=row.key,
        channel_id=row.channel_id,
        revision=row.revision,
        message_ts=row.message_ts,
        created_at=row.created_at,
        posted_at=row.posted_at,
    )
