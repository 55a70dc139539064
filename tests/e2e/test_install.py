"""Many workspaces: install through OAuth, stay apart, and leave nothing behind on uninstall."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pydantic import SecretStr
from sqlalchemy import column, func, inspect, select, table

from bot.config import Settings
from bot.sandbox import BoltAppServer, Conversation, SlackStandIn, User, Workspace
from bot.slack import ids
from bot.store import Store, open_store
from tests.e2e.conftest import eventually
from tests.e2e.test_check_journey import COLLABORATION
from tests.support.apps import serve_app
from tests.support.databases import BACKENDS

NOT_HERE = "I can't find that verdict in this workspace."


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


@pytest.fixture
def fleet(db_url: str) -> Iterator[Fleet]:
    """Two workspaces installed through OAuth into one app and one store (SQLite, PostgreSQL)."""
    with SlackStandIn() as slack:
        settings = Settings(
            slack_signing_secret=SecretStr(slack.app.signing_secret),
            slack_client_id=slack.app.client_id,
            slack_client_secret=SecretStr(slack.app.client_secret),
            slack_api_url=slack.api_url,
            database_url=db_url,
        )
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
            store.close()


def test_each_install_stores_its_own_token_and_checks_stay_in_their_workspace(
    fleet: Fleet,
) -> None:
    slack, store = fleet.slack, fleet.store
    assert len(slack.calls("oauth.v2.access", ok=True)) == 2
    installations = store.installation_store(fleet.client_id)
    for tenant in (fleet.acme, fleet.globex):
        bot = installations.find_bot(enterprise_id=None, team_id=tenant.id)
        assert bot is not None
        assert bot.bot_token == slack.bot_token(tenant.workspace)
        assert bot.bot_user_id == slack.bot_user_id(tenant.workspace)

    acme_message = fleet.run_check(fleet.acme)
    globex_message = fleet.run_check(fleet.globex)
    acme_id = acme_message["metadata"]["event_payload"]["verdict_id"]
    globex_id = globex_message["metadata"]["event_payload"]["verdict_id"]
    (acme_record,) = store.list_by_team(fleet.acme.id).items
    (globex_record,) = store.list_by_team(fleet.globex.id).items
    assert (acme_record.id, acme_record.channel_id) == (acme_id, fleet.acme.deals.id)
    assert (globex_record.id, globex_record.channel_id) == (globex_id, fleet.globex.deals.id)
    # Each workspace's messages went out with its own bot token.
    for tenant, message in ((fleet.acme, acme_message), (fleet.globex, globex_message)):
        assert message["user"] == slack.bot_user_id(tenant.workspace)
    # A second check: its requests are authorized without asking Slack about the token again
    # (one auth.test by the install, one by the first authorization).
    fleet.run_check(fleet.acme)
    assert len(slack.calls("auth.test", team_id=fleet.acme.id)) == 2


def test_a_person_of_another_workspace_cannot_touch_a_verdict(fleet: Fleet) -> None:
    slack = fleet.slack
    acme, globex = fleet.acme, fleet.globex
    partners = slack.add_channel(
        acme.workspace,
        "partners",
        members=[acme.person, globex.person, slack.bot_user_id(globex.workspace)],
        bot=True,
        shared_with=[globex.workspace],
    )
    message = fleet.run_check(acme, partners)
    opened_before = len(slack.calls("views.open"))

    for action in (ids.ACTION_EDIT, ids.ACTION_PIN):
        clicked = slack.click(globex.person, action, channel=partners, ts=message["ts"])
        assert clicked.ok
    refusals = eventually(
        lambda: [e for e in slack.ephemerals(user=globex.person) if e.text == NOT_HERE]
    )
    assert isinstance(refusals, list)
    assert len(refusals) == 2
    slack.settle()
    assert len(slack.calls("views.open")) == opened_before
    assert message["ts"] not in slack.pinned(partners)
    verdict_id = message["metadata"]["event_payload"]["verdict_id"]
    assert fleet.store.get_verdict(acme.id, verdict_id).revision == 1
    assert not fleet.store.get_verdict(acme.id, verdict_id).pinned
    assert fleet.store.list_by_team(globex.id).items == ()


def test_uninstall_deletes_everything_of_that_workspace_and_the_other_keeps_working(
    fleet: Fleet,
) -> None:
    slack, store = fleet.slack, fleet.store
    acme, globex = fleet.acme, fleet.globex
    for tenant in (acme, globex):
        fleet.run_check(tenant)
        store.claim_event(tenant.id, f"Ev-{tenant.id}", owner="test")  # a handled event
    before = fleet.rows_by_table(acme.id)
    expected_tables = {"rb_verdicts", "rb_revisions", "rb_events", "rb_posts"}
    expected_tables |= {"slack_installations", "slack_bots"}
    assert expected_tables <= before.keys()
    assert all(before[name] > 0 for name in expected_tables), before

    deliveries = slack.uninstall(acme.workspace)
    assert [d.payload["event"]["type"] for d in deliveries] == [
        "tokens_revoked",
        "app_uninstalled",
    ]
    assert all(d.ok for d in deliveries)
    assert fleet.gone(acme.id)
    # Slack retries an event it thinks failed: a second delivery is harmless.
    assert slack.redeliver(deliveries[-1]).ok
    assert fleet.gone(acme.id)

    kept = fleet.rows_by_table(globex.id)
    assert all(kept[name] > 0 for name in expected_tables), kept
    fleet.run_check(globex)
    assert len(store.list_by_team(globex.id).items) == 2


def test_reinstall_after_uninstall_works_with_the_new_token(fleet: Fleet) -> None:
    slack, acme = fleet.slack, fleet.acme
    slack.uninstall(acme.workspace)
    assert fleet.gone(acme.id)  # what the admin sees before installing again
    install(slack, fleet.server, acme.workspace)
    bot = fleet.store.installation_store(fleet.client_id).find_bot(
        enterprise_id=None, team_id=acme.id
    )
    assert bot is not None
    assert bot.bot_token == slack.bot_token(acme.workspace)
    fleet.run_check(acme)
    assert len(fleet.store.list_by_team(acme.id).items) == 1


@pytest.mark.parametrize(
    ("which", "deletes"),
    [("app_uninstalled", True), ("bot_token_revoked", True), ("only_user_tokens_revoked", False)],
)
def test_each_lifecycle_event_on_its_own(fleet: Fleet, which: str, deletes: bool) -> None:
    acme = fleet.acme
    fleet.run_check(acme)
    tokens = {
        "bot_token_revoked": {"oauth": [], "bot": [fleet.slack.bot_user_id(acme.workspace)]},
        "only_user_tokens_revoked": {"oauth": [acme.person.id], "bot": []},
    }
    event: dict[str, Any] = {"type": "app_uninstalled", "event_ts": "1.000001"}
    if which in tokens:
        event.update(type="tokens_revoked", tokens=tokens[which])
    assert fleet.slack.send_event(acme.workspace, event).ok
    if deletes:
        assert fleet.gone(acme.id)
    else:  # the app holds no user tokens: nothing of it was revoked
        wiped = eventually(lambda: set(fleet.rows_by_table(acme.id).values()) == {0}, timeout=0.3)
        assert not wiped
        remaining = fleet.rows_by_table(acme.id)
        assert remaining["rb_verdicts"] == 1
        assert remaining["slack_installations"] == 1
    assert fleet.rows_by_table(fleet.globex.id)["slack_bots"] == 1


def test_a_late_retry_of_an_old_uninstall_spares_the_reinstalled_workspace(fleet: Fleet) -> None:
    slack, acme = fleet.slack, fleet.acme
    (revoked, uninstalled) = slack.uninstall(acme.workspace)
    assert fleet.gone(acme.id)
    install(slack, fleet.server, acme.workspace)
    fleet.run_check(acme)
    # Slack's last retry comes 5 minutes after the first try, with the original event_time.
    for delivery in (revoked, uninstalled):
        stale = {**delivery.payload, "event_time": delivery.payload["event_time"] - 300}
        assert slack.send_signed(stale, team_id=acme.id).ok
    wiped = eventually(lambda: fleet.rows_by_table(acme.id)["rb_verdicts"] == 0, timeout=0.3)
    assert not wiped
    assert len(fleet.store.list_by_team(acme.id).items) == 1
    assert fleet.rows_by_table(acme.id)["slack_bots"] == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_twenty_installs_at_once_all_land(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    """Twenty workspaces' admins finish the consent screen together: every install is stored
    (on SQLite the OAuth stores queue with the app's own writers)."""
    url = request.getfixturevalue("pg_server").create_database() if backend == "postgres" else None
    with SlackStandIn() as slack:
        settings = Settings(
            slack_signing_secret=SecretStr(slack.app.signing_secret),
            slack_client_id=slack.app.client_id,
            slack_client_secret=SecretStr(slack.app.client_secret),
            slack_api_url=slack.api_url,
            database_url=url or f"sqlite:///{tmp_path / 'bot.db'}",
        )
        with open_store(settings.database_url) as store:
            server = serve_app(settings, store)
            slack.request_url = server.events_url
            slack.oauth_redirect_url = f"{server.url}/slack/oauth_redirect"
            try:
                workspaces = [slack.add_workspace(f"W{n}", install=False) for n in range(20)]
                for workspace in workspaces:
                    slack.add_user(workspace, "admin")
                with ThreadPoolExecutor(max_workers=20) as pool:
                    list(pool.map(lambda w: install(slack, server, w), workspaces))
                found = store.installation_store(slack.app.client_id)
                for workspace in workspaces:
                    bot = found.find_bot(enterprise_id=None, team_id=workspace.id)
                    assert bot is not None, workspace.id
                    assert bot.bot_token == slack.bot_token(workspace)
            finally:
                server.stop()
