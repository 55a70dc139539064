"""Fixtures: a running stand-in with one workspace, its people and conversations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from bot.sandbox import BoltAppServer, Conversation, SlackStandIn, User, Workspace


@dataclass
class World:
    """A workspace where the app is installed, two people and the usual conversations."""

    slack: SlackStandIn
    acme: Workspace
    alice: User
    bob: User
    general: Conversation  # public, bot is a member
    random: Conversation  # public, bot is not a member
    deals: Conversation  # private, bot is a member
    secret: Conversation  # private, bot is not a member
    old: Conversation  # public, archived, bot is a member

    @property
    def client(self) -> WebClient:
        """A real WebClient with the workspace's bot token."""
        return self.slack.client(self.acme)

    @property
    def bot(self) -> str:
        """The bot user id."""
        return self.slack.bot_user_id(self.acme)


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    """A started stand-in; every error it answered must be one Slack documents."""
    with SlackStandIn(trigger_ttl=3.0) as standin:
        yield standin
        undocumented = [c for c in standin.calls() if not c.documented]
        assert not undocumented, f"errors Slack does not document: {undocumented}"


@pytest.fixture
def world(slack: SlackStandIn) -> World:
    """The usual workspace."""
    acme = slack.add_workspace("Acme")
    alice = slack.add_user(acme, "alice")
    bob = slack.add_user(acme, "bob")
    people = [alice, bob]
    return World(
        slack=slack,
        acme=acme,
        alice=alice,
        bob=bob,
        general=slack.add_channel(acme, "general", members=people, bot=True),
        random=slack.add_channel(acme, "random", members=people),
        deals=slack.add_channel(acme, "deals", private=True, members=people, bot=True),
        secret=slack.add_channel(acme, "secret", private=True, members=people),
        old=slack.add_channel(acme, "old", members=people, bot=True, archived=True),
    )


AppFactory = Callable[..., App]


@pytest.fixture
def make_app(world: World) -> AppFactory:
    """Build a real Bolt App whose WebClient talks to the stand-in (listeners added by the test)."""

    def build(**kwargs: object) -> App:
        return App(
            signing_secret=world.slack.app.signing_secret,
            client=world.slack.client(world.acme),
            **kwargs,  # type: ignore[arg-type]
        )

    return build


@pytest.fixture
def serve(world: World) -> Iterator[Callable[[App], BoltAppServer]]:
    """Serve a Bolt App over HTTP and point the stand-in's Request URL at it."""
    servers: list[BoltAppServer] = []

    def start(app: App) -> BoltAppServer:
        server = BoltAppServer(app).start()
        servers.append(server)
        world.slack.request_url = server.events_url
        return server

    yield start
    for server in servers:
        server.stop()


def modal(title: str = "Check", *, external_id: str | None = None, **extra: Any) -> dict[str, Any]:
    """A small modal with one text input."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "check",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "title_input"},
            }
        ],
        **extra,
    }
    if external_id:
        view["external_id"] = external_id
    return view
