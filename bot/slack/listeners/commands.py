"""/relationship: open the check modal at once, prefilled from the text; help and list privately."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.core.interpret import interpret
from bot.core.models import Answers
from bot.slack import ids
from bot.slack.builders.help import HELP_TEXT
from bot.slack.builders.listing import build_channel_list
from bot.slack.builders.modal import ModalState, check_modal_json
from bot.slack.deps import Deps
from bot.slack.failures import reported
from bot.slack.modals import open_modal
from bot.slack.overview import channel_rows

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire the slash command."""

    @app.command(ids.COMMAND)
    @reported
    def handle_relationship_command(
        ack: Ack,
        command: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        """Ack, then open the modal straight away (trigger ids expire in 3 seconds)."""
        text = str(command.get("text") or "").strip()
        if text.lower() in ("help", "?"):
            ack(response_type="ephemeral", text=HELP_TEXT)
            return
        if text.lower() == "list":
            ack()  # the links take a few calls: answer through the response_url instead
            rows, more = channel_rows(
                deps.store,
                client,
                deps.permalinks,
                team_id=str(context.team_id),
                channel_id=str(command["channel_id"]),
            )
            listing = build_channel_list(rows, more=more)
            respond(response_type="ephemeral", text=listing.text, blocks=listing.blocks)
            return
        ack()
        answers, prefilled = prefill(text, deps)
        view = check_modal_json(
            answers, ModalState(channel_id=command.get("channel_id")), prefilled=prefilled
        )
        open_modal(client, command["trigger_id"], view)


def prefill(text: str, deps: Deps) -> tuple[Answers, tuple[str, ...]]:
    """Answers read from the command's text, and which keys they fill."""
    if not text:
        return Answers(), ()
    reading = interpret(text, Answers(), deps.today())
    changes = {change.dimension: change.new for change in reading.changes}
    return Answers().with_changes(changes), tuple(changes)
