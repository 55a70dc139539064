"""Errors: a Web API error answer, and a test misusing the stand-in."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Web API call fails: HTTP 200 with `{"ok": false, "error": code, ...}`."""

    def __init__(self, code: str, *, messages: list[str] | None = None, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages or []
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON body Slack answers with."""
        body: dict[str, Any] = {"ok": False, "error": self.code, **self.extra}
        if self.messages:
            body["response_metadata"] = {"messages": list(self.messages)}
        return body


def invalid_arguments(*messages: str) -> ApiError:
    """`invalid_arguments` with Slack's `[ERROR] ...` detail lines."""
    return ApiError("invalid_arguments", messages=[f"[ERROR] {m}" for m in messages])


class UserActionError(ValueError):
    """A test asked the stand-in for something a Slack user could not do."""
