"""Helpers shared by the test packages: the real app served over HTTP, and waiting."""

from __future__ import annotations

from bot.config import Settings
from bot.sandbox import BoltAppServer
from bot.slack.app import create_app
from bot.slack.http import SlackWsgi
from bot.store import Store


def serve_app(settings: Settings, store: Store) -> BoltAppServer:
    """The real app on `store`, served over local HTTP through its own WSGI edge, started."""
    app = create_app(settings, store)
    handler = SlackWsgi(app, signing_secret=settings.signing_secret())
    return BoltAppServer(app, handler=handler).start()
