"""The Web API pipeline: parse like Slack, fault, authenticate, check scopes and args, record."""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.calls import ApiCall, CallLog
from bot.sandbox.copies import json_parse
from bot.sandbox.errors import ApiError, invalid_arguments
from bot.sandbox.faults import Fault, FaultPlan, Hold
from bot.sandbox.payloads import Outbound
from bot.sandbox.server import DropConnection, HttpRequest, HttpResponse
from bot.sandbox.spec import MethodSpec, method_spec
from bot.sandbox.state import Conversation, Installation, SandboxState, TokenOwner

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
_SECRET_ARGS = frozenset({"client_secret", "refresh_token"})
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass
class CallContext:
    """Everything a method handler needs for one call."""

    method: str
    spec: MethodSpec
    args: dict[str, Any]
    owner: TokenOwner | None
    state: SandboxState
    basic_auth: tuple[str, str] | None = None
    issue_socket_url: Callable[[], str] | None = None
    outbox: list[Outbound] = field(default_factory=list)

    @property
    def inst(self) -> Installation:
        """The installation whose bot token made the call."""
        if self.owner is None or self.owner.installation is None:
            raise ApiError("not_allowed_token_type")
        return self.owner.installation

    def str_arg(self, name: str, default: str = "") -> str:
        """An argument as a string ("" when absent)."""
        value = self.args.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def opt_str(self, name: str) -> str | None:
        """An argument as a string, None when absent or empty."""
        value = self.str_arg(name)
        return value or None

    def bool_arg(self, name: str, default: bool = False) -> bool:
        """A boolean argument (`true`/`1` in forms, true in JSON)."""
        value = self.args.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in _TRUE

    def int_arg(self, name: str, default: int) -> int:
        """An integer argument; `invalid_arguments` if not a number."""
        value = self.args.get(name)
        if value is None or value == "":
            return default
        try:
            return int(str(value))
        except ValueError as exc:
            raise invalid_arguments(f"must be an integer [json-pointer:/{name}]") from exc

    def require_conversation_scope(self, conv: Conversation) -> None:
        """`missing_scope` unless the token has the scope for this kind of conversation."""
        needed = self.spec.typed_scopes.get(conv.kind)
        if needed and needed not in self.inst.scopes:
            raise missing_scope(needed, self.inst.scopes)

    def emit(self, events: list[Outbound]) -> None:
        """Queue events this call causes (delivered after the answer)."""
        self.outbox.extend(events)


MethodHandler = Callable[[CallContext], dict[str, Any]]


def missing_scope(needed: str, provided: frozenset[str]) -> ApiError:
    """`missing_scope` with the `needed` and `provided` fields Slack adds."""
    return ApiError("missing_scope", needed=needed, provided=",".join(sorted(provided)))


@dataclass(frozen=True)
class ParsedRequest:
    """A Web API request's arguments and credentials, as Slack reads them."""

    args: dict[str, Any]
    bearer: str | None
    basic: tuple[str, str] | None
    json_body: bool


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    args: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            args[name] = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return args


def parse_request(request: HttpRequest, spec: MethodSpec | None) -> ParsedRequest:
    """Read args from the query, a form, multipart or JSON body; tokens from headers or params."""
    args: dict[str, Any] = dict(request.query)
    content_type = request.headers.get("content-type", "").lower()
    json_body = content_type.startswith("application/json")
    if json_body and request.body:
        try:
            data = json_parse(request.body)
        except ValueError as exc:  # invalid JSON, or invalid UTF-8 (a ValueError too)
            raise ApiError("invalid_json") from exc
        if not isinstance(data, dict):
            raise ApiError("json_not_object")
        data.pop("token", None)  # Slack reads a JSON call's token from the header only
        if spec is None or spec.json_input_supported:
            args.update(data)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        try:
            args.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError as exc:
            raise ApiError("invalid_charset") from exc
    elif content_type.startswith("multipart/form-data"):
        args.update(_parse_multipart(request.headers["content-type"], request.body))
    bearer: str | None = None
    basic: tuple[str, str] | None = None
    auth = request.headers.get("authorization", "")
    scheme, _, credentials = auth.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        bearer = credentials.strip()
    elif scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(credentials).decode().partition(":")
            basic = (user, password)
        except (binascii.Error, UnicodeDecodeError):
            basic = None
    param_token = args.pop("token", None)
    if bearer is None and isinstance(param_token, str) and param_token:
        bearer = param_token
    return ParsedRequest(args=args, bearer=bearer, basic=basic, json_body=json_body)


def _recordable(args: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in _SECRET_ARGS else v) for k, v in args.items()}


@dataclass
class _Record:
    """What the call log will hold about a call in progress."""

    method: str
    spec: MethodSpec | None
    started: float
    args: dict[str, Any] = field(default_factory=dict)
    team_id: str | None = None
    token_kind: str | None = None


