"""auth.test."""

from __future__ import annotations

from typing import Any

from bot.sandbox.webapi import CallContext, MethodHandler


def test(ctx: CallContext) -> dict[str, Any]:
    """Who the bot token belongs to."""
    inst = ctx.inst
    with ctx.state.lock:
        ws = ctx.state.workspace(inst.team_id)
        bot = ctx.state.user(inst.bot_user_id)
    body: dict[str, Any] = {
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.name,
        "user": bot.name,
        "team_id": ws.id,
        "user_id": bot.id,
        "bot_id": inst.bot_id,
        "is_enterprise_install": False,
    }
    if ws.enterprise_id:
        body["enterprise_id"] = ws.enterprise_id
    return body


METHODS: dict[str, MethodHandler] = {"auth.test": test}
