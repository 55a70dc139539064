"""Signed HTTP delivery to a real Bolt App served over HTTP, and what Slack does with answers."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.sandbox import BoltAppServer, SlackStandIn, UserActionError
from tests.sandbox.conftest import AppFactory, World, modal

Serve = Callable[[App], BoltAppServer]
BUTTON = {
    "type": "actions",
    "block_id": "verdict_actions",
    "elements": [
        {
            "type": "button",
            "action_id": "pin_verdict",
            "text": {"type": "plain_text", "text": "Pin"},
            "value": "verdict-7",
        },
        {
            "type": "static_select",
            "action_id": "pick",
            "placeholder": {"type": "plain_text", "text": "Pick"},
            "options": [
                {"text": {"type": "plain_text", "text": "One"}, "value": "1"},
                {"text": {"type": "plain_text", "text": "Two"}, "value": "2"},
            ],
        },
    ],
}


def _next(inbox: queue.Queue[Any]) -> Any:
    return inbox.get(timeout=5)


def _collect(inbox: queue.Queue[Any] | list[Any]) -> Callable[[dict[str, Any]], None]:
    """An event listener (Bolt injects by parameter name) that keeps every event."""

    def listener(event: dict[str, Any]) -> None:
        if isinstance(inbox, list):
            inbox.append(event)
        else:
            inbox.put(event)

    return listener


def test_slash_command_is_signed_and_its_trigger_opens_a_modal(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()
    bodies: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.command("/relationship")
    def open_check(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        bodies.put(body)
        client.views_open(trigger_id=body["trigger_id"], view=modal())

    serve(app)
    delivery = world.slack.slash_command(world.alice, world.general, "/relationship", "acme deal")
    assert delivery.ok
    assert delivery.acked_in_time
    assert delivery.transport == "http"
    body = _next(bodies)
    assert body["text"] == "acme deal"
    assert body["channel_id"] == world.general.id
    assert body["user_id"] == world.alice.id
    assert body["team_id"] == world.acme.id
    assert body["api_app_id"] == world.slack.app.app_id
    assert body["response_url"].startswith(world.slack.url + "/hooks/commands/")
    world.slack.wait_for_call("views.open", ok=True)
    assert world.slack.current_view(world.alice)["callback_id"] == "check"


def test_forged_or_stale_signature_gets_401(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    serve(make_app())
    challenge = {"type": "url_verification", "challenge": "c-123", "token": "t"}
    good = world.slack.send_signed(challenge)
    assert good.status == 200
    assert good.json() == {"challenge": "c-123"}
    forged = world.slack.send_signed(challenge, signing_secret="not-the-secret")  # noqa: S106
    assert forged.status == 401
    stale = world.slack.send_signed(challenge, timestamp=str(int(time.time()) - 600))
    assert stale.status == 401


def test_command_answers_show_as_ephemeral_or_in_channel(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()

    @app.command("/relationship")
    def answer(ack: Ack, command: dict[str, Any]) -> None:
        if command["text"] == "help":
            ack("Type /relationship to start a check.")
        else:
            ack(response_type="in_channel", text="Everyone: a check started")

    serve(app)
    world.slack.slash_command(world.alice, world.general, "/relationship", "help")
    [shown] = world.slack.ephemerals(user=world.alice)
    assert shown.text == "Type /relationship to start a check."
    assert shown.source == "command_response"
    world.slack.slash_command(world.alice, world.general, "/relationship", "go")
    assert [m["text"] for m in world.slack.messages(world.general)] == ["Everyone: a check started"]


def test_response_url_five_uses(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    statuses: queue.Queue[int] = queue.Queue()

    @app.command("/relationship")
    def answer_later(ack: Ack, respond: Respond) -> None:
        ack()
        for i in range(6):
            statuses.put(respond(f"update {i}").status_code)

    serve(app)
    world.slack.slash_command(world.alice, world.general, "/relationship")
    assert [_next(statuses) for _ in range(6)] == [200] * 5 + [404]
    posts = world.slack.response_url_posts()
    assert [p.error for p in posts] == [None] * 5 + ["used_url"]
    assert [e.text for e in world.slack.ephemerals(user=world.alice)] == [
        f"update {i}" for i in range(5)
    ]


def test_response_url_expires() -> None:
    with SlackStandIn(response_url_ttl=0.05) as slack:
        ws = slack.add_workspace()
        alice = slack.add_user(ws, "alice")
        general = slack.add_channel(ws, "general", members=[alice], bot=True)
        url = slack.slash_command(alice, general, "/x").meta["response_url"]
        time.sleep(0.1)
        answer = WebhookClient(url).send(text="too late")
        assert answer.status_code == 404
        assert "expired_url" in answer.body


def test_message_events_follow_membership(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    events: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.event("message")
    def on_message(event: dict[str, Any]) -> None:
        events.put(event)

    serve(app)
    posted = world.slack.post(world.alice, world.general, "hello bot")
    assert [d.status for d in posted.deliveries] == [200]
    envelope = posted.deliveries[0].payload
    assert envelope["type"] == "event_callback"
    assert envelope["event_id"].startswith("Ev")
    assert envelope["authorizations"][0]["user_id"] == world.bot
    event = _next(events)
    assert event["text"] == "hello bot"
    assert event["channel_type"] == "channel"
    assert event["user"] == world.alice.id
    assert "subtype" not in event

    reply = world.slack.post(world.bob, world.general, "refine", thread_ts=posted.ts)
    event = _next(events)
    assert event["thread_ts"] == posted.ts != event["ts"] == reply.ts
    assert "subtype" not in event

    world.slack.post(world.bob, world.general, "to all", thread_ts=posted.ts, broadcast=True)
    event = _next(events)
    assert event["subtype"] == "thread_broadcast"
    assert event["root"]["ts"] == posted.ts

    world.slack.edit(world.bob, world.general, reply.ts, "refined")
    event = _next(events)
    assert event["subtype"] == "message_changed"
    assert event["message"]["text"] == "refined"
    assert event["previous_message"]["text"] == "refine"
    assert event["message"]["edited"]["user"] == world.bob.id

    private = world.slack.post(world.alice, world.deals, "in private")
    assert private.deliveries[0].ok
    assert _next(events)["channel_type"] == "group"
    assert world.slack.post(world.alice, world.random, "bot not here").deliveries == ()
    assert world.slack.post(world.alice, world.secret, "bot not here").deliveries == ()


def test_message_events_need_the_history_scope(slack: SlackStandIn) -> None:
    ws = slack.add_workspace("Narrow", scopes=["channels:history", "chat:write"])
    alice = slack.add_user(ws, "alice")
    public = slack.add_channel(ws, "general", members=[alice], bot=True)
    private = slack.add_channel(ws, "deals", private=True, members=[alice], bot=True)
    assert len(slack.post(alice, public, "x").deliveries) == 1
    assert slack.post(alice, private, "x").deliveries == ()


def test_mention_also_sends_app_mention(world: World) -> None:
    posted = world.slack.post(world.alice, world.general, f"<@{world.bot}> help")
    assert [d.label for d in posted.deliveries] == ["event:message", "event:app_mention"]


def test_own_messages_come_back_and_bolt_ignores_them(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()
    seen: list[dict[str, Any]] = []
    app.event("message")(_collect(seen))
    serve(app)
    world.slack.client(world.acme).chat_postMessage(channel=world.general.id, text="verdict")
    world.slack.settle()
    [echo] = world.slack.deliveries("event:message")
    assert echo.status == 200
    assert echo.payload["event"]["bot_id"]
    assert seen == []


def test_pins_by_hand_and_invites(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    for name in ("pin_added", "pin_removed", "member_joined_channel"):
        app.event(name)(_collect(events))
    app.event("message")(lambda event: None)
    serve(app)
    ts = world.slack.client(world.acme).chat_postMessage(channel=world.general.id, text="v")["ts"]
    world.slack.settle()
    world.slack.pin(world.bob, world.general, ts)
    event = _next(events)
    assert event["type"] == "pin_added"
    assert event["user"] == world.bob.id
    assert event["item"]["message"]["ts"] == ts
    world.slack.unpin(world.bob, world.general, ts)
    assert _next(events)["type"] == "pin_removed"
    with pytest.raises(UserActionError):
        world.slack.unpin(world.bob, world.general, ts)

    deliveries = world.slack.invite(world.alice, world.secret)
    assert deliveries[0].ok
    joined = _next(events)
    assert joined == {
        **joined,
        "type": "member_joined_channel",
        "user": world.bot,
        "inviter": world.alice.id,
    }


def test_app_home_opened_then_publish(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()

    @app.event("app_home_opened")
    def render(event: dict[str, Any], client: WebClient) -> None:
        view = {
            "type": "home",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
        }
        client.views_publish(user_id=event["user"], view=view)

    serve(app)
    [delivery] = world.slack.open_home(world.alice)
    assert delivery.ok
    assert delivery.payload["event"]["channel"] == world.slack.bot_dm(world.alice).id
    world.slack.wait_for_call("views.publish", ok=True)
    assert world.slack.home(world.alice)["blocks"][0]["text"]["text"] == "Hi"
    [again] = world.slack.open_home(world.alice)
    assert again.payload["event"]["view"]["type"] == "home"


def test_uninstall_sends_both_events(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    events: queue.Queue[str] = queue.Queue()
    app.event("app_uninstalled")(lambda event: events.put(event["type"]))
    app.event("tokens_revoked")(lambda event: events.put(event["type"]))
    serve(app)
    deliveries = world.slack.uninstall(world.acme)
    assert [d.label for d in deliveries] == ["event:tokens_revoked", "event:app_uninstalled"]
    assert {_next(events), _next(events)} == {"tokens_revoked", "app_uninstalled"}


def test_retry_headers_on_redelivery(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    retries: queue.Queue[tuple[str, str]] = queue.Queue()

    @app.event("message")
    def on_message(request: BoltRequest) -> None:
        headers = request.headers
        retries.put(
            (
                headers.get("x-slack-retry-num", ["-"])[0],
                headers.get("x-slack-retry-reason", ["-"])[0],
            )
        )

    serve(app)
    [first] = world.slack.post(world.alice, world.general, "x").deliveries
    assert _next(retries) == ("-", "-")
    second = world.slack.redeliver(first, reason="http_timeout")
    assert second.retry_num == 1
    assert second.payload["event_id"] == first.payload["event_id"]
    assert _next(retries) == ("1", "http_timeout")


def test_unmatched_event_is_a_404(world: World, make_app: AppFactory, serve: Serve) -> None:
    serve(make_app())
    [delivery] = world.slack.post(world.alice, world.general, "nobody listens").deliveries
    assert delivery.status == 404
    assert not delivery.ok


def test_app_down_is_recorded(world: World) -> None:
    world.slack.request_url = "http://127.0.0.1:9/slack/events"
    delivery = world.slack.slash_command(world.alice, world.general, "/relationship")
    assert delivery.status is None
    assert delivery.error is not None
    assert not delivery.ok


def test_button_click_in_a_message_and_respond_replace(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()
    payloads: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.action("pin_verdict")
    def on_pin(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        payloads.put(body)
        respond(replace_original=True, text="Pinned.")

    @app.action("pick")
    def on_pick(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        payloads.put(body)

    app.event("message")(lambda event: None)
    serve(app)
    posted = world.slack.client(world.acme).chat_postMessage(
        channel=world.general.id, text="verdict", blocks=[BUTTON]
    )
    delivery = world.slack.click(world.alice, "pin_verdict", channel=world.general, ts=posted["ts"])
    assert delivery.ok
    body = _next(payloads)
    assert body["type"] == "block_actions"
    assert body["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": world.general.id,
        "is_ephemeral": False,
    }
    action = body["actions"][0]
    assert action["value"] == "verdict-7"
    assert action["block_id"] == "verdict_actions"
    assert body["message"]["ts"] == posted["ts"]
    assert body["trigger_id"]
    world.slack.wait_for_delivery("event:message", count=2)  # the post, then the edit's echo
    assert world.slack.message(world.general, posted["ts"])["text"] == "Pinned."

    with pytest.raises(UserActionError):  # replace_original without blocks removed the buttons
        world.slack.click(world.alice, "pin_verdict", channel=world.general, ts=posted["ts"])

    again = world.slack.client(world.acme).chat_postMessage(
        channel=world.general.id, text="verdict", blocks=[BUTTON]
    )["ts"]
    world.slack.click(world.bob, "pick", channel=world.general, ts=again, value="2")
    picked = _next(payloads)["actions"][0]
    assert picked["selected_option"]["value"] == "2"
    assert picked["type"] == "static_select"
    with pytest.raises(UserActionError):
        world.slack.click(world.bob, "pick", channel=world.general, ts=again, value="9")
    with pytest.raises(UserActionError):
        world.slack.click(world.bob, "nope", channel=world.general, ts=again)


def _check_modal() -> dict[str, Any]:
    view = modal()
    view["blocks"].append(
        {
            "type": "input",
            "block_id": "kind",
            "label": {"type": "plain_text", "text": "Kind"},
            "element": {
                "type": "static_select",
                "action_id": "kind_select",
                "options": [
                    {"text": {"type": "plain_text", "text": "Partnership"}, "value": "partnership"},
                    {
                        "text": {"type": "plain_text", "text": "Collaboration"},
                        "value": "collaboration",
                    },
                ],
            },
        }
    )
    view["blocks"].append(
        {
            "type": "input",
            "block_id": "notes",
            "optional": True,
            "label": {"type": "plain_text", "text": "Notes"},
            "element": {
                "type": "plain_text_input",
                "action_id": "notes_input",
                "initial_value": "none",
            },
        }
    )
    view["blocks"].append(
        {
            "type": "actions",
            "block_id": "tools",
            "elements": [
                {
                    "type": "button",
                    "action_id": "prefill",
                    "text": {"type": "plain_text", "text": "Prefill"},
                }
            ],
        }
    )
    return view


def test_modal_submission_errors_then_close(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()
    submitted: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.shortcut("new_check")
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=_check_modal())

    @app.view("check")
    def on_submit(ack: Ack, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        submitted.put(values)
        if values["title"]["title_input"]["value"] == "bad":
            ack(response_action="errors", errors={"title": "Give it a real title"})
        else:
            ack()

    serve(app)
    assert world.slack.global_shortcut(world.alice, "new_check").ok
    world.slack.wait_for_call("views.open", ok=True)
    with pytest.raises(UserActionError, match="required"):
        world.slack.submit(world.alice, {"title_input": "x"})
    with pytest.raises(UserActionError, match="no input"):
        world.slack.submit(world.alice, {"typo": "x"})

    first = world.slack.submit(world.alice, {"title_input": "bad", "kind": "partnership"})
    assert first.outcome == "errors"
    assert first.errors == {"title": "Give it a real title"}
    values = _next(submitted)
    assert values["kind"]["kind_select"]["selected_option"]["value"] == "partnership"
    assert values["notes"]["notes_input"] == {"type": "plain_text_input", "value": "none"}
    assert "tools" not in values  # buttons hold no state

    second = world.slack.submit(world.alice, {"title_input": "Acme deal"})
    assert second.outcome == "closed"
    assert second.view is None
    assert _next(submitted)["kind"]["kind_select"]["selected_option"]["value"] == "partnership"


def test_modal_response_actions_update_push_clear(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()
    answers: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.view("check")
    def on_submit(ack: Ack) -> None:
        ack(**answers.get(timeout=5))

    serve(app)
    trigger = world.slack.global_shortcut(world.alice, "x").meta["trigger_id"]
    world.slack.client(world.acme).views_open(trigger_id=trigger, view=modal())

    answers.put({"response_action": "update", "view": modal("Step 2")})
    updated = world.slack.submit(world.alice, {"title_input": "a"})
    assert updated.outcome == "updated"
    assert updated.view is not None
    assert updated.view["title"]["text"] == "Step 2"

    answers.put({"response_action": "push", "view": modal("Step 3")})
    pushed = world.slack.submit(world.alice, {"title_input": "b"})
    assert pushed.outcome == "pushed"
    assert len(world.slack.modal_stack(world.alice)) == 2

    answers.put({"response_action": "update", "view": modal("x" * 30)})
    assert world.slack.submit(world.alice, {"title_input": "c"}).outcome == "failed"

    answers.put({"response_action": "clear"})
    assert world.slack.submit(world.alice, {"title_input": "d"}).outcome == "cleared"
    assert world.slack.modal_stack(world.alice) == []


def test_click_in_a_modal_and_update_it(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    payloads: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.action("prefill")
    def prefill(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        payloads.put(body)
        view = body["view"]
        client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Prefilled"))

    serve(app)
    trigger = world.slack.global_shortcut(world.alice, "x").meta["trigger_id"]
    world.slack.client(world.acme).views_open(trigger_id=trigger, view=_check_modal())
    world.slack.fill(world.alice, {"title_input": "typed"})
    assert world.slack.click(world.alice, "prefill").ok
    body = _next(payloads)
    assert body["container"]["type"] == "view"
    assert body["view"]["state"]["values"]["title"]["title_input"]["value"] == "typed"
    world.slack.wait_for_call("views.update", ok=True)
    assert world.slack.current_view(world.alice)["title"]["text"] == "Prefilled"


def test_close_view_notifies_when_asked(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    closed: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.view_closed("check")
    def on_close(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        closed.put(body)

    serve(app)
    trigger = world.slack.global_shortcut(world.alice, "x").meta["trigger_id"]
    world.slack.client(world.acme).views_open(trigger_id=trigger, view=modal(notify_on_close=True))
    delivery = world.slack.close_view(world.alice)
    assert delivery is not None
    assert delivery.ok
    assert _next(closed)["type"] == "view_closed"
    assert world.slack.current_view(world.alice) is None


def test_message_shortcut(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()
    bodies: queue.Queue[dict[str, Any]] = queue.Queue()

    @app.shortcut("assess_message")
    def assess(ack: Ack, shortcut: dict[str, Any]) -> None:
        ack()
        bodies.put(shortcut)

    app.event("message")(lambda event: None)
    serve(app)
    posted = world.slack.post(world.bob, world.general, "We will share profits 50/50")
    assert world.slack.message_shortcut(world.alice, world.general, posted.ts, "assess_message").ok
    body = _next(bodies)
    assert body["type"] == "message_action"
    assert body["message"]["text"] == "We will share profits 50/50"
    assert body["channel"]["id"] == world.general.id
    assert body["response_url"]


def test_delivery_times_the_ack(world: World, make_app: AppFactory, serve: Serve) -> None:
    app = make_app()

    @app.command("/slow")
    def slow(ack: Ack) -> None:
        time.sleep(0.3)
        ack()

    serve(app)
    delivery = world.slack.slash_command(world.alice, world.general, "/slow")
    assert delivery.ok
    assert 0.3 <= delivery.elapsed < 3.0
    assert delivery.acked_in_time


def test_late_or_failed_answers_show_slack_errors(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app()

    @app.command("/boom")
    def boom(ack: Ack) -> None:
        raise RuntimeError("listener crashed before ack")

    serve(app)
    delivery = world.slack.slash_command(world.alice, world.general, "/boom")
    assert delivery.status == 500
    [shown] = world.slack.ephemerals(user=world.alice)
    assert shown.text == '/boom failed with the error "dispatch_failed"'
    assert shown.source == "slack"


def test_answer_after_the_deadline_is_dropped(
    world: World, make_app: AppFactory, serve: Serve
) -> None:
    app = make_app(process_before_response=True)  # answers only when the listener returns

    @app.view("check")
    def slow_submit(ack: Ack) -> None:
        ack(response_action="errors", errors={"title": "too late to matter"})
        time.sleep(0.4)

    serve(app)
    world.slack.ack_deadline = 0.2  # Slack's is 3 s; shortened to keep the suite fast
    trigger = world.slack.global_shortcut(world.alice, "x").meta["trigger_id"]
    world.slack.client(world.acme).views_open(trigger_id=trigger, view=modal())
    submission = world.slack.submit(world.alice, {"title_input": "x"})
    assert submission.delivery.ok
    assert not submission.delivery.acked_in_time
    assert submission.outcome == "failed"
    assert submission.detail == "operation_timeout"
    assert submission.errors == {}
    assert submission.view is not None  # the modal stays open with Slack's error
