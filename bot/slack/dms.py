"""The bot's DM with a person, by its own id: asked of Slack once, then remembered.

chat.postMessage takes a user id and posts in the bot's DM with them, but the methods that
read a conversation back (conversations.history, to look for a post whose outcome was lost)
take only the conversation's id (`D…`). conversations.open gives it (scope im:write); a DM's id
never changes, so it is remembered.
"""

from __future__ import annotations

import logging
import threading
from typing import Final

from cachetools import LRUCache
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

PEOPLE: Final = 10_000


class DirectMessages:
    """DM conversation ids per (workspace, person), thread-safe."""

    def __init__(self, size: int = PEOPLE) -> None:
        self._known: LRUCache[tuple[str, str], str] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def channel(self, client: WebClient, team_id: str, user_id: str) -> str:
        """The id of the bot's DM with a person; their user id if the install lacks im:write
        (posting works, but a post whose outcome was lost cannot be looked for)."""
        key = (team_id, user_id)
        with self._lock:
            known = self._known.get(key)
        if known is not None:
            return known
        try:
            response = client.conversations_open(users=user_id)
        except SlackApiError as error:
            if error.response.get("error") != "missing_scope":
                raise
            logger.warning("conversations.open needs the im:write scope: reinstall the app")
            return user_id
        channel = str(response["channel"]["id"])
        with self._lock:
            self._known[key] = channel
        return channel
