"""Web API method descriptions: required arguments, scopes and error codes from Slack's api-ref."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Final, Literal

API_REF_DIR: Final = Path(__file__).parent / "data" / "api_ref"

# Who may call a method: a bot token, the app-level token, or an OAuth client (id + secret).
Caller = Literal["bot", "app", "client"]

# Errors any method can answer (Slack's "common errors" list), beside each method's own.
COMMON_ERRORS: Final = frozenset(
    {
        "access_denied",
        "account_inactive",
        "deprecated_endpoint",
        "ekm_access_denied",
        "enterprise_is_restricted",
        "fatal_error",
        "internal_error",
        "invalid_arg_name",
        "invalid_arguments",
        "invalid_array_arg",
        "invalid_auth",
        "invalid_charset",
        "invalid_form_data",
        "invalid_json",
        "invalid_post_type",
        "json_not_object",
        "method_deprecated",
        "missing_post_type",
        "missing_scope",
        "no_permission",
        "not_allowed_token_type",
        "not_authed",
        "org_login_required",
        "ratelimited",
        "request_timeout",
        "service_unavailable",
        "team_access_not_granted",
        "team_added_to_org",
        "token_expired",
        "token_revoked",
        "two_factor_setup_required",
        "unknown_method",
    }
)

# Conversation-type scope families: a method listing several of them needs the one that
# matches the conversation it is called on (e.g. `groups:history` for a private channel).
SCOPE_FAMILY: Final = {"public": "channels", "private": "groups", "im": "im", "mpim": "mpim"}


@dataclass(frozen=True)
class MethodSpec:
    """What Slack documents about one Web API method."""

    name: str
    http_method: str = "POST"
    required: tuple[str, ...] = ()
    arguments: frozenset[str] = frozenset()
    bot_scopes: tuple[str, ...] = ()
    errors: frozenset[str] = frozenset()
    json_input_supported: bool = False
    caller: Caller = "bot"
    rate_tier: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @cached_property
    def typed_scopes(self) -> dict[str, str]:
        """Scope per conversation kind when the method lists a family (`channels:x`, ...)."""
        by_suffix: dict[str, dict[str, str]] = {}
        for scope in self.bot_scopes:
            prefix, _, suffix = scope.partition(":")
            for kind, family in SCOPE_FAMILY.items():
                if prefix == family:
                    by_suffix.setdefault(suffix, {})[kind] = scope
        for kinds in by_suffix.values():
            if len(kinds) >= 2:
                return kinds
        return {}

    @cached_property
    def plain_scopes(self) -> tuple[str, ...]:
        """Scopes needed whatever the conversation (those not in a typed family)."""
        typed = set(self.typed_scopes.values())
        return tuple(s for s in self.bot_scopes if s not in typed)

    def documents(self, error: str) -> bool:
        """True when Slack documents `error` for this method (or for every method)."""
        return error in self.errors or error in COMMON_ERRORS


# Methods the api-ref snapshot does not describe; written from Slack's reference pages.
_BUILT_IN: Final = {
    "apps.connections.open": MethodSpec(
        name="apps.connections.open",
        required=("token",),
        arguments=frozenset({"token"}),
        bot_scopes=("connections:write",),
        errors=frozenset({"invalid_auth", "not_allowed_token_type", "missing_scope"}),
        json_input_supported=True,
        caller="app",
        rate_tier="t1",
    ),
    "conversations.open": MethodSpec(
        name="conversations.open",
        arguments=frozenset({"token", "channel", "prevent_creation", "return_im", "users"}),
        # Slack lists channels:manage as well; left out here, where every listed scope outside
        # a conversation-type family is required (a 1:1 DM takes im:write: see the method).
        bot_scopes=("groups:write", "im:write", "mpim:write"),
        errors=frozenset(
            {
                "channel_not_found",
                "invalid_user_combination",
                "method_not_supported_for_channel_type",
                "missing_scope",
                "not_enough_users",
                "too_many_users",
                "user_disabled",
                "user_not_found",
                "user_not_visible",
                "users_list_not_supplied",
            }
        ),
        json_input_supported=True,
        rate_tier="t3",
    ),
    "oauth.v2.access": MethodSpec(
        name="oauth.v2.access",
        required=("code",),
        arguments=frozenset(
            {"client_id", "client_secret", "code", "redirect_uri", "grant_type", "refresh_token"}
        ),
        errors=frozenset(
            {
                "bad_client_secret",
                "bad_redirect_uri",
                "invalid_client_id",
                "invalid_code",
                "invalid_grant_type",
                "oauth_authorization_url_mismatch",
            }
        ),
        caller="client",
        rate_tier="t4",
    ),
}


def _from_json(name: str, raw: dict[str, Any]) -> MethodSpec:
    args = raw.get("args", {})
    scope = raw.get("scope") or {}
    bot = () if raw.get("no_scope_required") else tuple(scope.get("bot", ()))
    return MethodSpec(
        name=name,
        http_method=str(raw.get("http_method", "POST")),
        required=tuple(args.get("required", ())),
        arguments=frozenset(args.get("properties", {})),
        bot_scopes=bot,
        errors=frozenset(raw.get("errors", {})),
        json_input_supported=bool(raw.get("json_input_supported", False)),
        rate_tier=str(raw.get("rate_limits", "")),
    )


@cache
def method_spec(name: str) -> MethodSpec | None:
    """The spec of `name` from the api-ref JSON when present, else the built-in table."""
    path = API_REF_DIR / "methods" / f"{name}.json"
    if path.is_file():
        return _from_json(name, json.loads(path.read_text(encoding="utf-8")))
    return _BUILT_IN.get(name)


@cache
def event_scopes(event_type: str) -> tuple[str, ...]:
    """Scopes the api-ref lists for an event type (any one of them suffices)."""
    path = API_REF_DIR / "events" / f"{event_type}.json"
    if not path.is_file():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8")).get("scopes", ()))
