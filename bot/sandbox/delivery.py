"""Delivery to the app: signed HTTP POSTs to the Request URL, or Socket Mode envelopes."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from bot.sandbox.copies import form_body, json_bytes
from bot.sandbox.payloads import DeliveryKind, Outbound
from bot.sandbox.socket import SocketClosedError, SocketModeServer

logger = logging.getLogger(__name__)

ACK_DEADLINE: Final = 3.0
USER_AGENT: Final = "Slackbot 1.0 (+https://api.slack.com/robots)"
Transport = Literal["http", "socket", "none"]


def sign(signing_secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature: `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def encode_http_body(outbound: Outbound) -> tuple[bytes, str]:
    """The body and content type Slack posts for this kind of request."""
    if outbound.kind == "events_api":
        return json_bytes(outbound.payload), "application/json"
    if outbound.kind == "slash_commands":
        return form_body(outbound.payload), "application/x-www-form-urlencoded"
    return form_body({"payload": json_bytes(outbound.payload)}), "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Delivery:
    """One request sent to the app and what came back."""

    seq: int
    kind: DeliveryKind
    label: str
    team_id: str
    payload: dict[str, Any]
    transport: Transport
    status: int | None
    headers: dict[str, str]
    body: str
    elapsed: float
    error: str | None = None
    retry_num: int = 0
    retry_reason: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    deadline: float = ACK_DEADLINE

    @property
    def ok(self) -> bool:
        """True when the app answered 200 (HTTP) or acknowledged the envelope (socket)."""
        return self.error is None and self.status == 200

    @property
    def acked_in_time(self) -> bool:
        """True when the app answered 200 within Slack's deadline (3 seconds)."""
        return self.ok and self.elapsed <= self.deadline

    def json(self) -> Any:
        """The app's answer decoded as JSON (None when empty)."""
        return json.loads(self.body) if self.body.strip() else None


