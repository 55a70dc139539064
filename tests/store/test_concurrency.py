"""Twenty refinements racing on one verdict all land, in order, none lost."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import Store, open_store
from tests.store import workers
from tests.store.helpers import TEAM, append_note, make_verdict

WRITERS = 20


def assert_every_change_landed(store: Store, verdict_id: str, tokens: list[str]) -> None:
    """Revisions 1..21, each appending exactly one token to what the previous one left."""
    record = store.get_verdict(TEAM, verdict_id)
    history = store.list_revisions(TEAM, verdict_id)
    assert record.revision == WRITERS + 1
    assert [revision.revision for revision in history] == list(range(1, WRITERS + 2))
    assert sorted((record.answers.notes or "").split()) == sorted(tokens)
    for previous, revision in itertools.pairwise(history):
        (change,) = revision.changes
        assert change.dimension == "notes"
        assert change.old == previous.answers.notes  # built on the latest state: no lost update
        assert change.new == revision.answers.notes
        assert revision.trigger_ts is not None
        assert (change.new or "").split()[-1] == revision.trigger_ts


def test_twenty_threads_refine_one_verdict(store: Store) -> None:
    verdict = make_verdict(store)
    tokens = [f"t{index:02d}" for index in range(WRITERS)]
    start = threading.Barrier(WRITERS)

    def refine(token: str) -> str:
        start.wait(timeout=30)
        outcome = store.revise(
            TEAM,
            verdict.id,
            actor_id=f"U{token}",
            source="thread",
            trigger_ts=token,
            update=append_note(token),
        )
        return outcome.status

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = list(pool.map(refine, tokens))

    assert statuses == ["applied"] * WRITERS
    assert_every_change_landed(store, verdict.id, tokens)


@pytest.mark.slow
def test_twenty_processes_refine_one_verdict(db_url: str) -> None:
    """Separate processes, each with its own store (spawned: nothing shared but the database)."""
    context = multiprocessing.get_context("spawn")
    with open_store(db_url) as store:
        verdict = make_verdict(store)
    tokens = [f"p{index:02d}" for index in range(WRITERS)]
    barrier = context.Barrier(WRITERS)
    processes = [
        context.Process(target=workers.refine, args=(db_url, verdict.id, token, barrier))
        for token in tokens
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=90)
    exit_codes = [process.exitcode for process in processes]
    for process in processes:
        process.close()

    assert exit_codes == [0] * WRITERS
    with open_store(db_url) as store:
        assert_every_change_landed(store, verdict.id, tokens)
