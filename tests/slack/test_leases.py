"""The lease keeper renews while work runs, stops with the last release, and notices takeovers."""

from __future__ import annotations

import threading
import time

from bot.slack.leases import LeaseKeeper


def _keepers() -> list[threading.Thread]:
    """The lease-keeper threads alive now."""
    return [t for t in threading.enumerate() if t.name == "lease-keeper" and t.is_alive()]


def test_a_lease_is_renewed_while_held_and_never_after() -> None:
    before = _keepers()
    keeper = LeaseKeeper(0.15)  # renewed every 0.05 s
    renewals: list[float] = []

    def renew() -> bool:
        renewals.append(time.monotonic())
        return True

    with keeper.keep(renew) as held:
        time.sleep(0.4)
    count = len(renewals)
    assert count >= 3
    assert not held.lost
    assert _keepers() == before  # the last release joined the thread: nothing renews now
    assert len(renewals) == count


def test_a_lease_taken_over_is_marked_lost() -> None:
    keeper = LeaseKeeper(0.15)
    with keeper.keep(lambda: False) as held:
        deadline = time.monotonic() + 5
        while not held.lost and time.monotonic() < deadline:
            time.sleep(0.01)
        assert held.lost


def test_overlapping_holds_share_one_thread_until_the_last_ends() -> None:
    before = _keepers()
    keeper = LeaseKeeper(0.15)
    first: list[int] = []
    second: list[int] = []
    with keeper.keep(lambda: first.append(1) is None):
        with keeper.keep(lambda: second.append(1) is None):
            time.sleep(0.2)
            assert len(_keepers()) == len(before) + 1
        after_second = len(second)
        rounds = len(first)
        deadline = time.monotonic() + 5
        while len(first) < max(4, rounds + 2) and time.monotonic() < deadline:
            time.sleep(0.01)  # two more rounds of the keeper thread since the second ended
        assert len(first) >= max(4, rounds + 2)
        assert len(second) == after_second
    assert _keepers() == before
