"""Crash-safe posting: intent and lease before a post, ts after, a look first after a crash."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack import ids
from bot.slack.builders.verdict import Message
from bot.slack.leases import Held, LeaseKeeper, new_owner
from bot.store import Lease, Store, StoreError

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
    leases: LeaseKeeper,
    *,
    team_id: str,
    verdict_id: str,
    revision: int,
    kind: str,
    channel_id: str,
    message: Message,
    key: str = "",
    thread_ts: str | None = None,
    lease: OwnLease | None = None,
    reply_keys: tuple[str, ...] = (),
) -> str | None:
    """Post a message exactly once across crashes, retries and processes; its ts.

    None means another live process holds the intent and is posting it right now. `lease` is
    the caller's, on a new verdict's intents (see OwnLease): nobody else has tried them, so
    they are posted without being claimed again, and a parent stores its `reply_keys` thread
    intents, leased alike, with its ts.
    """
    where = Where(channel_id, verdict_id, kind, key, thread_ts)
    if lease is not None:
        ts = _post(client, message, where, lease.held)
        if ts is not None:
            replies = Lease(lease.owner, leases.seconds, reply_keys) if reply_keys else None
            store.complete_intent(
                team_id, verdict_id, kind, key, message_ts=ts, lease_replies=replies
            )
        return ts
    owner = new_owner()
    claim = store.claim_post(
        team_id,
        verdict_id,
        kind,
        channel_id,
        revision=revision,
        key=key,
        owner=owner,
        lease_seconds=leases.seconds,
    )
    if claim.status == "posted":
        return claim.post.message_ts
    if claim.status == "busy":
        logger.info("another process is posting %s of a verdict; leaving it to it", kind)
        return None
    intent = claim.post

    def renew() -> bool:
        """Extend this attempt's lease on the intent."""
        return store.renew_post(
            team_id, verdict_id, kind, key, owner=owner, lease_seconds=leases.seconds
        )

    try:
        with leases.keep(renew) as kept:
            # An earlier owner may have posted before it died: look before posting.
            ts = find_posted(client, where) if claim.tried_before else None
            if ts is None:
                ts = _post(client, message, where, kept)
    except BaseException:
        release(store, team_id, verdict_id, kind, key, owner=owner)  # no renewal follows
        raise
    if ts is not None:
        store.complete_post(team_id, intent.id, ts)
    return ts


@dataclass(frozen=True, slots=True)
class OwnLease:
    """Our lease on a new verdict's posts, taken when it was stored and kept renewed since.

    It covers the parent's intent, stored with the verdict, and its thread replies', stored
    with the parent's ts.
    """

    owner: str
    held: Held


@dataclass(frozen=True, slots=True)
class Where:
    """Where a post goes and what identifies it among the bot's messages."""

    channel_id: str
    verdict_id: str
    kind: str
    key: str
    thread_ts: str | None


def _post(client: WebClient, message: Message, where: Where, held: Held) -> str | None:
    """Post, trying again only after looking for the message (None: another owner took over)."""
    kwargs: dict[str, Any] = message.as_kwargs()
    kwargs["metadata"] = kwargs.get("metadata") or post_metadata(
        where.verdict_id, where.kind, where.key
    )
    if where.thread_ts is not None:
        kwargs["thread_ts"] = where.thread_ts
    # No blind retries here: a post whose answer was lost may have landed. Look before resending.
    single = without_blind_retries(client)
    for attempt in range(POST_ATTEMPTS):
        if held.lost:
            return None  # the new owner looks for our message before it posts
        try:
            ts: str = single.chat_postMessage(channel=where.channel_id, **kwargs)["ts"]
            return ts
        except (SlackClientError, OSError) as error:
            if isinstance(error, SlackApiError) and error.response.status_code < 500:
                raise
            found = find_posted(client, where)
            if found is not None:
                return found
            if attempt == POST_ATTEMPTS - 1:
                raise
            logger.warning("posting failed (%s); trying again", type(error).__name__)
            time.sleep(RETRY_PAUSE * (attempt + 1))
    return None  # not reached: the last attempt returns or raises


def release(
    store: Store, team_id: str, verdict_id: str, kind: str, key: str = "", *, owner: str
) -> None:
    """Give an intent up after a failure, so recovery may try again (best effort)."""
    try:
        store.release_post(team_id, verdict_id, kind, key, owner=owner)
    except StoreError as error:
        logger.warning("could not release a post lease (it will lapse): %s", error)


def release_all(store: Store, team_id: str, verdict_id: str, *, owner: str) -> None:
    """release() for every unposted intent of a verdict that the owner holds (best effort)."""
    try:
        store.release_verdict_posts(team_id, verdict_id, owner=owner)
    except StoreError as error:
        logger.warning("could not release post leases (they will lapse): %s", error)


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


def find_posted(client: WebClient, where: Where) -> str | None:
    """The ts of a message this bot already posted for (verdict, kind, key), if Slack has one."""
    if where.thread_ts is None:
        response = client.conversations_history(
            channel=where.channel_id, include_all_metadata=True, limit=HISTORY_PAGE
        )
    else:
        response = client.conversations_replies(
            channel=where.channel_id,
            ts=where.thread_ts,
            include_all_metadata=True,
            limit=HISTORY_PAGE,
        )
    messages: list[dict[str, Any]] = response.get("messages", [])
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if payload.get("verdict_id") != where.verdict_id:
            continue
        if where.kind == "parent" and metadata.get("event_type") == ids.METADATA_EVENT:
            return str(message["ts"])
        if payload.get("kind") == where.kind and payload.get("key") == where.key:
            return str(message["ts"])
    return None
