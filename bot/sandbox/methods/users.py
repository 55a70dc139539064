"""users.info."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import ApiError
from bot.sandbox.webapi import CallContext, MethodHandler


def info(ctx: CallContext) -> dict[str, Any]:
    """A user of the workspace, or of another one it shares a channel with."""
    with ctx.state.lock:
        user = ctx.state.users.get(ctx.str_arg("user"))
        if user is None or not ctx.state.user_visible_to(ctx.inst.team_id, user):
            raise ApiError("user_not_found")
        body = user.to_api()
        if ctx.bool_arg("include_locale"):
            body["locale"] = "en-US"
        return {"user": body}


METHODS: dict[str, MethodHandler] = {"users.info": info}
