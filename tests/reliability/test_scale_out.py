"""Two app processes on one PostgreSQL database: retries across replicas, racing writers.

Each replica is `python -m bot run` in HTTP mode (gunicorn, its own worker processes), with
DATABASE_URL on a temporary `rb_test_*` database; they share nothing but that database and
the stand-in. Slack's Request URL would point at a load balancer; here the test is the
balancer: it picks the replica of each delivery (the stand-in's `request_url`, or `url=` on
a single delivery). The replicas live for the whole module; each test uses its own channel.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import text

from bot.sandbox import Conversation, SlackStandIn, User, Workspace
from bot.sandbox.delivery import Delivery
from bot.slack import ids
from bot.store import Store, open_store
from tests.reliability.apps import AppProcess, app_env, ignores_sigpipe
from tests.support.databases import PG_ADMIN_URL, PostgresServer
from tests.support.journeys import COLLABORATION
from tests.support.waiting import eventually

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WAIT = 15.0  # generous: four worker processes and the test share two cores


@dataclass
class Cluster:
    """The stand-in, two replicas on one PostgreSQL database, and a store to inspect it."""

    slack: SlackStandIn
    acme: Workspace
    alice: User
    bob: User
    replicas: tuple[AppProcess, AppProcess]
    store: Store

    def skipped(self, delivery: Delivery, times: int) -> bool:
        """Whether the replicas have logged `times` deliveries of this event as skipped (a
        redelivery of one already answered, or in hand elsewhere): their handling is over."""
        line = f"reply {delivery.payload['event_id']} of {self.acme.id} skipped"
        return sum(r.output().count(line) for r in self.replicas) >= times

    def answered(self, delivery: Delivery) -> bool:
        """Whether the app has answered this event: every step of its handling is done."""
        query = "SELECT stage FROM rb_events WHERE team_id = :team AND event_key = :key"
        key = delivery.payload["event_id"]
        with self.store.engine.connect() as connection:
            stage = connection.execute(text(query), {"team": self.acme.id, "key": key}).scalar()
        return stage == "answered"

    def via(self, replica: AppProcess) -> None:
        """Route the next deliveries to this replica (the balancer's choice)."""
        self.slack.request_url = replica.events_url

    def channel(self, name: str) -> Conversation:
        """A fresh public channel with Alice, Bob and the bot."""
        return self.slack.add_channel(self.acme, name, members=[self.alice, self.bob], bot=True)


def drop_database(url: str) -> None:
    """Drop the temporary database now, even with the replicas' connections still open."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="module")
def cluster(
    pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Two replicas of the app on a fresh, migrated PostgreSQL database; dropped afterwards."""
    url = pg_server.create_database()
    tmp = tmp_path_factory.mktemp("replicas")
    replicas: list[AppProcess] = []
    try:
        with open_store(url) as store, SlackStandIn() as slack:  # migrated before they start
            acme = slack.add_workspace("Acme")
            env = app_env(slack, acme, url)
            replicas = [AppProcess(name, env, tmp) for name in ("one", "two")]
            for replica in replicas:
                replica.wait_healthy()
            try:
                yield Cluster(
                    slack=slack,
                    acme=acme,
                    alice=slack.add_user(acme, "alice"),
                    bob=slack.add_user(acme, "bob"),
                    replicas=(replicas[0], replicas[1]),
                    store=store,
                )
            finally:
                slack.faults.clear()  # a held call must not keep a replica from stopping
                for replica in replicas:
                    replica.stop()
    finally:
        for replica in replicas:
            replica.stop()
        drop_database(url)
    for replica in replicas:
        assert not replica.errors(), f"replica {replica.name} logged errors: {replica.errors()}"


@pytest.fixture(autouse=True)
def no_faults_left(cluster: Cluster) -> Iterator[None]:
    """Clear the faults a test injected; the next test shares the stand-in."""
    yield
    cluster.slack.faults.clear()


def verdict_message(cluster: Cluster, channel: Conversation) -> dict[str, Any] | None:
    """The channel's verdict message once its explanation is posted, else None."""
    found = [
        m
        for m in cluster.slack.messages(channel)
        if (m.get("metadata") or {}).get("event_type") == ids.METADATA_EVENT
    ]
    if len(found) != 1 or len(cluster.slack.thread(channel, found[0]["ts"])) < 2:
        return None
    return found[0]


def check_in(cluster: Cluster, channel: Conversation) -> dict[str, Any]:
    """Alice runs a check in `channel` (on whichever replica is routed); the verdict message."""
    answer = cluster.slack.slash_command(cluster.alice, channel, ids.COMMAND)
    assert answer.ok, answer
    assert eventually(lambda: cluster.slack.current_view(cluster.alice), timeout=WAIT)
    submitted = cluster.slack.submit(cluster.alice, COLLABORATION)
    assert submitted.outcome == "closed", submitted
    parent = eventually(lambda: verdict_message(cluster, channel), timeout=WAIT)
    assert isinstance(parent, dict)
    return parent


def notes(cluster: Cluster, channel: Conversation, ts: str, marker: str) -> list[str]:
    """Texts in the verdict's thread containing `marker` ("Updated by", "edited by")."""
    return [m["text"] for m in cluster.slack.thread(channel, ts) if marker in m["text"]]


def reply_delivery(posted_deliveries: tuple[Delivery, ...]) -> Delivery:
    """The `message` event delivery among what a person's post caused."""
    (event,) = [d for d in posted_deliveries if d.label.startswith("event:message")]
    return event


def test_an_event_and_its_retry_on_another_replica_apply_once(cluster: Cluster) -> None:
    """Replica one is mid-way through a thread reply when Slack's retry reaches replica two."""
    one, two = cluster.replicas
    deals = cluster.channel("retries")
    cluster.via(one)
    parent = check_in(cluster, deals)
    verdict_id = str(parent["metadata"]["event_payload"]["verdict_id"])
    hold = cluster.slack.faults.hold("chat.update")  # replica one stops after storing
    posted = cluster.slack.post(cluster.bob, deals, "horizon: open_ended", thread_ts=parent["ts"])
    original = reply_delivery(posted.deliveries)
    assert original.ok
    hold.wait(timeout=WAIT)  # revision 2 is stored; the parent's update is in flight
    retry = cluster.slack.redeliver(original, reason="http_timeout", url=two.events_url)
    assert retry.ok and retry.retry_num == 1
    hold.release()
    assert eventually(lambda: notes(cluster, deals, parent["ts"], "Updated by"), timeout=WAIT)
    late = cluster.slack.redeliver(retry, url=two.events_url)  # after it was answered
    assert late.ok and late.retry_num == 2
    # The retry found the event in hand, the late one found it answered: both handled.
    assert eventually(lambda: cluster.skipped(original, 2), timeout=WAIT)
    assert len(notes(cluster, deals, parent["ts"], "Updated by")) == 1
    revisions = cluster.store.list_revisions(cluster.acme.id, verdict_id)
    assert [r.revision for r in revisions] == [1, 2]
    assert revisions[1].answers.horizon == "open_ended"


def test_an_event_delivered_to_both_replicas_at_once_applies_once(cluster: Cluster) -> None:
    """The original on replica one and Slack's retry on replica two, sent at the same moment."""
    one, two = cluster.replicas
    deals = cluster.channel("together")
    cluster.via(one)
    parent = check_in(cluster, deals)
    verdict_id = str(parent["metadata"]["event_payload"]["verdict_id"])
    cluster.slack.request_url = None  # the reply's delivery is recorded, not sent: sent below
    posted = cluster.slack.post(cluster.bob, deals, "horizon: open_ended", thread_ts=parent["ts"])
    event = reply_delivery(posted.deliveries)
    answers: list[Delivery] = []
    sends = [
        lambda: cluster.slack.send_signed(
            event.payload, team_id=cluster.acme.id, url=one.events_url
        ),
        lambda: cluster.slack.redeliver(event, reason="http_error", url=two.events_url),
    ]
    threads = [threading.Thread(target=lambda s=send: answers.append(s())) for send in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert [a.ok for a in answers] == [True, True]
    assert eventually(lambda: notes(cluster, deals, parent["ts"], "Updated by"), timeout=WAIT)
    assert eventually(lambda: cluster.skipped(event, 1), timeout=WAIT)  # the other delivery
    assert len(notes(cluster, deals, parent["ts"], "Updated by")) == 1
    revisions = cluster.store.list_revisions(cluster.acme.id, verdict_id)
    assert [r.revision for r in revisions] == [1, 2]


def test_a_thread_refinement_and_an_edit_racing_on_two_replicas_are_both_kept(
    cluster: Cluster,
) -> None:
    """Bob refines in the thread on replica one while Alice's edit lands on replica two.

    Replica one's update of the parent is held until replica two has stored and shown its
    edit, so replica one's (older) update reaches Slack last: the message must still end at
    the newest revision, with both changes.
    """
    one, two = cluster.replicas
    deals = cluster.channel("race")
    cluster.via(one)
    parent = check_in(cluster, deals)
    verdict_id = str(parent["metadata"]["event_payload"]["verdict_id"])
    cluster.via(two)
    clicked = cluster.slack.click(cluster.alice, ids.ACTION_EDIT, channel=deals, ts=parent["ts"])
    assert clicked.ok
    assert eventually(lambda: cluster.slack.current_view(cluster.alice), timeout=WAIT)
    hold = cluster.slack.faults.hold("chat.update")
    cluster.via(one)
    posted = cluster.slack.post(cluster.bob, deals, "horizon: open_ended", thread_ts=parent["ts"])
    hold.wait(timeout=WAIT)  # revision 2 stored on replica one; its update waits
    cluster.via(two)
    submitted = cluster.slack.submit(cluster.alice, {"risk": "shared"})
    assert submitted.outcome == "closed", submitted
    assert eventually(lambda: notes(cluster, deals, parent["ts"], "edited by"), timeout=WAIT)
    hold.release()
    assert eventually(lambda: notes(cluster, deals, parent["ts"], "Updated by"), timeout=WAIT)

    def shown_revision() -> int:
        message = cluster.slack.message(deals, parent["ts"])
        assert message is not None
        return int(message["metadata"]["event_payload"]["revision"])

    assert eventually(lambda: shown_revision() == 3, timeout=WAIT), shown_revision()
    # Replica one has finished Bob's reply, its late update included: nothing is in flight.
    reply = reply_delivery(posted.deliveries)
    assert eventually(lambda: cluster.answered(reply), timeout=WAIT)
    message = cluster.slack.message(deals, parent["ts"])
    assert message is not None
    shown = message["metadata"]["event_payload"]
    assert shown["revision"] == 3
    assert shown["answers"]["horizon"] == "open_ended"
    assert shown["answers"]["risk"] == "shared"
    revisions = cluster.store.list_revisions(cluster.acme.id, verdict_id)
    assert [r.revision for r in revisions] == [1, 2, 3]
    assert [r.source for r in revisions[1:]] == ["thread", "button"]
    assert revisions[2].answers.horizon == "open_ended"  # the edit kept the refinement
    assert revisions[2].answers.risk == "shared"
    assert len(notes(cluster, deals, parent["ts"], "Updated by")) == 1
    assert len(notes(cluster, deals, parent["ts"], "edited by")) == 1


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads Linux's /proc")
def test_clients_hanging_up_before_their_answer_kill_no_worker(cluster: Cluster) -> None:
    """Slack gives up on a slow request (or a balancer's probe does): the worker survives.

    **Fixed**: `python -m bot` reset SIGPIPE to its default for every command, so a worker
    writing an answer to a closed connection died, with the requests in its other threads.
    """
    for replica in cluster.replicas:
        assert eventually(lambda r=replica: len(r.workers()) == 2, timeout=WAIT)
        before = replica.workers()
        for pid in before:
            assert ignores_sigpipe(pid), f"worker {pid} of replica {replica.name} dies of SIGPIPE"
        for _ in range(50):
            with socket.create_connection(("127.0.0.1", replica.port), timeout=5) as hasty:
                hasty.sendall(b"GET /healthz HTTP/1.1\r\nHost: replica\r\n\r\n")
        for _ in range(20):  # answered after the hasty ones, by both workers
            assert replica.healthy()
        assert replica.workers() == before
