"""Workspace lifecycle: uninstalling the app, or revoking its bot token, deletes the data."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.deps import Deps

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    """Wire app_uninstalled and tokens_revoked (Bolt lets both through without a token)."""
    oauth = app.installation_store is not None  # else one bot token: no reinstall to tell apart

    @app.event("app_uninstalled")
    def handle_app_uninstalled(body: dict[str, Any], context: BoltContext) -> None:
        """Delete everything of the workspace the app was removed from."""
        forget_workspace(deps, context, body.get("event_time"), "app_uninstalled", oauth=oauth)

    @app.event("tokens_revoked")
    def handle_tokens_revoked(
        body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        """A revoked bot token ends the installation; the app holds no user tokens."""
        if (event.get("tokens") or {}).get("bot"):
            forget_workspace(deps, context, body.get("event_time"), "tokens_revoked", oauth=oauth)


def forget_workspace(
    deps: Deps, context: BoltContext, event_time: object, reason: str, *, oauth: bool
) -> None:
    """Delete a workspace's verdicts, history, events, posts and installation (idempotent),
    unless (OAuth) the workspace installed the app again after the event."""
    team_id = context.team_id
    if not team_id:
        logger.warning("%s without a team id: nothing deleted", reason)
        return
    # event_time has whole seconds: an install within the event's second counts as older.
    since = event_time + 1 if oauth and isinstance(event_time, int | float) else None
    if not deps.store.delete_team(team_id, unless_installed_since=since):
        logger.info("%s of workspace %s predates its reinstall: kept", reason, team_id)
        return
    logger.info("%s: deleted the data of workspace %s", reason, team_id)
