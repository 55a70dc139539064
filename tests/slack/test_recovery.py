"""Recovery sweeps in several processes at once post what a dead one left, exactly once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from pydantic import SecretStr

from bot.config import Settings
from bot.core.models import Answers
from bot.sandbox import SlackStandIn, Workspace
from bot.slack import ids
from bot.slack.app import web_client
from bot.slack.authorize import bot_tokens
from bot.slack.deps import Deps
from bot.slack.leases import LeaseKeeper
from bot.slack.recovery import Recovery
from bot.slack.threads import Reply
from bot.slack.verdicts import EDIT_KIND, REFRESH_KIND, Verdicts
from bot.store import Revised, RevisionPosts, Store, VerdictRecord, diff_answers, open_store
from tests.support.journeys import COLLABORATION

SWEEPERS = 4


def test_concurrent_sweeps_post_a_verdict_left_by_a_dead_process_once(db_url: str) -> None:
    with SlackStandIn() as slack, open_store(db_url) as store:
        acme = slack.add_workspace("Acme")
        alice = slack.add_user(acme, "alice")
        deals = slack.add_channel(acme, "deals", members=[alice], bot=True)
        settings = settings_for(slack, acme, db_url)
        dead = Verdicts(store, LeaseKeeper(0.2))
        record = dead.create(
            team_id=acme.id,
            enterprise_id=None,
            user_id=alice.id,
            channel_id=deals.id,
            answers=Answers.model_validate(COLLABORATION),
            owner="a-process-that-died",
        )
        time.sleep(0.3)  # its lease lapses: nobody renews it
        slack.faults.delay("chat.postMessage", 0.3, times=None)  # a wide window for a race
        client = web_client(settings)
        tokens = bot_tokens(settings, None, client)
        sweeps = [
            Recovery(Deps.of(store, lease_seconds=10), client, tokens) for _ in range(SWEEPERS)
        ]
        start = threading.Barrier(SWEEPERS)

        def sweep(recovery: Recovery) -> int:
            start.wait(timeout=30)
            return recovery.sweep()

        with ThreadPoolExecutor(max_workers=SWEEPERS) as pool:
            finished = list(pool.map(sweep, sweeps))
        assert sum(finished) >= 1
        parents = [
            m
            for m in slack.messages(deals)
            if (m.get("metadata") or {}).get("event_type") == ids.METADATA_EVENT
        ]
        assert len(parents) == 1
        replies = [m["text"] for m in slack.thread(deals, parents[0]["ts"])[1:]]
        assert replies and len(replies) == len(set(replies))
        assert store.get_verdict(acme.id, record.id).message_ts == parents[0]["ts"]
        assert store.pending_posts(acme.id) == ()
        assert len(slack.calls("chat.postMessage")) == 1 + len(replies)  # nothing sent twice


def test_a_reply_left_on_a_verdict_deleted_since_is_closed_without_a_word(db_url: str) -> None:
    with SlackStandIn() as slack, open_store(db_url) as store:
        acme = slack.add_workspace("Acme")
        settings = settings_for(slack, acme, db_url)
        record = posted_verdict(store, acme.id)
        store.mark_deleted(acme.id, record.id)
        reply = Reply(acme.id, "C1", "1.1", "2.2", "U2", "risk: shared", "2.2", "Ev1", False, False)
        store.claim_event(acme.id, "Ev1", owner="dead", lease_seconds=0.05, payload=reply.payload())
        time.sleep(0.1)
        since = datetime.now(UTC) - timedelta(hours=1)
        assert [e.event_key for e in store.stale_events(since=since)] == ["Ev1"]
        recovery = recovery_for(store, settings)
        assert recovery.sweep() == 0
        assert store.stale_events(since=since) == ()
        assert slack.calls() == []  # nothing said, nothing asked


def test_an_edit_left_on_a_verdict_deleted_since_is_dropped_without_a_word(db_url: str) -> None:
    with SlackStandIn() as slack, open_store(db_url) as store:
        acme = slack.add_workspace("Acme")
        settings = settings_for(slack, acme, db_url)
        record = posted_verdict(store, acme.id)
        answers = record.answers
        edited = answers.model_copy(update={"risk": "shared"})
        store.revise(
            acme.id,
            record.id,
            actor_id="U1",
            source="button",
            trigger_ts=None,
            update=lambda _: Revised(edited, {"verdict": "mixed"}, diff_answers(answers, edited)),
            owed=RevisionPosts((REFRESH_KIND, EDIT_KIND), "a-process-that-died", 30),
        )
        store.release_verdict_posts(acme.id, record.id, owner="a-process-that-died")
        store.mark_deleted(acme.id, record.id)
        recovery = recovery_for(store, settings)
        assert recovery.sweep() == 0
        assert store.pending_posts(acme.id) == ()
        assert slack.calls() == []  # nothing updated, nothing posted


def settings_for(slack: SlackStandIn, workspace: Workspace, db_url: str) -> Settings:
    """The app's settings for one workspace of the stand-in and the store at `db_url`."""
    return Settings(
        slack_bot_token=SecretStr(slack.bot_token(workspace)),
        slack_signing_secret=SecretStr(slack.app.signing_secret),
        slack_api_url=slack.api_url,
        database_url=db_url,
    )


def posted_verdict(store: Store, team_id: str) -> VerdictRecord:
    """A verdict stored as posted in C1 (message 1.1)."""
    return store.create_verdict(
        team_id,
        channel_id="C1",
        creator_id="U1",
        title="t",
        answers=Answers.model_validate(COLLABORATION),
        result={"verdict": "collaboration"},
        message_ts="1.1",
    )


def recovery_for(store: Store, settings: Settings) -> Recovery:
    """A recovery sweep of `store` with the settings' bot token."""
    client = web_client(settings)
    return Recovery(Deps.of(store), client, bot_tokens(settings, None, client))
