"""Leases on shared work, renewed while this process works, so they lapse only when it dies."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


class LeaseKeeper:
    """Renews every lease this process holds, every third of the lease, from one thread."""

    def __init__(self, seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        if seconds <= 0:
            raise ValueError("a lease must last some time")
        self.seconds = seconds
        self._held: dict[int, Held] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @contextmanager
    def keep(self, renew: Callable[[], bool]) -> Iterator[Held]:
        """Keep a lease (renewed by calling `renew`) for as long as the block runs."""
        held = Held(renew)
        with self._lock:
            token = self._next
            self._next += 1
            self._held[token] = held
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)
                self._thread.start()
        try:
            yield held
        finally:
            with self._lock:
                del self._held[token]

    def _run(self) -> None:
        """Renew what is held until nothing is; a later `keep` starts a new thread."""
        while True:
            time.sleep(self.seconds / 3)
            with self._lock:
                if not self._held:
                    self._thread = None
                    return
                current = list(self._held.values())
            for held in current:
                try:
                    if not held.renew():
                        held.lost = True
                        logger.warning("a lease was taken over by another process")
                except StoreError as error:
                    logger.warning("could not renew a lease: %s", error)
