"""Many workspaces: install through OAuth, stay apart, and leave nothing behind on uninstall."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import SlackStandIn
from bot.slack import ids
from bot.store import open_store
from tests.support.apps import serve_app
from tests.support.databases import BACKENDS
from tests.support.waiting import eventually
from tests.support.worlds import NOT_HERE, Fleet, install, oauth_settings


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

    def refusals() -> list[object]:
        return [e for e in slack.ephemerals(user=globex.person) if e.text == NOT_HERE]

    assert eventually(lambda: len(refusals()) >= 2)
    fleet.quiet()
    assert len(refusals()) == 2
    fleet.quiet()
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
        fleet.quiet()
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
    fleet.quiet()
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
        settings = oauth_settings(slack, url or f"sqlite:///{tmp_path / 'bot.db'}")
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
