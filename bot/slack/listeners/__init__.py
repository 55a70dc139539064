"""Listeners by surface; each module's `register(app, deps)` wires its handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import Deps
from bot.slack.listeners import actions, commands, events, home, lifecycle, pins, shortcuts, views


def register(app: App, deps: Deps) -> None:
    """Register every listener of the app."""
    commands.register(app, deps)
    views.register(app, deps)
    actions.register(app, deps)
    events.register(app, deps)
    lifecycle.register(app, deps)
    home.register(app, deps)
    shortcuts.register(app, deps)
    pins.register(app, deps)
