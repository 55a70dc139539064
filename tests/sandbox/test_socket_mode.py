"""Socket Mode with slack_bolt's SocketModeHandler (the built-in slack_sdk client)."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from tests.sandbox.conftest import AppFactory, World, modal


@pytest.fixture
def socket_app(world: World, make_app: AppFactory) -> Iterator[tuple[App, queue.Queue[Any]]]:
    """A Bolt app connected to the stand-in over Socket Mode."""
    app = make_app()
    inbox: queue.Queue[Any] = queue.Queue()

    @app.command("/relationship")
    def command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack(text="Opening…")
        client.views_open(trigger_id=body["trigger_id"], view=modal())
        inbox.put(body)

    @app.view("check")
    def submitted(ack: Ack) -> None:
        ack(response_action="errors", errors={"title": "Too vague"})

    @app.event("message")
    def message(event: dict[str, Any], request: BoltRequest) -> None:
        inbox.put((event["text"], request.headers.get("x-slack-retry-num", ["-"])[0]))

    world.slack.socket_mode = True
    handler = SocketModeHandler(app, app_token=world.slack.app.app_token)
    handler.connect()
    world.slack.wait_for_socket()
    yield app, inbox
    # Close from Slack's side first: the built-in client otherwise sits in a 3 s socket read.
    handler.client.auto_reconnect_enabled = False
    world.slack.close_socket_connections()
    handler.close()


def test_connect_then_slash_command_round_trip(
    world: World, socket_app: tuple[App, queue.Queue[Any]]
) -> None:
    _, inbox = socket_app
    assert world.slack.calls("apps.connections.open", ok=True)
    delivery = world.slack.slash_command(world.alice, world.general, "/relationship", "acme")
    assert delivery.transport == "socket"
    assert delivery.ok
    assert delivery.json() == {"text": "Opening…"}
    assert inbox.get(timeout=5)["text"] == "acme"
    [shown] = world.slack.ephemerals(user=world.alice)
    assert shown.text == "Opening…"
    world.slack.wait_for_call("views.open", ok=True)
    submission = world.slack.submit(world.alice, {"title_input": "x"})
    assert submission.outcome == "errors"
    assert submission.errors == {"title": "Too vague"}


def test_events_carry_retry_attempts(
    world: World, socket_app: tuple[App, queue.Queue[Any]]
) -> None:
    _, inbox = socket_app
    [first] = world.slack.post(world.alice, world.general, "hello").deliveries
    assert first.ok
    assert first.transport == "socket"
    assert inbox.get(timeout=5) == ("hello", "0")
    world.slack.redeliver(first, reason="timeout")
    assert inbox.get(timeout=5) == ("hello", "1")


def test_reconnect_on_request(world: World, socket_app: tuple[App, queue.Queue[Any]]) -> None:
    opened = len(world.slack.calls("apps.connections.open"))
    world.slack.request_socket_reconnect()
    world.slack.wait_for_call("apps.connections.open", count=opened + 1)
    world.slack.wait_for_socket()
    assert world.slack.slash_command(world.alice, world.general, "/relationship").ok


def test_no_client_connected(world: World) -> None:
    world.slack.socket_mode = True
    world.slack.delivery_timeout = 0.1
    delivery = world.slack.slash_command(world.alice, world.general, "/relationship")
    assert delivery.error == "no Socket Mode client"
    assert not delivery.ok
