"""Start and stop cleanly; the raw Socket Mode protocol; shared channels and Enterprise Grid."""

from __future__ import annotations

import json
import socket
import threading

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from bot.sandbox import SlackStandIn
from tests.sandbox.conftest import World


def test_stop_joins_every_thread_and_socket() -> None:
    before = set(threading.enumerate())
    with SlackStandIn(socket_mode=True) as slack:
        ws = slack.add_workspace()
        alice = slack.add_user(ws, "alice")
        general = slack.add_channel(ws, "general", members=[alice], bot=True)
        slack.client(ws).chat_postMessage(channel=general.id, text="x")
        url = slack.client(ws).apps_connections_open(app_token=slack.app.app_token)["url"]
        with connect(url) as socket:
            json.loads(socket.recv(timeout=5))
    slack.stop()  # idempotent
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert leftover == []


def test_raw_socket_protocol_hello_envelope_ack(world: World) -> None:
    slack = world.slack
    slack.socket_mode = True
    url = slack.client().apps_connections_open(app_token=slack.app.app_token)["url"]
    results: list[object] = []
    with connect(url) as socket:
        hello = json.loads(socket.recv(timeout=5))
        assert hello["type"] == "hello"
        assert hello["connection_info"] == {"app_id": slack.app.app_id}
        assert hello["num_connections"] == 1
        thread = threading.Thread(
            target=lambda: results.append(
                slack.slash_command(world.alice, world.general, "/relationship", "hi")
            )
        )
        thread.start()
        envelope = json.loads(socket.recv(timeout=5))
        assert envelope["type"] == "slash_commands"
        assert envelope["accepts_response_payload"] is True
        assert envelope["payload"]["text"] == "hi"
        socket.send(json.dumps({"envelope_id": envelope["envelope_id"], "payload": {"text": "ok"}}))
        thread.join(timeout=5)
    [delivery] = results
    assert delivery.ok  # type: ignore[attr-defined]
    assert delivery.json() == {"text": "ok"}  # type: ignore[attr-defined]


def test_socket_url_is_single_use(world: World) -> None:
    url = world.slack.client().apps_connections_open(app_token=world.slack.app.app_token)["url"]
    with connect(url) as socket:
        socket.recv(timeout=5)
    with pytest.raises(InvalidStatus), connect(url):
        pass


def test_shared_channel_events_go_once_to_the_host(slack: SlackStandIn) -> None:
    acme = slack.add_workspace("Acme")
    partner = slack.add_workspace("Partner")
    alice = slack.add_user(acme, "alice")
    pat = slack.add_user(partner, "pat")
    room = slack.add_channel(
        acme, "deal-room", members=[alice, pat], bot=True, shared_with=[partner]
    )
    slack.invite(pat, room)  # the partner's copy of the app joins too
    [delivery] = slack.post(pat, room, "our counter-offer").deliveries
    envelope = delivery.payload
    assert envelope["team_id"] == acme.id
    assert envelope["is_ext_shared_channel"] is True
    assert envelope["event"]["user_team"] == partner.id
    assert envelope["event"]["team"] == partner.id


def test_enterprise_ids_travel_with_payloads(slack: SlackStandIn) -> None:
    grid = slack.add_workspace("Grid Co", enterprise_id="E0000001", enterprise_name="Grid")
    alice = slack.add_user(grid, "alice")
    general = slack.add_channel(grid, "general", members=[alice], bot=True)
    assert slack.client(grid).auth_test()["enterprise_id"] == "E0000001"
    command = slack.slash_command(alice, general, "/relationship")
    assert command.payload["enterprise_id"] == "E0000001"
    [event] = slack.post(alice, general, "x").deliveries
    assert event.payload["enterprise_id"] == "E0000001"
    assert event.payload["authorizations"][0]["enterprise_id"] == "E0000001"


def test_serves_on_the_port_asked_for() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with SlackStandIn(port=port) as slack:
        assert slack.url == f"http://127.0.0.1:{port}"
