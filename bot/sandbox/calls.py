"""The record of every Web API call the stand-in answered, with query and wait helpers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ApiCall:
    """One Web API call: what was asked (tokens left out) and what the stand-in answered."""

    seq: int
    method: str
    args: dict[str, Any]
    team_id: str | None
    token_kind: str | None
    status: int
    response: dict[str, Any] | None
    started: float
    elapsed: float
    fault: str | None = None
    documented: bool = True

    @property
    def ok(self) -> bool:
        """True when the call succeeded (HTTP 200 and `"ok": true`)."""
        return self.status == 200 and bool(self.response and self.response.get("ok"))

    @property
    def error(self) -> str | None:
        """The `error` code of a failed call."""
        return None if self.response is None else self.response.get("error")


class CallLog:
    """Thread-safe list of ApiCall with filters and blocking waits."""

    def __init__(self) -> None:
        self._calls: list[ApiCall] = []
        self._cond = threading.Condition()

    def add(self, call: ApiCall) -> ApiCall:
        """Record a call (numbering it) and wake waiters."""
        with self._cond:
            call = replace(call, seq=len(self._calls) + 1)
            self._calls.append(call)
            self._cond.notify_all()
        return call

    def select(
        self,
        method: str | None = None,
        *,
        team_id: str | None = None,
        ok: bool | None = None,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> list[ApiCall]:
        """Calls matching every given filter, in the order they were answered."""
        with self._cond:
            calls = list(self._calls)
        return [
            c
            for c in calls
            if (method is None or c.method == method)
            and (team_id is None or c.team_id == team_id)
            and (ok is None or c.ok == ok)
            and (where is None or where(c))
        ]

    def wait_for(
        self,
        method: str | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
        team_id: str | None = None,
        ok: bool | None = None,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> list[ApiCall]:
        """Block until `count` matching calls exist; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self.select(method, team_id=team_id, ok=ok, where=where)
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self._calls]
                    wanted = f"{count} x {method or 'any call'}"
                    raise TimeoutError(f"waited {timeout}s for {wanted}; calls so far: {seen}")
                self._cond.wait(remaining)

    def after(self, seen: int, timeout: float = 5.0) -> list[ApiCall]:
        """The calls after the first `seen`, waiting up to `timeout` for one ([] if none came)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._calls) <= seen:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)
            return self._calls[seen:]

    def clear(self) -> None:
        """Forget every recorded call."""
        with self._cond:
            self._calls.clear()
