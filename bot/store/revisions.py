"""Revisions: serialized read-modify-write of one verdict, undo, and the history."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from sqlalchemy import Connection, Row, bindparam, exists, func, select, update

from bot.core.models import Answers, Change
from bot.store.engine import Database
from bot.store.errors import NotFoundError, StoreError
from bot.store.events import mark_applied
from bot.store.posts import insert_leased
from bot.store.records import (
    Revised,
    RevisionOutcome,
    RevisionPosts,
    RevisionRecord,
    Source,
    Update,
    VerdictRecord,
    diff_answers,
)
from bot.store.schema.tables import revisions, verdicts
from bot.store.verdicts import (
    insert_revision_row,
    next_revision,
    now,
    revision_insert_unless_applied,
    revision_row,
    select_verdict,
)

Classify = Callable[[Answers], Mapping[str, Any]]

# Built once (see verdicts.py). The UPDATE is a compare-and-set on the revision it read.
_BY_TRIGGER: Final = select(revisions).where(
    revisions.c.team_id == bindparam("team_id"),
    revisions.c.verdict_id == bindparam("verdict_id"),
    revisions.c.trigger_ts == bindparam("trigger_ts"),
)
_HISTORY: Final = (
    select(revisions)
    .where(
        revisions.c.team_id == bindparam("team_id"),
        revisions.c.verdict_id == bindparam("verdict_id"),
    )
    .order_by(revisions.c.revision)
)
_ONE: Final = select(revisions).where(
    revisions.c.team_id == bindparam("team_id"),
    revisions.c.verdict_id == bindparam("verdict_id"),
    revisions.c.revision == bindparam("revision"),
)
_SAVE_VERDICT: Final = update(verdicts).where(
    verdicts.c.team_id == bindparam("b_team_id"),
    verdicts.c.id == bindparam("b_id"),
    verdicts.c.revision == bindparam("b_revision"),
)
# The verdict columns a revision changes.
_SAVED: Final = ("title", "counterpart", "answers", "result", "verdict", "revision", "updated_at")
# PostgreSQL writes the history row and the verdict row in one statement (data-modifying
# CTEs): one round trip fewer while the row lock is held, which is what ten people replying in
# one thread queue behind. The update runs only if the history row went in; the statement
# returns how many rows each part wrote. SQLite has no DML in CTEs, and its round trips are
# calls within the process, so it runs the two statements.
_INSERTED: Final = revision_insert_unless_applied("r_").returning(revisions.c.id).cte("inserted")
_UPDATED: Final = (
    _SAVE_VERDICT.where(exists(select(_INSERTED.c.id)))
    .values({name: bindparam(f"v_{name}", type_=verdicts.c[name].type) for name in _SAVED})
    .returning(verdicts.c.id)
    .cte("updated")
)
_INSERT_AND_SAVE: Final = select(
    select(func.count()).select_from(_INSERTED).scalar_subquery(),
    select(func.count()).select_from(_UPDATED).scalar_subquery(),
)


def revise(
    db: Database,
    team_id: str,
    verdict_id: str,
    *,
    actor_id: str,
    source: Source,
    trigger_ts: str | None,
    update: Update,
    event_key: str | None = None,
    owed: RevisionPosts | None = None,
) -> RevisionOutcome:
    """Apply `update` to the current verdict under its lock; write a revision if it changes.

    `update` runs inside the transaction with the record as it stands; it returns the new
    answers, result and changes, or None for nothing to change. It must not have side effects:
    it also runs when `trigger_ts` turns out to be applied already (then nothing is written and
    the outcome is already_applied). `event_key` is marked applied in the same commit, and so
    are the intents of the posts `owed` for a revision written.
    """
    if source == "undo":
        raise ValueError("an undo is written by revert_last, which records what it undid")
    with db.write() as connection:
        current = select_verdict(connection, team_id, verdict_id, for_update=True)
        revised = update(current)
        written = None
        if revised is not None:
            written = _write(
                connection,
                current,
                revised,
                actor_id=actor_id,
                source=source,
                trigger_ts=trigger_ts,
                undoes=None,
            )
        if written is not None and owed is not None:
            insert_leased(
                connection,
                team_id,
                verdict_id,
                channel_id=written[0].channel_id,
                revision=written[0].revision,
                intents=[(kind, str(written[0].revision)) for kind in owed.kinds],
                owner=owed.owner,
                seconds=owed.seconds,
            )
        _mark(connection, team_id, event_key, verdict_id)
        if written is not None:
            return RevisionOutcome("applied", written[0], written[1])
        earlier = _by_trigger(connection, current, trigger_ts)
        if earlier is not None:
            return RevisionOutcome("already_applied", current, earlier)
        return RevisionOutcome("unchanged", current)


def revert_last(
    db: Database,
    team_id: str,
    verdict_id: str,
    *,
    actor_id: str,
    trigger_ts: str | None,
    classify: Classify,
    event_key: str | None = None,
) -> RevisionOutcome:
    """Undo the latest change not yet undone: a new `undo` revision restoring the answers before it.

    `classify` turns the restored answers into the result snapshot. The outcome's `undone` is
    the revision reverted (its actor and number); nothing_to_undo when only revision 1 is left.
    """
    with db.write() as connection:
        current = select_verdict(connection, team_id, verdict_id, for_update=True)
        earlier = _by_trigger(connection, current, trigger_ts)
        if earlier is not None:
            _mark(connection, team_id, event_key, verdict_id)
            return RevisionOutcome("already_applied", current, earlier)
        history = _history(connection, current)
        target = _undo_target(history)
        if target is None:
            _mark(connection, team_id, event_key, verdict_id)
            return RevisionOutcome("nothing_to_undo", current)
        restored = history[target.revision - 2].answers  # the answers just before it
        revised = Revised(
            answers=restored,
            result=classify(restored),
            changes=diff_answers(current.answers, restored),
        )
        written = _write(
            connection,
            current,
            revised,
            actor_id=actor_id,
            source="undo",
            trigger_ts=trigger_ts,
            undoes=target.revision,
        )
        if written is None:  # checked above, under the same lock
            raise StoreError(f"trigger {trigger_ts} of verdict {verdict_id} applied twice")
        _mark(connection, team_id, event_key, verdict_id)
        return RevisionOutcome("applied", written[0], written[1], undone=target)


def list_revisions(db: Database, team_id: str, verdict_id: str) -> tuple[RevisionRecord, ...]:
    """A verdict's history, oldest first; NotFoundError if the verdict is not in this team."""
    with db.read() as connection:
        current = select_verdict(connection, team_id, verdict_id)
        return _history(connection, current)


