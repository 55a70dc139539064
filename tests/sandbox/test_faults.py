"""Injected faults as a real WebClient experiences them; concurrency of the server."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.sandbox.conftest import World


def test_rate_limited_answer(world: World) -> None:
    world.slack.faults.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel=world.general.id, text="x")
    response = err.value.response
    assert response.status_code == 429
    assert response["error"] == "ratelimited"
    assert response.headers["Retry-After"] == "7"
    assert world.slack.messages(world.general) == []
    assert world.slack.calls("chat.postMessage")[0].fault == "ratelimited"


def test_rate_limit_retry_handler_succeeds(world: World) -> None:
    world.slack.faults.rate_limit("chat.postMessage", times=2, retry_after=0)
    client = world.client
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    assert client.chat_postMessage(channel=world.general.id, text="x")["ok"]
    assert [c.status for c in world.slack.calls("chat.postMessage")] == [429, 429, 200]


def test_server_error(world: World) -> None:
    world.slack.faults.server_error("views.publish", status=503)
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    with pytest.raises(SlackApiError) as err:
        world.client.views_publish(user_id=world.alice.id, view=home)
    assert err.value.response.status_code == 503
    assert world.client.views_publish(user_id=world.alice.id, view=home)["ok"]


def test_faults_count_down_and_match_only_their_method(world: World) -> None:
    world.slack.faults.server_error("pins.add", times=2)
    assert world.client.auth_test()["ok"]
    ts = world.client.chat_postMessage(channel=world.general.id, text="x")["ts"]
    for _ in range(2):
        with pytest.raises(SlackApiError):
            world.client.pins_add(channel=world.general.id, timestamp=ts)
    assert world.client.pins_add(channel=world.general.id, timestamp=ts)["ok"]


def test_delay(world: World) -> None:
    world.slack.faults.delay("auth.test", 0.3)
    started = time.monotonic()
    world.client.auth_test()
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    world.client.auth_test()
    assert time.monotonic() - started < 0.3


def test_dropped_connection_is_retried_once_by_webclient(world: World) -> None:
    world.slack.faults.drop("chat.postMessage")
    assert world.client.chat_postMessage(channel=world.general.id, text="x")["ok"]
    calls = world.slack.calls("chat.postMessage")
    assert [c.fault for c in calls] == ["drop", None]
    assert len(world.slack.messages(world.general)) == 1


def test_dropped_connection_without_retries_raises(world: World) -> None:
    world.slack.faults.drop("chat.postMessage")
    client = world.client
    client.retry_handlers.clear()
    with pytest.raises(ConnectionError):
        client.chat_postMessage(channel=world.general.id, text="x")
    assert world.slack.messages(world.general) == []


def test_drop_after_apply_posts_but_the_caller_never_hears(world: World) -> None:
    world.slack.faults.drop("chat.postMessage", after_apply=True)
    client = world.client
    client.retry_handlers.clear()
    with pytest.raises(ConnectionError):
        client.chat_postMessage(channel=world.general.id, text="verdict")
    assert [m["text"] for m in world.slack.messages(world.general)] == ["verdict"]


def test_hold_until_released(world: World) -> None:
    hold = world.slack.faults.hold("chat.postMessage")
    result: dict[str, object] = {}

    def post() -> None:
        result["ts"] = world.client.chat_postMessage(channel=world.general.id, text="held")["ts"]

    thread = threading.Thread(target=post)
    thread.start()
    args = hold.wait(timeout=5)
    assert args["text"] == "held"
    assert hold.held
    assert world.slack.messages(world.general) == []
    hold.release()
    thread.join(timeout=5)
    assert result["ts"] == world.slack.messages(world.general)[0]["ts"]


def test_held_call_dropped_after_apply(world: World) -> None:
    hold = world.slack.faults.hold("chat.postMessage")
    client = world.client
    client.retry_handlers.clear()
    errors: list[BaseException] = []

    def post() -> None:
        try:
            client.chat_postMessage(channel=world.general.id, text="crash in flight")
        except ConnectionError as exc:
            errors.append(exc)

    thread = threading.Thread(target=post)
    thread.start()
    hold.wait(timeout=5)
    hold.drop(apply=True)
    thread.join(timeout=5)
    assert len(errors) == 1
    assert [m["text"] for m in world.slack.messages(world.general)] == ["crash in flight"]


def test_an_answer_held_after_apply_then_dropped(world: World) -> None:
    hold = world.slack.faults.hold("chat.postMessage", after_apply=True)
    client = world.client
    client.retry_handlers.clear()
    errors: list[BaseException] = []

    def post() -> None:
        try:
            client.chat_postMessage(channel=world.general.id, text="posted, answer lost")
        except ConnectionError as exc:
            errors.append(exc)

    thread = threading.Thread(target=post)
    thread.start()
    assert hold.wait(timeout=5)["text"] == "posted, answer lost"
    assert hold.held
    # Applied before the answer is held: the message is in the channel already.
    assert [m["text"] for m in world.slack.messages(world.general)] == ["posted, answer lost"]
    assert thread.is_alive()
    hold.drop()
    thread.join(timeout=5)
    assert len(errors) == 1
    assert len(world.slack.messages(world.general)) == 1


def test_an_answer_held_after_apply_then_released(world: World) -> None:
    hold = world.slack.faults.hold("chat.postMessage", after_apply=True)
    result: dict[str, object] = {}

    def post() -> None:
        result["ts"] = world.client.chat_postMessage(channel=world.general.id, text="late")["ts"]

    thread = threading.Thread(target=post)
    thread.start()
    hold.wait(timeout=5)
    hold.release()
    thread.join(timeout=5)
    assert result["ts"] == world.slack.messages(world.general)[0]["ts"]


def test_stop_releases_held_calls(world: World) -> None:
    hold = world.slack.faults.hold("auth.test")
    thread = threading.Thread(target=world.client.auth_test)
    thread.start()
    hold.wait(timeout=5)
    world.slack.faults.clear()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_fifty_concurrent_calls(world: World) -> None:
    world.slack.faults.delay("chat.postMessage", 0.2, times=None)
    client = world.client
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(
            pool.map(
                lambda i: client.chat_postMessage(channel=world.general.id, text=str(i)), range(50)
            )
        )
    elapsed = time.monotonic() - started
    assert all(r["ok"] for r in results)
    assert len({r["ts"] for r in results}) == 50
    assert elapsed < 2.0  # served concurrently, not one after the other (50 x 0.2 s)


def test_down_refuses_calls_and_comes_back_on_the_same_port_with_its_state(world: World) -> None:
    url = world.slack.url
    ts = world.client.chat_postMessage(channel=world.general.id, text="before")["ts"]
    world.slack.go_down()
    with pytest.raises(URLError, match="refused"):
        world.slack.client(world.acme).auth_test()
    assert world.slack.url == url
    world.slack.come_back()
    assert world.slack.url == url
    assert world.client.chat_update(channel=world.general.id, ts=ts, text="after")["ok"]
    assert [m["text"] for m in world.slack.messages(world.general)] == ["after"]


@pytest.mark.parametrize(("apply", "expected"), [(False, []), (True, ["landed"])])
def test_going_down_ends_held_calls_unanswered_applied_or_not(
    world: World, apply: bool, expected: list[str]
) -> None:
    hold = world.slack.faults.hold("chat.postMessage")
    errors: list[Exception] = []

    def post() -> None:
        try:
            world.client.chat_postMessage(channel=world.general.id, text="landed")
        except OSError as exc:  # the drop, then a refused retry
            errors.append(exc)

    thread = threading.Thread(target=post)
    thread.start()
    hold.wait(timeout=5)
    world.slack.go_down(apply_held=apply)
    thread.join(timeout=5)
    assert len(errors) == 1
    world.slack.come_back()
    assert [m["text"] for m in world.slack.messages(world.general)] == expected
