"""Persistence: verdicts, revisions, events and installations behind one SQLAlchemy code path.

`open_store(url)` is the way in; every operation of the returned `Store` takes a team id.
"""

from __future__ import annotations

from bot.store.engine import DEFAULT_URL, Database, build_engine, normalize_url
from bot.store.errors import (
    EventNotOwnedError,
    InvalidUrlError,
    NotFoundError,
    StoreError,
    StoreUnavailableError,
)
from bot.store.migrate import upgrade
from bot.store.records import (
    EventClaim,
    Page,
    PostRecord,
    Revised,
    RevisionOutcome,
    RevisionRecord,
    Source,
    Stage,
    VerdictRecord,
    diff_answers,
)
from bot.store.store import Store

__all__ = [
    "DEFAULT_URL",
    "EventClaim",
    "EventNotOwnedError",
    "InvalidUrlError",
    "NotFoundError",
    "Page",
    "PostRecord",
    "Revised",
    "RevisionOutcome",
    "RevisionRecord",
    "Source",
    "Stage",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "VerdictRecord",
    "diff_answers",
    "open_store",
]


def open_store(url: str = DEFAULT_URL, *, pool_size: int = 10, max_overflow: int = 20) -> Store:
    """Connect to DATABASE_URL and bring its schema to head (safe with replicas starting)."""
    db = Database(build_engine(normalize_url(url), pool_size=pool_size, max_overflow=max_overflow))
    try:
        upgrade(db)
    except BaseException:
        db.dispose()
        raise
    return Store(db)
