"""The app benchmark's parts (the benchmark itself runs by hand: python -m bench.app_bench)."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bench import app_bench, app_profile, bare_app, floor_app, results
from bench.app_bench import percentile
from bench.journeys import CallWatch, Flavor, journey_key, run_level, title
from bot.config import Settings
from bot.sandbox import ApiCall, BoltAppServer, SlackStandIn, sign
from bot.slack.app import LISTENER_THREADS, create_app
from bot.store import open_store


def call(method: str, **args: Any) -> ApiCall:
    """A recorded Web API call with these arguments."""
    return ApiCall(1, method, args, "T1", "bot", 200, {"ok": True}, 0.0, 0.0)


def test_results_note_how_fast_the_host_ran(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A written section names the machine and the host's measured speed."""
    monkeypatch.setattr(results, "RESULTS", tmp_path / "RESULTS.md")
    results.write_section("Some bench", "| a |")
    text = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert text.startswith(results.HEADER)
    assert "## Some bench" in text
    assert re.search(r"host speed: `sum\(range\(3\*10\*\*7\)\)` in \d+\.\d\d s", text)
    assert "| a |" in text


@pytest.mark.parametrize(
    ("fraction", "expected"), [(0.01, 1), (0.5, 50), (0.99, 99), (0.999, 100), (1.0, 100)]
)
def test_percentile_is_nearest_rank(fraction: float, expected: float) -> None:
    assert percentile([float(n) for n in range(100, 0, -1)], fraction) == expected


def test_percentile_of_few_samples() -> None:
    assert percentile([7.0], 0.99) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_journeys_find_their_calls() -> None:
    name = title(3, 42)
    assert journey_key(call("views.open", trigger_id="1.2.abc")) == ("views.open", "1.2.abc")
    parent = call("chat.postMessage", channel="C1", text=f"Collaboration: {name}")
    assert journey_key(parent) == ("post", name.removeprefix("Deal "))
    assert journey_key(call("chat.postMessage", text=f"Saved: {name}")) == journey_key(parent)
    reply = call("chat.postMessage", text=f"Why: {name}", thread_ts="1.0")
    assert journey_key(reply) is None
    assert journey_key(call("conversations.info", channel="C1")) is None


def test_titles_do_not_contain_each_other() -> None:
    assert title(1, 1) not in title(1, 10) and title(1, 10) not in title(11, 100)


def test_baseline_gets_the_apps_listener_threads() -> None:
    assert bare_app.LISTENER_THREADS == LISTENER_THREADS


def test_deliveries_are_signed_as_slack_signs() -> None:
    body = b"command=%2Frelationship&text=acme"
    stamp = str(int(time.time()))
    headers = {"x-slack-request-timestamp": stamp, "x-slack-signature": sign("s3cret", stamp, body)}
    assert SignatureVerifier("s3cret").is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)


def traffic(app_factory: Callable[[Settings, Path], App], tmp_path: Path) -> list[tuple[Any, ...]]:
    """The Web API calls one full bench check makes: method, in a thread or not, block types."""
    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")
        person = slack.add_user(acme, "person")
        deals = slack.add_channel(acme, "deals", members=[person], bot=True)
        settings = Settings(
            slack_bot_token=SecretStr(slack.bot_token(acme)),
            slack_signing_secret=SecretStr(slack.app.signing_secret),
            slack_api_url=slack.api_url,
        )
        server = BoltAppServer(app_factory(settings, tmp_path)).start()
        slack.request_url = server.events_url
        watch = CallWatch(slack)
        watch.start()
        try:
            flavor = Flavor("check", app_bench.real_values)
            samples = run_level(
                slack, watch, [person], deals, flavor, concurrency=1, checks=1, tag=1
            )
            assert samples.journeys == 2 and not samples.failures
            deadline = time.monotonic() + 10  # the thread follows the parent
            while len(slack.calls("chat.postMessage")) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            slack.settle(timeout=10)
            calls = [c for c in slack.calls() if c.method != "auth.test"]
        finally:
            watch.stop()
            server.stop()
    return [
        (
            c.method,
            "thread_ts" in c.args,
            tuple(b["type"] for b in json.loads(c.args["view"])["blocks"])
            if c.method == "views.open"
            else tuple(b["type"] for b in c.args.get("blocks") or ()),
            bool(c.args.get("metadata")),
        )
        for c in calls
    ]


def real_app(settings: Settings, directory: Path) -> App:
    """The product, on a SQLite store in `directory`."""
    store = open_store(f"sqlite:///{directory / 'bot.db'}")
    return create_app(settings, store)


def test_floor_makes_the_real_apps_slack_calls_for_a_check(tmp_path: Path) -> None:
    ours = traffic(real_app, tmp_path)
    floor = traffic(lambda settings, _: floor_app.create_floor_app(settings), tmp_path)
    # The real app asks whether it is in the channel once (then remembers for 5 minutes).
    assert [call for call in ours if call[0] != "conversations.info"] == floor
    assert [call[0] for call in floor] == ["views.open", "chat.postMessage", "chat.postMessage"]


def test_profile_counts_each_sample_in_the_first_part_it_touches(tmp_path: Path) -> None:
    raw = tmp_path / "spy.txt"
    raw.write_text(
        "run (gunicorn/workers/gthread.py:1);dispatch (slack_bolt/app/app.py:2) 5\n"
        "dispatch (slack_bolt/app/app.py:2);api_call (slack_sdk/web/base_client.py:3) 3\n"
        "listener (bot/slack/verdicts.py:4);execute (sqlalchemy/engine/base.py:5) 2\n"
        "_bootstrap (threading.py:1) 1\n",
        encoding="utf-8",
    )
    counts = app_profile.shares([raw])
    assert counts == {
        "Bolt authorize, middleware, dispatch, ack": 5,
        "Web API calls through slack_sdk (JSON, HTTP)": 3,
        "store (SQLAlchemy, SQLite)": 2,
        app_profile.OTHER: 1,
    }
