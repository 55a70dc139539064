"""App Home: publish the viewer's Home tab when they open it; its button starts a check."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.core.models import Answers
from bot.slack import ids
from bot.slack.builders.home import build_home_view
from bot.slack.builders.modal import ModalState, check_modal_json
from bot.slack.deps import Deps
from bot.slack.failures import reported
from bot.slack.modals import open_modal
from bot.slack.overview import home_overview

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire the Home tab and its start button."""

    @app.event("app_home_opened")
    def handle_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """Publish the Home tab for the person who opened it (the Messages tab needs nothing)."""
        if event.get("tab") != "home":
            return
        user_id = str(event["user"])
        overview = home_overview(
            deps.store, client, deps.permalinks, team_id=str(context.team_id), user_id=user_id
        )
        client.views_publish(user_id=user_id, view=build_home_view(overview))

    @app.action(ids.ACTION_START_CHECK)
    @reported
    def handle_start_check(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """Open the check modal; from Home there is no channel to preset, so none is."""
        ack()
        open_modal(client, body["trigger_id"], check_modal_json(Answers(), ModalState()))
