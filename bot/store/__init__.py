"""Persistence: verdicts, revisions, events and installations behind one SQLAlchemy code path.

`open_store(url)` is the way in; every operation of the returned `Store` takes a team id.
A thread reply, handled crash-safely, goes:

    claim = store.claim_event(team, event_id, owner=worker_id)   # done/busy: stop here
    if claim.owned and claim.stage == "received":
        store.revise(team, verdict_id, actor_id=user, source="thread", trigger_ts=reply_ts,
                     update=refine, event_key=event_id)          # marks the event applied
    post = store.record_post_intent(team, verdict_id, "thread", channel, revision=n,
                                    key=reply_ts)                # posted already? skip
    ... chat.postMessage ...
    store.complete_post(team, post.id, ts)
    store.advance_event(team, event_id, "answered", owner=worker_id)
"""

from __future__ import annotations

from bot.store.engine import DEFAULT_URL, Database, build_engine, normalize_url
from bot.store.errors import (
    DuplicateEventError,
    EventNotOwnedError,
    InvalidUrlError,
    NotFoundError,
    StoreError,
    StoreUnavailableError,
)
from bot.store.migrate import upgrade
from bot.store.records import (
    EventClaim,
    Lease,
    Page,
    PendingEvent,
    PostClaim,
    PostRecord,
    Revised,
    RevisionOutcome,
    RevisionPosts,
    RevisionRecord,
    Source,
    Stage,
    VerdictRecord,
    diff_answers,
)
from bot.store.store import Store

__all__ = [
    "DEFAULT_URL",
    "DuplicateEventError",
    "EventClaim",
    "EventNotOwnedError",
    "InvalidUrlError",
    "Lease",
    "NotFoundError",
    "Page",
    "PendingEvent",
    "PostClaim",
    "PostRecord",
    "Revised",
    "RevisionOutcome",
    "RevisionPosts",
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
