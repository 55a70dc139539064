"""The app benchmark's pure parts (the benchmark itself runs by hand: python -m bench.app_bench)."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from bench import bare_app
from bench.app_bench import percentile
from bench.journeys import journey_key, title
from bot.sandbox import ApiCall, sign
from bot.slack.app import LISTENER_THREADS


def call(method: str, **args: Any) -> ApiCall:
    """A recorded Web API call with these arguments."""
    return ApiCall(1, method, args, "T1", "bot", 200, {"ok": True}, 0.0, 0.0)


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
