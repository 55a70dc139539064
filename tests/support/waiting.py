"""Waiting for what the app does after it acks: poll until something observable holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def eventually(check: Callable[[], object], timeout: float = 5.0) -> object:
    """Poll until `check()` is truthy (the app works after it acks); its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `check()` until it is truthy; its value (AssertionError naming `what` if never)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f}s for {what}")
        time.sleep(0.05)
