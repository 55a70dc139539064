"""Tests marked `alone` run with no other test running in any xdist worker.

Their point is a deadline under their own load (Slack's 3-second ack), which four workers
sharing two cores would otherwise break at random. A readers-writer lock on one file per test
run: every other test holds it shared while it runs; a module marked `alone` holds it
exclusively from its first fixture to its last test. A turnstile lets the exclusive holder in
ahead of tests that arrive while it waits.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _lock_path(name: str) -> Path:
    """A lock file shared by the workers of this test run (one run id for all of them)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"
    return Path(tempfile.gettempdir()) / f"rb-tests-{run}-{name}.lock"


@contextmanager
def _locked(name: str, mode: int) -> Iterator[IO[bytes]]:
    with _lock_path(name).open("ab") as handle:
        fcntl.flock(handle, mode)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def beside_others() -> Iterator[None]:
    """Run while no `alone` module runs (shared with every other ordinary test)."""
    with _locked("turnstile", fcntl.LOCK_EX):
        pass  # wait behind an `alone` module that is waiting for the room
    with _locked("room", fcntl.LOCK_SH):
        yield


@contextmanager
def alone() -> Iterator[None]:
    """Run once every ordinary test has finished, and keep the others waiting meanwhile."""
    with _locked("turnstile", fcntl.LOCK_EX), _locked("room", fcntl.LOCK_EX):
        yield
