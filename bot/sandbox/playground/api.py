"""The page's JSON API: GET the state, POST people's actions; loopback, same-origin only."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel, ValidationError

from bot.sandbox.errors import UserActionError
from bot.sandbox.playground import actions
from bot.sandbox.playground.requests import (
    ClickRequest,
    CloseRequest,
    CommandRequest,
    HomeRequest,
    PinRequest,
    PostRequest,
    SubmitRequest,
)
from bot.sandbox.playground.snapshot import snapshot
from bot.sandbox.server import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from bot.sandbox.playground.world import Playground

logger = logging.getLogger(__name__)

API_PREFIX: Final = "/playground/api/"
BODY_MAX: Final = 64 * 1024
ActionHandler = Callable[["Playground", Any], dict[str, Any]]
ACTIONS: Final[dict[str, tuple[type[BaseModel], ActionHandler]]] = {
    "command": (CommandRequest, actions.run_command),
    "post": (PostRequest, actions.post_message),
    "submit": (SubmitRequest, actions.submit_view),
    "close": (CloseRequest, actions.close_view),
    "click": (ClickRequest, actions.click),
    "pin": (PinRequest, actions.pin),
    "home": (HomeRequest, actions.open_home),
}
NO_STORE: Final = {"Cache-Control": "no-store"}


def _error(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse.json({"ok": False, "error": message}, status=status, headers=NO_STORE)


def _validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


class PlaygroundApi:
    """Routes /playground/api/* to the snapshot and to people's actions."""

    def __init__(self, playground: Playground) -> None:
        self.playground = playground

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one API request with JSON."""
        if not self._same_host(request):
            return _error("this page only answers on its own address", status=403)
        name = request.path.removeprefix(API_PREFIX)
        if name == "state" and request.method == "GET":
            return self._state(request)
        if name in ACTIONS and request.method == "POST":
            return self._act(name, request)
        return _error(f"no API {request.method} {request.path}", status=404)

    def _same_host(self, request: HttpRequest) -> bool:
        """Refuse other host names (DNS rebinding) and requests without a Host header."""
        port = self.playground.url.rsplit(":", 1)[1]
        return request.headers.get("host") in {f"127.0.0.1:{port}", f"localhost:{port}"}

    def _state(self, request: HttpRequest) -> HttpResponse:
        user = request.query.get("user") or self.playground.you.id
        try:
            body = snapshot(self.playground, user)
        except UserActionError as error:
            return _error(str(error))
        return HttpResponse.json(body, headers=NO_STORE)

    def _act(self, name: str, request: HttpRequest) -> HttpResponse:
        # A JSON content type forces a CORS preflight: other sites cannot post here.
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _error("send JSON (Content-Type: application/json)", status=415)
        if len(request.body) > BODY_MAX:
            return _error("request too large", status=413)
        model, handler = ACTIONS[name]
        try:
            parsed = model.model_validate(json.loads(request.body or b"{}"))
        except json.JSONDecodeError:
            return _error("the body is not JSON")
        except ValidationError as error:
            return _error(_validation_message(error))
        try:
            answer = handler(self.playground, parsed)
        except UserActionError as error:
            return _error(str(error))
        logger.debug("playground %s: %s", name, answer)
        return HttpResponse.json({"ok": True, **answer}, headers=NO_STORE)
