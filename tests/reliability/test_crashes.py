"""The app killed with SIGKILL at each posting point, then restarted: every verdict once."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox import Delivery, Hold
from bot.slack import ids
from bot.slack.failures import POST_LATER_TEXT
from bot.store.schema.tables import events, posts
from tests.reliability.apps import LEASE_SECONDS, Crashable, crashable, ignores_sigpipe
from tests.support.journeys import COLLABORATION
from tests.support.waiting import wait_until

__all__ = ["crashable"]

# Each kill point is hit this many times per test, one verdict each (a restart costs ~3-5 s).
ROUNDS = int(os.environ.get("RB_CRASH_ROUNDS", "1"))


def _vid(message: dict[str, Any]) -> str:
    """The verdict id a message's metadata carries."""
    return str(message["metadata"]["event_payload"]["verdict_id"])


def _stored_verdicts(crash: Crashable) -> int:
    """How many verdicts the store holds."""
    return len(crash.store.list_by_team(crash.acme.id).items)


def _posted_once(crash: Crashable, count: int) -> dict[str, Any]:
    """Wait for `count` verdicts with their explanation; the newest, once each, ts stored."""

    def settled() -> list[dict[str, Any]]:
        found = crash.verdict_messages()
        if len(found) < count or any(not crash.thread_texts(m["ts"]) for m in found):
            return []
        return found

    wait_until(settled, 60, f"{count} verdict(s) with their explanation")
    # A post that applied before the kill is in Slack already; its ts is stored once the dead
    # owner's lease lapses and recovery finds the message.
    wait_until(crash.idle, 60, "recovery to store every ts and answer every reply")
    messages = crash.verdict_messages()
    assert len(messages) == count
    assert len({_vid(m) for m in messages}) == count  # no verdict twice
    for message in messages:
        texts = crash.thread_texts(message["ts"])
        assert texts and len(texts) == len(set(texts))  # the explanation once
        record = crash.store.get_verdict(crash.acme.id, _vid(message))
        assert record.message_ts == message["ts"]
    assert crash.store.pending_posts(crash.acme.id) == ()
    return messages[-1]


def _kill_while_held(crash: Crashable, hold: Hold, stored: int) -> None:
    """Submit a check, wait for the held call and the stored verdict, then SIGKILL the app."""
    crash.submit_check(COLLABORATION)
    hold.wait(timeout=30)
    wait_until(lambda: _stored_verdicts(crash) == stored, 10, "the verdict row")
    crash.processes[-1].kill()


@pytest.mark.slow
def test_killed_after_storing_a_verdict_before_posting_it(crashable: Crashable) -> None:
    """(a) conversations.info (called before the post) is held; the app dies with the row."""
    crash = crashable
    crash.start()
    for round_ in range(1, ROUNDS + 1):
        hold = crash.slack.faults.hold("conversations.info")
        _kill_while_held(crash, hold, stored=round_)
        hold.release()  # answered to a dead process
        assert len(crash.verdict_messages()) == round_ - 1
        crash.start()
        _posted_once(crash, round_)


@pytest.mark.slow
@pytest.mark.parametrize("slack_saw_it", [False, True], ids=["post-lost", "post-applied"])
def test_killed_while_the_post_is_held_unanswered(
    crashable: Crashable, *, slack_saw_it: bool
) -> None:
    """(b) chat.postMessage is held; after the kill Slack either drops it or applies it."""
    crash = crashable
    crash.start()
    for round_ in range(1, ROUNDS + 1):
        hold = crash.slack.faults.hold("chat.postMessage")
        _kill_while_held(crash, hold, stored=round_)
        if slack_saw_it:
            hold.release()  # Slack had the whole request: it posts, the answer goes nowhere
            wait_until(lambda n=round_: len(crash.verdict_messages()) == n, 10, "the late post")
        else:
            hold.drop()
            assert len(crash.verdict_messages()) == round_ - 1
        crash.start()
        _posted_once(crash, round_)


