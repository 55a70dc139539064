"""SQLite's single writer, queued: threads in arrival order, processes on a file lock.

Without it, writers that find the database locked wait in SQLite's busy handler, which sleeps
in growing steps (1, 2, 5, 10 … 100 ms) and lets late comers overtake: fine for correctness,
poor for tail latency. The gate makes writers wait on primitives that wake them at once, and
says in the log when they wait long: the sign that the load wants PostgreSQL.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Final

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: other processes use the busy handler
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

LOCK_SUFFIX: Final = "-writer.lock"
# A write that waited this long for the writer delays what a person sees in Slack.
SLOW_WAIT_SECONDS: Final = 0.5
REPORT_EVERY_SECONDS: Final = 60.0
SLOW_WAITS_ADVICE: Final = (
    "SQLite writes are queueing: %d waited %.0f ms or more for its one writer since the last "
    "such warning (the longest %.0f ms). SQLite takes one write at a time; for this load, "
    "set DATABASE_URL to PostgreSQL (see .env.example)."
)


class FifoLock:
    """A lock handed to waiting threads in the order they asked for it."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self) -> None:
        """Take the lock, after every thread that asked before."""
        with self._mutex:
            if not self._held:
                self._held = True
                return
            baton = threading.Lock()
            baton.acquire()
            self._waiters.append(baton)
        baton.acquire()  # released by release(): the lock is now ours

    def release(self) -> None:
        """Hand the lock to the longest waiter, or free it."""
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False


class SlowWaits:
    """Counts waits for the writer past a threshold; logs them at most once per interval."""

    def __init__(
        self,
        threshold: float = SLOW_WAIT_SECONDS,
        every: float = REPORT_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = threshold
        self._every = every
        self._clock = clock
        self._reported_at = -math.inf
        self._count = 0
        self._longest = 0.0
        self._mutex = threading.Lock()

    def note(self, waited: float) -> None:
        """Record one wait (seconds); log the slow ones when the last report is old enough."""
        if waited < self._threshold:
            return
        with self._mutex:
            self._count += 1
            self._longest = max(self._longest, waited)
            now = self._clock()
            if now - self._reported_at < self._every:
                return
            report = (self._count, self._threshold * 1000, self._longest * 1000)
            self._reported_at = now
            self._count = 0
            self._longest = 0.0
        logger.warning(SLOW_WAITS_ADVICE, *report)


class WriteGate:
    """Held around each SQLite write transaction of this store."""

    def __init__(self, database_path: str, slow_waits: SlowWaits | None = None) -> None:
        self._threads = FifoLock()
        self._lock_path = database_path + LOCK_SUFFIX
        self._descriptor: int | None = None
        self._pid = os.getpid()
        self._slow_waits = slow_waits or SlowWaits()
        self._waited = 0.0

    def __enter__(self) -> None:
        asked = time.monotonic()
        self._threads.acquire()
        try:
            if fcntl is not None:
                if self._pid != os.getpid():  # forked: a shared descriptor would not exclude
                    self._forget_descriptor()
                if self._descriptor is None:
                    self._descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        self._waited = time.monotonic() - asked  # ours alone until __exit__ releases the gate

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        waited = self._waited
        try:
            if fcntl is not None and self._descriptor is not None:
                fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            self._threads.release()
        self._slow_waits.note(waited)  # after releasing: a report never holds up other writers

    def close(self) -> None:
        """Close the lock file (the store is being closed)."""
        self._threads.acquire()
        try:
            self._forget_descriptor()
        finally:
            self._threads.release()

    def _forget_descriptor(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None
        self._pid = os.getpid()
