"""The database unreachable: a clear error at start; mid-run the user is told, nothing is
half-written, and the app serves again as soon as the database is back."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from bot.slack import ids
from bot.slack.failures import STORE_DOWN_TEXT
from tests.reliability.apps import COMMAND, free_port, process_env
from tests.support.databases import PG_ADMIN_URL, PostgresServer
from tests.support.journeys import COLLABORATION
from tests.support.waiting import eventually
from tests.support.worlds import Deal, deal_world


def _run(database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot run` with a bot token and this database; it must stop by itself."""
    settings = {
        "SLACK_BOT_TOKEN": "xoxb-0-never-used",
        "SLACK_SIGNING_SECRET": "signing-secret-never-used",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
    }
    return subprocess.run(
        COMMAND,
        cwd=tmp_path,
        env=process_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "database_url",
    [
        f"postgresql://postgres:pw-never-shown@127.0.0.1:{free_port()}/nothing_listens",
        "sqlite:///no/such/folder/bot.db",
    ],
    ids=["postgres-port-closed", "sqlite-folder-missing"],
)
def test_run_with_the_database_unreachable_exits_1_with_one_clear_line(
    database_url: str, tmp_path: Path
) -> None:
    done = _run(database_url, tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # no traceback, no server started
    assert lines[0].startswith("error: database ")
    assert "unavailable" in lines[0] and "Check DATABASE_URL" in lines[0]
    assert "pw-never-shown" not in done.stderr


def test_run_with_an_unsupported_database_url_exits_2(tmp_path: Path) -> None:
    done = _run("mysql://root@127.0.0.1/bot", tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: invalid settings: unsupported database 'mysql': use sqlite:///FILE or "
        "postgresql://..."
    ]


class Outage:
    """Makes one PostgreSQL database refuse every connection, and lets it back."""

    def __init__(self, name: str) -> None:
        self.name = sql.Identifier(name)
        self.database = name

    def begin(self) -> None:
        """No new connections; the open ones are ended (the app's pool holds some)."""
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(self.name))
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.database,),
            )

    def end(self) -> None:
        """Connections are accepted again."""
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(self.name))


@pytest.fixture
def pg_deal(pg_server: PostgresServer) -> Iterator[tuple[Deal, Outage]]:
    """The app over HTTP against the stand-in, on a temporary PostgreSQL database."""
    url = pg_server.create_database()
    outage = Outage(url.rsplit("/", 1)[-1])
    with deal_world(url) as deal:
        try:
            yield deal, outage
        finally:
            outage.end()


def _told(deal: Deal, user: Any) -> list[Any]:
    """The "database unreachable" notices a person got (ephemeral)."""
    return [e for e in deal.slack.ephemerals(user=user) if e.text == STORE_DOWN_TEXT]


def _check(deal: Deal) -> None:
    """Alice opens the modal in #deals and submits it."""
    opened = len(deal.slack.calls("views.open"))
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open", count=opened + 1)
    assert deal.slack.submit(deal.alice, COLLABORATION).delivery.ok


@pytest.mark.postgres
def test_database_unreachable_mid_run_tells_the_user_writes_nothing_then_recovers(
    pg_deal: tuple[Deal, Outage],
) -> None:
    deal, outage = pg_deal
    _check(deal)
    (parent,) = deal.settled_verdicts(deal.deals)
    verdict_id = str(parent["metadata"]["event_payload"]["verdict_id"])
    chatter = deal.slack.post(deal.alice, deal.deals, "lunch at noon?")
    deal.quiet()  # the first check's last steps (storing the thread's ts) are done
    outage.begin()

    # A command that needs the database, a submission, a click, a reply in the verdict's thread.
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, "list").ok
    assert eventually(lambda: len(_told(deal, deal.alice)) == 1, timeout=15)
    _check(deal)  # the modal opens without the database; its submission needs it
    assert eventually(lambda: len(_told(deal, deal.alice)) == 2, timeout=15)
    assert deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=parent["ts"]).ok
    assert eventually(lambda: len(_told(deal, deal.alice)) == 3, timeout=15)
    posted = deal.slack.post(deal.bob, deal.deals, "horizon: open_ended", thread_ts=parent["ts"])
    assert all(d.ok for d in posted.deliveries)
    told = eventually(lambda: _told(deal, deal.bob), timeout=15)
    assert [e.thread_ts for e in told] == [parent["ts"]]  # in the thread, to Bob alone
    deal.slack.post(deal.bob, deal.deals, "noon works", thread_ts=chatter.message["ts"])
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(_told(deal, deal.bob)) == 1  # nobody is told about threads that are not verdicts
    assert len(deal.verdict_messages(deal.deals)) == 1
    assert deal.slack.pinned(deal.deals) == []

    outage.end()
    assert deal.store.list_revisions(deal.acme.id, verdict_id)[-1].revision == 1
    assert len(deal.store.list_by_team(deal.acme.id).items) == 1  # nothing half-written
    assert not deal.store.get_verdict(deal.acme.id, verdict_id).pinned

    # Back: the same app serves every surface again.
    _check(deal)
    assert len(deal.settled_verdicts(deal.deals, count=2)) == 2
    deal.slack.post(deal.bob, deal.deals, "horizon: open_ended", thread_ts=parent["ts"])
    assert eventually(
        lambda: [r.revision for r in deal.store.list_revisions(deal.acme.id, verdict_id)] == [1, 2],
        timeout=15,
    )
    assert len(_told(deal, deal.alice)) == 3