class WebApi:
    """Answers `/api/<method>` requests from the handlers registered per method."""

    def __init__(
        self,
        state: SandboxState,
        *,
        handlers: dict[str, MethodHandler],
        faults: FaultPlan,
        calls: CallLog,
        on_events: Callable[[list[Outbound]], None],
        issue_socket_url: Callable[[], str] | None = None,
    ) -> None:
        self.state = state
        self.handlers = handlers
        self.faults = faults
        self.calls = calls
        self.on_events = on_events
        self.issue_socket_url = issue_socket_url

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one Web API request (HTTP 200 with `ok` false for API errors, as Slack does)."""
        method = request.path[len(API_PREFIX) :].strip("/")
        spec = method_spec(method)
        rec = _Record(method=method, spec=spec, started=time.monotonic())
        handler = self.handlers.get(method)
        if spec is None or handler is None:
            return self._answer(rec, ApiError("unknown_method").body())
        try:
            parsed = parse_request(request, spec)
        except ApiError as exc:
            return self._answer(rec, exc.body())
        rec.args = _recordable(parsed.args)
        fault = self.faults.take(method)
        if fault is not None:
            early = self._apply_fault(fault, rec, parsed.args)
            if early is not None:
                return early
        drop_after = fault is not None and fault.kind in ("drop", "hold") and fault.after_apply
        ctx = CallContext(
            method=method,
            spec=spec,
            args=parsed.args,
            owner=None,
            state=self.state,
            basic_auth=parsed.basic,
            issue_socket_url=self.issue_socket_url,
        )
        headers: dict[str, str] = {}
        try:
            self._authenticate(ctx, parsed, rec, headers)
            self._check_required(ctx)
            body = {"ok": True, **handler(ctx)}
        except ApiError as exc:
            body = exc.body()
        if drop_after:
            self._record(rec, 200, body, fault="drop")
            self.on_events(ctx.outbox)
            raise DropConnection
        if fault is not None and fault.hold is not None and fault.hold_answer:
            return self._answer_when_released(fault.hold, rec, ctx, body, headers)
        response = self._answer(rec, body, headers=headers)
        if ctx.outbox:
            self.on_events(ctx.outbox)
        return response

    def _apply_fault(self, fault: Fault, rec: _Record, args: dict[str, Any]) -> HttpResponse | None:
        """Answer for the fault, or None to go on handling the call."""
        if fault.kind == "ratelimited":
            body = {"ok": False, "error": "ratelimited"}
            self._record(rec, 429, body, fault="ratelimited")
            return HttpResponse.json(
                body, status=429, headers={"Retry-After": str(fault.retry_after)}
            )
        if fault.kind == "server_error":
            error = "service_unavailable" if fault.status == 503 else "internal_error"
            body = {"ok": False, "error": error}
            self._record(rec, fault.status, body, fault="server_error")
            return HttpResponse.json(body, status=fault.status)
        if fault.kind == "delay":
            time.sleep(fault.seconds)
            return None
        if fault.kind == "hold" and fault.hold is not None:
            if fault.hold_answer:
                return None  # apply first; the answer is held afterwards
            outcome = fault.hold.arrive(dict(args))
            if outcome == "release":
                return None
            fault.after_apply = outcome == "apply_then_drop"
        if fault.after_apply:
            return None
        self._record(rec, 0, None, fault="drop")
        raise DropConnection

    def _answer_when_released(
        self,
        hold: Hold,
        rec: _Record,
        ctx: CallContext,
        body: dict[str, Any],
        headers: dict[str, str],
    ) -> HttpResponse:
        """The call is applied: its events go out, its answer waits for the test's decision."""
        if ctx.outbox:
            self.on_events(ctx.outbox)
        if hold.arrive(dict(ctx.args)) == "release":
            return self._answer(rec, body, headers=headers)
        self._record(rec, 200, body, fault="drop")
        raise DropConnection

    def _authenticate(
        self,
        ctx: CallContext,
        parsed: ParsedRequest,
        rec: _Record,
        headers: dict[str, str],
    ) -> None:
        spec = ctx.spec
        if spec.caller == "client":
            return
        if not parsed.bearer:
            raise ApiError("not_authed")
        owner = self.state.owner_of(parsed.bearer)
        ctx.owner = owner
        rec.token_kind = owner.kind
        if owner.installation is not None:
            rec.team_id = owner.installation.team_id
        if owner.kind != spec.caller:
            raise ApiError("not_allowed_token_type")
        if owner.installation is None:
            return
        scopes = owner.installation.scopes
        headers["X-OAuth-Scopes"] = ",".join(sorted(scopes))
        headers["X-Accepted-OAuth-Scopes"] = ",".join(spec.bot_scopes)
        for scope in spec.plain_scopes:
            if scope not in scopes:
                raise missing_scope(scope, scopes)
        typed = spec.typed_scopes
        if typed and not scopes & set(typed.values()):
            raise missing_scope(",".join(typed.values()), scopes)

    @staticmethod
    def _check_required(ctx: CallContext) -> None:
        missing = [
            name
            for name in ctx.spec.required
            if name != "token" and (ctx.args.get(name) is None or ctx.args.get(name) == "")
        ]
        if missing:
            raise invalid_arguments(*(f"missing required field: {name}" for name in missing))

    def _record(
        self, rec: _Record, status: int, body: dict[str, Any] | None, *, fault: str | None = None
    ) -> None:
        error = body.get("error") if body else None
        if error is None:
            documented = True
        elif rec.spec is None:
            documented = error == "unknown_method"
        else:
            documented = rec.spec.documents(error)
        if not documented:
            logger.warning(
                "%s answered an error Slack does not document for it: %s", rec.method, error
            )
        self.calls.add(
            ApiCall(
                seq=0,
                method=rec.method,
                args=rec.args,
                team_id=rec.team_id,
                token_kind=rec.token_kind,
                status=status,
                response=body,
                started=rec.started,
                elapsed=time.monotonic() - rec.started,
                fault=fault,
                documented=documented,
            )
        )

    def _answer(
        self, rec: _Record, body: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        self._record(rec, 200, body)
        return HttpResponse.json(body, headers=headers)
