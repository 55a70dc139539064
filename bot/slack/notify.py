"""Telling a person what went wrong, privately, without ever raising."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.builders.thread import build_notice

logger = logging.getLogger(__name__)


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
