"""Creating, reading and listing verdicts."""

from __future__ import annotations

from datetime import UTC

import pytest

from bot.core.models import Answers
from bot.store import DuplicateEventError, NotFoundError, Store
from tests.store.helpers import TEAM, make_verdict, result_for


def test_create_then_get_round_trips_every_field(store: Store) -> None:
    answers = Answers(horizon="multi_year", risk="shared", title="Pilot", notes="café ✓")
    created = store.create_verdict(
        TEAM,
        enterprise_id="E1",
        channel_id="C9",
        creator_id="U7",
        title="Pilot",
        counterpart="Acme",
        answers=answers,
        result=result_for(answers),
        source_link="https://example.slack.com/archives/C9/p1",
    )
    loaded = store.get_verdict(TEAM, created.id)
    assert loaded == created
    assert loaded.answers == answers
    assert loaded.verdict == "partnership"
    assert loaded.result["verdict"] == "partnership"
    assert (loaded.revision, loaded.pinned, loaded.deleted, loaded.message_ts) == (
        1,
        False,
        False,
        None,
    )
    assert loaded.created_at.tzinfo is UTC or loaded.created_at.utcoffset() is not None
    assert loaded.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert len(loaded.id) == 12


def test_create_writes_revision_one_from_the_modal(store: Store) -> None:
    verdict = make_verdict(store, answers=Answers(horizon="short"))
    (first,) = store.list_revisions(TEAM, verdict.id)
    assert (first.revision, first.source, first.actor_id) == (1, "modal", "U1")
    assert [(c.dimension, c.old, c.new) for c in first.changes] == [("horizon", None, "short")]


def test_result_without_verdict_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="verdict"):
        store.create_verdict(
            TEAM, channel_id="C1", creator_id="U1", title="x", answers=Answers(), result={}
        )


def test_unknown_id_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get_verdict(TEAM, "nope")
    assert store.find_verdict_by_message(TEAM, "C1", "1.0") is None


def test_find_by_message(store: Store) -> None:
    verdict = make_verdict(store, message_ts="1700000000.000100")
    make_verdict(store, message_ts="1700000000.000200")
    found = store.find_verdict_by_message(TEAM, "C1", "1700000000.000100")
    assert found is not None
    assert found.id == verdict.id
    assert store.find_verdict_by_message(TEAM, "C2", "1700000000.000100") is None


def test_lists_are_newest_first_paged_and_skip_deleted(store: Store) -> None:
    made = [
        make_verdict(store, channel_id="C1" if index % 2 else "C2", creator_id=f"U{index % 3}")
        for index in range(7)
    ]
    store.mark_deleted(TEAM, made[3].id)
    alive = [verdict for verdict in reversed(made) if verdict.id != made[3].id]

    seen: list[str] = []
    before = None
    while True:
        page = store.list_by_team(TEAM, limit=2, before=before)
        seen += [verdict.id for verdict in page.items]
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == [verdict.id for verdict in alive]

    by_channel = store.list_by_channel(TEAM, "C1", limit=100).items
    assert [v.id for v in by_channel] == [v.id for v in alive if v.channel_id == "C1"]
    by_creator = store.list_by_creator(TEAM, "U0", limit=100).items
    assert [v.id for v in by_creator] == [v.id for v in alive if v.creator_id == "U0"]


def test_cursor_is_stable_when_newer_verdicts_arrive(store: Store) -> None:
    older = [make_verdict(store) for _ in range(3)]
    first = store.list_by_team(TEAM, limit=2)
    make_verdict(store)  # arrives between two page loads
    second = store.list_by_team(TEAM, limit=2, before=first.next_before)
    assert [v.id for v in first.items + second.items] == [v.id for v in reversed(older)]
    assert second.next_before is None


@pytest.mark.parametrize("cursor", ["junk", "2026-01-01T00:00:00~", "2026-01-01T00:00:00~x"])
def test_bad_cursor_or_limit_is_a_value_error(store: Store, cursor: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        store.list_by_team(TEAM, before=cursor)
    with pytest.raises(ValueError, match="limit"):
        store.list_by_team(TEAM, limit=0)


def test_pin_and_delete_flags(store: Store) -> None:
    verdict = make_verdict(store)
    pinned = store.set_pinned(TEAM, verdict.id, True)
    assert pinned.pinned
    assert pinned.revision == 1
    assert pinned.updated_at >= verdict.updated_at
    assert not store.set_pinned(TEAM, verdict.id, False).pinned
    deleted = store.mark_deleted(TEAM, verdict.id)
    assert deleted.deleted
    assert store.get_verdict(TEAM, verdict.id).deleted  # kept as a record
    with pytest.raises(NotFoundError):
        store.set_pinned(TEAM, "nope", True)


def test_a_verdict_made_once_per_event(store: Store) -> None:
    """The event creating a verdict is stored with it; a replay raises and writes nothing."""

    def create(team_id: str = TEAM) -> str:
        return make_verdict(store, team_id, once_key="view_submission:V1", post_owner="creator").id

    first = create()
    with pytest.raises(DuplicateEventError):
        create()
    assert [v.id for v in store.list_by_team(TEAM).items] == [first]
    assert [p.verdict_id for p in store.pending_posts(TEAM)] == [first]
    assert store.claim_event(TEAM, "view_submission:V1", owner="x").status == "done"
    create("T_OTHER")  # the same key in another workspace is another event
    assert len(store.list_by_team("T_OTHER").items) == 1
