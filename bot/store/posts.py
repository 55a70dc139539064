"""Crash-safe posting: the intent is stored before a Slack post, its message ts after."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Row, bindparam, delete, exc, insert, or_, select, update

from bot.store.engine import Database
from bot.store.errors import NotFoundError
from bot.store.records import Lease, PostClaim, PostRecord
from bot.store.schema.tables import posts, verdicts

# Hot-path statements are built once (see verdicts.py): each post stores an intent and its ts.
_FIND: Final = select(posts).where(
    posts.c.team_id == bindparam("team_id"),
    posts.c.verdict_id == bindparam("verdict_id"),
    posts.c.kind == bindparam("kind"),
    posts.c.key == bindparam("key"),
)
_FIND_FOR_UPDATE: Final = _FIND.with_for_update()
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
        _check_team(connection, team_id, verdict_id)
        existing = _find(connection, team_id, verdict_id, kind, key)
        if existing is not None:
            return _from_row(existing)
        _insert(
            connection,
            team_id,
            verdict_id,
            kind=kind,
            key=key,
            channel_id=channel_id,
            revision=revision,
        )
        row = _find(connection, team_id, verdict_id, kind, key)
        assert row is not None  # noqa: S101 - inserted or found just above
        return _from_row(row)


def claim_post(
    db: Database,
    team_id: str,
    verdict_id: str,
    kind: str,
    channel_id: str,
    *,
    revision: int,
    key: str = "",
    owner: str,
    lease_seconds: float,
) -> PostClaim:
    """Store the intent if new, then take its lease: posted, mine, or busy (compare-and-set)."""
    with db.write() as connection:
        _check_team(connection, team_id, verdict_id)
        row = _find(connection, team_id, verdict_id, kind, key, for_update=True)
        if row is None:
            _insert(
                connection,
                team_id,
                verdict_id,
                kind=kind,
                key=key,
                channel_id=channel_id,
                revision=revision,
            )
            row = _find(connection, team_id, verdict_id, kind, key, for_update=True)
            assert row is not None  # noqa: S101 - inserted or found just above
        if row.message_ts is not None:
            return PostClaim("posted", _from_row(row))
        stamp = datetime.now(UTC)
        leased = row.lease_owner is not None and row.lease_until is not None
        if leased and row.lease_owner != owner and row.lease_until > stamp:
            return PostClaim("busy", _from_row(row))
        connection.execute(
            update(posts)
            .where(posts.c.team_id == team_id, posts.c.id == row.id)
            .values(lease_owner=owner, lease_until=stamp + timedelta(seconds=lease_seconds))
        )
        claimed = _get(connection, team_id, row.id)
        # Its own reservation (made with the verdict) was never tried; anyone else's may have been.
        tried = row.lease_owner not in (None, owner)
        return PostClaim("mine", _from_row(claimed), tried_before=tried)


def renew_post(
    db: Database,
    team_id: str,
    verdict_id: str,
    kind: str,
    key: str = "",
    *,
    owner: str,
    lease_seconds: float,
) -> bool:
    """Extend the owner's lease on an intent; False if another owner holds it now."""
    until = datetime.now(UTC) + timedelta(seconds=lease_seconds)
    with db.write() as connection:
        done = connection.execute(
            update(posts)
            .where(*_intent(team_id, verdict_id, kind, key), posts.c.lease_owner == owner)
            .values(lease_until=until)
        )
        return done.rowcount == 1


def release_post(
    db: Database, team_id: str, verdict_id: str, kind: str, key: str = "", *, owner: str
) -> None:
    """End the owner's lease now (it gave up): recovery may try again at once."""
    with db.write() as connection:
        connection.execute(
            update(posts)
            .where(
                *_intent(team_id, verdict_id, kind, key),
                posts.c.lease_owner == owner,
                posts.c.message_ts.is_(None),
            )
            .values(lease_until=datetime.now(UTC))
        )


