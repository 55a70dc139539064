"""Web API method handlers, one module per API family."""

from __future__ import annotations

from bot.sandbox.methods import auth, chat, conversations, oauth, pins, socket, users, views
from bot.sandbox.webapi import MethodHandler


def all_methods() -> dict[str, MethodHandler]:
    """Every method the stand-in answers, by Slack method name."""
    handlers: dict[str, MethodHandler] = {}
    for module in (auth, chat, conversations, oauth, pins, socket, users, views):
        handlers.update(module.METHODS)
    return handlers
