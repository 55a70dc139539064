"""The store's errors: one base class the Slack layer can catch, and what went wrong."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class NotFoundError(StoreError):
    """No such record in this workspace (it may exist in another one: that is not told)."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached, or stayed busy for longer than the busy timeout."""


class EventNotOwnedError(StoreError):
    """An event's lease belongs to another owner (or the event was never claimed)."""


class DuplicateEventError(StoreError):
    """The event was handled before: this is a replay, and nothing of it was written."""


class InvalidUrlError(StoreError):
    """DATABASE_URL names a database the store does not support."""
