"""Verdict buttons: edit answers, pin, unpin, and the menu with delete and copy as text."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import ids
from bot.slack.builders.modal import ModalState, check_modal_json
from bot.slack.builders.verdict import build_copy_text
from bot.slack.deps import Deps
from bot.slack.failures import reported
from bot.slack.modals import open_modal
from bot.slack.notify import tell_user
from bot.slack.verdicts import NotCreatorError
from bot.store import NotFoundError

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire the verdict message's buttons."""

    @app.action(ids.ACTION_EDIT)
    @reported
    def handle_edit(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        """Reopen the modal with the current answers, carrying the revision it starts from."""
        ack()
        record = verdict_or_tell(deps, client, body, context, str(action.get("value")))
        if record is None:
            return
        state = ModalState(verdict_id=record.id, base_revision=record.revision)
        open_modal(client, body["trigger_id"], check_modal_json(record.answers, state))

    for action_id, operation in (
        (ids.ACTION_PIN, deps.verdicts.pin),
        (ids.ACTION_UNPIN, deps.verdicts.unpin),
    ):
        app.action(action_id)(reported(pin_handler(deps, operation)))

    @app.action(ids.ACTION_MORE)
    @reported
    def handle_more(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        """Delete (creator only) or copy the verdict as plain text."""
        ack()
        choice, _, verdict_id = str(action.get("selected_option", {}).get("value", "")).partition(
            ":"
        )
        record = verdict_or_tell(deps, client, body, context, verdict_id)
        if record is None:
            return
        user_id = body["user"]["id"]
        channel_id = body.get("channel", {}).get("id")
        if choice == ids.MORE_DELETE:
            try:
                deps.verdicts.delete(client, str(context.team_id), user_id, verdict_id)
            except NotCreatorError:
                tell_user(
                    client, user_id, "Only the person who ran this check can delete it.", channel_id
                )
        elif choice == ids.MORE_COPY:
            client.chat_postEphemeral(
                channel=channel_id or user_id,
                user=user_id,
                **build_copy_text(deps.verdicts.card(record)).as_kwargs(),
            )


def pin_handler(
    deps: Deps, operation: Callable[[WebClient, str, str], object]
) -> Callable[..., None]:
    """A Pin or Unpin button listener running `operation` on the clicked verdict."""

    def handle_pin_button(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        """Pin or unpin the verdict message (a verdict of this workspace only)."""
        ack()
        verdict_id = str(action.get("value"))
        if verdict_or_tell(deps, client, body, context, verdict_id) is not None:
            operation(client, str(context.team_id), verdict_id)

    return handle_pin_button


def verdict_or_tell(
    deps: Deps, client: WebClient, body: dict[str, Any], context: BoltContext, verdict_id: str
) -> Any:
    """The verdict of this workspace, or None after telling the user it is not theirs to touch."""
    try:
        return deps.store.get_verdict(str(context.team_id), verdict_id)
    except NotFoundError:
        tell_user(
            client,
            body["user"]["id"],
            "I can't find that verdict in this workspace.",
            body.get("channel", {}).get("id"),
        )
        return None
