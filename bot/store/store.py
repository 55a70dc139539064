"""The Store: one object the app holds, every operation scoped by team."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete

from bot.core.models import Answers
from bot.store import events, installations, posts, revisions, verdicts
from bot.store.engine import Database, redact
from bot.store.records import (
    EventClaim,
    Lease,
    Page,
    PendingEvent,
    PostClaim,
    PostRecord,
    RevisionOutcome,
    RevisionPosts,
    RevisionRecord,
    Source,
    Stage,
    Update,
    VerdictRecord,
)
from bot.store.revisions import Classify
from bot.store.schema import tables

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore


class Store:
    """Verdicts, their history, Slack events, posts and installations in one database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (shared with slack-sdk's OAuth stores)."""
        return self._db.engine

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self._db.engine.dialect.name

    def describe(self) -> str:
        """The database URL without its password, for logs."""
        return redact(self._db.url)

    def close(self) -> None:
        """Close every pooled connection."""
        self._db.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Verdicts

    def create_verdict(
        self,
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
        """Store a new verdict at revision 1 (`result` is a JSON-ready dict with 'verdict').

        With `once_key`, the event creating it is stored with it, once: a replay of the event
        raises DuplicateEventError and writes nothing.

        With `post_owner`, the intent to post its parent message is stored with it, leased to
        that owner for `lease_seconds` (recovery posts it if the owner dies before it does).
        """
        return verdicts.create_verdict(
            self._db,
            team_id,
            channel_id=channel_id,
            creator_id=creator_id,
            title=title,
            answers=answers,
            result=result,
            counterpart=counterpart,
            enterprise_id=enterprise_id,
            message_ts=message_ts,
            source_link=source_link,
            pinned=pinned,
            source=source,
            trigger_ts=trigger_ts,
            event_key=event_key,
            once_key=once_key,
            post_owner=post_owner,
            lease_seconds=lease_seconds,
        )

    def get_verdict(self, team_id: str, verdict_id: str) -> VerdictRecord:
        """The verdict with this id in this team (deleted ones too); NotFoundError otherwise."""
        return verdicts.get_verdict(self._db, team_id, verdict_id)

    def find_verdict_by_message(
        self, team_id: str, channel_id: str, message_ts: str
    ) -> VerdictRecord | None:
        """The verdict posted as this message in this team, if any."""
        return verdicts.find_verdict_by_message(self._db, team_id, channel_id, message_ts)

    def list_by_channel(
        self, team_id: str, channel_id: str, *, limit: int = 20, before: str | None = None
    ) -> Page:
        """A channel's verdicts, newest first, without deleted ones."""
        return verdicts.list_verdicts(
            self._db, team_id, channel_id=channel_id, limit=limit, before=before
        )

    def list_by_creator(
        self, team_id: str, creator_id: str, *, limit: int = 20, before: str | None = None
    ) -> Page:
        """A person's verdicts, newest first, without deleted ones."""
        return verdicts.list_verdicts(
            self._db, team_id, creator_id=creator_id, limit=limit, before=before
        )

    def list_by_team(self, team_id: str, *, limit: int = 20, before: str | None = None) -> Page:
        """A workspace's verdicts, newest first, without deleted ones."""
        return verdicts.list_verdicts(self._db, team_id, limit=limit, before=before)

    def set_pinned(self, team_id: str, verdict_id: str, pinned: bool) -> VerdictRecord:
        """Record that the verdict message is pinned or not."""
        return verdicts.set_flags(self._db, team_id, verdict_id, pinned=pinned)

    def mark_deleted(self, team_id: str, verdict_id: str) -> VerdictRecord:
        """Keep the record, marked deleted (its messages are gone)."""
        return verdicts.set_flags(self._db, team_id, verdict_id, deleted=True)

    # Revisions

    def revise(
        self,
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
        """Apply `update` under the verdict's lock; a new revision if it returns changes.

        `update` must be free of side effects (it also runs when `trigger_ts` turns out to be
        applied already). Deleted verdicts are revised like others: check `current.deleted`.
        With `owed`, a new revision is stored with the intents of the posts it owes, leased.
        """
        return revisions.revise(
            self._db,
            team_id,
            verdict_id,
            actor_id=actor_id,
            source=source,
            trigger_ts=trigger_ts,
            update=update,
            event_key=event_key,
            owed=owed,
        )

    def revert_last(
        self,
        team_id: str,
        verdict_id: str,
        *,
        actor_id: str,
        trigger_ts: str | None,
        classify: Classify,
        event_key: str | None = None,
    ) -> RevisionOutcome:
        """Undo the latest change not undone yet, as a new `undo` revision."""
        return revisions.revert_last(
            self._db,
            team_id,
            verdict_id,
            actor_id=actor_id,
            trigger_ts=trigger_ts,
            classify=classify,
            event_key=event_key,
        )

    def list_revisions(self, team_id: str, verdict_id: str) -> tuple[RevisionRecord, ...]:
        """A verdict's history, oldest first."""
        return revisions.list_revisions(self._db, team_id, verdict_id)

    def get_revision(self, team_id: str, verdict_id: str, revision: int) -> RevisionRecord:
        """One revision of a verdict, e.g. the one an edit modal started from."""
        return revisions.get_revision(self._db, team_id, verdict_id, revision)

    # Events

    def claim_event(
        self,
        team_id: str,
        event_key: str,
        *,
        owner: str,
        lease_seconds: float = events.DEFAULT_LEASE_SECONDS,
        payload: Mapping[str, Any] | None = None,
    ) -> EventClaim:
        """Take an event: new, resume (dead owner), done (answered already) or busy."""
        return events.claim_event(
            self._db,
            team_id,
            event_key,
            owner=owner,
            lease_seconds=lease_seconds,
            payload=payload,
        )

    def renew_event(
        self, team_id: str, event_key: str, *, owner: str, lease_seconds: float
    ) -> bool:
        """Extend an owned event's lease; False when another owner has taken it over."""
        return events.renew_event(
            self._db, team_id, event_key, owner=owner, lease_seconds=lease_seconds
        )

    def release_event(self, team_id: str, event_key: str, *, owner: str) -> None:
        """Give an unanswered event up now, so recovery can take it."""
        events.release_event(self._db, team_id, event_key, owner=owner)

    def stale_events(self, *, since: datetime, limit: int = 20) -> tuple[PendingEvent, ...]:
        """Events (every team, for recovery) a dead or failed handler left unanswered."""
        return events.stale_events(self._db, since=since, limit=limit)

    def advance_event(
        self,
        team_id: str,
        event_key: str,
        stage: Stage,
        *,
        owner: str,
        verdict_id: str | None = None,
    ) -> None:
        """Move an owned event forward to `stage`; EventNotOwnedError if another owner has it."""
        events.advance_event(
            self._db, team_id, event_key, stage, owner=owner, verdict_id=verdict_id
        )

    def prune_events(self, older_than: datetime) -> int:
        """Forget answered events last touched before `older_than`; how many."""
        return events.prune_events(self._db, older_than)

    # Posts

    def record_post_intent(
        self,
        team_id: str,
        verdict_id: str,
        kind: str,
        channel_id: str,
        *,
        revision: int,
        key: str = "",
    ) -> PostRecord:
        """Store the intent before posting; an already `posted` result means: don't post."""
        return posts.record_post_intent(
            self._db, team_id, verdict_id, kind, channel_id, revision=revision, key=key
        )

    def claim_post(
        self,
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
        """Store the intent if new and take its lease: posted already, mine, or busy."""
        return posts.claim_post(
            self._db,
            team_id,
            verdict_id,
            kind,
            channel_id,
            revision=revision,
            key=key,
            owner=owner,
            lease_seconds=lease_seconds,
        )

    def renew_post(
        self,
        team_id: str,
        verdict_id: str,
        kind: str,
        key: str = "",
        *,
        owner: str,
        lease_seconds: float,
    ) -> bool:
        """Extend an owned post lease; False when another owner has taken it over."""
        return posts.renew_post(
            self._db, team_id, verdict_id, kind, key, owner=owner, lease_seconds=lease_seconds
        )

    def release_post(
        self, team_id: str, verdict_id: str, kind: str, key: str = "", *, owner: str
    ) -> None:
        """Give an unposted intent up now, so recovery can take it."""
        posts.release_post(self._db, team_id, verdict_id, kind, key, owner=owner)

    def stale_posts(
        self, *, kinds: Collection[str], since: datetime, limit: int = 20
    ) -> tuple[PostRecord, ...]:
        """Unposted intents (every team, for recovery) that nobody holds a lease on."""
        return posts.stale_posts(self._db, kinds=kinds, since=since, limit=limit)

    def complete_post(self, team_id: str, post_id: int, message_ts: str) -> PostRecord:
        """Store the ts of a post Slack accepted."""
        return posts.complete_post(self._db, team_id, post_id, message_ts)

    def complete_intent(
        self,
        team_id: str,
        verdict_id: str,
        kind: str,
        key: str,
        *,
        message_ts: str,
        lease_replies: Lease | None = None,
    ) -> PostRecord:
        """complete_post for the intent of (verdict, kind, key), by that rather than its id;
        with `lease_replies`, the parent's thread reply intents are stored leased with it."""
        return posts.complete_intent(
            self._db,
            team_id,
            verdict_id,
            kind,
            key,
            message_ts=message_ts,
            lease_replies=lease_replies,
        )

    def renew_verdict_posts(
        self, team_id: str, verdict_id: str, *, owner: str, lease_seconds: float
    ) -> bool:
        """Extend the owner's leases on a verdict's posts; False if its parent is not theirs."""
        return posts.renew_verdict_posts(
            self._db, team_id, verdict_id, owner=owner, lease_seconds=lease_seconds
        )

    def release_verdict_posts(self, team_id: str, verdict_id: str, *, owner: str) -> None:
        """Give up the owner's unposted intents of a verdict, so recovery can take them now."""
        posts.release_verdict_posts(self._db, team_id, verdict_id, owner=owner)

    def pending_posts(self, team_id: str | None) -> tuple[PostRecord, ...]:
        """Intents not confirmed yet: one team's, or every team's (None) for recovery."""
        return posts.pending_posts(self._db, team_id)

    def discard_intent(self, team_id: str, verdict_id: str, kind: str, key: str) -> None:
        """Forget the intent of (verdict, kind, key) if there is one: its work is done."""
        posts.discard_intent(self._db, team_id, verdict_id, kind, key)

    def discard_post(self, team_id: str, post_id: int) -> None:
        """Drop an intent that can never be posted."""
        posts.discard_post(self._db, team_id, post_id)

    # Installations and workspace removal

    def installation_store(self, client_id: str) -> SQLAlchemyInstallationStore:
        """slack-sdk's installation store on this database (needs greenlet on SQLAlchemy 2.1)."""
        return installations.installation_store(self._db, client_id)

    def oauth_state_store(self, expiration_seconds: int = 600) -> SQLAlchemyOAuthStateStore:
        """slack-sdk's OAuth state store on this database (needs greenlet on SQLAlchemy 2.1)."""
        return installations.oauth_state_store(self._db, expiration_seconds)

    def delete_team(self, team_id: str, *, unless_installed_since: float | None = None) -> bool:
        """Remove everything of a workspace in one transaction (app_uninstalled); True if done.

        With `unless_installed_since` (a Unix time), a workspace whose bot was installed at or
        after it is kept (a late retry of an older uninstall): checked inside the same
        transaction, so an install racing the delete is never removed.
        """
        with self._db.write() as connection:
            if unless_installed_since is not None and installations.installed_since(
                connection, team_id, unless_installed_since
            ):
                return False
            for table in (tables.revisions, tables.posts, tables.verdicts, tables.events):
                connection.execute(delete(table).where(table.c.team_id == team_id))
            installations.delete_installations(connection, team_id, before=unless_installed_since)
        return True
