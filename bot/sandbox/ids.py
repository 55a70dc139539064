"""Slack-shaped identifiers, tokens and message timestamps."""

from __future__ import annotations

import secrets
import string
import threading
from collections import defaultdict
from collections.abc import Callable

_ALPHABET = string.digits + string.ascii_uppercase


def _base36(n: int, width: int) -> str:
    digits = []
    while n:
        n, rem = divmod(n, 36)
        digits.append(_ALPHABET[rem])
    return "".join(reversed(digits)).rjust(width, "0")


class IdFactory:
    """Deterministic ids per prefix: T0000001, U0000001, C0000001, ... (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: defaultdict[str, int] = defaultdict(int)

    def next(self, prefix: str, width: int = 8) -> str:
        """The next id with `prefix`, e.g. `next("C")` -> `C00000001`."""
        with self._lock:
            self._counters[prefix] += 1
            return prefix + _base36(self._counters[prefix], width)

    def number(self, name: str) -> int:
        """The next value of a plain counter."""
        with self._lock:
            self._counters[name] += 1
            return self._counters[name]


class TsClock:
    """Message timestamps like Slack's `"1700000000.000100"`, strictly increasing."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._last_us = 0

    def next(self) -> str:
        """A fresh ts, later than every ts issued before."""
        with self._lock:
            now_us = int(self._clock() * 1_000_000)
            self._last_us = max(now_us, self._last_us + 1)
            us = self._last_us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def now(self) -> float:
        """The current time of the stand-in's clock."""
        return self._clock()


def secret_token(prefix: str, *parts: str) -> str:
    """A token such as `xoxb-<team>-<bot>-<random>`."""
    return "-".join((prefix, *parts, secrets.token_hex(12)))


def is_ts(value: str) -> bool:
    """True for a syntactically valid message ts (`digits.digits`)."""
    whole, dot, frac = value.partition(".")
    return bool(dot) and whole.isdigit() and frac.isdigit() and len(frac) == 6
