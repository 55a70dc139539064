"""Serve a Bolt `App` over local HTTP, as the peer the stand-in delivers to (tests, playground)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any, Self
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.sandbox.running import Running

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

logger = logging.getLogger(__name__)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = False
    block_on_close = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class BoltAppServer(Running):
    """A Bolt app under a threaded wsgiref server on 127.0.0.1 (port 0 = free port).

    It serves `handler`, the app's own WSGI application, or else Bolt's WSGI adapter.
    """

    def __init__(
        self,
        app: App,
        *,
        handler: WsgiApp | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/slack/events",
    ) -> None:
        self.app = app
        self.path = path
        self._server = make_server(
            host,
            port,
            handler or SlackRequestHandler(app, path=path),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def events_url(self) -> str:
        """The Request URL: `<url>/slack/events`."""
        return self.url + self.path

    def start(self) -> Self:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bolt-app-server",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and join the request threads."""
        if self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._thread = None
