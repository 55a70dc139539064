"""The page and its assets: served from the package, nothing inline, nothing from elsewhere."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from tests.playground.conftest import Page

ASSETS = ("app.js", "blockkit.js", "dom.js", "mrkdwn.js", "playground.css")


def test_the_page_is_served_with_a_strict_policy(page: Page) -> None:
    status, body, headers = page.request("/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    html = body.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script
    assert re.search(r"\son[a-z]+=", html) is None  # no inline event handlers
    assert "http://" not in html and "https://" not in html


@pytest.mark.parametrize("name", ASSETS)
def test_every_asset_is_served(page: Page, name: str) -> None:
    status, body, headers = page.request(f"/playground/static/{name}")
    assert status == 200
    expected = "text/css" if name.endswith(".css") else "text/javascript"
    assert headers["Content-Type"].startswith(expected)
    assert body == (resources.files("bot.sandbox.playground") / name).read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/playground/static/../world.py",
        "/playground/static/world.py",
        "/playground/static/.hidden.js",
        "/playground/static/missing.js",
        "/favicon.ico",
    ],
)
def test_nothing_else_is_served(page: Page, path: str) -> None:
    assert page.request(path)[0] == 404


def test_scripts_never_write_html() -> None:
    for name in ASSETS:
        text = (resources.files("bot.sandbox.playground") / name).read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{name} uses {sink}"