@pytest.mark.slow
def test_killed_after_slack_accepted_the_post_before_its_ts_was_stored(
    crashable: Crashable,
) -> None:
    """(c) chat.postMessage applies, its answer is held; the app dies without the ts."""
    crash = crashable
    crash.start()
    for round_ in range(1, ROUNDS + 1):
        hold = crash.slack.faults.hold("chat.postMessage", after_apply=True)
        _kill_while_held(crash, hold, stored=round_)
        assert len(crash.verdict_messages()) == round_  # in the channel, ts not stored
        hold.drop()
        crash.start()
        _posted_once(crash, round_)


@pytest.mark.slow
def test_killed_after_the_explanation_was_posted_before_its_ts_was_stored(
    crashable: Crashable,
) -> None:
    """The parent is posted and stored; the explanation applies, its answer is held; killed."""
    crash = crashable
    crash.start()
    for round_ in range(1, ROUNDS + 1):
        crash.slack.faults.delay("chat.postMessage", 0)  # the parent passes
        hold = crash.slack.faults.hold("chat.postMessage", after_apply=True)  # the explanation
        _kill_while_held(crash, hold, stored=round_)
        parent = crash.verdict_messages()[-1]
        assert crash.thread_texts(parent["ts"])  # the explanation is in the thread
        hold.drop()
        crash.start()
        assert _posted_once(crash, round_)["ts"] == parent["ts"]


@pytest.mark.slow
def test_a_client_hanging_up_before_the_answer_does_not_kill_a_worker(
    crashable: Crashable,
) -> None:
    """Slack gives up on a late answer and closes the connection; the worker lives on."""
    crash = crashable
    app = crash.start()
    hold = crash.slack.faults.hold("auth.test")  # a worker's first request authorizes first
    crash.slack.delivery_timeout = 1.0
    late = crash.slack.slash_command(crash.alice, crash.deals, ids.COMMAND, "help")
    assert not late.ok  # Slack stopped waiting and hung up
    hold.wait(timeout=5)
    hold.release()  # the answer is written to a closed connection
    crash.slack.delivery_timeout = 10.0
    assert all(ignores_sigpipe(pid) for pid in app.workers())  # such a write cannot kill them
    for _ in range(4):  # both workers answer
        assert crash.slack.slash_command(crash.alice, crash.deals, ids.COMMAND, "help").ok
    assert "SIGPIPE" not in app.output()
    assert app.output().count("Booting worker") == 2  # the two it started with


REFINEMENT = "horizon: open_ended"
DEAD_LEASE_SECONDS = 10  # the killed process's lease: long enough to outlast the restart


def _notes(crash: Crashable, parent: dict[str, Any]) -> list[str]:
    """The "Updated by" notes in a verdict's thread."""
    return [t for t in crash.thread_texts(parent["ts"]) if t.startswith("Updated by")]


def _kill_half_way_through_a_refinement(
    crash: Crashable, held: str, lease: int = DEAD_LEASE_SECONDS
) -> tuple[dict[str, Any], Delivery]:
    """Post a verdict, reply to refine it, SIGKILL once the revision is stored; parent, event."""
    crash.start(LEASE_SECONDS=str(lease))
    crash.submit_check(COLLABORATION)
    parent = _posted_once(crash, 1)
    if held == "update":
        hold = crash.slack.faults.hold("chat.update")  # the parent refresh, before the note
    else:
        hold = crash.slack.faults.hold("chat.postMessage", after_apply=True)  # the note
    posted = crash.slack.post(crash.bob, crash.deals, REFINEMENT, thread_ts=parent["ts"])
    (event,) = [d for d in posted.deliveries if d.label == "event:message"]
    assert event.ok  # acked: Slack considers it delivered
    hold.wait(timeout=30)
    assert crash.store.get_verdict(crash.acme.id, _vid(parent)).revision == 2
    crash.processes[-1].kill()
    hold.drop()
    assert len(_notes(crash, parent)) == (1 if held == "note" else 0)
    return parent, event


