"""HTTP plumbing: a threaded loopback server routing requests to handlers by path prefix."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.sandbox.copies import json_bytes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HttpRequest:
    """A request as handlers see it: method, path, query, lower-cased headers, raw body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class HttpResponse:
    """A response to write back."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, data: Any, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        """A JSON response (`application/json; charset=utf-8`)."""
        return cls(
            status=status,
            body=json_bytes(data),
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        )

    @classmethod
    def text(cls, text: str, *, status: int = 200) -> HttpResponse:
        """A plain text response."""
        return cls(status=status, body=text.encode(), headers={"Content-Type": "text/plain"})


class DropConnection(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised by a handler to close the connection without answering."""


Handler = Callable[[HttpRequest], HttpResponse]


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every request thread: nothing leaks
    block_on_close = True
    request_queue_size = 128  # 50 concurrent clients must not overflow the accept backlog
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], router: HttpServer) -> None:
        self.router = router
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "SlackSandbox/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def _handle(self) -> None:
        self.close_connection = True
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = HttpRequest(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.router.dispatch(request)
        except DropConnection:
            return
        except Exception:
            logger.exception("stand-in handler failed for %s %s", request.method, request.path)
            response = HttpResponse.json({"ok": False, "error": "internal_error"}, status=500)
        self._write(response)

    def _write(self, response: HttpResponse) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("client went away before the answer to %s", self.path)

    # BaseHTTPRequestHandler finds handlers by these exact names.
    do_GET = _handle  # noqa: N815
    do_POST = _handle  # noqa: N815


class HttpServer:
    """A loopback HTTP server (port 0 picks a free port) with prefix routing."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self._routes: list[tuple[str, Handler]] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def route(self, prefix: str, handler: Handler) -> None:
        """Send requests whose path starts with `prefix` to `handler` (longest prefix wins)."""
        self._routes.append((prefix, handler))
        self._routes.sort(key=lambda r: len(r[0]), reverse=True)

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        """Call the handler for the request's path, or answer 404."""
        for prefix, handler in self._routes:
            if request.path.startswith(prefix):
                return handler(request)
        return HttpResponse.text("Not Found", status=404)

    @property
    def port(self) -> int:
        """The bound port (kept while a restart is under way)."""
        if self._server is not None:
            return int(self._server.server_address[1])
        if self._address[1]:
            return self._address[1]
        raise RuntimeError("server not started")

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://{self._address[0]}:{self.port}"

    def start(self) -> None:
        """Bind and serve in a background thread (a restart binds the same port again)."""
        self._server = _Server(self._address, self)
        self._address = (self._address[0], self.port)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-http-{self.port}",
        )
        self._thread.start()

    def stop(self, *, before_join: Callable[[], None] | None = None) -> None:
        """Stop serving, close the socket and join every request thread.

        `before_join` runs once new connections are refused but before waiting for the
        requests in flight: the place to let parked (held) calls finish.
        """
        if self._server is None:
            return
        self._server.shutdown()
        self._server.socket.close()
        if before_join is not None:
            before_join()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None
