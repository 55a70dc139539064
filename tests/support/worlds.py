"""The worlds the journey tests run in: the real app over signed HTTP against the stand-in.

`Deal`: one workspace with the app installed by bot token, two people and three channels.
`Fleet`: the app in OAuth mode, installed by two workspaces through the consent screen.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr
from sqlalchemy import column, func, inspect, select, table

from bot.config import Settings
from bot.sandbox import BoltAppServer, Conversation, SlackStandIn, User, Workspace
from bot.slack import ids
from bot.store import Store, open_store
from tests.support.apps import drain, quiesce, serve_app
from tests.support.journeys import COLLABORATION
from tests.support.waiting import eventually

NOT_HERE = "I can't find that verdict in this workspace."


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

    def quiet(self) -> None:
        """Wait until the app has done everything it started (then absence can be asserted)."""
        quiesce(self.slack, self.server.app)

    def verdict_messages(self, channel: Conversation) -> list[dict[str, Any]]:
        """The bot's verdict messages in a channel."""
        return [
            m
            for m in self.slack.messages(channel)
            if (m.get("metadata") or {}).get("event_type") == "relationship_verdict"
        ]


@contextmanager
def deal_world(database_url: str) -> Iterator[Deal]:
    """The app running over HTTP against a fresh stand-in, on this database."""
    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")
        alice = slack.add_user(acme, "alice")
        bob = slack.add_user(acme, "bob")
        people = [alice, bob]
        settings = Settings(
            slack_bot_token=SecretStr(slack.bot_token(acme)),
            slack_signing_secret=SecretStr(slack.app.signing_secret),
            slack_api_url=slack.api_url,
            database_url=database_url,
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


@dataclass
class Tenant:
    """A workspace that installed the app, one person in it and its deal channel."""

    workspace: Workspace
    person: User
    deals: Conversation

    @property
    def id(self) -> str:
        """The team id."""
        return self.workspace.id


@dataclass
class Fleet:
    """The app in OAuth mode, installed by two workspaces through the consent screen."""

    slack: SlackStandIn
    store: Store
    server: BoltAppServer
    client_id: str
    acme: Tenant
    globex: Tenant

    def run_check(self, tenant: Tenant, channel: Conversation | None = None) -> dict[str, Any]:
        """The tenant's person runs a check; the verdict message once its thread is posted."""
        where = channel or tenant.deals
        before = {m["ts"] for m in self.verdict_messages(where)}
        answer = self.slack.slash_command(tenant.person, where, ids.COMMAND)
        assert answer.ok
        assert eventually(lambda: self.slack.current_view(tenant.person))
        submission = self.slack.submit(tenant.person, COLLABORATION)
        assert submission.delivery.ok

        def posted() -> list[dict[str, Any]]:
            new = [m for m in self.verdict_messages(where) if m["ts"] not in before]
            return [m for m in new if len(self.slack.thread(where, m["ts"])) >= 2]

        found = eventually(posted)
        assert found, "the verdict and its thread were not posted"
        (message,) = self.verdict_messages(where)[-1:]
        return message

    def quiet(self) -> None:
        """Wait until the app has done everything it started (then absence can be asserted)."""
        quiesce(self.slack, self.server.app)

    def verdict_messages(self, channel: Conversation) -> list[dict[str, Any]]:
        """The verdict messages in a channel, oldest first."""
        return [
            m
            for m in self.slack.messages(channel)
            if (m.get("metadata") or {}).get("event_type") == ids.METADATA_EVENT
        ]

    def gone(self, team_id: str) -> bool:
        """Whether nothing of the team is left (the app deletes after it acks: wait for it)."""
        return bool(eventually(lambda: set(self.rows_by_table(team_id).values()) == {0}))

    def rows_by_table(self, team_id: str) -> dict[str, int]:
        """For every table with a team_id column (ours and slack-sdk's): the team's rows."""
        counts: dict[str, int] = {}
        with self.store.engine.connect() as connection:
            inspector = inspect(connection)
            for name in inspector.get_table_names():
                if "team_id" not in {c["name"] for c in inspector.get_columns(name)}:
                    continue
                team = column("team_id")
                query = select(func.count()).select_from(table(name, team)).where(team == team_id)
                counts[name] = int(connection.execute(query).scalar_one())
        return counts


def get(url: str, cookie: str | None = None) -> http.client.HTTPResponse:
    """A browser's GET that does not follow redirects (the body is read)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection.request("GET", target, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def install(slack: SlackStandIn, server: BoltAppServer, workspace: Workspace) -> None:
    """An admin's browser: /slack/install -> Slack's consent screen -> /slack/oauth_redirect."""
    started = get(f"{server.url}/slack/install?team={workspace.id}")
    assert started.status == 302
    consent_url = started.getheader("Location", "")
    assert consent_url.startswith(slack.authorize_url + "?")
    cookie = started.getheader("Set-Cookie", "").split(";")[0]
    consent = get(consent_url)
    assert consent.status == 302
    callback = consent.getheader("Location", "")
    assert callback.startswith(f"{server.url}/slack/oauth_redirect?")
    finished = get(callback, cookie=cookie)
    assert finished.status == 200


def oauth_settings(slack: SlackStandIn, database_url: str) -> Settings:
    """The app's settings for OAuth installs from the stand-in, on this database."""
    return Settings(
        slack_signing_secret=SecretStr(slack.app.signing_secret),
        slack_client_id=slack.app.client_id,
        slack_client_secret=SecretStr(slack.app.client_secret),
        slack_api_url=slack.api_url,
        database_url=database_url,
    )


@contextmanager
def fleet_world(db_url: str) -> Iterator[Fleet]:
    """Two workspaces installed through OAuth into one app and one store."""
    with SlackStandIn() as slack:
        settings = oauth_settings(slack, db_url)
        store = open_store(settings.database_url)
        server = serve_app(settings, store)
        slack.request_url = server.events_url
        slack.oauth_redirect_url = f"{server.url}/slack/oauth_redirect"
        try:
            tenants = []
            for name, person in (("Acme", "alice"), ("Globex", "gina")):
                workspace = slack.add_workspace(name, install=False)
                someone = slack.add_user(workspace, person)
                install(slack, server, workspace)
                deals = slack.add_channel(workspace, "deals", members=[someone], bot=True)
                tenants.append(Tenant(workspace, someone, deals))
            yield Fleet(slack, store, server, slack.app.client_id, *tenants)
        finally:
            server.stop()
            drain(server.app)
            store.close()
