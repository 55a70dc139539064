"""Recovery: finish what a dead or failed process left, at start and every so often after.

Three kinds of work can be left behind: a verdict stored but not (fully) posted, a verdict
message Slack refused to update (it shows an older revision), and a thread reply claimed but
not answered. Each is leased while someone works on it (see leases.py), so
several processes may sweep at once: only work whose lease lapsed is taken, and posting looks
for an earlier attempt's message before posting again.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.slack.authorize import TokenFor, bot_tokens
from bot.slack.deps import Deps
from bot.slack.threads import Reply
from bot.slack.verdicts import EDIT_KIND, REFRESH_KIND
from bot.store import NotFoundError, PendingEvent, PostRecord, StoreError, VerdictRecord

logger = logging.getLogger(__name__)

WINDOW: Final = timedelta(days=1)  # older leftovers are not posted out of the blue
BATCH: Final = 20
# Thread answers are finished with the reply they belong to (see _answer).
PUBLISHED_KINDS: Final = ("parent", "thread", REFRESH_KIND, EDIT_KIND)
# What chat.update answers when the message to update will never be there again.
GONE_MESSAGE_ERRORS: Final = frozenset(
    {
        "message_not_found",
        "channel_not_found",
        "cant_update_message",
        "edit_window_closed",
        "is_inactive",
    }
)


@dataclass(frozen=True, slots=True)
class Recovery:
    """One sweep over unfinished work, each workspace with its own bot token."""

    deps: Deps
    client: WebClient  # the app's client: Web API URL, timeout and retries (no token)
    token_for: TokenFor

    def sweep(self) -> int:
        """Finish what can be finished now; how many verdicts and replies were."""
        since = datetime.now(UTC) - WINDOW
        store = self.deps.store
        finished = 0
        seen: set[tuple[str, str, bool]] = set()
        stale = store.stale_posts(kinds=PUBLISHED_KINDS, since=since, limit=BATCH)
        for post in stale:
            refresh = post.kind == REFRESH_KIND  # one update, or one publish, per verdict
            if post.kind != EDIT_KIND and (post.team_id, post.verdict_id, refresh) not in seen:
                seen.add((post.team_id, post.verdict_id, refresh))
                finished += self._refresh(post) if refresh else self._publish(post)
        for post in stale:  # after the updates: a note follows the message it talks about
            if post.kind == EDIT_KIND:
                finished += self._note(post)
        for event in store.stale_events(since=since, limit=BATCH):
            finished += self._answer(event)
        return finished

    def _publish(self, post: PostRecord) -> bool:
        """Post a verdict (and its explanation) that a dead or failed attempt left unposted."""
        try:
            record = self.deps.store.get_verdict(post.team_id, post.verdict_id)
        except NotFoundError:
            return False  # deleted with its workspace meanwhile
        if record.deleted:
            self.deps.store.discard_post(post.team_id, post.id)
            return False
        client = self._client(post.team_id, record.enterprise_id)
        if client is None:
            return False
        try:
            in_channel = self.deps.verdicts.publish(client, record)
        except Exception as error:  # logged; the next sweep tries again
            logger.warning(
                "recovery: verdict %s of %s not posted yet (%s)",
                record.id,
                record.team_id,
                type(error).__name__,
            )
            return False
        where = "posted" if in_channel else "delivered privately (the channel needs an invite)"
        logger.info("recovery: verdict %s of %s %s", record.id, record.team_id, where)
        return True

    def _refresh(self, post: PostRecord) -> bool:
        """Update a verdict message that Slack refused to update, to the verdict as it is now."""
        store = self.deps.store
        try:
            record = store.get_verdict(post.team_id, post.verdict_id)
        except NotFoundError:
            return False  # deleted with its workspace meanwhile
        client = None
        if not record.deleted and record.message_ts is not None:
            client = self._client(post.team_id, record.enterprise_id)
            if client is None:
                return False
            try:
                self.deps.verdicts.refresh(client, record)
            except SlackApiError as error:
                if error.response.get("error") not in GONE_MESSAGE_ERRORS:
                    return self._not_yet(record, error)
                client = None  # the message or its channel is gone: nothing to update
                self._drop_notes(record)
            except Exception as error:  # logged; the next sweep tries again
                return self._not_yet(record, error)
        with suppress(NotFoundError):  # another sweeper finished it too
            store.discard_post(post.team_id, post.id)
        if client is not None:
            logger.info("recovery: message of verdict %s of %s updated", record.id, record.team_id)
        return client is not None

    def _drop_notes(self, record: VerdictRecord) -> None:
        """Forget the edit notes owed in the thread of a message that is gone."""
        for post in self.deps.store.pending_posts(record.team_id):
            if post.verdict_id == record.id and post.kind == EDIT_KIND:
                with suppress(NotFoundError):  # another sweeper dropped it too
                    self.deps.store.discard_post(record.team_id, post.id)

    def _note(self, post: PostRecord) -> bool:
        """Post the thread note of an edit whose process died or whose post failed, once the
        message shows the edit (not while an update of it is still owed)."""
        store = self.deps.store
        pending = [p for p in store.pending_posts(post.team_id) if p.verdict_id == post.verdict_id]
        if post.id not in {p.id for p in pending}:
            return False  # dropped with its message, or posted meanwhile
        if any(p.kind == REFRESH_KIND for p in pending):
            return False  # the message first: the next sweep posts the note
        try:
            record = store.get_verdict(post.team_id, post.verdict_id)
            revision = store.get_revision(post.team_id, post.verdict_id, int(post.key))
        except NotFoundError:
            return False  # deleted with its workspace meanwhile
        if record.deleted:
            with suppress(NotFoundError):  # another sweeper dropped it too
                store.discard_post(post.team_id, post.id)
            return False
        client = self._client(post.team_id, record.enterprise_id)
        if client is None:
            return False
        try:
            self.deps.verdicts.post_edit_note(client, record, revision)
        except Exception as error:  # logged; the next sweep tries again
            logger.warning(
                "recovery: edit note of verdict %s of %s not posted yet (%s)",
                record.id,
                record.team_id,
                type(error).__name__,
            )
            return False
        logger.info("recovery: edit note of verdict %s of %s posted", record.id, record.team_id)
        return True

    @staticmethod
    def _not_yet(record: VerdictRecord, error: Exception) -> bool:
        """Log a message update that failed this time (the next sweep tries again)."""
        logger.warning(
            "recovery: message of verdict %s of %s not updated yet (%s)",
            record.id,
            record.team_id,
            type(error).__name__,
        )
        return False

    def _answer(self, event: PendingEvent) -> bool:
        """Finish a thread reply whose handler died or failed."""
        reply = Reply.from_payload(event.payload)
        record = self.deps.store.find_verdict_by_message(
            reply.team_id, reply.channel_id, reply.thread_ts
        )
        if record is None or record.deleted:
            self.deps.threads.forget(reply)
            return False
        client = self._client(event.team_id, record.enterprise_id)
        if client is None:
            return False
        try:
            finished = self.deps.threads.handle(client, reply, self.deps.today())
        except Exception as error:  # logged; the next sweep tries again
            logger.warning(
                "recovery: reply %s of %s not finished yet (%s)",
                event.event_key,
                event.team_id,
                type(error).__name__,
            )
            return False
        if finished:
            logger.info("recovery: finished reply %s of %s", event.event_key, event.team_id)
        return finished

    def _client(self, team_id: str, enterprise_id: str | None) -> WebClient | None:
        """A client with the workspace's bot token, or None (uninstalled, Slack unreachable)."""
        try:
            token = self.token_for(team_id, enterprise_id)
        except Exception as error:  # auth.test or the store failed
            logger.warning("recovery: no token for %s yet (%s)", team_id, type(error).__name__)
            return None
        if token is None:
            logger.warning("recovery: %s has no installation; its work is left", team_id)
            return None
        return WebClient(
            token=token,
            base_url=self.client.base_url,
            timeout=self.client.timeout,
            retry_handlers=self.client.retry_handlers,
        )


class Sweeper:
    """Runs a recovery sweep at start, then every `interval` seconds, on a daemon thread."""

    def __init__(self, recovery: Recovery, interval: float) -> None:
        self.recovery = recovery
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Sweeper:
        """Start sweeping in the background."""
        self._thread = threading.Thread(target=self._run, name="recovery", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop after the sweep under way, if any."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.recovery.sweep()
            except StoreError as error:
                logger.warning("recovery: the database is not available (%s)", error)
            except Exception:
                logger.exception("recovery sweep failed")
            self._stop.wait(self.interval)


def start_recovery(settings: Settings, app: App, deps: Deps) -> Sweeper:
    """Sweep for the app's unfinished work now and every RECOVERY_SECONDS after."""
    tokens = bot_tokens(settings, app.installation_store, app.client)
    return Sweeper(Recovery(deps, app.client, tokens), settings.recovery_seconds).start()
