"""Socket Mode: a websocket server that says hello, sends envelopes and waits for acks."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

logger = logging.getLogger(__name__)

TICKET_TTL = 60.0


@dataclass
class _PendingAck:
    connection: ServerConnection
    arrived: threading.Event = field(default_factory=threading.Event)
    ack: dict[str, Any] | None = None
    closed: bool = False


class SocketClosedError(ConnectionError):
    """The websocket closed before the app acknowledged an envelope."""


class SocketModeServer:
    """The `wss://wss-primary.slack.com/link` stand-in, on a loopback `ws://` port."""

    def __init__(self, app_id: str, host: str = "127.0.0.1") -> None:
        self.app_id = app_id
        self.host = host
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._tickets: dict[str, float] = {}
        self._connections: list[ServerConnection] = []
        # Connections told to reconnect: Slack keeps them open a while but sends them nothing new.
        self._draining: set[ServerConnection] = set()
        self._pending: dict[str, _PendingAck] = {}
        self._round_robin = itertools.count()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._closers: list[threading.Thread] = []
        self.connects = 0

    # -------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Listen on a free port in a background thread."""
        self._server = serve(
            self._handle,
            self.host,
            0,
            process_request=self._check_ticket,
            logger=logger,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"sandbox-socket-{self.port}"
        )
        self._thread.start()

    def stop(self) -> None:
        """Close every connection and the listening socket; join the threads."""
        if self._server is None:
            return
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join()
        for closer in self._closers:
            closer.join()
        self._closers.clear()
        self._server = None
        self._thread = None

    @property
    def port(self) -> int:
        """The bound port."""
        if self._server is None:
            raise RuntimeError("socket server not started")
        return int(self._server.socket.getsockname()[1])

    # ------------------------------------------------------------ connections

    def new_url(self) -> str:
        """A single-use URL, as `apps.connections.open` returns."""
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets[ticket] = time.monotonic()
        return f"ws://{self.host}:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        ticket = parse_qs(parts.query).get("ticket", [""])[0]
        with self._lock:
            issued = self._tickets.pop(ticket, None)
        if parts.path.rstrip("/") != "/link" or issued is None:
            return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid ticket\n")
        if time.monotonic() - issued > TICKET_TTL:
            return connection.respond(HTTPStatus.UNAUTHORIZED, "expired ticket\n")
        return None

    def _live(self) -> list[ServerConnection]:
        return [c for c in self._connections if c not in self._draining]

    @property
    def connection_count(self) -> int:
        """Open Socket Mode connections that receive envelopes."""
        with self._lock:
            return len(self._live())

    def wait_connected(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until at least `count` clients are connected."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._live()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def _handle(self, connection: ServerConnection) -> None:
        with self._changed:
            self._connections.append(connection)
            self.connects += 1
            count = len(self._live())
            self._changed.notify_all()
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": "applink-sandbox",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        try:
            connection.send(json.dumps(hello))
            self._retire_draining()
            for message in connection:
                self._on_message(message)
        except ConnectionClosed:
            logger.debug("socket mode client went away")
        finally:
            with self._changed:
                if connection in self._connections:
                    self._connections.remove(connection)
                self._draining.discard(connection)
                for pending in self._pending.values():
                    if pending.connection is connection:
                        pending.closed = True
                        pending.arrived.set()
                self._changed.notify_all()

    def _on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except (json.JSONDecodeError, UnicodeDecodeError):
            logger.warning("socket mode client sent something that is not JSON")
            return
        if not isinstance(data, dict):
            return
        envelope_id = data.get("envelope_id")
        with self._lock:
            pending = self._pending.get(str(envelope_id))
        if pending is None:
            logger.debug("ack for an unknown envelope %s", envelope_id)
            return
        pending.ack = data
        pending.arrived.set()

    # --------------------------------------------------------------- delivery

    def send(self, envelope: dict[str, Any], *, timeout: float) -> dict[str, Any] | None:
        """Send an envelope to one connected client; return its ack (None if none in time)."""
        envelope_id = str(envelope["envelope_id"])
        with self._lock:
            live = self._live()
            if not live:
                raise SocketClosedError("no Socket Mode client is connected")
            connection = live[next(self._round_robin) % len(live)]
            pending = _PendingAck(connection=connection)
            self._pending[envelope_id] = pending
        try:
            connection.send(json.dumps(envelope))
            pending.arrived.wait(timeout)
            if pending.closed and pending.ack is None:
                raise SocketClosedError("the connection closed before the ack")
            return pending.ack
        except ConnectionClosed as exc:
            raise SocketClosedError("the connection closed before the envelope was sent") from exc
        finally:
            with self._lock:
                self._pending.pop(envelope_id, None)

    def request_reconnect(self, reason: str = "refresh_requested") -> None:
        """Send Slack's `disconnect` message: clients open a new connection, then drop this one."""
        with self._lock:
            connections = self._live()
            self._draining.update(connections)
        for connection in connections:
            try:
                connection.send(json.dumps({"type": "disconnect", "reason": reason}))
            except ConnectionClosed:
                logger.debug("client closed before the disconnect message")

    def _retire_draining(self) -> None:
        """A client reconnected after `disconnect`: Slack now closes the old connections."""
        with self._lock:
            old = list(self._draining)
            self._closers = [t for t in self._closers if t.is_alive()]
            for connection in old:
                closer = threading.Thread(
                    target=connection.close,
                    kwargs={"code": 1001, "reason": "refreshed"},
                    name="sandbox-socket-closer",
                )
                self._closers.append(closer)
                closer.start()

    def close_connections(self) -> None:
        """Close every client connection from the server side (code 1001, going away)."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close(code=1001, reason="going away")
