"""Verdict rows: create, read, list (newest first, paged) and the few flags outside revisions."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    Connection,
    Insert,
    Row,
    Select,
    and_,
    bindparam,
    exists,
    false,
    insert,
    or_,
    select,
    update,
)

from bot.core.models import Answers
from bot.store.engine import Database
from bot.store.errors import NotFoundError
from bot.store.events import mark_applied, record_once
from bot.store.posts import insert_leased
from bot.store.records import (
    Page,
    Revised,
    RevisionRecord,
    Source,
    VerdictRecord,
    diff_answers,
)
from bot.store.schema.tables import revisions, verdicts

MAX_PAGE: Final = 100
_CURSOR_SEPARATOR: Final = "~"

# Hot-path statements are built once: constructing them per call costs more than running them.
_SELECT: Final = select(verdicts).where(
    verdicts.c.team_id == bindparam("team_id"), verdicts.c.id == bindparam("verdict_id")
)
_SELECT_FOR_UPDATE: Final = _SELECT.with_for_update()
_INSERT: Final = insert(verdicts)
_INSERT_REVISION: Final = insert(revisions)


def revision_insert_unless_applied(prefix: str = "") -> Insert:
    """The history-row insert, skipped when this verdict already has a revision from the same
    trigger (the duplicate check rides on the insert instead of costing its own round trip).

    Its values are bound by column name after `prefix`: a prefix keeps them apart from another
    statement's when the two run as one.
    """
    values = {
        column.name: bindparam(prefix + column.name, type_=column.type)
        for column in revisions.c
        if column.name != "id"
    }
    return insert(revisions).from_select(
        list(values),
        select(*values.values()).where(
            ~exists().where(
                revisions.c.verdict_id == values["verdict_id"],
                revisions.c.trigger_ts == values["trigger_ts"],
            )
        ),
    )


# SQLAlchemy keeps INSERT rowcounts only if asked.
_INSERT_REVISION_UNLESS_APPLIED: Final = revision_insert_unless_applied().execution_options(
    preserve_rowcount=True
)


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_verdict_id() -> str:
    """A short random URL-safe id (72 bits)."""
    return secrets.token_urlsafe(9)


def verdict_of(result: Mapping[str, Any]) -> str:
    """The `verdict` value of a result snapshot, kept in its own column for listing."""
    value = result.get("verdict")
    if not isinstance(value, str):
        raise ValueError("result must hold a string 'verdict'")
    return value


def next_revision(
    current: VerdictRecord,
    revised: Revised,
    *,
    actor_id: str,
    source: Source,
    trigger_ts: str | None,
    undoes: int | None,
) -> tuple[VerdictRecord, RevisionRecord]:
    """The verdict record and history row that `revised` makes of `current`, one revision on."""
    stamp = now()
    answers = revised.answers
    record = replace(
        current,
        title=answers.title or current.title,
        counterpart=answers.counterpart or current.counterpart,
        answers=answers,
        result=dict(revised.result),
        verdict=verdict_of(revised.result),
        revision=current.revision + 1,
        updated_at=stamp,
    )
    revision = RevisionRecord(
        verdict_id=current.id,
        team_id=current.team_id,
        revision=record.revision,
        actor_id=actor_id,
        source=source,
        trigger_ts=trigger_ts,
        changes=tuple(revised.changes),
        answers=answers,
        verdict=record.verdict,
        undoes=undoes,
        created_at=stamp,
    )
    return record, revision


def dump_answers(answers: Answers) -> dict[str, Any]:
    """Answers as stored: JSON, unanswered fields left out."""
    return answers.model_dump(mode="json", exclude_none=True)


def verdict_from_row(row: Row[Any]) -> VerdictRecord:
    """A record from a rb_verdicts row."""
    return VerdictRecord(
        id=row.id,
        team_id=row.team_id,
        enterprise_id=row.enterprise_id,
        channel_id=row.channel_id,
        message_ts=row.message_ts,
        creator_id=row.creator_id,
        title=row.title,
        counterpart=row.counterpart,
        answers=Answers.model_validate(row.answers),
        result=row.result,
        verdict=row.verdict,
        revision=row.revision,
        pinned=row.pinned,
        deleted=row.deleted,
        source_link=row.source_link,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def select_verdict(
    connection: Connection, team_id: str, verdict_id: str, *, for_update: bool = False
) -> VerdictRecord:
    """The verdict in this team, locked for the transaction if asked; NotFoundError otherwise."""
    query = _SELECT_FOR_UPDATE if for_update else _SELECT
    row = connection.execute(query, {"team_id": team_id, "verdict_id": verdict_id}).first()
    if row is None:
        raise NotFoundError(f"no verdict {verdict_id} in team {team_id}")
    return verdict_from_row(row)


def create_verdict(
    db: Database,
    team_id: str,
    *,
    channel_id: str,
    creator_id: str,
    title: str,
    answers: Answers,
    result: Mapping[str, Any],
    counterpart: str | None = None,
    enterprise_id: str | None = None,
    message_ts: str | None = None,
    source_link: str | None = None,
    pinned: bool = False,
    source: Source = "modal",
    trigger_ts: str | None = None,
    event_key: str | None = None,
    once_key: str | None = None,
    post_owner: str | None = None,
    lease_seconds: float = 30.0,
) -> VerdictRecord:
    """Store a new verdict at revision 1 with its first history row; mark the event applied.

    With `once_key`, the event that creates it is stored in the same transaction, unless it
    was stored before: then DuplicateEventError, and nothing is written.

    With `post_owner`, the intent to post its parent message is stored in the same
    transaction, leased to that owner (see posts.claim_post).
    """
    stamp = now()
    record = VerdictRecord(
        id=new_verdict_id(),
        team_id=team_id,
        enterprise_id=enterprise_id,
        channel_id=channel_id,
        message_ts=message_ts,
        creator_id=creator_id,
        title=title,
        counterpart=counterpart,
        answers=answers,
        result=dict(result),
        verdict=verdict_of(result),
        revision=1,
        pinned=pinned,
        deleted=False,
        source_link=source_link,
        created_at=stamp,
        updated_at=stamp,
    )
    first = RevisionRecord(
        verdict_id=record.id,
        team_id=team_id,
        revision=1,
        actor_id=creator_id,
        source=source,
        trigger_ts=trigger_ts,
        changes=diff_answers(Answers(), answers),
        answers=answers,
        verdict=record.verdict,
        undoes=None,
        created_at=stamp,
    )
    stored_answers = dump_answers(answers)
    with db.write() as connection:
        if once_key is not None:
            record_once(connection, team_id, once_key, record.id, stamp)
        connection.execute(
            _INSERT,
            {
                "id": record.id,
                "team_id": team_id,
                "enterprise_id": enterprise_id,
                "channel_id": channel_id,
                "message_ts": message_ts,
                "creator_id": creator_id,
                "title": title,
                "counterpart": counterpart,
                "answers": stored_answers,
                "result": record.result,
                "verdict": record.verdict,
                "revision": 1,
                "pinned": pinned,
                "deleted": False,
                "source_link": source_link,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        insert_revision(connection, first)
        if event_key is not None:
            mark_applied(connection, team_id, event_key, record.id, stamp)
        if post_owner is not None:
            insert_leased(
                connection,
                team_id,
                record.id,
                channel_id=channel_id,
                revision=1,
                intents=[("parent", "")],
                owner=post_owner,
                seconds=lease_seconds,
            )
    return record


def insert_revision(
    connection: Connection, revision: RevisionRecord, *, unless_applied: bool = False
) -> bool:
    """Write one history row; with `unless_applied`, not if its trigger was applied already."""
    return insert_revision_row(connection, revision_row(revision), unless_applied=unless_applied)


def insert_revision_row(
    connection: Connection, values: dict[str, Any], *, unless_applied: bool = False
) -> bool:
    """insert_revision, given the row's values as revision_row makes them."""
    if unless_applied and values["trigger_ts"] is not None:
        return connection.execute(_INSERT_REVISION_UNLESS_APPLIED, values).rowcount == 1
    connection.execute(_INSERT_REVISION, values)
    return True


