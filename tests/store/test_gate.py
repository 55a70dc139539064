"""SQLite writers queue in arrival order, and long waits for the writer are reported."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from bot.store.gate import FifoLock, SlowWaits, WriteGate


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_fifo_lock_serves_threads_in_arrival_order() -> None:
    lock = FifoLock()
    order: list[int] = []
    lock.acquire()

    def take(index: int) -> None:
        lock.acquire()
        order.append(index)
        lock.release()

    threads = []
    for index in range(6):
        thread = threading.Thread(target=take, args=(index,))
        thread.start()
        threads.append(thread)
        wait_until(lambda count=index + 1: len(lock._waiters) == count)
    lock.release()
    for thread in threads:
        thread.join(timeout=10)
    assert order == list(range(6))


def test_write_gate_excludes_and_cleans_up(tmp_path: Path) -> None:
    gate = WriteGate(str(tmp_path / "bot.db"))
    inside = 0
    most = 0
    guard = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        for _ in range(50):
            with gate:
                with guard:
                    inside += 1
                    most = max(most, inside)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    gate.close()
    assert most == 1
    assert (tmp_path / "bot.db-writer.lock").exists()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def advice(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.store.gate"]


def test_slow_waits_are_reported_at_most_once_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    slow = SlowWaits(threshold=0.5, every=60.0, clock=clock)
    with caplog.at_level(logging.WARNING, logger="bot.store.gate"):
        slow.note(0.2)  # quick enough: nothing to say
        assert advice(caplog) == []
        slow.note(0.75)  # the first slow wait is said at once
        assert len(advice(caplog)) == 1
        assert "1 waited 500 ms or more" in advice(caplog)[0]
        assert "the longest 750 ms" in advice(caplog)[0]
        assert "PostgreSQL" in advice(caplog)[0]
        clock.now += 30
        slow.note(0.6)
        slow.note(1.2)
        assert len(advice(caplog)) == 1  # held back: said a minute after the last time
        clock.now += 30
        slow.note(0.5)
    messages = advice(caplog)
    assert len(messages) == 2
    assert "3 waited 500 ms or more" in messages[1]
    assert "the longest 1200 ms" in messages[1]


def test_a_writer_kept_waiting_by_another_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    gate = WriteGate(str(tmp_path / "bot.db"), SlowWaits(threshold=0.1))
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with gate:
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    timer = threading.Timer(0.3, release.set)
    timer.start()
    with caplog.at_level(logging.WARNING, logger="bot.store.gate"):
        with gate:  # waits ~0.3 s for the holder
            pass
        with gate:  # no wait: nothing more to say
            pass
    holder.join(10)
    timer.join(10)
    gate.close()
    messages = advice(caplog)
    assert len(messages) == 1
    assert messages[0].startswith("SQLite writes are queueing: 1 waited 100 ms or more")