class DeliveryLog:
    """Thread-safe record of deliveries, with a blocking wait."""

    def __init__(self) -> None:
        self._items: list[Delivery] = []
        self._cleared = 0
        self._cond = threading.Condition()

    def add(self, delivery: Delivery) -> Delivery:
        """Record a delivery (numbering it) and wake waiters."""
        with self._cond:
            delivery = replace(delivery, seq=self._cleared + len(self._items) + 1)
            self._items.append(delivery)
            self._cond.notify_all()
        return delivery

    def clear(self) -> None:
        """Forget every recorded delivery (numbering goes on)."""
        with self._cond:
            self._cleared += len(self._items)
            self._items.clear()

    def select(self, label: str | None = None) -> list[Delivery]:
        """Deliveries, optionally only those with `label` (`event:message`, ...)."""
        with self._cond:
            items = list(self._items)
        return [d for d in items if label is None or d.label == label]

    def wait_for(self, label: str, *, count: int = 1, timeout: float = 5.0) -> list[Delivery]:
        """Block until `count` deliveries with `label` exist."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := self.select(label)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"waited {timeout}s for {count} x {label}")
                self._cond.wait(remaining)
            return found


class Deliverer:
    """Sends Outbound requests to the app over HTTP (signed) or Socket Mode."""

    def __init__(
        self,
        *,
        signing_secret: Callable[[], str],
        socket_server: SocketModeServer,
        log: DeliveryLog,
        timeout: float = 10.0,
    ) -> None:
        self._signing_secret = signing_secret
        self._socket = socket_server
        self.log = log
        self.timeout = timeout
        self.request_url: str | None = None
        self.socket_mode = False
        self.ack_deadline = ACK_DEADLINE

    @property
    def transport(self) -> Transport:
        """Where deliveries go now."""
        if self.socket_mode:
            return "socket"
        return "http" if self.request_url else "none"

    def send(
        self,
        outbound: Outbound,
        *,
        retry_num: int = 0,
        retry_reason: str | None = None,
        url: str | None = None,
    ) -> Delivery:
        """Deliver one request (over HTTP to `url` if given) and record what the app answered."""
        retry = (retry_num, retry_reason)
        if self.socket_mode and url is None:
            return self._via_socket(outbound, retry=retry)
        body, content_type = encode_http_body(outbound)
        headers = {"Content-Type": content_type}
        if retry_num:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_error"
        return self.post(body, headers, outbound=outbound, retry=retry, url=url)

    def post(
        self,
        body: bytes,
        headers: dict[str, str],
        *,
        outbound: Outbound,
        signing_secret: str | None = None,
        timestamp: str | None = None,
        signature: str | None = None,
        retry: tuple[int, str | None] = (0, None),
        url: str | None = None,
    ) -> Delivery:
        """POST a signed body to the Request URL (or `url`); any signature part can be forged."""
        started = time.monotonic()
        target = url or self.request_url
        if target is None:
            return self._record(outbound, started, transport="none", error="no request URL set")
        ts = timestamp or str(int(time.time()))
        secret = signing_secret if signing_secret is not None else self._signing_secret()
        all_headers = {
            "User-Agent": USER_AGENT,
            **headers,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign(secret, ts, body),
        }
        parts = urlsplit(target)
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout
        )
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("POST", path, body=body, headers=all_headers)
            response = conn.getresponse()
            answer = response.read().decode("utf-8", "replace")
            status = response.status
            response_headers = {k.lower(): v for k, v in response.getheaders()}
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            return self._record(outbound, started, transport="http", error=error, retry=retry)
        finally:
            conn.close()
        return self._record(
            outbound,
            started,
            transport="http",
            status=status,
            headers=response_headers,
            body=answer,
            retry=retry,
        )

    def _via_socket(self, outbound: Outbound, *, retry: tuple[int, str | None]) -> Delivery:
        started = time.monotonic()
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "payload": outbound.payload,
            "type": outbound.kind,
            "accepts_response_payload": outbound.accepts_response_payload,
        }
        if outbound.kind == "events_api":
            envelope["retry_attempt"] = retry[0]
            envelope["retry_reason"] = retry[1] or ""
        if not self._socket.wait_connected(timeout=self.timeout):
            error = "no Socket Mode client"
            return self._record(outbound, started, transport="socket", error=error, retry=retry)
        try:
            ack = self._socket.send(envelope, timeout=self.timeout)
        except SocketClosedError as exc:
            return self._record(outbound, started, transport="socket", error=str(exc), retry=retry)
        if ack is None:
            error = "no ack in time"
            return self._record(outbound, started, transport="socket", error=error, retry=retry)
        payload = ack.get("payload")
        return self._record(
            outbound,
            started,
            transport="socket",
            status=200,
            headers={"content-type": "application/json"} if payload else {},
            body=json.dumps(payload) if payload else "",
            retry=retry,
        )

    def _record(
        self,
        outbound: Outbound,
        started: float,
        *,
        transport: Transport,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        body: str = "",
        error: str | None = None,
        retry: tuple[int, str | None] = (0, None),
    ) -> Delivery:
        delivery = Delivery(
            seq=0,
            kind=outbound.kind,
            label=outbound.label,
            team_id=outbound.team_id,
            payload=outbound.payload,
            transport=transport,
            status=status,
            headers=headers or {},
            body=body,
            elapsed=time.monotonic() - started,
            error=error,
            retry_num=retry[0],
            retry_reason=retry[1],
            meta=dict(outbound.meta),
            deadline=self.ack_deadline,
        )
        if error:
            logger.info("delivery of %s failed: %s", outbound.label, error)
        return self.log.add(delivery)


class EventPump:
    """Delivers events caused by the app's own Web API calls, in order, off the caller's thread."""

    def __init__(self, deliver: Callable[[Outbound], Delivery]) -> None:
        self._deliver = deliver
        self._queue: queue.Queue[Outbound | None] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread: threading.Thread | None = None
        self.enabled = True

    def start(self) -> None:
        """Start the delivery thread."""
        self._thread = threading.Thread(target=self._run, name="sandbox-event-pump")
        self._thread.start()

    def stop(self) -> None:
        """Drop what is still queued and join the thread."""
        self.enabled = False
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def put(self, outbounds: list[Outbound]) -> None:
        """Queue events for delivery."""
        if not self.enabled:
            return
        with self._idle:
            self._pending += len(outbounds)
        for outbound in outbounds:
            self._queue.put(outbound)

    def settle(self, timeout: float = 5.0) -> None:
        """Block until every queued event was delivered (TimeoutError otherwise)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{self._pending} event(s) still queued after {timeout}s")
                self._idle.wait(remaining)

    def _run(self) -> None:
        while (outbound := self._queue.get()) is not None:
            try:
                if self.enabled:
                    self._deliver(outbound)
            except Exception:
                logger.exception("delivering %s failed", outbound.label)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
