"""What happens to a verdict in Slack: create, publish, edit, pin, delete. Listeners call this."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.classify import classify
from bot.core.dimensions import ANSWER_KEYS, BY_KEY
from bot.core.models import Answers, Change, Evidence
from bot.slack.builders.thread import build_explanation, build_notice, verdict_move
from bot.slack.builders.verdict import Message, VerdictCard, build_verdict_message
from bot.slack.dms import DirectMessages
from bot.slack.forms import changed_fields
from bot.slack.leases import LeaseKeeper, new_owner
from bot.slack.membership import Membership, left_channel
from bot.slack.posting import OwnLease, post_once, release_all
from bot.store import (
    Revised,
    RevisionPosts,
    RevisionRecord,
    Store,
    StoreError,
    VerdictRecord,
)

logger = logging.getLogger(__name__)

INVITE_HINT = (
    "I can't see <#{channel}>, so I couldn't post the verdict there. Invite me with "
    "`/invite @Relationship Bot` in that channel and I'll post it as soon as I'm in. "
    "Here is your verdict meanwhile:"
)
UNREACHABLE = (
    "I couldn't post to <#{channel}> (it may be archived, or a conversation I can't join). "
    "Here is your verdict:"
)
REFRESH_ROUNDS = 3  # parent updates per refresh when other processes keep revising meanwhile
# The post kind of a message update owed (an edit's, or one Slack refused): recovery updates
# the message to the verdict as it stands.
REFRESH_KIND = "refresh"
EDIT_KIND = "edit"  # an edit's note in the thread


class NotCreatorError(Exception):
    """Only the person who checked a verdict may delete it."""


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Verdict operations over the store and a Slack client."""

    store: Store
    leases: LeaseKeeper = field(default_factory=LeaseKeeper)
    membership: Membership = field(default_factory=Membership)
    direct_messages: DirectMessages = field(default_factory=DirectMessages)

    def create(
        self,
        *,
        team_id: str,
        enterprise_id: str | None,
        user_id: str,
        channel_id: str,
        answers: Answers,
        pinned: bool = False,
        source_link: str | None = None,
        owner: str | None = None,
        once_key: str | None = None,
    ) -> VerdictRecord:
        """Classify and store a new verdict at revision 1; with `owner`, its post leased to it;
        with `once_key`, only once for that event (DuplicateEventError for a replay)."""
        result = classify(answers)
        return self.store.create_verdict(
            team_id,
            channel_id=channel_id,
            creator_id=user_id,
            title=answers.title or "",
            counterpart=answers.counterpart,
            answers=answers,
            result=result.contract(),
            enterprise_id=enterprise_id,
            source_link=source_link,
            pinned=pinned,
            post_owner=owner,
            once_key=once_key,
            lease_seconds=self.leases.seconds,
        )

    def create_and_publish(
        self,
        client: WebClient,
        *,
        team_id: str,
        enterprise_id: str | None,
        user_id: str,
        channel_id: str,
        answers: Answers,
        pinned: bool = False,
        source_link: str | None = None,
        once_key: str | None = None,
    ) -> VerdictRecord:
        """Store a verdict with the intent to post it leased to us, then post it.

        Should this process die in between, the lease lapses and recovery posts it. With
        `once_key`, a replay of that event raises DuplicateEventError and stores nothing.
        """
        owner = new_owner()
        record = self.create(
            team_id=team_id,
            enterprise_id=enterprise_id,
            user_id=user_id,
            channel_id=channel_id,
            answers=answers,
            pinned=pinned,
            source_link=source_link,
            owner=owner,
            once_key=once_key,
        )

        def renew() -> bool:
            """Keep the new verdict's posts ours while we publish them."""
            return self.store.renew_verdict_posts(
                team_id, record.id, owner=owner, lease_seconds=self.leases.seconds
            )

        try:
            with self.leases.keep(renew) as held:
                self.publish(client, record, pin=pinned, lease=OwnLease(owner, held))
        except BaseException:
            release_all(self.store, team_id, record.id, owner=owner)
            raise
        return record

    def card(self, record: VerdictRecord) -> VerdictCard:
        """The verdict as its message shows it, classified afresh from the stored answers."""
        return VerdictCard(
            verdict_id=record.id,
            revision=record.revision,
            creator_id=record.creator_id,
            pinned=record.pinned,
            result=classify(record.answers),
            source_link=record.source_link,
        )

    def publish(
        self,
        client: WebClient,
        record: VerdictRecord,
        *,
        pin: bool = False,
        lease: OwnLease | None = None,
    ) -> bool:
        """Post the verdict and its explanation; False when the channel must invite the bot.

        `lease` is ours on its posts, if we created the verdict with them leased to us. Slack is
        asked whether the bot is in the channel only if it was not found there lately; if it
        left since, the post fails, and Slack is asked again.
        """
        for first_try in (True, False):
            access = self.membership.ensure(client, record.team_id, record.channel_id)
            if access in ("private", "unreachable"):
                # Set aside before telling the person: once told, they may invite the bot at
                # once, and the invite's post must not find the intent still held by us.
                self._set_aside(record)
                self._deliver_privately(client, record, access)
                return False
            card = self.card(record)
            replies = build_explanation(card.result)
            keys = tuple(str(index) for index in range(len(replies)))
            try:
                ts = self._post_part(
                    client,
                    record,
                    build_verdict_message(card),
                    kind="parent",
                    lease=lease,
                    reply_keys=keys,
                )
            except SlackApiError as error:
                if not (first_try and left_channel(error)):
                    raise
                self.membership.forget(record.team_id, record.channel_id)
                continue
            break
        if ts is None:
            return True  # another process is publishing it, explanation included
        for key, reply in zip(keys, replies, strict=True):
            self._post_part(
                client, record, reply, kind="thread", key=key, thread_ts=ts, lease=lease
            )
        if pin or record.pinned:
            self.pin(client, record.team_id, record.id)
        return True

    def _post_part(
        self,
        client: WebClient,
        record: VerdictRecord,
        message: Message,
        *,
        kind: str,
        key: str = "",
        thread_ts: str | None = None,
        lease: OwnLease | None = None,
        reply_keys: tuple[str, ...] = (),
    ) -> str | None:
        """post_once for one part of a verdict's publication (its parent or a thread reply)."""
        return post_once(
            client,
            self.store,
            self.leases,
            team_id=record.team_id,
            verdict_id=record.id,
            revision=record.revision,
            kind=kind,
            key=key,
            channel_id=record.channel_id,
            message=message,
            thread_ts=thread_ts,
            lease=lease,
            reply_keys=reply_keys,
        )

    def _set_aside(self, record: VerdictRecord) -> None:
        """Drop the pending channel post: it waits for an invite, not for recovery."""
        intent = self.store.record_post_intent(
            record.team_id, record.id, "parent", record.channel_id, revision=record.revision
        )
        if not intent.posted:
            self.store.discard_post(record.team_id, intent.id)

    def publish_waiting(self, client: WebClient, team_id: str, channel_id: str) -> int:
        """Post every verdict that waited for the bot to join this channel; how many."""
        posted = 0
        for record in self.store.list_by_channel(team_id, channel_id, limit=50).items:
            if record.message_ts is None and not record.deleted:
                posted += self.publish(client, record)
        return posted

    def apply_edit(
        self,
        client: WebClient,
        *,
        team_id: str,
        user_id: str,
        verdict_id: str,
        base_revision: int,
        submitted: Answers,
    ) -> VerdictRecord:
        """Apply only the fields changed since `base_revision`; update the message in place."""
        history = self.store.list_revisions(team_id, verdict_id)
        base = next(
            (r.answers for r in history if r.revision == base_revision), history[-1].answers
        )
        changed = changed_fields(base, submitted)

        def update(current: VerdictRecord) -> Revised | None:
            """The current answers with the edited fields replaced."""
            data = current.answers.model_dump() | changed
            answers = Answers.model_validate(data)
            changes = tuple(
                Change(dimension=key, old=getattr(current.answers, key), new=value)
                for key, value in changed.items()
                if getattr(current.answers, key) != value
            )
            if not changes:
                return None
            return Revised(answers=answers, result=classify(answers).contract(), changes=changes)

        # The message update and the thread note are owed from the moment the revision is
        # stored: their intents are stored with it, leased to us, for recovery to finish if
        # this process dies or Slack refuses.
        owner = new_owner()
        owed = RevisionPosts((REFRESH_KIND, EDIT_KIND), owner, self.leases.seconds)
        outcome = self.store.revise(
            team_id,
            verdict_id,
            actor_id=user_id,
            source="button",
            trigger_ts=None,
            update=update,
            owed=owed,
        )
        record = outcome.verdict
        if not outcome.applied or outcome.revision is None:
            return record

        def renew() -> bool:
            """Keep the edit's posts ours while we make them."""
            return self.store.renew_verdict_posts(
                team_id, verdict_id, owner=owner, lease_seconds=self.leases.seconds
            )

        key = str(record.revision)
        try:
            with self.leases.keep(renew) as held:
                self.refresh(client, record)
                self.store.discard_intent(team_id, verdict_id, REFRESH_KIND, key)
                self.post_edit_note(client, record, outcome.revision, lease=OwnLease(owner, held))
        except BaseException:
            release_all(self.store, team_id, verdict_id, owner=owner)
            raise
        return record

    def refresh(self, client: WebClient, record: VerdictRecord) -> None:
        """Update the parent message in place, so a pinned verdict stays current.

        Updates from several processes can reach Slack out of order. After each one, look at
        the store again: if it moved on meanwhile, update again, so whoever finishes last
        leaves the message at the newest state.
        """
        for _ in range(REFRESH_ROUNDS):
            if record.message_ts is None or record.deleted:
                return
            message = build_verdict_message(self.card(record))
            try:
                client.chat_update(
                    channel=record.channel_id, ts=record.message_ts, **message.as_kwargs()
                )
            except Exception:
                self._owe_refresh(record)
                raise
            latest = self.store.get_verdict(record.team_id, record.id)
            if (latest.revision, latest.pinned) == (record.revision, record.pinned):
                return
            record = latest

    def _owe_refresh(self, record: VerdictRecord) -> None:
        """Note that the message still shows an older revision, for recovery to update it
        (a message pinned in a deal channel must not stay behind its verdict)."""
        try:
            self.store.record_post_intent(
                record.team_id,
                record.id,
                REFRESH_KIND,
                record.channel_id,
                revision=record.revision,
                key=str(record.revision),
            )
        except StoreError as error:  # the failure being raised matters more
            logger.warning("could not note the refresh owed (%s)", type(error).__name__)

    def post_edit_note(
        self,
        client: WebClient,
        record: VerdictRecord,
        revision: RevisionRecord,
        *,
        lease: OwnLease | None = None,
    ) -> None:
        """The note of an edit in the verdict's thread, posted once across crashes and retries
        (its intent is stored with the revision; `lease` is ours on it, if we hold it)."""
        key = str(revision.revision)
        if record.message_ts is None:  # posted later, already showing the edit
            self.store.discard_intent(record.team_id, record.id, EDIT_KIND, key)
            return
        post_once(
            client,
            self.store,
            self.leases,
            team_id=record.team_id,
            verdict_id=record.id,
            revision=revision.revision,
            kind=EDIT_KIND,
            key=key,
            channel_id=record.channel_id,
            message=edit_note(revision, pinned=record.pinned),
            thread_ts=record.message_ts,
            lease=lease,
        )

    def pin(self, client: WebClient, team_id: str, verdict_id: str) -> VerdictRecord:
        """Pin the verdict message; a pin that is already there counts as done."""
        record = self.store.get_verdict(team_id, verdict_id)
        if record.message_ts is None:
            return self.store.set_pinned(team_id, verdict_id, True)
        try:
            client.pins_add(channel=record.channel_id, timestamp=record.message_ts)
        except SlackApiError as error:
            if error.response.get("error") != "already_pinned":
                raise
        record = self.store.set_pinned(team_id, verdict_id, True)
        self.refresh(client, record)
        return record

    def unpin(self, client: WebClient, team_id: str, verdict_id: str) -> VerdictRecord:
        """Unpin the verdict message; no pin counts as done."""
        record = self.store.get_verdict(team_id, verdict_id)
        if record.message_ts is not None:
            try:
                client.pins_remove(channel=record.channel_id, timestamp=record.message_ts)
            except SlackApiError as error:
                if error.response.get("error") != "no_pin":
                    raise
        record = self.store.set_pinned(team_id, verdict_id, False)
        self.refresh(client, record)
        return record

    def delete(self, client: WebClient, team_id: str, user_id: str, verdict_id: str) -> None:
        """Remove the bot's messages of a verdict and keep the record, marked deleted."""
        record = self.store.get_verdict(team_id, verdict_id)
        if record.creator_id != user_id:
            raise NotCreatorError(verdict_id)
        if record.message_ts is not None:
            replies: list[dict[str, object]] = client.conversations_replies(
                channel=record.channel_id, ts=record.message_ts, limit=200
            ).get("messages", [])
            own = client.auth_test().get("bot_id")
            for message in replies:
                if message.get("ts") != record.message_ts and message.get("bot_id") == own:
                    _delete_message(client, record.channel_id, str(message["ts"]))
            _delete_message(client, record.channel_id, record.message_ts)
        self.store.mark_deleted(team_id, verdict_id)

    def _deliver_privately(self, client: WebClient, record: VerdictRecord, access: str) -> None:
        """Tell the creator why the verdict is not in the channel and give it to them, once."""
        hint = (INVITE_HINT if access == "private" else UNREACHABLE).format(
            channel=record.channel_id
        )
        copy = build_verdict_message(self.card(record), buttons=False)
        dm = self.direct_messages.channel(client, record.team_id, record.creator_id)
        for key, message in (
            ("notice", build_notice(hint)),
            ("verdict", Message(text=copy.text, blocks=copy.blocks)),
        ):
            post_once(
                client,
                self.store,
                self.leases,
                team_id=record.team_id,
                verdict_id=record.id,
                revision=record.revision,
                kind="private",
                key=key,
                channel_id=dm,  # the DM's own id, which a look for a lost post can read
                message=message,
            )