def _refined_once(crash: Crashable, parent: dict[str, Any]) -> None:
    """Revision 2 stored once, shown in the parent, and one note in the thread."""

    def shown() -> bool:
        message = crash.slack.message(crash.deals, parent["ts"])
        revision = (message or {}).get("metadata", {}).get("event_payload", {}).get("revision")
        return revision == 2 and len(_notes(crash, parent)) >= 1

    wait_until(shown, 60, "the refinement in the parent and its note")
    wait_until(crash.idle, 60, "every reply answered and every post made")
    history = crash.store.list_revisions(crash.acme.id, _vid(parent))
    assert [r.revision for r in history] == [1, 2]
    assert history[-1].answers.horizon == "open_ended"
    assert len(_notes(crash, parent)) == 1
    assert crash.store.pending_posts(crash.acme.id) == ()


def _leases_lapsed(crash: Crashable, delivery: Delivery) -> bool:
    """Whether the dead handler's leases have ended: on the event, and on every post it held
    (the post's was taken a moment after the event's, so it ends a moment later)."""
    event_ends = select(events.c.lease_until).where(
        events.c.team_id == crash.acme.id, events.c.event_key == delivery.payload["event_id"]
    )
    post_ends = select(posts.c.lease_until).where(
        posts.c.team_id == crash.acme.id, posts.c.lease_until.is_not(None)
    )
    with crash.store.engine.connect() as connection:
        ends = [connection.execute(event_ends).scalar_one()]
        ends += list(connection.execute(post_ends).scalars())
    return max(ends) < datetime.now(UTC)


@pytest.mark.slow
@pytest.mark.parametrize("held", ["update", "note"])
def test_a_refinement_killed_half_way_is_finished_once_on_slacks_retry(
    crashable: Crashable, held: str
) -> None:
    """Killed while chat.update is held, or after the note applied: Slack's retry finishes it."""
    crash = crashable
    parent, event = _kill_half_way_through_a_refinement(crash, held)
    app = crash.start(RECOVERY_SECONDS="3600")  # one sweep at start; the retry does the rest
    # The retry can take the reply over once the dead handler's leases have lapsed.
    wait_until(lambda: _leases_lapsed(crash, event), 60, "the dead handler's leases to lapse")
    assert crash.slack.redeliver(event, reason="http_timeout").ok
    _refined_once(crash, parent)
    assert "recovery: finished reply" not in app.output()  # the retry finished it


@pytest.mark.slow
def test_a_refinement_killed_half_way_is_finished_once_without_a_retry(
    crashable: Crashable,
) -> None:
    """Slack had its ack, so it never retries: recovery finishes it; a late retry does nothing."""
    crash = crashable
    parent, event = _kill_half_way_through_a_refinement(crash, "update", LEASE_SECONDS)
    app = crash.start()
    _refined_once(crash, parent)
    assert "recovery: finished reply" in app.output()
    assert crash.slack.redeliver(event, reason="http_timeout").ok
    wait_until(lambda: crash.skipped(event.payload["event_id"]), 60, "the late retry skipped")
    assert len(_notes(crash, parent)) == 1
    assert len(crash.store.list_revisions(crash.acme.id, _vid(parent))) == 2


def _edit_notes(crash: Crashable, parent: dict[str, Any]) -> list[str]:
    """The edit notes in a verdict's thread."""
    return [t for t in crash.thread_texts(parent["ts"]) if "edited by" in t]


@pytest.mark.slow
@pytest.mark.parametrize("held", ["update", "note"])
def test_an_edit_killed_half_way_is_finished_once_by_recovery(
    crashable: Crashable, held: str
) -> None:
    """Killed while the edit's chat.update is held, or after its note applied: the restarted
    app updates the message and posts the note, once (both were owed with the revision)."""
    crash = crashable
    crash.start()
    crash.submit_check(COLLABORATION)
    parent = _posted_once(crash, 1)
    crash.slack.click(crash.alice, ids.ACTION_EDIT, channel=crash.deals, ts=parent["ts"])
    crash.slack.wait_for_call("views.open", count=2)
    if held == "update":
        hold = crash.slack.faults.hold("chat.update")
    else:
        hold = crash.slack.faults.hold("chat.postMessage", after_apply=True)  # the note
    crash.slack.submit(crash.alice, {"horizon": "multi_year"})
    hold.wait(timeout=30)
    assert crash.store.get_verdict(crash.acme.id, _vid(parent)).revision == 2
    crash.processes[-1].kill()
    hold.drop()
    assert len(_edit_notes(crash, parent)) == (1 if held == "note" else 0)
    crash.start()

    def finished() -> bool:
        message = crash.slack.message(crash.deals, parent["ts"])
        revision = (message or {}).get("metadata", {}).get("event_payload", {}).get("revision")
        return revision == 2 and len(_edit_notes(crash, parent)) >= 1

    wait_until(finished, 60, "the edit in the message and its note")
    # A note that applied before the kill is found, once the dead owner's lease lapses.
    wait_until(crash.idle, 60, "recovery to store every ts and answer every reply")
    assert len(_edit_notes(crash, parent)) == 1


