"""Entry points run in separate processes by the store tests (spawn or forkserver)."""

from __future__ import annotations

import os
import signal
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.store import Revised, VerdictRecord, open_store
from tests.store.helpers import TEAM, append_note

FOREVER = 3600.0


def refine(url: str, verdict_id: str, token: str, barrier: Barrier) -> None:
    """Open a store of its own, wait for the others, then append one token to the notes."""
    with open_store(url, pool_size=1, max_overflow=0) as store:
        barrier.wait(timeout=60)
        outcome = store.revise(
            TEAM,
            verdict_id,
            actor_id=f"U{token}",
            source="thread",
            trigger_ts=token,
            update=append_note(token),
        )
        if not outcome.applied:
            raise SystemExit(f"refinement {token} not applied: {outcome.status}")


def revise_and_hang(url: str, verdict_id: str, ready: str, where: str) -> None:
    """Start a revision and stop inside its transaction (`where`: callback, after_insert
    before the verdict row is updated in its own statement, or before_commit once every row
    of the revision is written)."""
    with open_store(url, pool_size=1, max_overflow=0) as store:
        if where == "after_insert":

            def hang_on_verdict_update(*args: Any) -> None:
                if str(args[2]).lstrip().upper().startswith("UPDATE RB_VERDICTS"):
                    Path(ready).touch()
                    time.sleep(FOREVER)

            event.listen(store.engine, "before_cursor_execute", hang_on_verdict_update)
            update = append_note("half")
        elif where == "before_commit":

            def hang_before_commit(*_args: Any) -> None:
                Path(ready).touch()
                time.sleep(FOREVER)

            event.listen(store.engine, "commit", hang_before_commit)
            update = append_note("half")
        else:

            def update(current: VerdictRecord) -> Revised:
                Path(ready).touch()
                time.sleep(FOREVER)
                raise AssertionError("unreachable")

        store.revise(
            TEAM, verdict_id, actor_id="UK", source="thread", trigger_ts="kill", update=update
        )


def die_half_way(url: str, verdict_id: str, event_key: str, stop_after: str) -> None:
    """Claim an event, apply it (if `stop_after` is applied), then die before answering."""
    with open_store(url, pool_size=1, max_overflow=0) as store:
        claim = store.claim_event(TEAM, event_key, owner=f"dying-{os.getpid()}", lease_seconds=0.5)
        if claim.status != "new":
            raise SystemExit(f"expected a new claim, got {claim.status}")
        if stop_after == "applied":
            store.revise(
                TEAM,
                verdict_id,
                actor_id="U1",
                source="thread",
                trigger_ts=event_key,
                update=append_note(event_key),
                event_key=event_key,
            )
        os.kill(os.getpid(), signal.SIGKILL)


def claim_and_finish(
    url: str, verdict_id: str, event_key: str, barrier: Barrier, *, out: str, owner: str
) -> None:
    """Claim the event (after the others are ready); if owned, finish it; write what happened."""
    with open_store(url, pool_size=1, max_overflow=0) as store:
        barrier.wait(timeout=60)
        claim = store.claim_event(TEAM, event_key, owner=owner, lease_seconds=30)
        if claim.owned:
            if claim.stage == "received":
                store.revise(
                    TEAM,
                    verdict_id,
                    actor_id="U1",
                    source="thread",
                    trigger_ts=event_key,
                    update=append_note(event_key),
                    event_key=event_key,
                )
            store.advance_event(TEAM, event_key, "answered", owner=owner)
        Path(out).write_text(f"{claim.status} {claim.stage}")


def claim_only(url: str, event_key: str, owner: str, out: str) -> None:
    """Claim the event and write the outcome; never finish it."""
    with open_store(url, pool_size=1, max_overflow=0) as store:
        claim = store.claim_event(TEAM, event_key, owner=owner, lease_seconds=30)
        Path(out).write_text(f"{claim.status} {claim.stage}")


def boot(url: str, barrier: Barrier, out: str) -> None:
    """Start like a replica does: open the store (migrating if needed) and read."""
    barrier.wait(timeout=60)
    with open_store(url) as store:
        store.list_by_team(TEAM)
    Path(out).write_text("ok")
