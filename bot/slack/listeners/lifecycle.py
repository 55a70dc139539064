"""Workspace lifecycle: uninstalling the app, or revoking its bot token, deletes the data."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk.oauth.installation_store import InstallationStore

from bot.slack.deps import Deps

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire app_uninstalled and tokens_revoked (Bolt lets both through without a token)."""
    installations = app.installation_store  # None with a single bot token

    @app.event("app_uninstalled")
    def handle_app_uninstalled(body: dict[str, Any], context: BoltContext) -> None:
        """Delete everything of the workspace the app was removed from."""
        forget_workspace(deps, installations, context, body.get("event_time"), "app_uninstalled")

    @app.event("tokens_revoked")
    def handle_tokens_revoked(
        body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        """A revoked bot token ends the installation; the app holds no user tokens."""
        if (event.get("tokens") or {}).get("bot"):
            forget_workspace(deps, installations, context, body.get("event_time"), "tokens_revoked")


def forget_workspace(
    deps: Deps,
    installations: InstallationStore | None,
    context: BoltContext,
    event_time: object,
    reason: str,
) -> None:
    """Delete a workspace's verdicts, history, events, posts and installation (idempotent)."""
    team_id = context.team_id
    if not team_id:
        logger.warning("%s without a team id: nothing deleted", reason)
        return
    if reinstalled_since(installations, context.enterprise_id, team_id, event_time):
        logger.info("%s of workspace %s predates its reinstall: kept", reason, team_id)
        return
    deps.store.delete_team(team_id)
    logger.info("%s: deleted the data of workspace %s", reason, team_id)


def reinstalled_since(
    installations: InstallationStore | None,
    enterprise_id: str | None,
    team_id: str,
    event_time: object,
) -> bool:
    """Whether the workspace installed the app again after the event (a late retry of it)."""
    if installations is None or not isinstance(event_time, int | float):
        return False
    bot = installations.find_bot(enterprise_id=enterprise_id, team_id=team_id)
    # event_time has whole seconds: an install within the event's second counts as older.
    return bot is not None and bot.installed_at >= event_time + 1
