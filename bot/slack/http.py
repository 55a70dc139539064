"""The WSGI application for HTTP mode: /slack/events through Bolt, plus /healthz.

Slack's requests are read, checked and parsed here, before Bolt sees them:

- the body is capped at `MAX_BODY_BYTES` before it is read (Slack's payloads are far smaller);
- the timestamp and the signature are checked on the raw bytes (Bolt checks them again);
- form bodies are parsed by their fields. Bolt's own parser (`parse_body` in
  `slack_bolt/request/internals.py`) takes any form body in which the word "payload" appears
  anywhere for an interaction, so `/relationship the payload deal`, or any command typed in a
  channel named `#payload-team`, reached no listener and answered 404.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

StartResponse = Callable[..., Any]
logger = logging.getLogger(__name__)

MAX_BODY_BYTES: Final = 1_000_000
INTERACTION_FIELD: Final = "payload"  # interactions arrive as one form field holding JSON


class RefusedError(Exception):
    """A request answered at the edge, never dispatched to Bolt."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> BoltResponse:
        """The plain-text answer."""
        return BoltResponse(status=self.status, body=self.reason)


def read_body(environ: dict[str, Any], limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused (413) when it declares more than `limit`, before it is read.

    As in Bolt's own adapter, a request without a Content-Length has no body.
    """
    declared = str(environ.get("CONTENT_LENGTH") or "0")
    if not declared.isdigit():
        raise RefusedError(400, "Bad Request")
    length = int(declared)
    if length > limit:
        raise RefusedError(413, "Payload Too Large")
    stream = environ.get("wsgi.input")
    if stream is None or length == 0:
        return b""
    body: bytes = stream.read(length)
    return body


def verify(verifier: SignatureVerifier, body: bytes, headers: dict[str, Any]) -> None:
    """Refuse (401) a request whose timestamp is missing, malformed or stale, or whose
    signature does not match the raw body."""
    timestamp = str(headers.get("x-slack-request-timestamp") or "")
    signature = str(headers.get("x-slack-signature") or "")
    if not timestamp.isdigit() or not signature:
        raise RefusedError(401, "Unauthorized")
    if not verifier.is_valid(body, timestamp, signature):
        raise RefusedError(401, "Unauthorized")


def parse_body(raw: str, content_type: str | None) -> dict[str, Any]:
    """A Slack request body as Bolt expects it: JSON (events), an interaction's `payload`
    field decoded, or a slash command's form fields. Anything else is refused (400)."""
    if not raw:
        return {}
    try:
        if content_type == "application/json" or raw.startswith("{"):
            return _json_object(raw)
        form = dict(parse_qsl(raw, keep_blank_values=True))
        if INTERACTION_FIELD in form:
            return _json_object(form[INTERACTION_FIELD])
        return form
    except (RecursionError, ValueError) as error:
        raise RefusedError(400, "Bad Request") from error


def _json_object(text: str) -> dict[str, Any]:
    """A JSON object, or ValueError."""
    parsed = json.loads(text)
    if not isinstance(parsed, dict):
        raise ValueError("not a JSON object")
    return parsed


class ParsedRequest(BoltRequest):
    """A BoltRequest whose body was parsed at the edge; `raw_body` stays the exact text signed."""

    def __init__(
        self,
        *,
        raw_body: str,
        body: dict[str, Any],
        query: str | dict[str, Sequence[str]],
        headers: dict[str, Any],
    ) -> None:
        super().__init__(body="", query=query, headers=headers)
        self.raw_body = raw_body
        self.body = body
        self.context = build_context(BoltContext(), body)

    def to_copyable(self) -> BoltRequest:
        """A copy that keeps the edge's parsing (Bolt's own would parse `raw_body` again)."""
        copy = ParsedRequest(
            raw_body=self.raw_body, body=self.body, query=self.query, headers=self.headers
        )
        copy.context = self.context.to_copyable()
        return copy


class SlackRequests(SlackRequestHandler):
    """Bolt's WSGI handler with the body read, verified and parsed at the edge."""

    def __init__(self, app: App, *, signing_secret: str, path: str = "/slack/events") -> None:
        super().__init__(app, path=path)
        self.verifier = SignatureVerifier(signing_secret)

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Read, verify and parse the body, then let Bolt dispatch it."""
        try:
            bolt_request = self.admit(request)
        except RefusedError as refused:
            logger.warning("refused a request at the edge: %s %s", refused.status, refused.reason)
            return refused.response()
        return self.app.dispatch(bolt_request)

    def admit(self, request: WsgiHttpRequest) -> ParsedRequest:
        """The request Bolt dispatches, or RefusedError."""
        headers = request.get_headers()
        lowered = {name.lower(): value for name, value in headers.items()}
        raw = read_body(request.environ)
        verify(self.verifier, raw, lowered)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RefusedError(400, "Bad Request") from error
        content_type = str(lowered.get("content-type") or "").split(";")[0].strip().lower()
        return ParsedRequest(
            raw_body=text,
            body=parse_body(text, content_type or None),
            query=request.query_string,
            headers=headers,
        )


class SlackWsgi:
    """Route Slack's requests to Bolt and answer health checks."""

    def __init__(self, app: App, *, signing_secret: str) -> None:
        self.bolt = SlackRequests(app, signing_secret=signing_secret)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return self.bolt(environ, start_response)
