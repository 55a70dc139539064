"""Crash-safe posting: intent stored before a post, ts after, and a look for the message first."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack import ids
from bot.slack.builders.verdict import Message
from bot.store import Store

logger = logging.getLogger(__name__)

Access = Literal["member", "joined", "private", "unreachable"]
HISTORY_PAGE = 100
POST_ATTEMPTS = 3
RETRY_PAUSE = 0.5


def ensure_member(client: WebClient, channel_id: str) -> Access:
    """Make sure the bot can post and hear replies: join a public channel, report the rest."""
    try:
        info = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        if error.response.get("error") == "channel_not_found":
            return "private"  # a private channel the bot is not in looks like this
        raise
    if info.get("is_archived"):
        return "unreachable"
    if info.get("is_member") or info.get("is_im") or info.get("is_mpim"):
        return "member"
    if info.get("is_private"):
        return "private"
    client.conversations_join(channel=channel_id)
    return "joined"


def post_once(
    client: WebClient,
    store: Store,
    *,
    team_id: str,
    verdict_id: str,
    revision: int,
    kind: str,
    channel_id: str,
    message: Message,
    key: str = "",
    thread_ts: str | None = None,
) -> str:
    """Post a message exactly once across crashes and retries; its ts."""
    started = datetime.now(UTC)
    intent = store.record_post_intent(
        team_id, verdict_id, kind, channel_id, revision=revision, key=key
    )
    if intent.message_ts is not None:
        return intent.message_ts
    if intent.created_at < started:  # an earlier attempt may have posted before it crashed
        found = find_posted(
            client,
            channel_id=channel_id,
            verdict_id=verdict_id,
            kind=kind,
            key=key,
            thread_ts=thread_ts,
        )
        if found is not None:
            store.complete_post(team_id, intent.id, found)
            return found
    kwargs: dict[str, Any] = message.as_kwargs()
    kwargs["metadata"] = kwargs.get("metadata") or post_metadata(verdict_id, kind, key)
    if thread_ts is not None:
        kwargs["thread_ts"] = thread_ts
    # No blind retries here: a post whose answer was lost may have landed. Look before resending.
    single = without_blind_retries(client)
    for attempt in range(POST_ATTEMPTS):
        try:
            ts: str = single.chat_postMessage(channel=channel_id, **kwargs)["ts"]
            break
        except (SlackClientError, OSError) as error:
            if isinstance(error, SlackApiError) and error.response.status_code < 500:
                raise
            found = find_posted(
                client,
                channel_id=channel_id,
                verdict_id=verdict_id,
                kind=kind,
                key=key,
                thread_ts=thread_ts,
            )
            if found is not None:
                ts = found
                break
            if attempt == POST_ATTEMPTS - 1:
                raise
            logger.warning("posting failed (%s); trying again", type(error).__name__)
            time.sleep(RETRY_PAUSE * (attempt + 1))
    store.complete_post(team_id, intent.id, ts)
    return ts


def without_blind_retries(client: WebClient) -> WebClient:
    """A client like `client` that retries only rate limits (a 429 never applies a call)."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def post_metadata(verdict_id: str, kind: str, key: str) -> dict[str, Any]:
    """Metadata that lets recovery recognise a thread reply the bot already posted."""
    return {
        "event_type": ids.PART_METADATA_EVENT,
        "event_payload": {"verdict_id": verdict_id, "kind": kind, "key": key},
    }


def find_posted(
    client: WebClient,
    *,
    channel_id: str,
    verdict_id: str,
    kind: str,
    key: str,
    thread_ts: str | None,
) -> str | None:
    """The ts of a message this bot already posted for (verdict, kind, key), if Slack has one."""
    if thread_ts is None:
        response = client.conversations_history(
            channel=channel_id, include_all_metadata=True, limit=HISTORY_PAGE
        )
    else:
        response = client.conversations_replies(
            channel=channel_id, ts=thread_ts, include_all_metadata=True, limit=HISTORY_PAGE
        )
    messages: list[dict[str, Any]] = response.get("messages", [])
    for message in messages:
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("verdict_id") != verdict_id:
            continue
        if kind == "parent" and message.get("metadata", {}).get("event_type") == ids.METADATA_EVENT:
            return str(message["ts"])
        if payload.get("kind") == kind and payload.get("key") == key:
            return str(message["ts"])
    return None
