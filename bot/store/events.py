"""How far the handling of each Slack event got, with leases so a dead handler's work resumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Row, bindparam, delete, exc, insert, null, select, update

from bot.store.engine import Database
from bot.store.errors import DuplicateEventError, EventNotOwnedError
from bot.store.records import STAGES, EventClaim, PendingEvent, Stage
from bot.store.schema.tables import events

DEFAULT_LEASE_SECONDS: Final = 60.0

# Hot-path statements are built once (see verdicts.py): every modal submission claims one.
_SELECT_FOR_UPDATE: Final = (
    select(events)
    .where(events.c.team_id == bindparam("team_id"), events.c.event_key == bindparam("event_key"))
    .with_for_update()
)
_INSERT: Final = insert(events)
_MARK_APPLIED: Final = update(events).where(
    events.c.team_id == bindparam("b_team_id"),
    events.c.event_key == bindparam("b_event_key"),
    events.c.stage == "received",
)


def claim_event(
    db: Database,
    team_id: str,
    event_key: str,
    *,
    owner: str,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    payload: Mapping[str, Any] | None = None,
) -> EventClaim:
    """Take an event: new, resume (a dead owner's lease ran out), done, or busy.

    A new event keeps `payload` (what finishing it needs) until it is answered.
    """
    with db.write() as connection:
        stamp = datetime.now(UTC)
        lease_until = stamp + timedelta(seconds=lease_seconds)
        row = _select(connection, team_id, event_key)
        if row is None:
            try:
                with connection.begin_nested():
                    connection.execute(
                        insert(events).values(
                            team_id=team_id,
                            event_key=event_key,
                            stage="received",
                            owner=owner,
                            lease_until=lease_until,
                            created_at=stamp,
                            updated_at=stamp,
                            payload=null()
                            if payload is None
                            else dict(payload),  # SQL NULL, not JSON null
                        )
                    )
            except exc.IntegrityError:
                # Another process inserted the same key first and has committed: judge its row.
                row = _select(connection, team_id, event_key)
            else:
                return EventClaim("new", team_id, event_key, "received", owner, lease_until)
        assert row is not None  # noqa: S101 - the insert lost to a committed row
        claim = _claim_from_row(row)
        if claim.stage == "answered":
            return replace(claim, status="done")
        if claim.owner != owner and claim.lease_until > stamp:
            return replace(claim, status="busy")
        connection.execute(
            update(events)
            .where(events.c.team_id == team_id, events.c.event_key == event_key)
            .values(owner=owner, lease_until=lease_until, updated_at=stamp)
        )
        return EventClaim(
            "resume", team_id, event_key, claim.stage, owner, lease_until, claim.verdict_id
        )


def advance_event(
    db: Database,
    team_id: str,
    event_key: str,
    stage: Stage,
    *,
    owner: str,
    verdict_id: str | None = None,
) -> None:
    """Move an owned event forward (received -> applied -> answered); never backwards."""
    earlier = STAGES[: STAGES.index(stage)]
    values: dict[str, Any] = {"stage": stage, "updated_at": datetime.now(UTC)}
    if stage == "answered":
        values["payload"] = null()  # done: the reply's text is not kept longer than needed
    if verdict_id is not None:
        values["verdict_id"] = verdict_id
    with db.write() as connection:
        done = connection.execute(
            update(events)
            .where(
                events.c.team_id == team_id,
                events.c.event_key == event_key,
                events.c.owner == owner,
                events.c.stage.in_(earlier),
            )
            .values(**values)
        )
        if done.rowcount == 1:
            return
        row = _select(connection, team_id, event_key)
        if row is None or row.owner != owner:
            raise EventNotOwnedError(f"event {event_key} of team {team_id} is not owned by {owner}")
        # Already at or past `stage`: moving there again is a no-op.


def renew_event(
    db: Database, team_id: str, event_key: str, *, owner: str, lease_seconds: float
) -> bool:
    """Extend the owner's lease on an unanswered event; False if someone else holds it now."""
    until = datetime.now(UTC) + timedelta(seconds=lease_seconds)
    with db.write() as connection:
        done = connection.execute(
            update(events)
            .where(
                events.c.team_id == team_id,
                events.c.event_key == event_key,
                events.c.owner == owner,
                events.c.stage != "answered",
            )
            .values(lease_until=until)
        )
        return done.rowcount == 1


def release_event(db: Database, team_id: str, event_key: str, *, owner: str) -> None:
    """End the owner's lease now (its handler failed): another may take the event at once."""
    with db.write() as connection:
        connection.execute(
            update(events)
            .where(
                events.c.team_id == team_id,
                events.c.event_key == event_key,
                events.c.owner == owner,
                events.c.stage != "answered",
            )
            .values(lease_until=datetime.now(UTC))
        )


def stale_events(db: Database, *, since: datetime, limit: int) -> tuple[PendingEvent, ...]:
    """Unanswered events (all teams) with a payload since `since` whose lease ran out.

    Least recently tried first, so work that keeps failing does not hold up the rest.
    """
    stamp = datetime.now(UTC)
    query = (
        select(events)
        .where(
            events.c.stage != "answered",
            events.c.payload.is_not(None),
            events.c.lease_until <= stamp,
            events.c.created_at >= since,
        )
        .order_by(events.c.lease_until, events.c.created_at)
        .limit(limit)
    )
    with db.read() as connection:
        return tuple(
            PendingEvent(row.team_id, row.event_key, row.stage, row.payload, row.lease_until)
            for row in connection.execute(query)
        )


def record_once(
    connection: Connection, team_id: str, event_key: str, verdict_id: str, stamp: datetime
) -> None:
    """Inside a new verdict's transaction: the event that created it, answered at once.

    Run it first in the transaction: DuplicateEventError if the event is stored already (a
    replay), and the transaction then rolls back, so nothing of the replay is written.
    """
    try:
        connection.execute(
            _INSERT,
            {
                "team_id": team_id,
                "event_key": event_key,
                "stage": "answered",
                "owner": event_key,
                "lease_until": stamp,
                "verdict_id": verdict_id,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
    except exc.IntegrityError as error:
        raise DuplicateEventError(f"event {event_key} of team {team_id} was handled") from error


def mark_applied(
    connection: Connection, team_id: str, event_key: str, verdict_id: str, stamp: datetime
) -> None:
    """Inside a revision's transaction: the event's change is applied (to this verdict)."""
    connection.execute(
        _MARK_APPLIED,
        {
            "b_team_id": team_id,
            "b_event_key": event_key,
            "stage": "applied",
            "verdict_id": verdict_id,
            "updated_at": stamp,
        },
    )


def prune_events(db: Database, older_than: datetime) -> int:
    """Forget answered events last touched before `older_than` (all teams); how many."""
    with db.write() as connection:
        done = connection.execute(
            delete(events).where(events.c.stage == "answered", events.c.updated_at < older_than)
        )
        return done.rowcount


def _select(connection: Connection, team_id: str, event_key: str) -> Row[Any] | None:
    return connection.execute(
        _SELECT_FOR_UPDATE, {"team_id": team_id, "event_key": event_key}
    ).first()


def _claim_from_row(row: Row[Any]) -> EventClaim:
    return EventClaim(
        "busy", row.team_id, row.event_key, row.stage, row.owner, row.lease_until, row.verdict_id
    )
