"""Replies in a verdict's thread: refine, undo, what-ifs and hints, each applied exactly once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Final

from slack_sdk import WebClient

from bot.core.classify import classify
from bot.core.interpret import interpret
from bot.core.models import Answers, Change, Evidence, Interpretation
from bot.slack.builders.thread import (
    build_hint_reply,
    build_notice,
    build_refinement_reply,
    build_undo_reply,
    build_what_if_reply,
)
from bot.slack.builders.verdict import Message
from bot.slack.leases import new_owner
from bot.slack.posting import post_once
from bot.slack.verdicts import Verdicts
from bot.store import Revised, RevisionOutcome, RevisionRecord, Store, StoreError, VerdictRecord

logger = logging.getLogger(__name__)

REPLY_SUBTYPES: Final = frozenset({None, "thread_broadcast"})
# Why a delivery of a reply was not acted on (Slack retries what it thinks failed).
SKIPPED: Final = {
    "done": "already answered",
    "busy": "in hand elsewhere",
    "new": "not claimed",
    "resume": "not claimed",
}


@dataclass(frozen=True, slots=True)
class Reply:
    """A person's message in a verdict's thread, as the listener hands it over."""

    team_id: str
    channel_id: str
    thread_ts: str
    ts: str
    user_id: str
    text: str
    trigger: str
    event_key: str
    foreign: bool
    mentions_bot: bool
    previous_text: str | None = None

    def payload(self) -> dict[str, Any]:
        """The reply as stored with its event, so another process can finish handling it."""
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Reply:
        """The reply stored with an event (unknown keys from other versions are ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in names})


def reply_of(
    event: dict[str, Any], *, team_id: str, bot_user_id: str | None, event_id: str
) -> Reply | None:
    """The thread reply an event carries, or None (not a reply, a bot, a deletion...)."""
    subtype = event.get("subtype")
    previous = None
    if subtype == "message_changed":
        message = event.get("message") or {}
        previous = (event.get("previous_message") or {}).get("text") or ""
        edited = (message.get("edited") or {}).get("ts") or event.get("event_ts") or ""
        trigger = f"{message.get('ts')}#edit:{edited}"
    elif subtype in REPLY_SUBTYPES:
        message = event
        trigger = str(message.get("ts"))
    else:
        return None
    thread_ts, ts, user = message.get("thread_ts"), message.get("ts"), message.get("user")
    if not thread_ts or not ts or thread_ts == ts or not user or message.get("bot_id"):
        return None
    text = str(message.get("text") or "")
    author_team = message.get("user_team") or message.get("team") or event.get("team")
    return Reply(
        team_id=team_id,
        channel_id=str(event.get("channel")),
        thread_ts=str(thread_ts),
        ts=str(ts),
        user_id=str(user),
        text=text,
        trigger=trigger,
        event_key=event_id or trigger,
        foreign=bool(author_team) and author_team != team_id,
        mentions_bot=bool(bot_user_id) and f"<@{bot_user_id}>" in text,
        previous_text=previous,
    )


