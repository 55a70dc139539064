"""The real app over signed HTTP against the stand-in: a workspace, people, channels, a store."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt import App

from bot.config import Settings
from bot.sandbox import BoltAppServer, Conversation, SlackStandIn, User, Workspace
from bot.store import Store, open_store
from tests.support.apps import serve_app


@dataclass
class Deal:
    """A workspace with the app installed, two people, channels, and the running app."""

    slack: SlackStandIn
    acme: Workspace
    alice: User
    bob: User
    deals: Conversation  # public, bot is a member
    lobby: Conversation  # public, bot is not a member
    board: Conversation  # private, bot is not a member
    store: Store
    server: BoltAppServer

    @property
    def bot(self) -> str:
        """The bot's user id."""
        return self.slack.bot_user_id(self.acme)

    def settled_verdicts(self, channel: Conversation, count: int = 1) -> list[dict[str, Any]]:
        """Wait until `count` verdicts have their explanation posted; the verdict messages."""

        def done() -> list[dict[str, Any]]:
            found = self.verdict_messages(channel)
            if len(found) < count:
                return []
            if any(len(self.slack.thread(channel, m["ts"])) < 2 for m in found):
                return []
            return found

        eventually(done)
        return self.verdict_messages(channel)

    def verdict_messages(self, channel: Conversation) -> list[dict[str, Any]]:
        """The bot's verdict messages in a channel."""
        return [
            m
            for m in self.slack.messages(channel)
            if (m.get("metadata") or {}).get("event_type") == "relationship_verdict"
        ]


def eventually(check: Callable[[], object], timeout: float = 5.0) -> object:
    """Poll until `check()` is truthy (the app works after it acks); its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def drain(app: App) -> None:
    """Let work the app does after acking finish before its store and Slack go away."""
    executor = app.listener_runner.listener_executor
    if isinstance(executor, ThreadPoolExecutor):
        executor.shutdown(wait=True)


@pytest.fixture
def deal(tmp_path: Path) -> Iterator[Deal]:
    """The app running over HTTP against a fresh stand-in and a fresh SQLite store."""
    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")
        alice = slack.add_user(acme, "alice")
        bob = slack.add_user(acme, "bob")
        people = [alice, bob]
        settings = Settings(
            slack_bot_token=SecretStr(slack.bot_token(acme)),
            slack_signing_secret=SecretStr(slack.app.signing_secret),
            slack_api_url=slack.api_url,
            database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        )
        store = open_store(settings.database_url)
        server = serve_app(settings, store)
        slack.request_url = server.events_url
        try:
            yield Deal(
                slack=slack,
                acme=acme,
                alice=alice,
                bob=bob,
                deals=slack.add_channel(acme, "deals", members=people, bot=True),
                lobby=slack.add_channel(acme, "lobby", members=people),
                board=slack.add_channel(acme, "board", private=True, members=people),
                store=store,
                server=server,
            )
        finally:
            server.stop()
            drain(server.app)
            store.close()
