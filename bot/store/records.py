"""Frozen records the store returns, and the values callers hand to it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from bot.core.models import Answers, Change

Source = Literal["modal", "thread", "button", "undo"]
Stage = Literal["received", "applied", "answered"]
ClaimStatus = Literal["new", "done", "busy", "resume"]
PostClaimStatus = Literal["posted", "mine", "busy"]
OutcomeStatus = Literal["applied", "unchanged", "already_applied", "nothing_to_undo"]

SOURCES: Final[tuple[Source, ...]] = ("modal", "thread", "button", "undo")
STAGES: Final[tuple[Stage, ...]] = ("received", "applied", "answered")


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    """One verdict as stored: where it was posted, its answers and its current result."""

    id: str
    team_id: str
    enterprise_id: str | None
    channel_id: str
    message_ts: str | None
    creator_id: str
    title: str
    counterpart: str | None
    answers: Answers
    result: Mapping[str, Any]
    verdict: str
    revision: int
    pinned: bool
    deleted: bool
    source_link: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """One step of a verdict's history: who changed what, when, from which surface."""

    verdict_id: str
    team_id: str
    revision: int
    actor_id: str
    source: Source
    trigger_ts: str | None
    changes: tuple[Change, ...]
    answers: Answers
    verdict: str
    undoes: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Revised:
    """What an `update` callback decides: the new answers, their result and what changed."""

    answers: Answers
    result: Mapping[str, Any]
    changes: tuple[Change, ...]


# What `revise` calls with the verdict as it stands: its revision, or None for no change.
Update = Callable[[VerdictRecord], "Revised | None"]


@dataclass(frozen=True, slots=True)
class RevisionOutcome:
    """What `revise` or `revert_last` did; `verdict` is the record as it stands afterwards.

    `revision` is the revision written (applied), or the earlier one that already applied the
    same trigger (already_applied); `undone` is the revision an undo reverted.
    """

    status: OutcomeStatus
    verdict: VerdictRecord
    revision: RevisionRecord | None = None
    undone: RevisionRecord | None = None

    @property
    def applied(self) -> bool:
        """Whether this call wrote a new revision."""
        return self.status == "applied"


@dataclass(frozen=True, slots=True)
class EventClaim:
    """The answer to `claim_event`: whether the caller owns the event, and how far it got.

    new: first sight, the caller owns it at `received`. resume: an earlier owner's lease
    expired; the caller owns it now and continues from `stage`. done: it was answered
    already (a retry of finished work). busy: another live owner holds it. `verdict_id` is
    the verdict the event created or revised, once applied.
    """

    status: ClaimStatus
    team_id: str
    event_key: str
    stage: Stage
    owner: str
    lease_until: datetime
    verdict_id: str | None = None

    @property
    def owned(self) -> bool:
        """Whether the caller now owns the event and should carry on with it."""
        return self.status in ("new", "resume")


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A message the bot means to post (intent) and, once posted, its ts."""

    id: int
    team_id: str
    verdict_id: str
    kind: str
    key: str
    channel_id: str
    revision: int
    message_ts: str | None
    created_at: datetime
    posted_at: datetime | None
    lease_owner: str | None = None
    lease_until: datetime | None = None

    @property
    def posted(self) -> bool:
        """Whether Slack has confirmed the post (its ts is stored)."""
        return self.message_ts is not None


@dataclass(frozen=True, slots=True)
class Lease:
    """Intents to store leased to `owner` for `seconds`: the thread replies under `keys`."""

    owner: str
    seconds: float
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RevisionPosts:
    """Posts a new revision owes, their intents stored with it: one of each of `kinds`, keyed by
    the revision's number, leased to `owner` for `seconds`."""

    kinds: tuple[str, ...]
    owner: str
    seconds: float


@dataclass(frozen=True, slots=True)
class PostClaim:
    """The answer to `claim_post`: whether the caller may post the intent now.

    posted: Slack has it already (`post.message_ts`). mine: the caller holds the lease;
    `tried_before` says an earlier owner may have posted it before dying, so look first.
    busy: another owner's lease is still running.
    """

    status: PostClaimStatus
    post: PostRecord
    tried_before: bool = False


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event whose handler stopped before answering it, with what it needs to finish."""

    team_id: str
    event_key: str
    stage: Stage
    payload: Mapping[str, Any]
    lease_until: datetime


@dataclass(frozen=True, slots=True)
class Page:
    """One page of verdicts, newest first; pass `next_before` to get the next page."""

    items: tuple[VerdictRecord, ...]
    next_before: str | None


def diff_answers(old: Answers, new: Answers) -> tuple[Change, ...]:
    """The fields that differ between two sets of answers, in model order."""
    changes = []
    for name in Answers.model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change(dimension=name, old=before, new=after))
    return tuple(changes)
