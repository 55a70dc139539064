"""Crash-safe posting: intent before the post, ts after, retries find the intent."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.models import Answers
from bot.store import Lease, NotFoundError, RevisionOutcome, RevisionPosts, Store
from bot.store.records import Update
from tests.store.helpers import TEAM, make_verdict, result_for, set_answers


def test_intent_then_completion(store: Store) -> None:
    verdict = make_verdict(store)
    intent = store.record_post_intent(TEAM, verdict.id, "parent", "C1", revision=1)
    assert not intent.posted
    assert store.pending_posts(TEAM) == (intent,)
    assert store.pending_posts(None) == (intent,)

    again = store.record_post_intent(TEAM, verdict.id, "parent", "C1", revision=1)
    assert again == intent  # a retry finds the same intent

    done = store.complete_post(TEAM, intent.id, "1700.0001")
    assert (done.posted, done.message_ts) == (True, "1700.0001")
    assert done.posted_at is not None
    assert store.pending_posts(TEAM) == ()
    assert store.get_verdict(TEAM, verdict.id).message_ts == "1700.0001"
    assert store.record_post_intent(TEAM, verdict.id, "parent", "C1", revision=1).posted
    assert store.complete_post(TEAM, intent.id, "other").message_ts == "1700.0001"


def test_an_intent_completed_by_verdict_kind_and_key(store: Store) -> None:
    verdict = make_verdict(store)
    intent = store.record_post_intent(TEAM, verdict.id, "parent", "C1", revision=1)
    done = store.complete_intent(TEAM, verdict.id, "parent", "", message_ts="1700.0002")
    assert (done.id, done.message_ts) == (intent.id, "1700.0002")
    assert store.get_verdict(TEAM, verdict.id).message_ts == "1700.0002"
    with pytest.raises(NotFoundError):
        store.complete_intent("T_OTHER", verdict.id, "parent", "", message_ts="1")
    with pytest.raises(NotFoundError):
        store.complete_intent(TEAM, verdict.id, "thread", "0", message_ts="1")


def test_a_parent_completed_with_its_replies_leased(store: Store) -> None:
    """The parent's ts and its thread replies' intents, leased to its poster, in one step."""
    verdict = make_verdict(store, post_owner="creator")
    store.complete_intent(
        TEAM,
        verdict.id,
        "parent",
        "",
        message_ts="1.1",
        lease_replies=Lease("creator", 30, ("0", "1")),
    )
    pending = store.pending_posts(TEAM)
    assert [(p.kind, p.key, p.lease_owner, p.channel_id) for p in pending] == [
        ("thread", "0", "creator", "C1"),
        ("thread", "1", "creator", "C1"),
    ]
    busy = store.claim_post(
        TEAM, verdict.id, "thread", "C1", revision=1, key="0", owner="recovery", lease_seconds=30
    )
    assert busy.status == "busy"
    assert store.stale_posts(kinds=("thread",), since=verdict.created_at) == ()

    assert store.renew_verdict_posts(TEAM, verdict.id, owner="creator", lease_seconds=0.05)
    assert not store.renew_verdict_posts(TEAM, verdict.id, owner="other", lease_seconds=30)
    store.release_verdict_posts(TEAM, verdict.id, owner="other")  # not theirs: nothing happens
    store.release_verdict_posts(TEAM, verdict.id, owner="creator")
    stale = store.stale_posts(kinds=("parent", "thread"), since=verdict.created_at)
    assert [(p.kind, p.key) for p in stale] == [("thread", "0"), ("thread", "1")]
    assert store.get_verdict(TEAM, verdict.id).message_ts == "1.1"


def test_parent_posted_elsewhere_does_not_move_the_verdict(store: Store) -> None:
    verdict = make_verdict(store, channel_id="C1")
    dm = store.record_post_intent(TEAM, verdict.id, "parent", "D1", revision=1, key="dm")
    store.complete_post(TEAM, dm.id, "5.5")
    assert store.get_verdict(TEAM, verdict.id).message_ts is None


def test_thread_posts_are_keyed(store: Store) -> None:
    verdict = make_verdict(store)
    one = store.record_post_intent(TEAM, verdict.id, "thread", "C1", revision=2, key="2.0")
    two = store.record_post_intent(TEAM, verdict.id, "thread", "C1", revision=3, key="3.0")
    assert one.id != two.id
    store.complete_post(TEAM, one.id, "8.8")
    assert store.get_verdict(TEAM, verdict.id).message_ts is None
    assert store.pending_posts(TEAM) == (two,)
    store.discard_post(TEAM, two.id)
    assert store.pending_posts(TEAM) == ()
    with pytest.raises(NotFoundError):
        store.discard_post(TEAM, two.id)


def test_racing_intents_agree(store: Store) -> None:
    verdict = make_verdict(store)
    start = threading.Barrier(8)

    def intend(_: int) -> int:
        start.wait(timeout=30)
        return store.record_post_intent(TEAM, verdict.id, "note", "C1", revision=1).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert len(set(pool.map(intend, range(8)))) == 1


def test_intent_for_unknown_verdict(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.record_post_intent(TEAM, "nope", "parent", "C1", revision=1)


EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
KINDS = ("parent", "thread")


def test_a_post_lease_is_exclusive_until_it_lapses(store: Store) -> None:
    verdict = make_verdict(store)
    first = store.claim_post(
        TEAM, verdict.id, "parent", "C1", revision=1, owner="a", lease_seconds=30
    )
    assert (first.status, first.tried_before) == ("mine", False)
    assert (
        store.claim_post(
            TEAM, verdict.id, "parent", "C1", revision=1, owner="b", lease_seconds=30
        ).status
        == "busy"
    )
    assert store.stale_posts(kinds=KINDS, since=EPOCH) == ()
    assert store.renew_post(TEAM, verdict.id, "parent", owner="a", lease_seconds=0.05)
    assert not store.renew_post(TEAM, verdict.id, "parent", owner="b", lease_seconds=30)
    time.sleep(0.1)  # the owner died: its lease lapses
    (stale,) = store.stale_posts(kinds=KINDS, since=EPOCH)
    assert stale.id == first.post.id and stale.lease_owner == "a"
    taken = store.claim_post(
        TEAM, verdict.id, "parent", "C1", revision=1, owner="b", lease_seconds=30
    )
    assert (taken.status, taken.tried_before) == ("mine", True)  # a may have posted: look first
    assert not store.renew_post(TEAM, verdict.id, "parent", owner="a", lease_seconds=30)
    store.complete_post(TEAM, taken.post.id, "9.9")
    again = store.claim_post(
        TEAM, verdict.id, "parent", "C1", revision=1, owner="c", lease_seconds=30
    )
    assert (again.status, again.post.message_ts) == ("posted", "9.9")


def test_a_released_post_is_stale_at_once_and_recovery_sees_only_some_kinds(
    store: Store,
) -> None:
    verdict = make_verdict(store)
    store.claim_post(
        TEAM, verdict.id, "thread", "C1", revision=1, key="0", owner="a", lease_seconds=30
    )
    store.claim_post(
        TEAM, verdict.id, "refine", "C1", revision=2, key="1.2", owner="a", lease_seconds=30
    )
    store.release_post(TEAM, verdict.id, "thread", "0", owner="b")  # not b's: nothing happens
    assert store.stale_posts(kinds=KINDS, since=EPOCH) == ()
    store.release_post(TEAM, verdict.id, "thread", "0", owner="a")
    store.release_post(TEAM, verdict.id, "refine", "1.2", owner="a")
    assert [p.kind for p in store.stale_posts(kinds=KINDS, since=EPOCH)] == ["thread"]
    assert store.stale_posts(kinds=KINDS, since=datetime.now(UTC) + timedelta(seconds=60)) == ()


def test_a_verdict_stored_with_its_post_leased_to_its_creator(store: Store) -> None:
    answers = Answers(horizon="short")
    verdict = store.create_verdict(
        TEAM,
        channel_id="C1",
        creator_id="U1",
        title="t",
        answers=answers,
        result=result_for(answers),
        post_owner="creator",
        lease_seconds=30,
    )
    (pending,) = store.pending_posts(TEAM)
    assert (pending.kind, pending.lease_owner, pending.message_ts) == ("parent", "creator", None)
    assert (
        store.claim_post(
            TEAM, verdict.id, "parent", "C1", revision=1, owner="recovery", lease_seconds=30
        ).status
        == "busy"
    )
    mine = store.claim_post(
        TEAM, verdict.id, "parent", "C1", revision=1, owner="creator", lease_seconds=30
    )
    assert (mine.status, mine.tried_before) == ("mine", False)  # its own lease: nothing to look for


def test_racing_claims_leave_one_owner(store: Store) -> None:
    verdict = make_verdict(store)
    start = threading.Barrier(8)

    def claim(worker: int) -> str:
        start.wait(timeout=30)
        return store.claim_post(
            TEAM, verdict.id, "parent", "C1", revision=1, owner=f"w{worker}", lease_seconds=30
        ).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(claim, range(8))) == ["busy"] * 7 + ["mine"]


def test_a_revision_is_stored_with_the_posts_it_owes_leased(store: Store) -> None:
    """An edit's message update and note are owed from the moment its revision is stored."""
    verdict = make_verdict(store)
    owed = RevisionPosts(("refresh", "edit"), "editor", 30)
    assert edit(store, verdict.id, set_answers(horizon="multi_year"), owed).applied
    pending = store.pending_posts(TEAM)
    assert [(p.kind, p.key, p.revision, p.lease_owner) for p in pending] == [
        ("refresh", "2", 2, "editor"),
        ("edit", "2", 2, "editor"),
    ]
    assert store.stale_posts(kinds=("refresh", "edit"), since=EPOCH) == ()  # leased to its editor
    store.discard_intent(TEAM, verdict.id, "refresh", "2")
    store.discard_intent(TEAM, verdict.id, "refresh", "2")  # gone already: nothing to do
    assert [p.kind for p in store.pending_posts(TEAM)] == ["edit"]
    store.release_verdict_posts(TEAM, verdict.id, owner="editor")
    assert [p.kind for p in store.stale_posts(kinds=("edit",), since=EPOCH)] == ["edit"]


def test_nothing_is_owed_by_a_revise_that_changes_nothing(store: Store) -> None:
    verdict = make_verdict(store)
    owed = RevisionPosts(("refresh",), "editor", 30)
    assert edit(store, verdict.id, set_answers(), owed).status == "unchanged"
    assert store.pending_posts(TEAM) == ()


def edit(store: Store, verdict_id: str, update: Update, owed: RevisionPosts) -> RevisionOutcome:
    """An edit (modal) of a verdict, owing the posts `owed`."""
    return store.revise(
        TEAM,
        verdict_id,
        actor_id="U2",
        source="button",
        trigger_ts=None,
        update=update,
        owed=owed,
    )