def edit_note(revision: RevisionRecord, *, pinned: bool) -> Message:
    """The thread note after an edit: who changed what, and how the verdict moved."""
    evidence = [
        Evidence(dimension=c.dimension, old=c.old, new=c.new or "", words="edit")
        for c in revision.changes
        if c.dimension in ANSWER_KEYS
    ]
    before = revision.answers.model_copy(update={c.dimension: c.old for c in revision.changes})
    lines = [f"Answers edited by <@{revision.actor_id}> (revision {revision.revision}):"]
    lines += [
        f"• *{e.dimension}*: {_label(e.dimension, e.old)} → {_label(e.dimension, e.new)}"
        for e in evidence
    ]
    details = [c.dimension for c in revision.changes if c.dimension not in ANSWER_KEYS]
    if details:
        lines.append("• details updated: " + ", ".join(details))
    lines.append(verdict_move(classify(before), classify(revision.answers), pinned=pinned))
    return build_notice("\n".join(lines))


def today() -> date:
    """Today's date for reading relative dates in replies (the core reads no clock)."""
    return date.today()  # a calendar date is what people mean by "until March"


def _label(key: str, value: str | None) -> str:
    """A human label of a DOMAIN.md value."""
    return BY_KEY[key].label(value or None)


def _delete_message(client: WebClient, channel_id: str, ts: str) -> None:
    """Delete one of the bot's messages; already gone counts as done."""
    try:
        client.chat_delete(channel=channel_id, ts=ts)
    except SlackApiError as error:
        if error.response.get("error") != "message_not_found":
            raise