def revision_row(revision: RevisionRecord) -> dict[str, Any]:
    """A revision as the values of its rb_revisions row (without the id)."""
    return {
        "verdict_id": revision.verdict_id,
        "team_id": revision.team_id,
        "revision": revision.revision,
        "actor_id": revision.actor_id,
        "source": revision.source,
        "trigger_ts": revision.trigger_ts,
        "changes": [change.model_dump(mode="json") for change in revision.changes],
        "answers": dump_answers(revision.answers),
        "verdict": revision.verdict,
        "undoes": revision.undoes,
        "created_at": revision.created_at,
    }


def get_verdict(db: Database, team_id: str, verdict_id: str) -> VerdictRecord:
    """The verdict with this id in this team (deleted ones too); NotFoundError otherwise."""
    with db.read() as connection:
        return select_verdict(connection, team_id, verdict_id)


def find_verdict_by_message(
    db: Database, team_id: str, channel_id: str, message_ts: str
) -> VerdictRecord | None:
    """The verdict posted as this message in this team, if any."""
    query = select(verdicts).where(
        verdicts.c.team_id == team_id,
        verdicts.c.channel_id == channel_id,
        verdicts.c.message_ts == message_ts,
    )
    with db.read() as connection:
        row = connection.execute(query).first()
    return None if row is None else verdict_from_row(row)


