"""Event claims: a retry of finished work is told so, half-finished work resumes exactly once."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.core.models import Answers
from bot.store import EventNotOwnedError, Store, open_store
from tests.store import workers
from tests.store.helpers import OTHER_TEAM, TEAM, append_note, make_verdict, result_for

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["tests.store.workers"])


def test_claim_lifecycle(store: Store) -> None:
    first = store.claim_event(TEAM, "ev1", owner="a", lease_seconds=30)
    assert (first.status, first.stage, first.owned) == ("new", "received", True)
    assert store.claim_event(TEAM, "ev1", owner="b", lease_seconds=30).status == "busy"
    store.advance_event(TEAM, "ev1", "applied", owner="a")
    store.advance_event(TEAM, "ev1", "answered", owner="a")
    retry = store.claim_event(TEAM, "ev1", owner="b", lease_seconds=30)
    assert (retry.status, retry.stage, retry.owned) == ("done", "answered", False)


def test_expired_lease_resumes_at_the_stage_reached(store: Store) -> None:
    verdict = make_verdict(store)
    store.claim_event(TEAM, "ev2", owner="dead", lease_seconds=0.05)
    store.revise(
        TEAM,
        verdict.id,
        actor_id="U1",
        source="thread",
        trigger_ts="ev2",
        update=append_note("x"),
        event_key="ev2",
    )
    time.sleep(0.1)
    resumed = store.claim_event(TEAM, "ev2", owner="next", lease_seconds=30)
    assert (resumed.status, resumed.stage, resumed.verdict_id) == ("resume", "applied", verdict.id)
    assert store.claim_event(TEAM, "ev2", owner="third", lease_seconds=30).status == "busy"
    with pytest.raises(EventNotOwnedError):
        store.advance_event(TEAM, "ev2", "answered", owner="dead")
    store.advance_event(TEAM, "ev2", "answered", owner="next")
    assert store.claim_event(TEAM, "ev2", owner="dead", lease_seconds=30).status == "done"


def test_advance_never_goes_back_and_is_idempotent(store: Store) -> None:
    store.claim_event(TEAM, "ev3", owner="a", lease_seconds=30)
    store.advance_event(TEAM, "ev3", "answered", owner="a")
    store.advance_event(TEAM, "ev3", "applied", owner="a")  # no-op, not an error
    assert store.claim_event(TEAM, "ev3", owner="a", lease_seconds=30).status == "done"
    with pytest.raises(EventNotOwnedError):
        store.advance_event(TEAM, "never-claimed", "applied", owner="a")


def test_revise_marks_the_event_applied_in_the_same_commit(store: Store) -> None:
    verdict = make_verdict(store)
    store.claim_event(TEAM, "ev4", owner="a", lease_seconds=0)

    def boom(_: object) -> None:
        raise RuntimeError("classifier crashed")

    with pytest.raises(RuntimeError):
        store.revise(
            TEAM,
            verdict.id,
            actor_id="U1",
            source="thread",
            trigger_ts="4",
            update=boom,
            event_key="ev4",
        )
    assert store.claim_event(TEAM, "ev4", owner="b", lease_seconds=30).stage == "received"


def test_same_key_in_two_teams_is_two_events(store: Store) -> None:
    assert store.claim_event(TEAM, "shared", owner="a").status == "new"
    assert store.claim_event(OTHER_TEAM, "shared", owner="b").status == "new"


def test_insert_race_has_one_winner(store: Store) -> None:
    contenders = 12
    start = threading.Barrier(contenders)

    def claim(index: int) -> str:
        start.wait(timeout=30)
        return store.claim_event(TEAM, "race", owner=f"o{index}", lease_seconds=30).status

    with ThreadPoolExecutor(max_workers=contenders) as pool:
        statuses = sorted(pool.map(claim, range(contenders)))
    assert statuses == ["busy"] * (contenders - 1) + ["new"]


def run(target: object, *args: object) -> int | None:
    """Run a worker in its own process; its exit code."""
    process = _context.Process(target=target, args=args)  # type: ignore[arg-type]
    process.start()
    process.join(timeout=60)
    code = process.exitcode
    process.close()
    return code


@pytest.mark.slow
def test_two_processes_one_claim(db_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run(workers.claim_only, db_url, "ev-p", "proc-1", str(first)) == 0
    assert run(workers.claim_only, db_url, "ev-p", "proc-2", str(second)) == 0
    assert first.read_text() == "new received"
    assert second.read_text() == "busy received"


@pytest.mark.slow
@pytest.mark.parametrize("stop_after", ["received", "applied"])
def test_dead_handler_is_finished_exactly_once(
    db_url: str, tmp_path: Path, stop_after: str
) -> None:
    with open_store(db_url) as store:
        verdict = make_verdict(store)
    key = f"ev-{stop_after}"
    code = run(workers.die_half_way, db_url, verdict.id, key, stop_after)
    assert code is not None
    assert code < 0  # killed itself before answering
    time.sleep(0.6)  # its lease (0.5 s) runs out

    contenders = 3
    barrier = _context.Barrier(contenders)
    outs = [tmp_path / f"out-{index}" for index in range(contenders)]
    processes = [
        _context.Process(
            target=workers.claim_and_finish,
            args=(db_url, verdict.id, key, barrier),
            kwargs={"out": str(out), "owner": f"next-{index}"},
        )
        for index, out in enumerate(outs)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
        process.close()
    results = [out.read_text() for out in outs]
    resumed = [result for result in results if result.startswith("resume")]
    assert resumed == [f"resume {stop_after}"]
    assert all(result.startswith(("busy", "done")) for result in results if result not in resumed)

    with open_store(db_url) as store:
        record = store.get_verdict(TEAM, verdict.id)
        assert record.revision == 2  # applied once, whoever did it
        assert (record.answers.notes or "").split() == [key]
        assert store.claim_event(TEAM, key, owner="late", lease_seconds=30).status == "done"


def test_create_marks_its_event_applied_with_the_new_verdict(store: Store) -> None:
    store.claim_event(TEAM, "view-1", owner="dead", lease_seconds=0)
    verdict = store.create_verdict(
        TEAM,
        channel_id="C1",
        creator_id="U1",
        title="From the modal",
        answers=Answers(horizon="short"),
        result=result_for(Answers(horizon="short")),
        event_key="view-1",
    )
    resumed = store.claim_event(TEAM, "view-1", owner="next", lease_seconds=30)
    assert (resumed.status, resumed.stage, resumed.verdict_id) == ("resume", "applied", verdict.id)


def test_an_unanswered_event_keeps_its_payload_for_recovery(store: Store) -> None:
    since = datetime(2000, 1, 1, tzinfo=UTC)
    reply = {"text": "horizon: open_ended", "ts": "5.5"}
    store.claim_event(TEAM, "ev-p", owner="a", lease_seconds=30, payload=reply)
    store.claim_event(TEAM, "ev-none", owner="a", lease_seconds=0.01)  # no payload: not ours
    assert store.stale_events(since=since) == ()
    assert store.renew_event(TEAM, "ev-p", owner="a", lease_seconds=0.05)
    assert not store.renew_event(TEAM, "ev-p", owner="b", lease_seconds=30)
    time.sleep(0.1)  # the owner died
    (stale,) = store.stale_events(since=since)
    assert (stale.event_key, stale.stage, dict(stale.payload)) == ("ev-p", "received", reply)
    resumed = store.claim_event(TEAM, "ev-p", owner="b", lease_seconds=30)
    assert resumed.status == "resume"
    assert store.stale_events(since=since) == ()
    store.release_event(TEAM, "ev-p", owner="b")  # b failed: at once recoverable again
    assert [e.event_key for e in store.stale_events(since=since)] == ["ev-p"]
    store.claim_event(TEAM, "ev-p", owner="c", lease_seconds=30)
    store.advance_event(TEAM, "ev-p", "answered", owner="c")
    store.release_event(TEAM, "ev-p", owner="c")
    assert store.stale_events(since=since) == ()
    with store.engine.connect() as connection:  # answered: the reply's text is not kept
        kept = connection.execute(
            text("SELECT payload IS NULL FROM rb_events WHERE event_key = 'ev-p'")
        ).scalar_one()
    assert kept
