"""The WSGI application for HTTP mode: /slack/events through Bolt, plus /healthz."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest

StartResponse = Callable[..., Any]
logger = logging.getLogger(__name__)


class SlackRequests(SlackRequestHandler):
    """Bolt's WSGI handler, answering 400 to a body Bolt cannot parse instead of crashing."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Parse the body (deeply nested or broken JSON is a 400, not a 500), then dispatch."""
        try:
            bolt_request = BoltRequest(
                body=request.get_body(),
                query=request.query_string,
                headers=request.get_headers(),
            )
        except (RecursionError, ValueError):
            logger.warning("refused a request whose body could not be parsed")
            return BoltResponse(status=400, body="Bad Request")
        return self.app.dispatch(bolt_request)


class SlackWsgi:
    """Route Slack's requests to Bolt and answer health checks."""

    def __init__(self, app: App) -> None:
        self.bolt = SlackRequests(app)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return self.bolt(environ, start_response)
