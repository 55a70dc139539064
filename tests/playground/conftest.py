"""The playground running on a free port, and a client that talks to its page API over HTTP."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from bot.sandbox.playground import Playground
from bot.sandbox.playground.browser import VIEWPORT, launch, missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage
    from playwright.sync_api import Page as BrowserPage


@dataclass
class Page:
    """What the browser page does, over the same HTTP API: read the state, post actions."""

    playground: Playground

    def request(
        self,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        """A raw request to the page's server: status, body and headers."""
        request = urllib.request.Request(  # noqa: S310 - the playground's own http:// address
            self.playground.url + path, data=body, headers=headers or {}, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - same
                return answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def state(self, user: str | None = None) -> dict[str, Any]:
        """GET /playground/api/state (as `user`, else you)."""
        query = f"?user={user}" if user else ""
        status, body, _ = self.request("/playground/api/state" + query)
        assert status == 200, body
        data: dict[str, Any] = json.loads(body)
        return data

    def act(self, name: str, expect: int = 200, **fields: Any) -> dict[str, Any]:
        """POST an action as JSON (as you unless `user` is given); its JSON answer."""
        fields.setdefault("user", self.playground.you.id)
        status, body, _ = self.request(
            f"/playground/api/{name}",
            json.dumps(fields).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == expect, body
        answer: dict[str, Any] = json.loads(body)
        return answer

    def conversation(self, name: str, user: str | None = None) -> dict[str, Any]:
        """One conversation of the state, by its label."""
        conversations: list[dict[str, Any]] = self.state(user)["conversations"]
        (found,) = [c for c in conversations if c["name"] == name]
        return found

    def verdicts(self, name: str = "deals") -> list[dict[str, Any]]:
        """The bot's verdict messages in a conversation, as the page gets them."""
        return [
            m
            for m in self.conversation(name)["messages"]
            if (m.get("metadata") or {}).get("event_type") == "relationship_verdict"
        ]


@pytest.fixture
def playground() -> Iterator[Playground]:
    """A running playground on a free port."""
    with Playground(port=0) as running:
        yield running


@pytest.fixture
def page(playground: Playground) -> Page:
    """The page API of the running playground."""
    return Page(playground)


def require_browser() -> None:
    """Skip without Playwright or Chromium, with the reason; in CI (CI=true) fail instead."""
    reason = missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests, but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright; skipped without one, except in CI (CI=true)."""
    require_browser()
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415 - checked above

    expect.set_options(timeout=15_000)  # the app answers in well under a second; CI is slower
    with sync_playwright() as driver:
        running = launch(driver)
        yield running
        running.close()


@pytest.fixture
def tab(browser: Browser, playground: Playground) -> Iterator[BrowserPage]:
    """A fresh browser tab on the playground's page; it must end without a script error."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", console)
    page.goto(playground.url)
    yield page
    context.close()
    assert errors == []
