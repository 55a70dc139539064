"""Acks stay under Slack's 3 s while the Web API takes 5 s, at 20 concurrent requests."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from bot.sandbox import User
from bot.sandbox.delivery import Delivery
from bot.slack import ids
from tests.support.journeys import COLLABORATION, posted_verdict
from tests.support.worlds import Deal

# Ack deadlines under its own load: no other test may run meanwhile.
pytestmark = [pytest.mark.slow, pytest.mark.alone, pytest.mark.xdist_group("alone")]

SLOW = 5.0
SLOW_METHODS = ("views.open", "chat.postMessage", "chat.update")


def _people(deal: Deal, count: int) -> list[User]:
    """`count` more people, members of #deals."""
    people = []
    for index in range(count):
        person = deal.slack.add_user(deal.acme, f"person{index}")
        deal.slack.join(person, deal.deals)
        people.append(person)
    return people


def test_twenty_concurrent_requests_ack_in_time_against_a_slow_web_api(deal: Deal) -> None:
    """Commands, button clicks and submissions at once, views/chat calls taking 5 s: all ack."""
    parent = posted_verdict(deal)
    submitters = _people(deal, 5)
    for person in submitters:
        assert deal.slack.slash_command(person, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open", ok=True, count=len(submitters) + 1)
    for method in SLOW_METHODS:
        deal.slack.faults.delay(method, SLOW, times=None)

    requests: list[Callable[[], Delivery]] = []
    for index in range(8):
        text = "" if index % 2 else "a signed 3-year contract"
        requests.append(
            lambda t=text: deal.slack.slash_command(deal.bob, deal.deals, ids.COMMAND, t)
        )
    for action in (ids.ACTION_EDIT,) * 4 + (ids.ACTION_PIN,) * 3:
        requests.append(
            lambda a=action: deal.slack.click(deal.alice, a, channel=deal.deals, ts=parent["ts"])
        )
    for person in submitters:
        requests.append(lambda p=person: deal.slack.submit(p, COLLABORATION).delivery)
    assert len(requests) == 20

    answers: list[Delivery] = []
    lock = threading.Lock()
    start = threading.Barrier(len(requests))

    def fire(request: Callable[[], Delivery]) -> None:
        """Wait for the others, then send one request and keep its answer."""
        start.wait()
        answer = request()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=fire, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deal.slack.faults.clear()
    assert len(answers) == 20
    assert all(a.ok for a in answers), [(a.label, a.status, a.error) for a in answers]
    slowest = max(answers, key=lambda a: a.elapsed)
    assert slowest.elapsed < 2.5, (slowest.label, slowest.elapsed)
    # The Web API really was slow while those acks went out.
    deal.slack.wait_for_call("views.open", where=lambda c: c.elapsed >= SLOW, timeout=8)