@pytest.mark.slow
def test_a_verdict_left_unposted_while_slack_was_down_is_posted_once_slack_recovers(
    crashable: Crashable,
) -> None:
    """chat.postMessage fails for a while: the user is told it will come; it comes, once."""
    crash = crashable
    crash.start()
    crash.slack.faults.server_error("chat.postMessage", times=None)
    crash.submit_check(COLLABORATION)
    later = POST_LATER_TEXT.format(channel=crash.deals.id)
    wait_until(
        lambda: [e for e in crash.slack.ephemerals(user=crash.alice) if e.text == later],
        30,
        "the notice that the verdict will be posted later",
    )
    failed = len(crash.slack.calls("chat.postMessage"))
    wait_until(  # recovery keeps trying while Slack is down
        lambda: len(crash.slack.calls("chat.postMessage")) > failed, 30, "recovery's attempts"
    )
    assert crash.verdict_messages() == []
    (record,) = crash.store.list_by_team(crash.acme.id).items
    assert record.message_ts is None
    crash.slack.faults.clear()  # Slack is back
    _posted_once(crash, 1)


def _parent_lease(crash: Crashable) -> datetime:
    """When the lease on the one verdict's parent post ends."""
    query = select(posts.c.lease_until).where(posts.c.team_id == crash.acme.id)
    with crash.store.engine.connect() as connection:
        ends = connection.execute(query.where(posts.c.kind == "parent")).scalar_one()
    assert isinstance(ends, datetime)
    return ends


@pytest.mark.slow
def test_a_post_held_longer_than_the_lease_by_a_live_process_is_not_taken_over(
    crashable: Crashable,
) -> None:
    """The other worker sweeps all along; the live owner's lease is renewed: one post."""
    crash = crashable
    app = crash.start()
    hold = crash.slack.faults.hold("chat.postMessage")
    crash.submit_check(COLLABORATION)
    hold.wait(timeout=30)
    first = _parent_lease(crash)
    # The owner renews its lease while it waits on Slack: once the lease has moved twice past
    # where it first ended, the first term has lapsed and sweeps (every 0.5 s) found it held.
    wait_until(
        lambda: _parent_lease(crash) >= first + timedelta(seconds=2 * LEASE_SECONDS),
        60,
        "the owner's lease renewed past two terms",
    )
    assert len(crash.slack.calls("chat.postMessage")) == 0  # nobody else tried to post it
    hold.release()
    _posted_once(crash, 1)
    assert "taken over" not in app.output()


@pytest.mark.slow
def test_killed_after_storing_a_verdict_in_socket_mode(crashable: Crashable) -> None:
    """(a) in Socket Mode (one process, no gunicorn): the restarted app posts it once."""
    crash = crashable
    first = crash.start_socket_mode()
    hold = crash.slack.faults.hold("conversations.info")
    crash.submit_check(COLLABORATION)
    hold.wait(timeout=30)
    wait_until(lambda: _stored_verdicts(crash) == 1, 10, "the verdict row")
    first.kill()
    hold.release()
    wait_until(lambda: crash.slack.socket_connections == 0, 10, "the dead socket to close")
    assert crash.verdict_messages() == []
    crash.start_socket_mode()
    _posted_once(crash, 1)
