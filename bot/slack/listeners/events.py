"""Events: the bot joining a channel posts what waited for it; nothing else goes unanswered."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.deps import Deps
from bot.slack.threads import reply_of

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire the events the app listens to, and catch-alls so Slack never retries for a 404."""

    @app.event("member_joined_channel")
    def handle_member_joined(
        event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """When someone invites the bot, post the verdicts that waited for it.

        A join the bot made itself (a public channel, during a post) has no inviter: the
        post that joined is under way and must not be doubled.
        """
        if event.get("user") != context.bot_user_id or not event.get("inviter"):
            return
        deps.verdicts.publish_waiting(client, str(context.team_id), str(event.get("channel")))

    @app.event("message")
    def handle_message(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """A reply in a verdict's thread refines it; any other message needs no answer."""
        reply = reply_of(
            event,
            team_id=str(context.team_id),
            bot_user_id=context.bot_user_id,
            event_id=str(body.get("event_id") or ""),
        )
        if reply is not None:
            deps.threads.handle(client, reply, deps.today())

    @app.event({"type": "app_mention"})
    def handle_mention(event: dict[str, Any]) -> None:
        """A mention in a thread also arrives as a message event, which answers it."""