def list_verdicts(
    db: Database,
    team_id: str,
    *,
    channel_id: str | None = None,
    creator_id: str | None = None,
    limit: int = 20,
    before: str | None = None,
) -> Page:
    """Verdicts of a team (optionally one channel or creator), newest first, not deleted."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be 1..{MAX_PAGE}")
    query: Select[Any] = select(verdicts).where(
        verdicts.c.team_id == team_id, verdicts.c.deleted == false()
    )
    if channel_id is not None:
        query = query.where(verdicts.c.channel_id == channel_id)
    if creator_id is not None:
        query = query.where(verdicts.c.creator_id == creator_id)
    if before is not None:
        created_at, verdict_id = parse_cursor(before)
        query = query.where(
            or_(
                verdicts.c.created_at < created_at,
                and_(verdicts.c.created_at == created_at, verdicts.c.id < verdict_id),
            )
        )
    query = query.order_by(verdicts.c.created_at.desc(), verdicts.c.id.desc()).limit(limit + 1)
    with db.read() as connection:
        rows = connection.execute(query).all()
    items = tuple(verdict_from_row(row) for row in rows[:limit])
    next_before = make_cursor(items[-1]) if len(rows) > limit else None
    return Page(items=items, next_before=next_before)


def make_cursor(record: VerdictRecord) -> str:
    """An opaque cursor that continues after this record."""
    return f"{record.created_at.isoformat()}{_CURSOR_SEPARATOR}{record.id}"


def parse_cursor(cursor: str) -> tuple[datetime, str]:
    """The (created_at, id) a cursor stands for; ValueError if it is not one of ours."""
    stamp, separator, verdict_id = cursor.rpartition(_CURSOR_SEPARATOR)
    if not separator or not verdict_id:
        raise ValueError("not a verdict list cursor")
    created_at = datetime.fromisoformat(stamp)
    if created_at.tzinfo is None:
        raise ValueError("not a verdict list cursor")
    return created_at, verdict_id


def set_flags(
    db: Database,
    team_id: str,
    verdict_id: str,
    *,
    pinned: bool | None = None,
    deleted: bool | None = None,
    message_ts: str | None = None,
) -> VerdictRecord:
    """Change pin, deleted or message ts (no new revision: the answers stay); the new record."""
    values: dict[str, Any] = {"updated_at": now()}
    if pinned is not None:
        values["pinned"] = pinned
    if deleted is not None:
        values["deleted"] = deleted
    if message_ts is not None:
        values["message_ts"] = message_ts
    with db.write() as connection:
        done = connection.execute(
            update(verdicts)
            .where(verdicts.c.team_id == team_id, verdicts.c.id == verdict_id)
            .values(**values)
        )
        if done.rowcount != 1:
            raise NotFoundError(f"no verdict {verdict_id} in team {team_id}")
        return select_verdict(connection, team_id, verdict_id)
