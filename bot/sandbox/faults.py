"""Faults a test injects into Web API calls: 429s, 5xx, delays, dropped and held calls."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["ratelimited", "server_error", "delay", "drop", "hold"]
HoldOutcome = Literal["release", "drop", "apply_then_drop"]
ANY_METHOD = "*"


class Hold:
    """One Web API call kept unanswered until the test decides what happens to it."""

    def __init__(self, method: str) -> None:
        self.method = method
        self._arrived = threading.Event()
        self._decided = threading.Event()
        self._outcome: HoldOutcome = "release"
        self.args: dict[str, Any] = {}

    @property
    def held(self) -> bool:
        """True once a call arrived and waits for a decision."""
        return self._arrived.is_set() and not self._decided.is_set()

    def wait(self, timeout: float = 5.0) -> dict[str, Any]:
        """Block until the call arrives; return its arguments (TimeoutError if it never does)."""
        if not self._arrived.wait(timeout):
            raise TimeoutError(f"no {self.method} call arrived within {timeout}s")
        return self.args

    def release(self) -> None:
        """Let the call proceed and be answered normally."""
        self._decide("release")

    def drop(self, *, apply: bool = False) -> None:
        """Close the connection without an answer; with `apply`, after the change is made."""
        self._decide("apply_then_drop" if apply else "drop")

    def _decide(self, outcome: HoldOutcome) -> None:
        self._outcome = outcome
        self._decided.set()

    def arrive(self, args: dict[str, Any]) -> HoldOutcome:
        """Called by the server thread: park until the test decides; return the decision."""
        self.args = args
        self._arrived.set()
        self._decided.wait()
        return self._outcome


@dataclass
class Fault:
    """A rule: the next `times` calls of `method` fail this way (None = every call)."""

    method: str
    kind: FaultKind
    times: int | None = 1
    retry_after: int = 1
    status: int = 500
    seconds: float = 0.0
    after_apply: bool = False
    hold: Hold | None = field(default=None, repr=False)
    hold_answer: bool = False  # a hold that lets the call apply and keeps only its answer


class FaultPlan:
    """The faults waiting to happen, consumed in the order they were added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._holds: list[Hold] = []

    def _add(self, fault: Fault) -> Fault:
        if fault.times is not None and fault.times < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        with self._lock:
            self._faults.append(fault)
        return fault

    def rate_limit(self, method: str, *, times: int | None = 1, retry_after: int = 1) -> Fault:
        """Answer HTTP 429, `Retry-After`, `{"ok": false, "error": "ratelimited"}`."""
        return self._add(Fault(method, "ratelimited", times, retry_after=retry_after))

    def server_error(self, method: str, *, times: int | None = 1, status: int = 500) -> Fault:
        """Answer an HTTP 5xx."""
        if not 500 <= status <= 599:
            raise ValueError("status must be 5xx")
        return self._add(Fault(method, "server_error", times, status=status))

    def delay(self, method: str, seconds: float, *, times: int | None = 1) -> Fault:
        """Wait `seconds` before handling the call."""
        return self._add(Fault(method, "delay", times, seconds=seconds))

    def drop(self, method: str, *, times: int | None = 1, after_apply: bool = False) -> Fault:
        """Close the connection without answering (optionally after making the change)."""
        return self._add(Fault(method, "drop", times, after_apply=after_apply))

    def hold(self, method: str, *, after_apply: bool = False) -> Hold:
        """Keep the next call of `method` unanswered until `Hold.release()` or `Hold.drop()`.

        With `after_apply` the call takes effect first (a post is in the channel, its events
        go out) and only the answer waits: `drop()` then loses the answer, as a network could.
        """
        hold = Hold(method)
        with self._lock:
            self._holds.append(hold)
        self._add(Fault(method, "hold", 1, hold=hold, hold_answer=after_apply))
        return hold

    def take(self, method: str) -> Fault | None:
        """The fault for this call of `method`, if any (consumes one use)."""
        with self._lock:
            for fault in self._faults:
                if fault.method not in (method, ANY_METHOD):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def drop_held(self, *, apply: bool = False) -> None:
        """Close every call held right now without an answer (with `apply`, after applying it)."""
        with self._lock:
            holds = [hold for hold in self._holds if hold.held]
        for hold in holds:
            hold.drop(apply=apply)

    def clear(self) -> None:
        """Forget pending faults and release held calls."""
        with self._lock:
            self._faults.clear()
            holds, self._holds = self._holds, []
        for hold in holds:
            hold.release()
