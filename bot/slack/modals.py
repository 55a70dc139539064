"""Opening a modal when the trigger id may have been used already (a replayed request)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)


def open_modal(client: WebClient, trigger_id: str, view: dict[str, Any] | str) -> bool:
    """Open `view` (a dict, or the JSON-encoded string Slack's reference documents); False when
    Slack says the trigger id was spent (a replay: one modal is up)."""
    try:
        client.api_call("views.open", json={"trigger_id": trigger_id, "view": view})
    except SlackApiError as error:
        if error.response.get("error") != "exchanged_trigger_id":
            raise
        logger.warning("not opening a second modal: its trigger id was used already (a replay)")
        return False
    return True