def get_revision(db: Database, team_id: str, verdict_id: str, revision: int) -> RevisionRecord:
    """One revision of a verdict (e.g. the one a modal started from); NotFoundError otherwise."""
    with db.read() as connection:
        row = connection.execute(
            _ONE,
            {"team_id": team_id, "verdict_id": verdict_id, "revision": revision},
        ).first()
    if row is None:
        raise NotFoundError(f"no revision {revision} of verdict {verdict_id} in team {team_id}")
    return _revision_from_row(row)


def _undo_target(history: tuple[RevisionRecord, ...]) -> RevisionRecord | None:
    """The newest revision after the first that is neither an undo nor undone already."""
    undone: set[int] = set()
    for revision in reversed(history):
        if revision.source == "undo":
            if revision.undoes is not None:
                undone.add(revision.undoes)
            continue
        if revision.revision in undone:
            continue
        return None if revision.revision == 1 else revision
    return None


def _write(
    connection: Connection,
    current: VerdictRecord,
    revised: Revised,
    *,
    actor_id: str,
    source: Source,
    trigger_ts: str | None,
    undoes: int | None,
) -> tuple[VerdictRecord, RevisionRecord] | None:
    """Write the revision and the verdict row; None if `trigger_ts` was applied before."""
    record, revision = next_revision(
        current, revised, actor_id=actor_id, source=source, trigger_ts=trigger_ts, undoes=undoes
    )
    where = {"b_team_id": current.team_id, "b_id": current.id, "b_revision": current.revision}
    history = revision_row(revision)
    # The new verdict row's changed columns; its answers are the history row's, already dumped.
    saved = {name: getattr(record, name) for name in _SAVED} | {"answers": history["answers"]}
    if connection.dialect.name == "postgresql":
        # Every value bound under a prefix: SQLAlchemy would make an unprefixed one named like
        # a verdict column (team_id, created_at) a column of the update as well.
        values = (
            {f"r_{name}": value for name, value in history.items()}
            | where
            | {f"v_{name}": value for name, value in saved.items()}
        )
        inserted, updated = connection.execute(_INSERT_AND_SAVE, values).one()
    else:
        inserted = insert_revision_row(connection, history, unless_applied=True)
        updated = connection.execute(_SAVE_VERDICT, where | saved).rowcount if inserted else 0
    if not inserted:
        return None
    # Compare-and-set on top of the row lock: a revision never lands on a stale read.
    if updated != 1:
        raise StoreError(f"verdict {current.id} changed under its lock")
    return record, revision


def _by_trigger(
    connection: Connection, current: VerdictRecord, trigger_ts: str | None
) -> RevisionRecord | None:
    if trigger_ts is None:
        return None
    row = connection.execute(
        _BY_TRIGGER,
        {"team_id": current.team_id, "verdict_id": current.id, "trigger_ts": trigger_ts},
    ).first()
    return None if row is None else _revision_from_row(row)


def _history(connection: Connection, current: VerdictRecord) -> tuple[RevisionRecord, ...]:
    rows = connection.execute(
        _HISTORY, {"team_id": current.team_id, "verdict_id": current.id}
    ).all()
    history = tuple(_revision_from_row(row) for row in rows)
    if [revision.revision for revision in history] != list(range(1, current.revision + 1)):
        raise StoreError(f"history of verdict {current.id} is not 1..{current.revision}")
    return history


def _mark(connection: Connection, team_id: str, event_key: str | None, verdict_id: str) -> None:
    if event_key is not None:
        mark_applied(connection, team_id, event_key, verdict_id, now())


def _revision_from_row(row: Row[Any]) -> RevisionRecord:
    return RevisionRecord(
        verdict_id=row.verdict_id,
        team_id=row.team_id,
        revision=row.revision,
        actor_id=row.actor_id,
        source=row.source,
        trigger_ts=row.trigger_ts,
        changes=tuple(Change.model_validate(change) for change in row.changes),
        answers=Answers.model_validate(row.answers),
        verdict=row.verdict,
        undoes=row.undoes,
        created_at=row.created_at,
    )
