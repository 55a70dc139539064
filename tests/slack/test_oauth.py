"""OAuth wiring: scopes from one list that matches the manifest, routes, and which authorize."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.util import setup_testing_defaults

import pytest
import yaml
from pydantic import SecretStr
from slack_bolt import App

from bot.config import Settings
from bot.slack import ids
from bot.slack.app import create_app
from bot.slack.http import SlackWsgi
from bot.slack.oauth import INSTALL_PATH, REDIRECT_PATH, authorize_url
from bot.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
API_URL = "http://127.0.0.1:5055/api/"
SIGNING_SECRET = "signing"  # noqa: S105 - a test value


def manifest() -> dict[str, Any]:
    """The manifest as data."""
    data: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    return data


def test_install_asks_for_exactly_the_manifest_bot_scopes() -> None:
    declared = manifest()["oauth_config"]["scopes"]["bot"]
    assert sorted(ids.BOT_SCOPES) == sorted(declared)
    assert len(set(ids.BOT_SCOPES)) == len(ids.BOT_SCOPES)


def test_manifest_redirect_url_is_the_served_path() -> None:
    (redirect,) = manifest()["oauth_config"]["redirect_urls"]
    assert urlsplit(redirect).path == REDIRECT_PATH


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://slack.com/api/", "https://slack.com/oauth/v2/authorize"),
        ("https://slack.com/api", "https://slack.com/oauth/v2/authorize"),
        (API_URL, "http://127.0.0.1:5055/oauth/v2/authorize"),
    ],
)
def test_consent_screen_sits_beside_the_web_api(api_url: str, expected: str) -> None:
    assert authorize_url(api_url) == expected


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store."""
    with open_store(f"sqlite:///{tmp_path / 'bot.db'}") as opened:
        yield opened


def oauth_app(store: Store) -> App:
    """The app with OAuth settings and no bot token."""
    settings = Settings(
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_client_id="111.222",
        slack_client_secret=SecretStr("client-secret"),
        slack_api_url=API_URL,
        database_url="sqlite://",
    )
    return create_app(settings, store)


def wsgi_get(app: App, path: str, query: str = "") -> tuple[str, dict[str, str], bytes]:
    """GET a path from the production WSGI app in process: status, headers (lower case), body."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(b""),
    }
    setup_testing_defaults(environ)
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"] = status
        answer["headers"] = {name.lower(): value for name, value in headers}

    body = b"".join(SlackWsgi(app, signing_secret=SIGNING_SECRET)(environ, start_response))
    return answer["status"], answer["headers"], body


def test_install_redirects_to_the_consent_screen_with_scopes_and_a_state_cookie(
    store: Store,
) -> None:
    status, headers, _ = wsgi_get(oauth_app(store), INSTALL_PATH, "team=T0NEW")
    assert status.startswith("302")
    location = urlsplit(headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == authorize_url(API_URL)
    query = parse_qs(location.query)
    assert query["client_id"] == ["111.222"]
    assert query["scope"] == [",".join(ids.BOT_SCOPES)]
    assert query["team"] == ["T0NEW"]
    assert "user_scope" not in query or query["user_scope"] == [""]
    assert "client-secret" not in headers["location"]
    assert headers["set-cookie"].startswith(f"slack-app-oauth-state={query['state'][0]}")


def test_redirect_is_served_by_the_oauth_flow(store: Store) -> None:
    status, headers, body = wsgi_get(oauth_app(store), REDIRECT_PATH, "code=1.x&state=forged")
    assert status.startswith("400")  # the state was never issued to this browser
    assert headers["content-type"].startswith("text/html")
    assert b"/slack/install" in body  # Bolt's failure page points back to the start


def test_health_is_still_answered_with_oauth(store: Store) -> None:
    status, _, body = wsgi_get(oauth_app(store), "/healthz")
    assert status.startswith("200")
    assert body == b"ok\n"


def test_single_token_app_serves_no_install_routes(store: Store) -> None:
    settings = Settings(
        slack_signing_secret=SecretStr("signing"),
        slack_bot_token=SecretStr("xoxb-one"),
        slack_api_url=API_URL,
        database_url="sqlite://",
    )
    app = create_app(settings, store)
    assert app.oauth_flow is None
    for path in (INSTALL_PATH, REDIRECT_PATH):
        status, _, _ = wsgi_get(app, path)
        assert status.startswith("404")
