"""Leases on shared work, renewed while this process works, so they lapse only when it dies."""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from bot.store import StoreError

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS: Final = 30.0


def new_owner() -> str:
    """An owner id for one attempt at some work: host, process, and a random part."""
    return f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex}"


@dataclass
class Held:
    """One lease being kept; `lost` turns true if another owner took the work over."""

    renew: Callable[[], bool]
    lost: bool = False
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def renew_unless_done(self) -> None:
        """Renew, unless the work ended (a renewal then could undo its release)."""
        with self.lock:
            if not self.done and not self.renew():
                self.lost = True
                logger.warning("a lease was taken over by another process")


class LeaseKeeper:
    """Renews every lease this process holds, every third of the lease, from one thread.

    The thread runs only while something is held: the last release stops and joins it.
    """

    def __init__(self, seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        if seconds <= 0:
            raise ValueError("a lease must last some time")
        self.seconds = seconds
        self._held: dict[int, Held] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._running: tuple[threading.Thread, threading.Event] | None = None

    @contextmanager
    def keep(self, renew: Callable[[], bool]) -> Iterator[Held]:
        """Keep a lease (renewed by calling `renew`) for as long as the block runs."""
        held = Held(renew)
        with self._lock:
            token = self._next
            self._next += 1
            self._held[token] = held
            if self._running is None:
                stop = threading.Event()
                thread = threading.Thread(
                    target=self._run, args=(stop,), name="lease-keeper", daemon=True
                )
                thread.start()
                self._running = (thread, stop)
        try:
            yield held
        finally:
            with held.lock:  # waits for a renewal under way: none follows
                held.done = True
            with self._lock:
                del self._held[token]
                finished = self._running if not self._held else None
                if finished is not None:
                    self._running = None
            if finished is not None:
                thread, stop = finished
                stop.set()
                thread.join()

    def _run(self, stop: threading.Event) -> None:
        """Renew what is held until stopped."""
        while not stop.wait(self.seconds / 3):
            with self._lock:
                current = list(self._held.values())
            for held in current:
                try:
                    held.renew_unless_done()
                except StoreError as error:
                    logger.warning("could not renew a lease: %s", error)
