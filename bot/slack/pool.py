"""The listener threads: Bolt's executor, counting the work in hand so it can be waited for."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class ListenerPool(ThreadPoolExecutor):
    """A thread pool that knows when nothing it was given is queued or running."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._busy = 0
        self._submitted = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue `fn`, counted until it returns."""
        with self._changed:
            self._busy += 1
            self._submitted += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._changed:
            self._busy -= 1
            self._changed.notify_all()

    @property
    def busy(self) -> int:
        """How many submitted calls are queued or running."""
        with self._changed:
            return self._busy

    @property
    def submitted(self) -> int:
        """How many calls were ever submitted."""
        with self._changed:
            return self._submitted

    def wait_idle(self, timeout: float) -> bool:
        """Block until no call is queued or running; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._busy == 0, timeout)