@dataclass
class Threads:
    """Thread conversations about verdicts."""

    store: Store
    verdicts: Verdicts
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, client: WebClient, reply: Reply, today: date) -> bool:
        """Read a reply and act on it once, however often Slack delivers it; whether we did."""
        record = self.store.find_verdict_by_message(
            reply.team_id, reply.channel_id, reply.thread_ts
        )
        if record is None or record.deleted:
            return False
        owner = new_owner()  # one owner per attempt, even within a process
        claim = self.store.claim_event(
            reply.team_id,
            reply.event_key,
            owner=owner,
            lease_seconds=self.verdicts.leases.seconds,
            payload=reply.payload(),
        )
        if not claim.owned:
            logger.info(
                "reply %s of %s skipped: %s", reply.event_key, reply.team_id, SKIPPED[claim.status]
            )
            return False

        def renew() -> bool:
            """Extend this attempt's lease on the event."""
            return self.store.renew_event(
                reply.team_id,
                reply.event_key,
                owner=owner,
                lease_seconds=self.verdicts.leases.seconds,
            )

        try:
            with self.verdicts.leases.keep(renew):
                if claim.status == "resume" and claim.stage == "applied":
                    self._finish_applied(client, reply, record)
                else:
                    self._act(client, reply, record, today)
        except BaseException:
            self._release(reply, owner)  # after the lease is no longer renewed
            raise
        self.store.advance_event(reply.team_id, reply.event_key, "answered", owner=owner)
        return True

    def forget(self, reply: Reply) -> None:
        """Close a reply left unanswered whose verdict is gone: nothing is left to do for it."""
        owner = new_owner()
        claim = self.store.claim_event(
            reply.team_id, reply.event_key, owner=owner, lease_seconds=self.verdicts.leases.seconds
        )
        if claim.owned:
            self.store.advance_event(reply.team_id, reply.event_key, "answered", owner=owner)

    def _act(self, client: WebClient, reply: Reply, record: VerdictRecord, today: date) -> None:
        """Interpret the reply and do what it asks."""
        reading = self._read(reply, record.answers, today)
        if reply.foreign and reading.intent in ("change", "undo"):
            reading = Interpretation(intent="chatter")
        if reading.intent == "undo":
            self._undo(client, reply, record)
        elif reading.intent == "change":
            self._refine(client, reply, record, reading.changes)
        elif reading.intent == "question":
            self._what_if(client, reply, record, reading.hypothetical)
        elif reply.mentions_bot:
            self._post(client, record, "hint", reply.trigger, build_hint_reply())

    def _release(self, reply: Reply, owner: str) -> None:
        """Give the event up after a failure, so recovery may finish it (best effort)."""
        try:
            self.store.release_event(reply.team_id, reply.event_key, owner=owner)
        except StoreError as error:
            logger.warning("could not release an event lease (it will lapse): %s", error)

    def _finish_applied(self, client: WebClient, reply: Reply, record: VerdictRecord) -> None:
        """An earlier attempt stored the revision and died: post what it would have posted."""
        outcome = self.store.revise(
            reply.team_id,
            record.id,
            actor_id=reply.user_id,
            source="thread",
            trigger_ts=reply.trigger,
            update=lambda current: None,
        )
        revision = outcome.revision
        if outcome.status != "already_applied" or revision is None:
            return
        if revision.source == "undo" and revision.undoes is not None:
            undone = self.store.get_revision(reply.team_id, record.id, revision.undoes)
            self._after_undo(client, reply, outcome.verdict, revision, undone)
        else:
            self._after_revision(client, reply, record, outcome)

    def _read(self, reply: Reply, answers: Answers, today: date) -> Interpretation:
        """The reply's meaning; for an edited reply, only what the edit added."""
        reading = interpret(reply.text, answers, today)
        if reply.previous_text is None or reading.intent != "change":
            return reading
        before = {
            c.dimension: c.new for c in interpret(reply.previous_text, answers, today).changes
        }
        fresh = tuple(c for c in reading.changes if before.get(c.dimension) != c.new)
        if not fresh:
            return Interpretation(intent="chatter")
        return Interpretation(intent="change", changes=fresh, hypothetical=reading.hypothetical)

    def _refine(
        self, client: WebClient, reply: Reply, record: VerdictRecord, found: tuple[Evidence, ...]
    ) -> None:
        """Apply the changes to the answers as they stand now, then tell the thread."""
        wanted = {change.dimension: change.new for change in found}

        def update(current: VerdictRecord) -> Revised | None:
            """The current answers with the reply's changes; None when nothing differs."""
            changes = tuple(
                Change(dimension=key, old=current.answers.value(key), new=value)
                for key, value in wanted.items()
                if current.answers.value(key) != value
            )
            if not changes:
                return None
            answers = current.answers.with_changes({c.dimension: c.new for c in changes})
            return Revised(answers=answers, result=classify(answers).contract(), changes=changes)

        outcome = self.store.revise(
            reply.team_id,
            record.id,
            actor_id=reply.user_id,
            source="thread",
            trigger_ts=reply.trigger,
            update=update,
            event_key=reply.event_key,
        )
        self._after_revision(client, reply, record, outcome)

    def _after_revision(
        self, client: WebClient, reply: Reply, before: VerdictRecord, outcome: RevisionOutcome
    ) -> None:
        """Refresh the parent and post what changed (also when finishing a crashed attempt)."""
        revision = outcome.revision
        if revision is None:
            return
        self.refresh_latest(client, reply.team_id, before.id)
        previous = self.store.get_revision(reply.team_id, before.id, revision.revision - 1)
        evidence = tuple(
            Evidence(dimension=c.dimension, old=c.old, new=c.new or "", words="")
            for c in revision.changes
        )
        message = build_refinement_reply(
            revision.actor_id,
            revision.revision,
            evidence,
            classify(previous.answers),
            classify(revision.answers),
            pinned=outcome.verdict.pinned,
        )
        self._post(client, outcome.verdict, "refine", reply.trigger, message)

    def _undo(self, client: WebClient, reply: Reply, record: VerdictRecord) -> None:
        """Revert the latest change and name whose it was."""
        outcome = self.store.revert_last(
            reply.team_id,
            record.id,
            actor_id=reply.user_id,
            trigger_ts=reply.trigger,
            classify=lambda answers: classify(answers).contract(),
            event_key=reply.event_key,
        )
        if outcome.revision is None or outcome.undone is None:
            if outcome.status == "nothing_to_undo":
                note = build_notice("There is nothing to undo yet.")
                self._post(client, record, "undo", reply.trigger, note)
            return
        self._after_undo(client, reply, outcome.verdict, outcome.revision, outcome.undone)

    def _after_undo(
        self,
        client: WebClient,
        reply: Reply,
        record: VerdictRecord,
        revision: RevisionRecord,
        undone: RevisionRecord,
    ) -> None:
        """Refresh the parent and name whose change was undone (also after a crash)."""
        self.refresh_latest(client, reply.team_id, record.id)
        before = self.store.get_revision(reply.team_id, record.id, revision.revision - 1)
        message = build_undo_reply(
            revision.actor_id,
            (undone.actor_id, undone.revision),
            revision.revision,
            classify(before.answers),
            classify(revision.answers),
        )
        self._post(client, record, "undo", reply.trigger, message)

    def _what_if(
        self, client: WebClient, reply: Reply, record: VerdictRecord, asked: tuple[Evidence, ...]
    ) -> None:
        """Answer a what-if without storing anything."""
        imagined = record.answers.with_changes({change.dimension: change.new for change in asked})
        message = build_what_if_reply(asked, classify(record.answers), classify(imagined))
        self._post(client, record, "whatif", reply.trigger, message)

    def refresh_latest(self, client: WebClient, team_id: str, verdict_id: str) -> None:
        """Update the parent from the newest stored state, one update per verdict at a time."""
        with self._lock(verdict_id):
            self.verdicts.refresh(client, self.store.get_verdict(team_id, verdict_id))

    def _post(
        self, client: WebClient, record: VerdictRecord, kind: str, key: str, message: Message
    ) -> None:
        """A reply in the verdict's thread, posted once per (kind, trigger)."""
        if record.message_ts is None:
            return
        post_once(
            client,
            self.store,
            self.verdicts.leases,
            team_id=record.team_id,
            verdict_id=record.id,
            revision=record.revision,
            kind=kind,
            key=key,
            channel_id=record.channel_id,
            message=message,
            thread_ts=record.message_ts,
        )

    def _lock(self, verdict_id: str) -> threading.Lock:
        """The in-process lock that orders parent updates of one verdict."""
        with self._guard:
            return self._locks.setdefault(verdict_id, threading.Lock())
