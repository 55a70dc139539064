"""Crash-safe posting: intent before the post, ts after, retries find the intent."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import NotFoundError, Store
from tests.store.helpers import TEAM, make_verdict


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
