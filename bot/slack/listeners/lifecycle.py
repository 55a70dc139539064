"""Workspace lifecycle: uninstalling the app, or revoking its bot token, deletes the data."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.deps import Deps

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire app_uninstalled and tokens_revoked (Bolt lets both through without a token)."""

    @app.event("app_uninstalled")
    def handle_app_uninstalled(context: BoltContext) -> None:
        """Delete everything of the workspace the app was removed from."""
        forget_workspace(deps, context.team_id, "app_uninstalled")

    @app.event("tokens_revoked")
    def handle_tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        """A revoked bot token ends the installation; the app holds no user tokens."""
        if (event.get("tokens") or {}).get("bot"):
            forget_workspace(deps, context.team_id, "tokens_revoked")


def forget_workspace(deps: Deps, team_id: str | None, reason: str) -> None:
    """Delete a workspace's verdicts, history, events, posts and installation (idempotent)."""
    if not team_id:
        logger.warning("%s without a team id: nothing deleted", reason)
        return
    deps.store.delete_team(team_id)
    logger.info("%s: deleted the data of workspace %s", reason, team_id)
