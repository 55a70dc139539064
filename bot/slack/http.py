"""The WSGI application for HTTP mode: /slack/events through Bolt, plus /healthz."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

StartResponse = Callable[..., Any]


class SlackWsgi:
    """Route Slack's requests to Bolt and answer health checks."""

    def __init__(self, app: App) -> None:
        self.bolt = SlackRequestHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return self.bolt(environ, start_response)
