"""Revising a verdict, idempotency by trigger ts, and undo."""

from __future__ import annotations

import pytest

from bot.core.models import Answers
from bot.store import NotFoundError, Store
from tests.store.helpers import TEAM, make_verdict, result_for, set_answers


def test_revise_applies_and_records_who_when_what(store: Store) -> None:
    verdict = make_verdict(store)
    outcome = store.revise(
        TEAM,
        verdict.id,
        actor_id="U2",
        source="thread",
        trigger_ts="1700.01",
        update=set_answers(risk="shared"),
    )
    assert outcome.applied
    assert outcome.verdict.revision == 2
    assert outcome.verdict.answers.risk == "shared"
    assert outcome.verdict.verdict == "partnership"
    assert outcome.revision is not None
    assert (outcome.revision.actor_id, outcome.revision.source) == ("U2", "thread")
    assert outcome.revision.trigger_ts == "1700.01"
    assert [(c.dimension, c.old, c.new) for c in outcome.revision.changes] == [
        ("risk", None, "shared")
    ]
    assert store.get_verdict(TEAM, verdict.id) == outcome.verdict
    assert store.list_revisions(TEAM, verdict.id)[-1] == outcome.revision


def test_nothing_to_change_writes_nothing(store: Store) -> None:
    verdict = make_verdict(store)
    outcome = store.revise(
        TEAM,
        verdict.id,
        actor_id="U2",
        source="thread",
        trigger_ts="1",
        update=set_answers(horizon="short"),
    )
    assert outcome.status == "unchanged"
    assert store.get_verdict(TEAM, verdict.id) == verdict
    assert len(store.list_revisions(TEAM, verdict.id)) == 1


def test_same_trigger_never_applies_twice(store: Store) -> None:
    verdict = make_verdict(store)
    first = store.revise(
        TEAM,
        verdict.id,
        actor_id="U2",
        source="thread",
        trigger_ts="9.9",
        update=set_answers(risk="own"),
    )
    again = store.revise(
        TEAM,
        verdict.id,
        actor_id="U2",
        source="thread",
        trigger_ts="9.9",
        update=set_answers(risk="shared"),
    )
    assert again.status == "already_applied"
    assert again.revision == first.revision
    assert store.get_verdict(TEAM, verdict.id).answers.risk == "own"


def test_failing_update_rolls_back(store: Store) -> None:
    verdict = make_verdict(store)

    def fail(_: object) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        store.revise(TEAM, verdict.id, actor_id="U2", source="button", trigger_ts=None, update=fail)
    assert store.get_verdict(TEAM, verdict.id) == verdict


def test_title_and_counterpart_follow_the_answers(store: Store) -> None:
    verdict = make_verdict(store)
    outcome = store.revise(
        TEAM,
        verdict.id,
        actor_id="U1",
        source="modal",
        trigger_ts=None,
        update=set_answers(title="Renamed"),
    )
    assert (outcome.verdict.title, outcome.verdict.counterpart) == ("Renamed", "Acme")


def revise(store: Store, verdict_id: str, actor: str, ts: str, **changes: str | None) -> None:
    outcome = store.revise(
        TEAM,
        verdict_id,
        actor_id=actor,
        source="thread",
        trigger_ts=ts,
        update=set_answers(**changes),
    )
    assert outcome.applied


def undo(store: Store, verdict_id: str, ts: str) -> tuple[str, int | None, str | None]:
    outcome = store.revert_last(TEAM, verdict_id, actor_id="UU", trigger_ts=ts, classify=result_for)
    undone = outcome.undone
    return (
        outcome.status,
        None if undone is None else undone.revision,
        None if undone is None else undone.actor_id,
    )


def test_undo_walks_back_through_changes_not_undos(store: Store) -> None:
    verdict = make_verdict(store, answers=Answers(horizon="short"))
    revise(store, verdict.id, "UA", "a", risk="shared")  # r2
    revise(store, verdict.id, "UB", "b", aim="shared_goal")  # r3
    assert undo(store, verdict.id, "u1") == ("applied", 3, "UB")  # r4 restores r2
    current = store.get_verdict(TEAM, verdict.id)
    assert (current.revision, current.answers.aim, current.answers.risk) == (4, None, "shared")
    assert current.verdict == "partnership"
    revise(store, verdict.id, "UC", "c", roles="specified")  # r5
    assert undo(store, verdict.id, "u2") == ("applied", 5, "UC")  # r6
    assert undo(store, verdict.id, "u3") == ("applied", 2, "UA")  # r7 restores r1
    assert store.get_verdict(TEAM, verdict.id).answers == Answers(horizon="short")
    assert undo(store, verdict.id, "u4") == ("nothing_to_undo", None, None)
    history = store.list_revisions(TEAM, verdict.id)
    assert [(r.source, r.undoes) for r in history] == [
        ("modal", None),
        ("thread", None),
        ("thread", None),
        ("undo", 3),
        ("thread", None),
        ("undo", 5),
        ("undo", 2),
    ]
    assert [(c.dimension, c.old, c.new) for c in history[-1].changes] == [("risk", "shared", None)]


def test_undo_at_revision_one_and_repeated_trigger(store: Store) -> None:
    verdict = make_verdict(store)
    assert undo(store, verdict.id, "u0") == ("nothing_to_undo", None, None)
    revise(store, verdict.id, "UA", "a", risk="shared")
    assert undo(store, verdict.id, "u1")[0] == "applied"
    assert undo(store, verdict.id, "u1")[0] == "already_applied"
    assert store.get_verdict(TEAM, verdict.id).revision == 3


def test_get_revision(store: Store) -> None:
    verdict = make_verdict(store, answers=Answers(horizon="short"))
    revise(store, verdict.id, "UA", "a", risk="shared")
    first = store.get_revision(TEAM, verdict.id, 1)
    assert (first.revision, first.answers) == (1, Answers(horizon="short"))
    assert store.get_revision(TEAM, verdict.id, 2).answers.risk == "shared"
    with pytest.raises(NotFoundError):
        store.get_revision(TEAM, verdict.id, 3)


def test_revise_refuses_to_write_an_undo(store: Store) -> None:
    verdict = make_verdict(store)
    with pytest.raises(ValueError, match="revert_last"):
        store.revise(
            TEAM, verdict.id, actor_id="U", source="undo", trigger_ts=None, update=set_answers()
        )