def renew_verdict_posts(
    db: Database, team_id: str, verdict_id: str, *, owner: str, lease_seconds: float
) -> bool:
    """Extend the owner's leases on a verdict's intents; False once another owner holds its
    parent (which the owner's replies wait on)."""
    until = datetime.now(UTC) + timedelta(seconds=lease_seconds)
    with db.write() as connection:
        parent = connection.execute(
            update(posts)
            .where(*_intent(team_id, verdict_id, "parent", ""), posts.c.lease_owner == owner)
            .values(lease_until=until)
        )
        if parent.rowcount != 1:
            return False
        connection.execute(
            update(posts)
            .where(
                posts.c.team_id == team_id,
                posts.c.verdict_id == verdict_id,
                posts.c.kind != "parent",
                posts.c.lease_owner == owner,
            )
            .values(lease_until=until)
        )
        return True


def release_verdict_posts(db: Database, team_id: str, verdict_id: str, *, owner: str) -> None:
    """End the owner's leases on a verdict's unposted intents now (it gave up)."""
    with db.write() as connection:
        connection.execute(
            update(posts)
            .where(
                posts.c.team_id == team_id,
                posts.c.verdict_id == verdict_id,
                posts.c.lease_owner == owner,
                posts.c.message_ts.is_(None),
            )
            .values(lease_until=datetime.now(UTC))
        )


def stale_posts(
    db: Database, *, kinds: Collection[str], since: datetime, limit: int
) -> tuple[PostRecord, ...]:
    """Unposted intents of these kinds (all teams) since `since` that nobody holds a lease on.

    Least recently tried first, so work that keeps failing does not hold up the rest.
    """
    stamp = datetime.now(UTC)
    query = (
        select(posts)
        .where(
            posts.c.message_ts.is_(None),
            or_(posts.c.lease_until.is_(None), posts.c.lease_until <= stamp),
            posts.c.kind.in_(list(kinds)),
            posts.c.created_at >= since,
        )
        .order_by(posts.c.lease_until.asc().nulls_first(), posts.c.id)
        .limit(limit)
    )
    with db.read() as connection:
        return tuple(_from_row(row) for row in connection.execute(query))


def complete_post(db: Database, team_id: str, post_id: int, message_ts: str) -> PostRecord:
    """Store the ts Slack gave the post; a parent post also becomes the verdict's message."""
    with db.write() as connection:
        return _complete(connection, _get(connection, team_id, post_id), message_ts)


def complete_intent(
    db: Database,
    team_id: str,
    verdict_id: str,
    kind: str,
    key: str,
    *,
    message_ts: str,
    lease_replies: Lease | None = None,
) -> PostRecord:
    """complete_post for the intent of (verdict, kind, key), whose id the caller never read.

    With `lease_replies` (a parent's completion), the intents of its thread replies are stored
    in the same transaction, leased to the parent's poster: nobody else can hold them yet.
    """
    with db.write() as connection:
        row = _find(connection, team_id, verdict_id, kind, key)
        if row is None:
            raise NotFoundError(f"no {kind} post {key!r} of verdict {verdict_id} in {team_id}")
        if lease_replies is not None and lease_replies.keys:
            insert_leased(
                connection,
                team_id,
                verdict_id,
                channel_id=row.channel_id,
                revision=row.revision,
                intents=[("thread", reply_key) for reply_key in lease_replies.keys],
                owner=lease_replies.owner,
                seconds=lease_replies.seconds,
            )
        return _complete(connection, row, message_ts)


def insert_leased(
    connection: Connection,
    team_id: str,
    verdict_id: str,
    *,
    channel_id: str,
    revision: int,
    intents: Collection[tuple[str, str]],
    owner: str,
    seconds: float,
) -> None:
    """Store new intents, each (kind, key), already leased to `owner` for `seconds`: made in
    the transaction that creates their work, so nobody else can hold them yet."""
    stamp = datetime.now(UTC)
    lease = {"lease_owner": owner, "lease_until": stamp + timedelta(seconds=seconds)}
    rows = [
        _row(team_id, verdict_id, kind, key, channel_id=channel_id, revision=revision, stamp=stamp)
        for kind, key in intents
    ]
    connection.execute(_INSERT, [row | lease for row in rows])


