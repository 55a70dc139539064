"""oauth.v2.access: exchange a code from the consent screen for a workspace's bot token."""

from __future__ import annotations

import hmac
from typing import Any

from bot.sandbox.errors import ApiError
from bot.sandbox.webapi import CallContext, MethodHandler


def _client_credentials(ctx: CallContext) -> tuple[str, str]:
    if ctx.basic_auth is not None:
        return ctx.basic_auth
    return ctx.str_arg("client_id"), ctx.str_arg("client_secret")


def access(ctx: CallContext) -> dict[str, Any]:
    """Check client id/secret and the code, install the app, answer like Slack's v2 flow."""
    client_id, client_secret = _client_credentials(ctx)
    app = ctx.state.app
    if not hmac.compare_digest(client_id, app.client_id):
        raise ApiError("invalid_client_id")
    if not hmac.compare_digest(client_secret, app.client_secret):
        raise ApiError("bad_client_secret")
    grant_type = ctx.opt_str("grant_type")
    if grant_type not in (None, "authorization_code"):
        raise ApiError("invalid_grant_type")
    state = ctx.state
    with state.lock:
        code = state.oauth_codes.get(ctx.str_arg("code"))
        if code is None or code.used or state.monotonic() - code.issued > state.OAUTH_CODE_TTL:
            raise ApiError("invalid_code")
        redirect_uri = ctx.opt_str("redirect_uri")
        if code.redirect_uri and redirect_uri != code.redirect_uri:
            raise ApiError("bad_redirect_uri")
        code.used = True
        inst = state.install(code.team_id, scopes=code.scopes, installer_user_id=code.user_id)
        ws = state.workspace(code.team_id)
    enterprise = {"id": ws.enterprise_id, "name": ws.enterprise_name} if ws.enterprise_id else None
    return {
        "access_token": inst.token,
        "token_type": "bot",
        "scope": ",".join(sorted(inst.scopes)),
        "bot_user_id": inst.bot_user_id,
        "app_id": app.app_id,
        "team": {"name": ws.name, "id": ws.id},
        "enterprise": enterprise,
        "authed_user": {"id": code.user_id},
        "is_enterprise_install": False,
    }


METHODS: dict[str, MethodHandler] = {"oauth.v2.access": access}
