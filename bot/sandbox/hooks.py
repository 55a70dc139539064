"""Endpoints beside the Web API: response_url posts and the OAuth consent screen."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.sandbox.blocks import validate_message_blocks
from bot.sandbox.errors import ApiError
from bot.sandbox.payloads import Outbound
from bot.sandbox.server import HttpRequest, HttpResponse
from bot.sandbox.state import DEFAULT_BOT_SCOPES, SandboxState, Workspace

HOOKS_PREFIX = "/hooks/"
AUTHORIZE_PATH = "/oauth/v2/authorize"


@dataclass(frozen=True)
class ResponseUrlPost:
    """One POST to a response_url: what the app sent and how the stand-in answered."""

    path: str
    body: dict[str, Any]
    status: int
    error: str | None
    at: float

    @property
    def ok(self) -> bool:
        """True when the stand-in accepted the post."""
        return self.error is None


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


class Hooks:
    """Serves response_urls (5 uses, 30 minutes) and `/oauth/v2/authorize`."""

    def __init__(self, state: SandboxState, *, on_events: Callable[[list[Outbound]], None]) -> None:
        self.state = state
        self.on_events = on_events
        self._lock = threading.Lock()
        self.posts: list[ResponseUrlPost] = []
        # The Redirect URL configured in the app's settings, used when a request names none.
        self.default_redirect_uri: str | None = None

    def snapshot(self) -> list[ResponseUrlPost]:
        """Every response_url post so far."""
        with self._lock:
            return list(self.posts)

    # ----------------------------------------------------------- response_url

    def response_url(self, request: HttpRequest) -> HttpResponse:
        """Apply a response_url post: ephemeral, in_channel, replace_original, delete_original."""
        body: dict[str, Any] = {}
        try:
            body = self._read_body(request)
            events = self._apply(request.path, body)
        except ApiError as exc:
            status = 404 if exc.code in ("used_url", "expired_url", "no_service") else 400
            self._log(request.path, body, status, exc.code)
            return HttpResponse.json({"ok": False, "error": exc.code}, status=status)
        self._log(request.path, body, 200, None)
        self.on_events(events)
        return HttpResponse.json({"ok": True})

    def _log(self, path: str, body: dict[str, Any], status: int, error: str | None) -> None:
        with self._lock:
            self.posts.append(ResponseUrlPost(path, body, status, error, time.time()))

    @staticmethod
    def _read_body(request: HttpRequest) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "")
        try:
            if content_type.startswith("application/x-www-form-urlencoded"):
                form = dict(parse_qsl(request.body.decode()))
                data = json.loads(form.get("payload", "{}"))
            else:
                data = json.loads(request.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError("invalid_payload") from exc
        if not isinstance(data, dict):
            raise ApiError("invalid_payload")
        return data

    def _apply(self, path: str, body: dict[str, Any]) -> list[Outbound]:
        state = self.state
        with state.lock:
            url = state.response_urls.get(path)
            if url is None:
                raise ApiError("no_service")
            if state.monotonic() - url.issued > state.response_url_ttl:
                raise ApiError("expired_url")
            if url.uses >= state.RESPONSE_URL_USES:
                raise ApiError("used_url")
            blocks = validate_message_blocks(body.get("blocks"))
            text = str(body.get("text") or "")
            conv = state.conversation(url.channel_id)
            inst = state.workspace(url.team_id).installation
            if inst is None:
                raise ApiError("no_service")
            bot = state.user(inst.bot_user_id)
            original = state.message(conv.id, url.message_ts) if url.message_ts else None
            events: list[Outbound] = []
            if _truthy(body.get("delete_original")):
                if original is None:
                    raise ApiError("message_not_found")
                previous = state.message_json(original)
                state.remove_message(conv, original)
                events = state.deleted_event(conv, original.ts, previous)
            elif _truthy(body.get("replace_original")) and original is not None:
                if not text and not blocks:
                    raise ApiError("no_text")
                previous = state.message_json(original)
                original.text = text
                original.blocks = blocks
                events = state.changed_event(conv, original, previous)
            elif body.get("response_type") == "in_channel":
                if not text and not blocks:
                    raise ApiError("no_text")
                msg = state.add_message(
                    conv, bot, text=text, blocks=blocks, thread_ts=body.get("thread_ts")
                )
                events = state.message_events(conv, msg)
            else:
                if not text and not blocks:
                    raise ApiError("no_text")
                state.add_ephemeral(
                    conv.id,
                    url.user_id,
                    text=text,
                    blocks=blocks,
                    source="response_url",
                    thread_ts=body.get("thread_ts"),
                )
            url.uses += 1
            return events

    # ------------------------------------------------------------------ OAuth

    def authorize(self, request: HttpRequest) -> HttpResponse:
        """The consent screen, already approved: redirect to the app with `code` and `state`."""
        query = request.query
        state = self.state
        if query.get("client_id") != state.app.client_id:
            return HttpResponse.text("invalid_client_id", status=400)
        redirect_uri = query.get("redirect_uri") or self.default_redirect_uri
        if not redirect_uri:
            return HttpResponse.text("bad_redirect_uri", status=400)
        with state.lock:
            ws = self._installing_workspace(query.get("team"))
            if ws is None:
                return HttpResponse.text("no workspace to install into", status=400)
            user_id = query.get("user") or next(
                (u.id for u in state.users.values() if u.team_id == ws.id and not u.is_bot), None
            )
            if user_id is None:  # a person approves every install on Slack's consent screen
                return HttpResponse.text("no person in the workspace to approve it", status=400)
            scopes = [s for s in query.get("scope", "").split(",") if s] or sorted(
                DEFAULT_BOT_SCOPES
            )
            code = state.issue_oauth_code(
                ws.id, user_id=user_id, scopes=scopes, redirect_uri=query.get("redirect_uri")
            )
        params = {"code": code}
        if "state" in query:
            params["state"] = query["state"]
        separator = "&" if "?" in redirect_uri else "?"
        location = f"{redirect_uri}{separator}{urlencode(params)}"
        return HttpResponse(status=302, headers={"Location": location})

    def _installing_workspace(self, team_id: str | None) -> Workspace | None:
        workspaces = list(self.state.workspaces.values())
        if team_id:
            return self.state.workspaces.get(team_id)
        not_installed = [w for w in workspaces if w.active_installation is None]
        candidates = not_installed or workspaces
        return candidates[0] if candidates else None
