"""The real app in tests: served over HTTP in this process, waited for, drained."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

from bot.config import Settings
from bot.sandbox import BoltAppServer, SlackStandIn
from bot.slack.app import create_app
from bot.slack.http import SlackWsgi
from bot.slack.pool import ListenerPool
from bot.store import Store

QUIET_SECONDS = 10.0


def serve_app(settings: Settings, store: Store) -> BoltAppServer:
    """The real app on `store`, served over local HTTP through its own WSGI edge, started."""
    app = create_app(settings, store)
    handler = SlackWsgi(app, signing_secret=settings.signing_secret())
    return BoltAppServer(app, handler=handler).start()


def drain(app: App) -> None:
    """Let work the app does after acking finish before its store and Slack go away."""
    executor = app.listener_runner.listener_executor
    if isinstance(executor, ThreadPoolExecutor):
        executor.shutdown(wait=True)


def quiesce(slack: SlackStandIn, app: App, timeout: float = QUIET_SECONDS) -> None:
    """Wait until the app has finished all it started and Slack has delivered every event
    that caused: a whole round in which no listener call started (AssertionError if never).

    After this, anything the app was going to do has been done: absence can be asserted.
    """
    pool = app.listener_runner.listener_executor
    assert isinstance(pool, ListenerPool), "the app's listeners run in a ListenerPool"
    deadline = time.monotonic() + timeout
    last = -1
    while True:
        left = max(0.0, deadline - time.monotonic())
        assert pool.wait_idle(left), f"the app was still busy after {timeout}s"
        slack.settle(max(0.01, deadline - time.monotonic()))
        started = pool.submitted
        if started == last and pool.busy == 0:
            return
        last = started
