"""What Slack sends to an app: event envelopes, interaction payloads, slash command forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DeliveryKind = Literal["events_api", "slash_commands", "interactive"]


@dataclass(frozen=True)
class Outbound:
    """One request Slack is about to send to the app (not yet encoded for HTTP or a socket)."""

    kind: DeliveryKind
    payload: dict[str, Any]
    team_id: str
    # Interactions whose HTTP answer carries a response (view_submission) set this.
    accepts_response_payload: bool = False
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        """A short human description: `event:message`, `command:/x`, `interactive:block_actions`."""
        if self.kind == "events_api":
            return f"event:{self.payload.get('event', {}).get('type', '?')}"
        if self.kind == "slash_commands":
            return f"command:{self.payload.get('command', '?')}"
        return f"interactive:{self.payload.get('type', '?')}"


@dataclass(frozen=True)
class TeamInfo:
    """The parts of a workspace and its installation that payloads name."""

    team_id: str
    domain: str
    enterprise_id: str | None
    enterprise_name: str | None
    bot_user_id: str | None
    app_id: str
    verification_token: str


def event_envelope(
    team: TeamInfo,
    event: dict[str, Any],
    *,
    event_id: str,
    event_time: int,
    is_ext_shared_channel: bool = False,
) -> dict[str, Any]:
    """An `event_callback` envelope as Slack posts it to the Request URL."""
    authorization = {
        "enterprise_id": team.enterprise_id,
        "team_id": team.team_id,
        "user_id": team.bot_user_id,
        "is_bot": True,
        "is_enterprise_install": False,
    }
    envelope: dict[str, Any] = {
        "token": team.verification_token,
        "team_id": team.team_id,
        "context_team_id": team.team_id,
        "context_enterprise_id": team.enterprise_id,
        "api_app_id": team.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [authorization],
        "is_ext_shared_channel": is_ext_shared_channel,
        "event_context": f"4-{event_id}",
    }
    if team.enterprise_id:
        envelope["enterprise_id"] = team.enterprise_id
    return envelope


def _team_and_user(team: TeamInfo, user: dict[str, Any]) -> dict[str, Any]:
    enterprise = (
        {"id": team.enterprise_id, "name": team.enterprise_name} if team.enterprise_id else None
    )
    return {
        "team": {"id": team.team_id, "domain": team.domain, "enterprise_id": team.enterprise_id},
        "user": {
            "id": user["id"],
            "username": user["name"],
            "name": user["name"],
            "team_id": user["team_id"],
        },
        "enterprise": enterprise,
        "is_enterprise_install": False,
        "api_app_id": team.app_id,
        "token": team.verification_token,
    }


NAME_FIELDS = ("channel_name", "user_name", "team_domain", "enterprise_name")


def slash_command_form(
    team: TeamInfo,
    *,
    user: dict[str, Any],
    channel_id: str,
    channel_name: str,
    command: str,
    text: str,
    trigger_id: str,
    response_url: str,
) -> dict[str, str]:
    """The form fields of a slash command request."""
    form = {
        "token": team.verification_token,
        "team_id": team.team_id,
        "team_domain": team.domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user["id"],
        "user_name": user["name"],
        "command": command,
        "text": text,
        "api_app_id": team.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    if team.enterprise_id:
        form["enterprise_id"] = team.enterprise_id
        form["enterprise_name"] = team.enterprise_name or ""
    return form


def block_actions_payload(
    team: TeamInfo,
    *,
    user: dict[str, Any],
    action: dict[str, Any],
    trigger_id: str,
    container: dict[str, Any],
    channel: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    state_values: dict[str, Any] | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    """A `block_actions` payload for a click in a message or a view."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        **_team_and_user(team, user),
        "container": container,
        "trigger_id": trigger_id,
        "actions": [action],
    }
    if channel is not None:
        payload["channel"] = channel
    if message is not None:
        payload["message"] = message
        payload["state"] = {"values": state_values or {}}
    if view is not None:
        payload["view"] = view
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission_payload(
    team: TeamInfo, *, user: dict[str, Any], view: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    """A `view_submission` payload."""
    return {
        "type": "view_submission",
        **_team_and_user(team, user),
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
    }


def view_closed_payload(
    team: TeamInfo, *, user: dict[str, Any], view: dict[str, Any]
) -> dict[str, Any]:
    """A `view_closed` payload (sent when the view has `notify_on_close`)."""
    return {"type": "view_closed", **_team_and_user(team, user), "view": view, "is_cleared": False}


def shortcut_payload(
    team: TeamInfo, *, user: dict[str, Any], callback_id: str, trigger_id: str, action_ts: str
) -> dict[str, Any]:
    """A global `shortcut` payload."""
    return {
        "type": "shortcut",
        **_team_and_user(team, user),
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "action_ts": action_ts,
    }


def message_action_payload(
    team: TeamInfo,
    *,
    user: dict[str, Any],
    callback_id: str,
    trigger_id: str,
    action_ts: str,
    channel: dict[str, Any],
    message: dict[str, Any],
    response_url: str,
) -> dict[str, Any]:
    """A `message_action` (message shortcut) payload."""
    return {
        "type": "message_action",
        **_team_and_user(team, user),
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "action_ts": action_ts,
        "channel": channel,
        "message_ts": message["ts"],
        "message": message,
        "response_url": response_url,
    }
