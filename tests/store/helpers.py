"""Small builders shared by the store tests (importable by spawned processes too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.models import Answers
from bot.store import Revised, Store, VerdictRecord, diff_answers

TEAM = "T0A"
OTHER_TEAM = "T0B"


def result_for(answers: Answers) -> dict[str, Any]:
    """A stand-in result snapshot: the store treats it as opaque JSON with a 'verdict'."""
    verdict = "partnership" if answers.risk == "shared" else "collaboration"
    return {"verdict": verdict, "score": len(answers.choices()), "answers": answers.choices()}


def make_verdict(
    store: Store,
    team_id: str = TEAM,
    *,
    channel_id: str = "C1",
    creator_id: str = "U1",
    title: str = "Joint pilot",
    answers: Answers | None = None,
    message_ts: str | None = None,
    post_owner: str | None = None,
    once_key: str | None = None,
) -> VerdictRecord:
    """Create a verdict with sensible defaults (with `post_owner`, its post leased for 30 s)."""
    answers = answers or Answers(horizon="short", aim="own_goals")
    return store.create_verdict(
        team_id,
        channel_id=channel_id,
        creator_id=creator_id,
        title=title,
        answers=answers,
        result=result_for(answers),
        counterpart="Acme",
        message_ts=message_ts,
        post_owner=post_owner,
        once_key=once_key,
        lease_seconds=30,
    )


def set_answers(**changes: str | None) -> Callable[[VerdictRecord], Revised | None]:
    """An update callback that sets some answers; None when they already hold."""

    def update(current: VerdictRecord) -> Revised | None:
        answers = Answers.model_validate(current.answers.model_dump() | changes)
        diff = diff_answers(current.answers, answers)
        if not diff:
            return None
        return Revised(answers=answers, result=result_for(answers), changes=diff)

    return update


def append_note(token: str) -> Callable[[VerdictRecord], Revised]:
    """An update callback that appends a token to the notes: every writer leaves a trace."""

    def update(current: VerdictRecord) -> Revised:
        notes = f"{current.answers.notes or ''} {token}".strip()
        answers = Answers.model_validate(current.answers.model_dump() | {"notes": notes})
        return Revised(answers, result_for(answers), diff_answers(current.answers, answers))

    return update
