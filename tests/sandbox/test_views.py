"""views.* through a real WebClient: trigger ids, the modal stack, hashes, validation."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.sandbox import SlackStandIn
from tests.sandbox.conftest import World, modal


def _trigger(world: World) -> str:
    """A trigger_id as the app would receive it with a shortcut."""
    return str(world.slack.global_shortcut(world.alice, "new_check").meta["trigger_id"])


def _error(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(exc.value.response["error"])


def test_open_uses_a_trigger_once(world: World) -> None:
    trigger_id = _trigger(world)
    view = world.client.views_open(trigger_id=trigger_id, view=modal())["view"]
    assert view["id"].startswith("V")
    assert view["root_view_id"] == view["id"]
    assert view["hash"]
    assert view["state"] == {"values": {}}
    assert world.slack.current_view(world.alice)["id"] == view["id"]
    with pytest.raises(SlackApiError) as err:
        world.client.views_open(trigger_id=trigger_id, view=modal())
    assert _error(err) == "exchanged_trigger_id"


def test_unknown_and_missing_trigger(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.views_open(trigger_id="123.456.abc", view=modal())
    assert _error(err) == "invalid_trigger_id"
    with pytest.raises(SlackApiError) as err:
        world.client.api_call("views.open", json={"view": modal()})
    assert _error(err) == "invalid_arguments"


def test_trigger_of_another_workspace_is_invalid(world: World) -> None:
    other = world.slack.add_workspace("Other")
    trigger_id = _trigger(world)
    with pytest.raises(SlackApiError) as err:
        world.slack.client(other).views_open(trigger_id=trigger_id, view=modal())
    assert _error(err) == "invalid_trigger_id"


def test_trigger_expires() -> None:
    with SlackStandIn(trigger_ttl=0.05) as slack:
        ws = slack.add_workspace()
        alice = slack.add_user(ws, "alice")
        trigger_id = slack.global_shortcut(alice, "x").meta["trigger_id"]
        time.sleep(0.1)
        with pytest.raises(SlackApiError) as err:
            slack.client(ws).views_open(trigger_id=trigger_id, view=modal())
        assert _error(err) == "expired_trigger_id"


def test_invalid_view_keeps_the_trigger(world: World) -> None:
    trigger_id = _trigger(world)
    with pytest.raises(SlackApiError) as err:
        world.client.views_open(trigger_id=trigger_id, view=modal(title="x" * 25))
    assert _error(err) == "invalid_arguments"
    assert (
        "title must be between 1 and 24 characters"
        in err.value.response["response_metadata"]["messages"][0]
    )
    assert world.client.views_open(trigger_id=trigger_id, view=modal())["ok"]


@pytest.mark.parametrize(
    "view",
    [
        {"type": "home", "blocks": [{"type": "divider"}]},
        {**modal(), "submit": None},
        {**modal(), "blocks": [{"type": "divider"}] * 101},
        {**modal(), "private_metadata": "x" * 3001},
        {**modal(), "callback_id": "c" * 256},
        {**modal(), "blocks": [{"type": "input", "element": {"type": "plain_text_input"}}]},
    ],
    ids=[
        "home-in-modal",
        "input-without-submit",
        "101-blocks",
        "metadata-3001",
        "callback-256",
        "no-label",
    ],
)
def test_views_open_rejects(world: World, view: dict[str, Any]) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.views_open(trigger_id=_trigger(world), view=view)
    assert _error(err) == "invalid_arguments"
    assert err.value.response["response_metadata"]["messages"]


def test_view_too_large(world: World) -> None:
    huge = modal(private_metadata="p" * 260_000)
    with pytest.raises(SlackApiError) as err:
        world.client.views_open(trigger_id=_trigger(world), view=huge)
    assert _error(err) == "view_too_large"


def test_view_from_slack_sdk_models(world: World) -> None:
    view = View(
        type="modal",
        title="Check",
        submit="Save",
        blocks=[
            InputBlock(label="Title", element=PlainTextInputElement(action_id="t"), block_id="b")
        ],
    )
    assert world.client.views_open(trigger_id=_trigger(world), view=view)["ok"]


def test_push_up_to_three(world: World) -> None:
    root = world.client.views_open(trigger_id=_trigger(world), view=modal("Root"))["view"]
    second = world.client.views_push(trigger_id=_trigger(world), view=modal("Second"))["view"]
    assert second["previous_view_id"] == root["id"]
    assert second["root_view_id"] == root["id"]
    world.client.views_push(trigger_id=_trigger(world), view=modal("Third"))
    with pytest.raises(SlackApiError) as err:
        world.client.views_push(trigger_id=_trigger(world), view=modal("Fourth"))
    assert _error(err) == "push_limit_reached"
    assert [v["title"]["text"] for v in world.slack.modal_stack(world.alice)] == [
        "Root",
        "Second",
        "Third",
    ]


def test_push_without_an_open_modal(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.views_push(trigger_id=_trigger(world), view=modal())
    assert _error(err) == "not_found"


def test_update_checks_the_hash(world: World) -> None:
    view = world.client.views_open(trigger_id=_trigger(world), view=modal())["view"]
    updated = world.client.views_update(
        view_id=view["id"], hash=view["hash"], view=modal("Loaded")
    )["view"]
    assert updated["id"] == view["id"]
    assert updated["hash"] != view["hash"]
    with pytest.raises(SlackApiError) as err:
        world.client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Stale"))
    assert _error(err) == "hash_conflict"
    assert world.client.views_update(view_id=view["id"], view=modal("No hash"))["ok"]


def test_update_by_external_id_and_not_found(world: World) -> None:
    world.client.views_open(trigger_id=_trigger(world), view=modal(external_id="check-1"))
    answer = world.client.views_update(
        external_id="check-1", view=modal("Found", external_id="check-1")
    )
    assert answer["view"]["title"]["text"] == "Found"
    with pytest.raises(SlackApiError) as err:
        world.client.views_update(view_id="V_NOPE", view=modal())
    assert _error(err) == "not_found"
    with pytest.raises(SlackApiError) as err:
        world.client.api_call("views.update", json={"view": modal()})
    assert _error(err) == "invalid_arguments"


def test_duplicate_external_id(world: World) -> None:
    world.client.views_open(trigger_id=_trigger(world), view=modal(external_id="same"))
    bob_trigger = world.slack.global_shortcut(world.bob, "x").meta["trigger_id"]
    with pytest.raises(SlackApiError) as err:
        world.client.views_open(trigger_id=bob_trigger, view=modal(external_id="same"))
    assert _error(err) == "duplicate_external_id"


def test_update_keeps_typed_input(world: World) -> None:
    view = world.client.views_open(trigger_id=_trigger(world), view=modal())["view"]
    world.slack.fill(world.alice, {"title_input": "Acme deal"})
    updated = world.client.views_update(view_id=view["id"], view=modal("Loaded"))["view"]
    assert updated["state"]["values"]["title"]["title_input"]["value"] == "Acme deal"


def test_publish_home(world: World) -> None:
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    first = world.client.views_publish(user_id=world.alice.id, view=home)["view"]
    assert first["type"] == "home"
    again = world.client.views_publish(user_id=world.alice.id, view=home, hash=first["hash"])[
        "view"
    ]
    assert again["id"] == first["id"]
    with pytest.raises(SlackApiError) as err:
        world.client.views_publish(user_id=world.alice.id, view=home, hash=first["hash"])
    assert _error(err) == "hash_conflict"
    with pytest.raises(SlackApiError) as err:
        world.client.views_publish(user_id=world.alice.id, view=modal())
    assert _error(err) == "invalid_arguments"
    with pytest.raises(SlackApiError) as err:
        world.client.views_publish(user_id="U_NOBODY", view=home)
    assert _error(err) == "invalid_arguments"
    assert world.slack.home(world.alice)["hash"] == again["hash"]
    assert world.slack.home(world.bob) is None