def _complete(connection: Connection, row: Row[Any], message_ts: str) -> PostRecord:
    """Store a post's ts unless it has one; the parent's is also the verdict's message."""
    if row.message_ts is not None:
        return _from_row(row)
    done = {
        "b_team_id": row.team_id,
        "b_post_id": row.id,
        "b_message_ts": message_ts,
        "b_stamp": datetime.now(UTC),
    }
    connection.execute(_COMPLETE, done)
    if row.kind == "parent":
        connection.execute(
            _SET_VERDICT_MESSAGE,
            done | {"b_verdict_id": row.verdict_id, "b_channel_id": row.channel_id},
        )
    return _from_row(_get(connection, row.team_id, row.id))


def pending_posts(db: Database, team_id: str | None = None) -> tuple[PostRecord, ...]:
    """Intents without a message ts, oldest first: one team's, or all (for recovery at start)."""
    query = select(posts).where(posts.c.message_ts.is_(None)).order_by(posts.c.id)
    if team_id is not None:
        query = query.where(posts.c.team_id == team_id)
    with db.read() as connection:
        return tuple(_from_row(row) for row in connection.execute(query))


def discard_intent(db: Database, team_id: str, verdict_id: str, kind: str, key: str) -> None:
    """Forget the intent of (verdict, kind, key), if there is one: its work is done."""
    with db.write() as connection:
        connection.execute(
            delete(posts).where(
                posts.c.team_id == team_id,
                posts.c.verdict_id == verdict_id,
                posts.c.kind == kind,
                posts.c.key == key,
            )
        )


def discard_post(db: Database, team_id: str, post_id: int) -> None:
    """Drop an intent that can never be posted (e.g. the channel is gone)."""
    with db.write() as connection:
        done = connection.execute(
            delete(posts).where(posts.c.team_id == team_id, posts.c.id == post_id)
        )
        if done.rowcount != 1:
            raise NotFoundError(f"no post {post_id} in team {team_id}")


def _check_team(connection: Connection, team_id: str, verdict_id: str) -> None:
    """NotFoundError unless the verdict is in this team."""
    found = {"team_id": team_id, "verdict_id": verdict_id}
    if connection.execute(_VERDICT_IN_TEAM, found).first() is None:
        raise NotFoundError(f"no verdict {verdict_id} in team {team_id}")


def _intent(team_id: str, verdict_id: str, kind: str, key: str) -> tuple[Any, ...]:
    """The conditions that pick one intent."""
    return (
        posts.c.team_id == team_id,
        posts.c.verdict_id == verdict_id,
        posts.c.kind == kind,
        posts.c.key == key,
    )


def _find(
    connection: Connection,
    team_id: str,
    verdict_id: str,
    kind: str,
    key: str,
    *,
    for_update: bool = False,
) -> Row[Any] | None:
    query = _FIND_FOR_UPDATE if for_update else _FIND
    return connection.execute(
        query, {"team_id": team_id, "verdict_id": verdict_id, "kind": kind, "key": key}
    ).first()


def _insert(
    connection: Connection,
    team_id: str,
    verdict_id: str,
    *,
    kind: str,
    key: str,
    channel_id: str,
    revision: int,
) -> None:
    """Insert an intent; a concurrent writer that stored the same one first wins quietly."""
    try:
        with connection.begin_nested():
            connection.execute(
                _INSERT,
                _row(
                    team_id,
                    verdict_id,
                    kind,
                    key,
                    channel_id=channel_id,
                    revision=revision,
                    stamp=datetime.now(UTC),
                ),
            )
    except exc.IntegrityError:
        pass


def _row(
    team_id: str,
    verdict_id: str,
    kind: str,
    key: str,
    *,
    channel_id: str,
    revision: int,
    stamp: datetime,
) -> dict[str, Any]:
    """An intent's row, without a lease."""
    return {
        "team_id": team_id,
        "verdict_id": verdict_id,
        "kind": kind,
        "key": key,
        "channel_id": channel_id,
        "revision": revision,
        "created_at": stamp,
    }


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
        lease_owner=row.lease_owner,
        lease_until=row.lease_until,
    )
