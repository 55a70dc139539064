"""SQLite writers queue in arrival order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bot.store.gate import FifoLock, WriteGate


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
