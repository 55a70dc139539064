"""Telling a person what went wrong, privately, without ever raising."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.builders.modal import ModalState
from bot.slack.builders.thread import build_notice

logger = logging.getLogger(__name__)

Person = tuple[str | None, str | None]


def tell_user(
    client: WebClient,
    user_id: str,
    text: str,
    channel_id: str | None = None,
    *,
    thread_ts: str | None = None,
) -> None:
    """An ephemeral notice in the channel (or thread), or a direct message without one."""
    message = build_notice(text)
    try:
        if channel_id is not None:
            client.chat_postEphemeral(
                channel=channel_id, user=user_id, thread_ts=thread_ts, **message.as_kwargs()
            )
        else:
            client.chat_postMessage(channel=user_id, **message.as_kwargs())
    except (SlackApiError, SlackClientError):
        logger.exception("could not tell the user about a failure")


def acting_person(body: dict[str, Any]) -> Person:
    """Who acted in a request and where to tell them: (user, channel); no channel means a DM."""
    event = body.get("event")
    if isinstance(event, dict):
        return _event_actor(event)
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    channel = (
        (body.get("channel") or {}).get("id")
        or body.get("channel_id")
        or ModalState.load((body.get("view") or {}).get("private_metadata")).channel_id
    )
    return user, channel


def _event_actor(event: dict[str, Any]) -> Person:
    """The person whose action an event reports (a Home visit, a reply, a pin, an invite)."""
    kind = event.get("type")
    if kind == "app_home_opened":
        return event.get("user"), None
    if kind == "message":
        message = event.get("message") if event.get("subtype") == "message_changed" else event
        return (message or {}).get("user"), event.get("channel")
    if kind in ("pin_added", "pin_removed"):
        return event.get("user"), event.get("channel_id")
    if kind == "member_joined_channel":
        return event.get("inviter"), event.get("channel")
    return None, None
