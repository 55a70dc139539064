"""A verdict of workspace A is never returned to, or changed by, workspace B."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.store import NotFoundError, Store, VerdictRecord
from tests.store.helpers import OTHER_TEAM, TEAM, make_verdict, result_for, set_answers


@pytest.fixture
def verdict_of_a(store: Store) -> VerdictRecord:
    """Team A's verdict, posted, with a revision and a pending post; B has one of its own."""
    verdict = make_verdict(store, TEAM, channel_id="C1", creator_id="U1", message_ts="1.0")
    store.revise(
        TEAM,
        verdict.id,
        actor_id="U1",
        source="thread",
        trigger_ts="2.0",
        update=set_answers(risk="own"),
    )
    store.record_post_intent(TEAM, verdict.id, "thread", "C1", revision=2, key="2.0")
    make_verdict(store, OTHER_TEAM, channel_id="C9", creator_id="U9", message_ts="9.0")
    return store.get_verdict(TEAM, verdict.id)


READS_RAISING: dict[str, Callable[[Store, VerdictRecord], Any]] = {
    "get_verdict": lambda s, v: s.get_verdict(OTHER_TEAM, v.id),
    "list_revisions": lambda s, v: s.list_revisions(OTHER_TEAM, v.id),
    "get_revision": lambda s, v: s.get_revision(OTHER_TEAM, v.id, 1),
    "revise": lambda s, v: s.revise(
        OTHER_TEAM, v.id, actor_id="U9", source="thread", trigger_ts="x", update=set_answers()
    ),
    "revert_last": lambda s, v: s.revert_last(
        OTHER_TEAM, v.id, actor_id="U9", trigger_ts="y", classify=result_for
    ),
    "set_pinned": lambda s, v: s.set_pinned(OTHER_TEAM, v.id, True),
    "mark_deleted": lambda s, v: s.mark_deleted(OTHER_TEAM, v.id),
    "record_post_intent": lambda s, v: s.record_post_intent(
        OTHER_TEAM, v.id, "parent", "C1", revision=1
    ),
    "complete_post": lambda s, v: s.complete_post(OTHER_TEAM, s.pending_posts(TEAM)[0].id, "5.0"),
    "discard_post": lambda s, v: s.discard_post(OTHER_TEAM, s.pending_posts(TEAM)[0].id),
}


@pytest.mark.parametrize("operation", READS_RAISING)
def test_by_id_from_another_team_is_not_found(
    store: Store, verdict_of_a: VerdictRecord, operation: str
) -> None:
    with pytest.raises(NotFoundError):
        READS_RAISING[operation](store, verdict_of_a)
    # ...and team A's data is exactly as it was.
    assert store.get_verdict(TEAM, verdict_of_a.id) == verdict_of_a
    assert len(store.pending_posts(TEAM)) == 1


def test_lists_and_lookups_of_another_team_are_empty(
    store: Store, verdict_of_a: VerdictRecord
) -> None:
    assert store.find_verdict_by_message(OTHER_TEAM, "C1", "1.0") is None
    assert store.list_by_channel(OTHER_TEAM, "C1").items == ()
    assert store.list_by_creator(OTHER_TEAM, "U1").items == ()
    assert [v.team_id for v in store.list_by_team(OTHER_TEAM).items] == [OTHER_TEAM]
    assert store.pending_posts(OTHER_TEAM) == ()
    # The same reads for team A do see it.
    assert store.find_verdict_by_message(TEAM, "C1", "1.0") == verdict_of_a
    assert [v.id for v in store.list_by_channel(TEAM, "C1").items] == [verdict_of_a.id]
    assert [v.id for v in store.list_by_creator(TEAM, "U1").items] == [verdict_of_a.id]
    assert [v.id for v in store.list_by_team(TEAM).items] == [verdict_of_a.id]
    assert {p.team_id for p in store.pending_posts(None)} == {TEAM}


def test_cursor_from_one_team_does_not_leak_into_another(
    store: Store, verdict_of_a: VerdictRecord
) -> None:
    page = store.list_by_team(TEAM, limit=1)
    make_verdict(store, TEAM)
    cursor = store.list_by_team(TEAM, limit=1).next_before
    assert cursor is not None
    assert all(v.team_id == OTHER_TEAM for v in store.list_by_team(OTHER_TEAM, before=cursor).items)
    assert page.items == (verdict_of_a,)


def test_events_are_per_team(store: Store, verdict_of_a: VerdictRecord) -> None:
    store.claim_event(TEAM, "ev", owner="a")
    store.advance_event(TEAM, "ev", "answered", owner="a")
    assert store.claim_event(OTHER_TEAM, "ev", owner="b").status == "new"


def test_delete_team_removes_only_that_team(store: Store, verdict_of_a: VerdictRecord) -> None:
    store.claim_event(TEAM, "ev", owner="a")
    store.claim_event(OTHER_TEAM, "ev", owner="b")
    store.delete_team(OTHER_TEAM)
    assert store.get_verdict(TEAM, verdict_of_a.id) == verdict_of_a
    assert len(store.list_revisions(TEAM, verdict_of_a.id)) == 2
    assert len(store.pending_posts(TEAM)) == 1
    assert store.claim_event(TEAM, "ev", owner="c").status == "busy"
    assert store.list_by_team(OTHER_TEAM).items == ()

    store.delete_team(TEAM)
    with pytest.raises(NotFoundError):
        store.get_verdict(TEAM, verdict_of_a.id)
    assert store.pending_posts(None) == ()
    assert store.claim_event(TEAM, "ev", owner="c").status == "new"
