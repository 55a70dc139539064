"""The Web API pipeline through a real WebClient: tokens, scopes, arguments, body formats."""

from __future__ import annotations

import json
import logging
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn
from tests.sandbox.conftest import World


def _raw(
    slack: SlackStandIn, method: str, body: bytes, headers: dict[str, str]
) -> dict[str, object]:
    request = urllib.request.Request(  # noqa: S310 - loopback URL of the stand-in
        slack.api_url + method, data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 200
        data: dict[str, object] = json.loads(response.read())
    return data


def test_auth_test_names_the_bot_and_team(world: World) -> None:
    answer = world.client.auth_test()
    assert answer["team_id"] == world.acme.id
    assert answer["user_id"] == world.bot
    assert answer["bot_id"].startswith("B")
    assert answer["url"] == "https://acme.slack.com/"


def test_no_token_is_not_authed(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=world.slack.api_url).auth_test()
    assert err.value.response.status_code == 200
    assert err.value.response["error"] == "not_authed"


def test_unknown_token_is_invalid_auth(world: World) -> None:
    client = WebClient(token="xoxb-1-2-nope", base_url=world.slack.api_url)  # noqa: S106
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel=world.general.id, text="hi")
    assert err.value.response["error"] == "invalid_auth"


def test_app_level_token_only_opens_connections(world: World) -> None:
    app_client = WebClient(token=world.slack.app.app_token, base_url=world.slack.api_url)
    with pytest.raises(SlackApiError) as err:
        app_client.auth_test()
    assert err.value.response["error"] == "not_allowed_token_type"
    assert app_client.apps_connections_open(app_token=world.slack.app.app_token)["url"].startswith(
        "ws://127.0.0.1:"
    )
    with pytest.raises(SlackApiError) as err:
        world.client.apps_connections_open(app_token=world.slack.bot_token(world.acme))
    assert err.value.response["error"] == "not_allowed_token_type"


def test_missing_scope_names_needed_and_provided(slack: SlackStandIn) -> None:
    ws = slack.add_workspace("Tiny", scopes=["commands", "users:read"])
    alice = slack.add_user(ws, "alice")
    channel = slack.add_channel(ws, "general", members=[alice], bot=True)
    with pytest.raises(SlackApiError) as err:
        slack.client(ws).chat_postMessage(channel=channel.id, text="hi")
    assert err.value.response["error"] == "missing_scope"
    assert err.value.response["needed"] == "chat:write"
    assert err.value.response["provided"] == "commands,users:read"


def test_scope_for_the_conversation_type_is_required(slack: SlackStandIn) -> None:
    ws = slack.add_workspace("Half", scopes=["channels:history", "chat:write"])
    alice = slack.add_user(ws, "alice")
    private = slack.add_channel(ws, "deals", private=True, members=[alice], bot=True)
    public = slack.add_channel(ws, "general", members=[alice], bot=True)
    client = slack.client(ws)
    assert client.conversations_history(channel=public.id)["ok"]
    with pytest.raises(SlackApiError) as err:
        client.conversations_history(channel=private.id)
    assert err.value.response["error"] == "missing_scope"
    assert err.value.response["needed"] == "groups:history"


def test_missing_required_argument_is_invalid_arguments(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.api_call("conversations.info", params={})
    assert err.value.response["error"] == "invalid_arguments"
    assert err.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]


