"""apps.connections.open: a Socket Mode websocket URL for the app-level token."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import ApiError
from bot.sandbox.webapi import CallContext, MethodHandler


def connections_open(ctx: CallContext) -> dict[str, Any]:
    """A fresh `ws://` URL on the stand-in's Socket Mode server."""
    if ctx.issue_socket_url is None:
        raise ApiError("internal_error")
    return {"url": ctx.issue_socket_url()}


METHODS: dict[str, MethodHandler] = {"apps.connections.open": connections_open}
