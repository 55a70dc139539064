"""Shortcuts: a new check from anywhere, and a check of what a message describes."""

from __future__ import annotations

import logging
from typing import Any, Final

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.models import Answers
from bot.slack import ids
from bot.slack.builders.modal import ModalState, check_modal_json
from bot.slack.deps import Deps
from bot.slack.failures import reported
from bot.slack.forms import DIRECT_MESSAGE_PREFIX
from bot.slack.listeners.commands import prefill
from bot.slack.modals import open_modal

logger = logging.getLogger(__name__)

# The interpreter reads a deal's description, not a novel: a long message is read in part.
MESSAGE_TEXT_MAX: Final = 4000


def register(app: App, deps: Deps) -> None:
    """Wire the global and the message shortcut."""

    @app.global_shortcut(ids.SHORTCUT_NEW_CHECK)
    @reported
    def handle_new_check(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        """Open the check modal at once, with no channel preset."""
        ack()
        open_modal(client, shortcut["trigger_id"], check_modal_json(Answers(), ModalState()))

    @app.message_shortcut(ids.SHORTCUT_ASSESS_MESSAGE)
    @reported
    def handle_assess_message(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        """Open the modal prefilled from the message, remembering which message it was."""
        ack()
        channel_id = str(shortcut["channel"]["id"])
        message = shortcut.get("message") or {}
        text = str(message.get("text") or "")[:MESSAGE_TEXT_MAX].strip()
        answers, prefilled = prefill(text, deps)
        state = ModalState(
            # The bot can't post in a DM between people: let the person pick a channel then.
            channel_id=None if channel_id.startswith(DIRECT_MESSAGE_PREFIX) else channel_id,
            source_channel=channel_id,
            source_ts=str(message.get("ts") or shortcut["message_ts"]),
        )
        view = check_modal_json(answers, state, prefilled=prefilled)
        open_modal(client, shortcut["trigger_id"], view)
