"""OAuth: oauth.v2.access through a real WebClient, and Bolt's whole install flow."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import FileInstallationStore
from slack_sdk.oauth.state_store import FileOAuthStateStore

from bot.sandbox import BoltAppServer, SlackStandIn

REDIRECT = "https://app.example/slack/oauth_redirect"


def _exchange(slack: SlackStandIn, issued: str, **overrides: str) -> dict[str, object]:
    args = {
        "client_id": slack.app.client_id,
        "client_secret": slack.app.client_secret,
        "code": issued,
        "redirect_uri": REDIRECT,
        **overrides,
    }
    return WebClient(base_url=slack.api_url).oauth_v2_access(**args).data  # type: ignore[return-value]


def test_code_exchanges_once_for_a_bot_token(slack: SlackStandIn) -> None:
    newco = slack.add_workspace("NewCo", install=False)
    admin = slack.add_user(newco, "admin")
    code = slack.oauth_code(
        newco, user=admin, scopes=["chat:write", "commands"], redirect_uri=REDIRECT
    )
    answer = _exchange(slack, code)
    assert answer["token_type"] == "bot"  # noqa: S105 - a token type, not a token
    assert str(answer["access_token"]).startswith("xoxb-")
    assert answer["scope"] == "chat:write,commands"
    assert answer["team"] == {"name": "NewCo", "id": newco.id}
    assert answer["authed_user"] == {"id": admin.id}
    assert answer["app_id"] == slack.app.app_id
    token = str(answer["access_token"])
    assert WebClient(token=token, base_url=slack.api_url).auth_test()["team_id"] == newco.id
    with pytest.raises(SlackApiError) as err:
        _exchange(slack, code)
    assert err.value.response["error"] == "invalid_code"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"client_id": "1.2"}, "invalid_client_id"),
        ({"client_secret": "wrong"}, "bad_client_secret"),
        ({"redirect_uri": "https://evil.example/cb"}, "bad_redirect_uri"),
        ({"code": "123.nope"}, "invalid_code"),
    ],
)
def test_exchange_errors(slack: SlackStandIn, overrides: dict[str, str], error: str) -> None:
    newco = slack.add_workspace("NewCo", install=False)
    code = slack.oauth_code(newco, redirect_uri=REDIRECT)
    with pytest.raises(SlackApiError) as err:
        _exchange(slack, code, **overrides)
    assert err.value.response["error"] == error
    recorded = repr(slack.calls("oauth.v2.access")[0])
    assert slack.app.client_secret not in recorded  # sent as HTTP Basic auth, never recorded


def _get(url: str, cookie: str | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_bolt_install_flow_end_to_end(slack: SlackStandIn, tmp_path: Path) -> None:
    newco = slack.add_workspace("NewCo", install=False)
    slack.add_user(newco, "admin")
    installations = FileInstallationStore(base_dir=str(tmp_path / "installations"))
    app = App(
        signing_secret=slack.app.signing_secret,
        client=WebClient(base_url=slack.api_url),
        oauth_settings=OAuthSettings(
            client_id=slack.app.client_id,
            client_secret=slack.app.client_secret,
            scopes=["chat:write", "commands"],
            installation_store=installations,
            state_store=FileOAuthStateStore(
                expiration_seconds=600, base_dir=str(tmp_path / "states")
            ),
            authorization_url=slack.authorize_url,
            install_page_rendering_enabled=False,
        ),
    )
    with BoltAppServer(app) as server:
        slack.oauth_redirect_url = server.url + "/slack/oauth_redirect"
        install = _get(server.url + "/slack/install")
        assert install.status == 302
        cookie = install.getheader("Set-Cookie", "").split(";")[0]
        consent = _get(install.getheader("Location", ""))
        assert consent.status == 302
        callback_url = consent.getheader("Location", "")
        assert parse_qs(urlsplit(callback_url).query)["code"]
        finished = _get(callback_url, cookie=cookie)
        assert finished.status == 200
    installation = installations.find_installation(enterprise_id=None, team_id=newco.id)
    assert installation is not None
    assert installation.bot_token == slack.bot_token(newco)
    assert installation.bot_id == slack.installation(newco).bot_id
    assert [c.method for c in slack.calls(ok=True)] == ["oauth.v2.access", "auth.test"]