def test_unknown_method(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.api_call("chat.teleport")
    assert err.value.response["error"] == "unknown_method"


def test_token_as_form_parameter(world: World) -> None:
    token = world.slack.bot_token(world.acme)
    body = f"token={token}&channel={world.general.id}&text=hello".encode()
    answer = _raw(
        world.slack, "chat.postMessage", body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer["ok"] is True
    call = world.slack.calls("chat.postMessage")[-1]
    assert "token" not in call.args  # tokens are never recorded


def test_json_body_needs_the_token_in_the_header(world: World) -> None:
    token = world.slack.bot_token(world.acme)
    body = json.dumps({"token": token, "channel": world.general.id, "text": "x"}).encode()
    answer = _raw(world.slack, "chat.postMessage", body, {"Content-Type": "application/json"})
    assert answer["error"] == "not_authed"


def test_json_body_ignored_by_methods_without_json_support(world: World) -> None:
    token = world.slack.bot_token(world.acme)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    body = json.dumps({"channel": world.general.id}).encode()
    answer = _raw(world.slack, "conversations.info", body, headers)
    assert answer["error"] == "invalid_arguments"


def test_malformed_json_body(world: World) -> None:
    token = world.slack.bot_token(world.acme)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    assert _raw(world.slack, "chat.postMessage", b"{nope", headers)["error"] == "invalid_json"
    assert _raw(world.slack, "chat.postMessage", b"[1]", headers)["error"] == "json_not_object"


def test_calls_are_recorded_with_team_and_answer(world: World) -> None:
    world.client.auth_test()
    with pytest.raises(SlackApiError):
        world.client.conversations_info(channel="C_NOPE")
    calls = world.slack.calls()
    assert [c.method for c in calls] == ["auth.test", "conversations.info"]
    assert calls[0].ok
    assert calls[0].team_id == world.acme.id
    assert calls[0].token_kind == "bot"  # noqa: S105 - a token kind, not a token
    assert calls[1].error == "channel_not_found"
    assert world.slack.calls("conversations.info", ok=False) == [calls[1]]
    assert world.slack.wait_for_call("auth.test").seq == 1
    assert world.slack.calls_after(1) == calls[1:]
    assert world.slack.calls_after(2, timeout=0.01) == []


def test_users_info_sees_own_and_shared_channel_users(slack: SlackStandIn) -> None:
    acme = slack.add_workspace("Acme")
    partner = slack.add_workspace("Partner Org", install=False)
    alice = slack.add_user(acme, "alice")
    pat = slack.add_user(partner, "pat")
    stranger = slack.add_user(partner, "stranger")
    client = slack.client(acme)
    assert client.users_info(user=alice.id)["user"]["team_id"] == acme.id
    with pytest.raises(SlackApiError) as err:
        client.users_info(user=pat.id)
    assert err.value.response["error"] == "user_not_found"
    slack.add_channel(acme, "deal-room", members=[alice, pat], bot=True, shared_with=[partner])
    assert client.users_info(user=pat.id)["user"]["team_id"] == partner.id
    with pytest.raises(SlackApiError) as err:
        client.users_info(user="U_NOBODY")
    assert err.value.response["error"] == "user_not_found"
    assert client.users_info(user=stranger.id)["ok"]  # shares the channel's org


def test_uninstalled_token_is_revoked(world: World) -> None:
    client = world.client
    world.slack.uninstall(world.acme)
    with pytest.raises(SlackApiError) as err:
        client.auth_test()
    assert err.value.response["error"] == "token_revoked"


def test_multipart_form_body(world: World) -> None:
    answer = world.client.api_call(
        "chat.postMessage",
        data={"channel": world.general.id, "text": "from a form"},
        files={"attachment.txt": b"ignored file part"},
    )
    assert answer["message"]["text"] == "from a form"


def test_tokens_never_reach_the_logs(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.sandbox")
    token = world.slack.bot_token(world.acme)
    world.client.auth_test()
    world.slack.faults.rate_limit("auth.test")
    with pytest.raises(SlackApiError):
        world.client.auth_test()
    world.slack.post(world.alice, world.general, "hello")  # no request URL: a logged failure
    with pytest.raises(SlackApiError):
        WebClient(token=token + "x", base_url=world.slack.api_url).auth_test()
    assert caplog.records
    assert token not in caplog.text
    assert world.slack.app.app_token not in caplog.text
    assert world.slack.app.signing_secret not in caplog.text
