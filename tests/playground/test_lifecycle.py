"""The playground starts and stops cleanly: threads joined, store closed, data removed."""

from __future__ import annotations

import threading

from bot.sandbox.playground import Playground
from tests.playground.conftest import Page
from tests.support.journeys import COLLABORATION


def test_stop_joins_every_thread_and_removes_the_data() -> None:
    before = set(threading.enumerate())
    with Playground(port=0) as playground:
        database = playground.database
        page = Page(playground)
        page.act("command", channel=playground.deals.id, command="/relationship")
        playground.slack.wait_for_call("views.open")
        modal = page.state()["modal"]
        page.act("submit", view_id=modal["id"], values=COLLABORATION)
        assert database.exists()
    playground.stop()  # idempotent
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert leftover == []
    assert not database.exists()
    assert not database.parent.exists()
