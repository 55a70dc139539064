"""Pins done by hand in Slack, mirrored: stored pin state and the verdict's Pin/Unpin button.

A pin event says which way a pin went, but events can arrive late, twice or out of order
(a retried `pin_added` after a `pin_removed`), so the state written is what `pins.list`
says now; the event's direction is used only when Slack cannot be asked.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.verdicts import Verdicts
from bot.store import Store, VerdictRecord

logger = logging.getLogger(__name__)


def sync_pin(
    store: Store,
    verdicts: Verdicts,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    message_ts: str,
    pinned: bool,
) -> VerdictRecord | None:
    """Record a verdict message's pin state and refresh its button; None if nothing changed."""
    record = store.find_verdict_by_message(team_id, channel_id, message_ts)
    if record is None or record.deleted:
        return None  # not a verdict message, or one deleted since
    actual = is_pinned(client, channel_id, message_ts)
    now_pinned = pinned if actual is None else actual
    if record.pinned == now_pinned:
        return None  # already known: the bot's own pin, or a retried event
    record = store.set_pinned(team_id, record.id, now_pinned)
    verdicts.refresh(client, record)
    return record


def is_pinned(client: WebClient, channel_id: str, message_ts: str) -> bool | None:
    """Whether Slack has the message pinned now; None when it can't tell us."""
    try:
        items = client.pins_list(channel=channel_id).get("items") or []
    except (SlackApiError, SlackClientError):
        logger.warning("pins.list failed; trusting the pin event's direction")
        return None
    return any(
        isinstance(item, dict) and (item.get("message") or {}).get("ts") == message_ts
        for item in items
    )
