"""A writer killed with SIGKILL inside its transaction leaves no half revision behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from bot.store import open_store
from tests.store import workers
from tests.store.helpers import TEAM, append_note, make_verdict

KILLS = 10

# Children fork from a server that already imported the store: fast and without the parent's
# engines or threads.
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["tests.store.workers"])


def wait_for(path: Path, timeout: float = 30.0) -> None:
    """Block until the child says it is inside its transaction."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"child never reached {path.name}")
        time.sleep(0.005)


@pytest.mark.slow
def test_sigkill_inside_revision_leaves_data_intact(db_url: str, tmp_path: Path) -> None:
    with open_store(db_url) as store:
        verdict = make_verdict(store)
        store.revise(
            TEAM,
            verdict.id,
            actor_id="U2",
            source="thread",
            trigger_ts="1",
            update=append_note("a"),
        )
        before = store.get_verdict(TEAM, verdict.id)
        history_before = store.list_revisions(TEAM, verdict.id)

    # Where the writer is held: in its update callback, or with every row written but before
    # the commit; on SQLite also between the history row and the verdict row (on PostgreSQL
    # both are one statement).
    places = ["callback", "before_commit"] + (
        ["after_insert"] if db_url.startswith("sqlite") else []
    )
    for attempt in range(KILLS):
        where = places[attempt % len(places)]
        ready = tmp_path / f"ready-{attempt}"
        child = _context.Process(
            target=workers.revise_and_hang, args=(db_url, verdict.id, str(ready), where)
        )
        child.start()
        try:
            wait_for(ready)
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
            child.join(timeout=30)
            assert child.exitcode == -signal.SIGKILL
        finally:
            if child.is_alive():
                child.kill()
                child.join()
            child.close()

    with open_store(db_url) as store:
        assert store.get_verdict(TEAM, verdict.id) == before
        assert store.list_revisions(TEAM, verdict.id) == history_before
        # The lock died with the writer: the next revision goes through at once.
        outcome = store.revise(
            TEAM,
            verdict.id,
            actor_id="U3",
            source="thread",
            trigger_ts="2",
            update=append_note("b"),
        )
        assert outcome.applied
        assert outcome.verdict.revision == before.revision + 1
