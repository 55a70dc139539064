"""Pins done by hand: `pin_added` / `pin_removed` on a verdict message keep its state true."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.deps import Deps
from bot.slack.pinsync import sync_pin

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire the pin events."""

    @app.event("pin_added")
    def handle_pin_added(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """A message was pinned: if it is a verdict, record it and show Unpin."""
        sync_from_event(deps, client, str(context.team_id), event, pinned=True)

    @app.event("pin_removed")
    def handle_pin_removed(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """A message was unpinned: if it is a verdict, record it and show Pin."""
        sync_from_event(deps, client, str(context.team_id), event, pinned=False)


def pinned_message(event: dict[str, Any]) -> tuple[str, str] | None:
    """The (channel, ts) of the message a pin event is about; None for files and the like."""
    item = event.get("item") or {}
    if item.get("type") != "message":
        return None
    channel = item.get("channel") or event.get("channel_id")
    ts = (item.get("message") or {}).get("ts")
    if not isinstance(channel, str) or not isinstance(ts, str):
        return None
    return channel, ts


def sync_from_event(
    deps: Deps, client: WebClient, team_id: str, event: dict[str, Any], *, pinned: bool
) -> None:
    """Parse the event and hand it to the pin sync."""
    found = pinned_message(event)
    if found is None:
        return
    channel_id, message_ts = found
    sync_pin(
        deps.store,
        deps.verdicts,
        client,
        team_id=team_id,
        channel_id=channel_id,
        message_ts=message_ts,
        pinned=pinned,
    )
