"""Whether the bot can post in a channel: asked of Slack once, then remembered for a while.

`conversations.info` is a Tier 3 method (about 50 calls a minute): asking it before every
verdict would cost a busy workspace its rate limit, and every check a Web API round trip. A
channel the bot was found in is remembered for MEMBER_SECONDS; a post that fails because the
bot left it (or it was archived) makes the caller forget it and ask again.
"""

from __future__ import annotations

import threading
from typing import Final

from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.posting import Access, ensure_member

MEMBER_SECONDS: Final = 300.0
CHANNELS: Final = 4096
# What chat.postMessage answers when the bot is no longer in (or cannot see) a channel.
GONE_ERRORS: Final = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


class Membership:
    """The channels (per workspace) the bot recently was a member of, thread-safe."""

    def __init__(self, seconds: float = MEMBER_SECONDS, size: int = CHANNELS) -> None:
        self._members: TTLCache[tuple[str, str], bool] = TTLCache(maxsize=size, ttl=seconds)
        self._lock = threading.Lock()

    def ensure(self, client: WebClient, team_id: str, channel_id: str) -> Access:
        """ensure_member, unless the bot was found in the channel in the last few minutes."""
        key = (team_id, channel_id)
        with self._lock:
            if key in self._members:
                return "member"
        access = ensure_member(client, channel_id)
        if access in ("member", "joined"):
            with self._lock:
                self._members[key] = True
        return access

    def forget(self, team_id: str, channel_id: str) -> None:
        """Ask Slack again next time (a post there failed)."""
        with self._lock:
            self._members.pop((team_id, channel_id), None)


def left_channel(error: Exception) -> bool:
    """Whether a failed post says the bot is not (or no longer) able to post in the channel."""
    return isinstance(error, SlackApiError) and error.response.get("error") in GONE_ERRORS
