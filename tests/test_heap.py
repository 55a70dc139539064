"""bot.heap.settle: what is alive at start-up is frozen out of the collector's walks."""

from __future__ import annotations

import gc

from bot.heap import settle


def test_settle_freezes_what_is_alive_and_leaves_garbage_collected() -> None:
    built = [{"rule": n} for n in range(1000)]  # long-lived start-up objects
    cycle: list[object] = []
    cycle.append(cycle)  # garbage that only the collector can free
    del cycle
    try:
        settle()
        assert gc.get_freeze_count() >= len(built)
        assert gc.get_count()[0] < 10  # the collection ran: nothing young left to walk
        assert gc.collect() == 0  # the cycle was collected before the freeze
    finally:
        gc.unfreeze()  # leave the test process as it was
