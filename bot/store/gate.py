"""SQLite's single writer, queued: threads in arrival order, processes on a file lock.

Without it, writers that find the database locked wait in SQLite's busy handler, which sleeps
in growing steps (1, 2, 5, 10 … 100 ms) and lets late comers overtake: fine for correctness,
poor for tail latency. The gate makes writers wait on primitives that wake them at once.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from types import TracebackType
from typing import Final

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: other processes use the busy handler
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX: Final = "-writer.lock"


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


class WriteGate:
    """Held around each SQLite write transaction of this store."""

    def __init__(self, database_path: str) -> None:
        self._threads = FifoLock()
        self._lock_path = database_path + LOCK_SUFFIX
        self._descriptor: int | None = None
        self._pid = os.getpid()

    def __enter__(self) -> None:
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

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if fcntl is not None and self._descriptor is not None:
                fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            self._threads.release()

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
