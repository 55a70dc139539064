"""What listeners need, handed to them explicitly (no globals, no environment reads)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.slack.leases import DEFAULT_LEASE_SECONDS, LeaseKeeper
from bot.slack.links import Permalinks
from bot.slack.threads import Threads
from bot.slack.verdicts import Verdicts, today
from bot.store import Store


@dataclass(frozen=True, slots=True)
class Deps:
    """The store, verdict operations, the calendar and the permalink cache."""

    store: Store
    verdicts: Verdicts
    threads: Threads
    today: Callable[[], date] = field(default=today)
    permalinks: Permalinks = field(default_factory=Permalinks)

    @classmethod
    def of(cls, store: Store, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> Deps:
        """Dependencies over one store; work is leased for `lease_seconds` at a time."""
        verdicts = Verdicts(store, LeaseKeeper(lease_seconds))
        return cls(store=store, verdicts=verdicts, threads=Threads(store, verdicts))
