"""Events: the bot joining a channel posts what waited for it; nothing else goes unanswered."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.deps import Deps

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire the events the app listens to, and catch-alls so Slack never retries for a 404."""

    @app.event("member_joined_channel")
    def handle_member_joined(
        event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """When the bot is invited, post the verdicts that waited for it."""
        if event.get("user") != context.bot_user_id:
            return
        deps.verdicts.publish_waiting(client, str(context.team_id), str(event.get("channel")))

    @app.event("message")
    def handle_message(event: dict[str, Any]) -> None:
        """Messages are read by the thread listener (refinements); others need no answer."""

    @app.event({"type": "app_mention"})
    def handle_mention(event: dict[str, Any]) -> None:
        """Mentions are answered in threads (refinements); elsewhere they need no answer."""
