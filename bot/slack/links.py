"""Links to messages and channels, and whether a channel is public: asked of Slack, cached.

Message links come from `chat.getPermalink` (no scope needed; correct for renamed workspaces,
Enterprise Grid and shared channels, which a link built by hand is not). A message's permalink
never changes, so a small process-wide cache keeps a Home tab to a few calls at most. A
channel's privacy can change at any time, so `ChannelPrivacy` lives for one request only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.mrkdwn import safe_url

logger = logging.getLogger(__name__)

CACHE_SIZE: Final = 4096
LOOKUP_THREADS: Final = 8
APP_REDIRECT: Final = "https://slack.com/app_redirect?channel={channel}"
Key = tuple[str, str, str]


def channel_link(channel_id: str) -> str:
    """A link that opens a channel (Slack's documented app_redirect form)."""
    return APP_REDIRECT.format(channel=channel_id)


def archive_link(domain: str, channel_id: str, ts: str) -> str | None:
    """The permalink Slack gives a top-level message, built from the workspace domain."""
    if not re.fullmatch(r"[a-z0-9-]+", domain) or not re.fullmatch(r"[A-Z0-9]+", channel_id):
        return None
    if not re.fullmatch(r"\d+\.\d+", ts):
        return None
    return f"https://{domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"


class Permalinks:
    """chat.getPermalink with a bounded, thread-safe cache keyed by team, channel and ts."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._cache: OrderedDict[Key, str] = OrderedDict()

    def get(self, client: WebClient, team_id: str, channel_id: str, ts: str) -> str | None:
        """The message's permalink, or None when Slack will not give one."""
        key = (team_id, channel_id, ts)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        try:
            response = client.chat_getPermalink(channel=channel_id, message_ts=ts)
        except (SlackApiError, SlackClientError) as error:
            logger.warning("no permalink for a message: %s", type(error).__name__)
            return None
        raw = response.get("permalink")
        link = raw if isinstance(raw, str) and safe_url(raw) is not None else None
        if link is not None:
            with self._lock:
                self._cache[key] = link
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return link

    def many(
        self, client: WebClient, team_id: str, messages: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], str | None]:
        """Permalinks of several (channel, ts) messages, looked up side by side."""
        wanted = list(dict.fromkeys(messages))
        if len(wanted) <= 1:
            return {m: self.get(client, team_id, *m) for m in wanted}
        with ThreadPoolExecutor(max_workers=min(LOOKUP_THREADS, len(wanted))) as pool:
            found = pool.map(lambda m: self.get(client, team_id, *m), wanted)
            return dict(zip(wanted, found, strict=True))


class ChannelPrivacy:
    """Whether channels are public, from conversations.info, remembered for one request."""

    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._known: dict[str, bool] = {}

    def is_public(self, channel_id: str) -> bool:
        """True only for a public channel Slack confirms; any error or doubt means private."""
        if channel_id not in self._known:
            self._known[channel_id] = self._ask(channel_id)
        return self._known[channel_id]

    def _ask(self, channel_id: str) -> bool:
        """One conversations.info call; DMs, group DMs and private channels are not public."""
        try:
            info = self._client.conversations_info(channel=channel_id)["channel"]
        except (SlackApiError, SlackClientError, KeyError, TypeError):
            return False
        if not isinstance(info, dict):
            return False
        return (
            info.get("is_channel") is True
            and info.get("is_private") is False
            and not info.get("is_im")
            and not info.get("is_mpim")
        )
