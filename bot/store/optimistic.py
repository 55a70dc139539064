"""PostgreSQL revisions in two round trips: read, then one compare-and-set statement.

The locked path (BEGIN, SELECT ... FOR UPDATE, INSERT, UPDATE, COMMIT) costs five round trips.
Here the verdict is read without a transaction and everything else, the verdict row, its
history row and the event mark, is written by one statement that is its own transaction. The
statement only writes if the verdict is still at the revision read and the trigger was never
applied; otherwise nothing is written and the caller redoes the revision under the row lock.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import bindparam, exc, exists, insert, select, update

from bot.store.engine import Database
from bot.store.records import RevisionRecord, Source, Update, VerdictRecord
from bot.store.schema.tables import events, revisions, verdicts
from bot.store.verdicts import dump_answers, next_revision, revision_row, select_verdict

_SAVED_COLUMNS: Final = ("title", "counterpart", "answers", "result", "verdict", "revision")

# The verdict, only if it still stands at the revision read and the trigger is new to it.
_SAVED: Final = (
    update(verdicts)
    .where(
        verdicts.c.team_id == bindparam("b_team_id"),
        verdicts.c.id == bindparam("b_id"),
        verdicts.c.revision == bindparam("b_revision"),
        ~exists().where(
            revisions.c.verdict_id == bindparam("b_id"),
            revisions.c.trigger_ts == bindparam("b_trigger_ts"),
        ),
    )
    .values(
        {name: bindparam(f"v_{name}", type_=verdicts.c[name].type) for name in _SAVED_COLUMNS}
        | {"updated_at": bindparam("r_created_at", type_=verdicts.c.updated_at.type)}
    )
    .returning(verdicts.c.id)
    .cte("rb_saved")
)
_REVISION_VALUES: Final = {
    column.name: bindparam(f"r_{column.name}", type_=column.type)
    for column in revisions.c
    if column.name != "id"
}
# Its history row, written only when the verdict row was.
_WRITTEN: Final = (
    insert(revisions)
    .from_select(list(_REVISION_VALUES), select(*_REVISION_VALUES.values()).select_from(_SAVED))
    .cte("rb_written")
)
# The event that asked for it, marked applied in the same transaction.
_MARKED: Final = (
    update(events)
    .where(
        events.c.team_id == bindparam("b_team_id"),
        events.c.event_key == bindparam("e_event_key"),
        events.c.stage == "received",
        exists(select(_SAVED.c.id)),
    )
    .values(
        stage="applied",
        verdict_id=bindparam("e_verdict_id"),
        updated_at=bindparam("e_updated_at"),
    )
    .cte("rb_marked")
)
_SAVE_ALL: Final = select(_SAVED.c.id).add_cte(_WRITTEN, _MARKED)


def revise_in_one_statement(
    db: Database,
    team_id: str,
    verdict_id: str,
    *,
    actor_id: str,
    source: Source,
    trigger_ts: str | None,
    update: Update,
    event_key: str | None,
) -> tuple[VerdictRecord, RevisionRecord] | None:
    """The revision written lock-free; None when it must be decided under the lock instead.

    None covers: nothing to change (unchanged or already applied: the lock tells which), the
    verdict moved since it was read, and a constraint the statement ran into.
    """
    with db.autocommit() as connection:
        current = select_verdict(connection, team_id, verdict_id)
        revised = update(current)
        if revised is None:
            return None
        record, revision = next_revision(
            current, revised, actor_id=actor_id, source=source, trigger_ts=trigger_ts, undoes=None
        )
        try:
            saved = connection.execute(_SAVE_ALL, _parameters(current, record, revision, event_key))
        except exc.IntegrityError:
            return None
        return (record, revision) if saved.first() is not None else None


def _parameters(
    current: VerdictRecord,
    record: VerdictRecord,
    revision: RevisionRecord,
    event_key: str | None,
) -> dict[str, Any]:
    """The bound values of the one statement."""
    values: dict[str, Any] = {
        "b_team_id": current.team_id,
        "b_id": current.id,
        "b_revision": current.revision,
        "b_trigger_ts": revision.trigger_ts,
        "v_title": record.title,
        "v_counterpart": record.counterpart,
        "v_answers": dump_answers(record.answers),
        "v_result": record.result,
        "v_verdict": record.verdict,
        "v_revision": record.revision,
        "e_event_key": event_key,
        "e_verdict_id": current.id,
        "e_updated_at": record.updated_at,
    }
    values.update({f"r_{name}": value for name, value in revision_row(revision).items()})
    return values
