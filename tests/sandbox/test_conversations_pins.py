"""conversations.* and pins.* through a real WebClient."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn
from bot.sandbox.state import DEFAULT_BOT_SCOPES
from tests.sandbox.conftest import World


def _error(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(exc.value.response["error"])


def test_info_shows_what_the_bot_can_see(world: World) -> None:
    channel = world.client.conversations_info(channel=world.deals.id, include_num_members=True)[
        "channel"
    ]
    assert channel["is_private"] is True
    assert channel["is_member"] is True
    assert channel["num_members"] == 3
    public = world.client.conversations_info(channel=world.random.id)["channel"]
    assert public["is_member"] is False
    assert public["is_private"] is False
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_info(channel=world.secret.id)
    assert _error(err) == "channel_not_found"


def test_info_of_a_dm_and_a_shared_channel(world: World) -> None:
    dm = world.slack.bot_dm(world.alice)
    assert world.client.conversations_info(channel=dm.id)["channel"]["user"] == world.alice.id
    partner = world.slack.add_workspace("Partner", install=False)
    shared = world.slack.add_channel(world.acme, "deal-room", bot=True, shared_with=[partner])
    info = world.client.conversations_info(channel=shared.id)["channel"]
    assert info["is_ext_shared"] is True
    assert info["shared_team_ids"] == [world.acme.id, partner.id]


def test_join_public_only(world: World) -> None:
    joined = world.client.conversations_join(channel=world.random.id)
    assert joined["channel"]["is_member"] is True
    assert world.bot in world.slack.members(world.random)
    again = world.client.conversations_join(channel=world.random.id)
    assert again["warning"] == "already_in_channel"
    for conv in (world.secret, world.slack.bot_dm(world.alice)):
        with pytest.raises(SlackApiError) as err:
            world.client.conversations_join(channel=conv.id)
        assert _error(err) == "method_not_supported_for_channel_type"
    archived = world.slack.add_channel(world.acme, "gone", archived=True)
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_join(channel=archived.id)
    assert _error(err) == "is_archived"
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_join(channel="C_NOPE")
    assert _error(err) == "channel_not_found"


def test_join_posts_the_channel_join_message(world: World) -> None:
    world.client.conversations_join(channel=world.random.id)
    [notice] = world.slack.messages(world.random)
    assert notice["subtype"] == "channel_join"
    assert notice["user"] == world.bot


def test_history_needs_membership(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_history(channel=world.random.id)
    assert _error(err) == "not_in_channel"
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_history(channel=world.secret.id)
    assert _error(err) == "channel_not_found"


def test_open_gives_the_dm_its_own_id_which_history_takes_and_a_user_id_is_not(
    world: World,
) -> None:
    opened = world.client.conversations_open(users=world.alice.id)
    dm = world.slack.bot_dm(world.alice)
    assert opened["channel"]["id"] == dm.id and "already_open" not in opened.data
    again = world.client.conversations_open(users=world.alice.id)
    assert again["channel"]["id"] == dm.id and again["already_open"] is True
    world.client.chat_postMessage(channel=world.alice.id, text="hello")  # a user id posts
    (message,) = world.client.conversations_history(channel=dm.id)["messages"]
    assert message["text"] == "hello"
    for read in (world.client.conversations_history, world.client.conversations_info):
        with pytest.raises(SlackApiError) as err:
            read(channel=world.alice.id)
        assert _error(err) == "channel_not_found"
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_open(users="U_NOPE")
    assert _error(err) == "user_not_found"


def test_open_of_a_dm_needs_im_write(slack: SlackStandIn) -> None:
    scopes = [scope for scope in DEFAULT_BOT_SCOPES if scope != "im:write"]
    team = slack.add_workspace("Narrow", scopes=scopes)
    carol = slack.add_user(team, "carol")
    with pytest.raises(SlackApiError) as err:
        slack.client(team).conversations_open(users=carol.id)
    assert _error(err) == "missing_scope"
    assert "im:write" in err.value.response["needed"].split(",")


def test_history_pages_newest_first(world: World) -> None:
    texts = [str(i) for i in range(7)]
    for text in texts:
        world.slack.post(world.alice, world.general, text)
    first = world.client.conversations_history(channel=world.general.id, limit=3)
    assert [m["text"] for m in first["messages"]] == ["6", "5", "4"]
    assert first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    second = world.client.conversations_history(channel=world.general.id, limit=3, cursor=cursor)
    assert [m["text"] for m in second["messages"]] == ["3", "2", "1"]
    every = [
        m["text"]
        for page in world.client.conversations_history(channel=world.general.id, limit=2)
        for m in page["messages"]
    ]
    assert every == texts[::-1]
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_history(channel=world.general.id, cursor="garbage")
    assert _error(err) == "invalid_cursor"


def test_history_time_window(world: World) -> None:
    stamps = [world.slack.post(world.alice, world.general, str(i)).ts for i in range(4)]
    window = world.client.conversations_history(
        channel=world.general.id, oldest=stamps[1], latest=stamps[3], inclusive=True
    )
    assert [m["text"] for m in window["messages"]] == ["3", "2", "1"]
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_history(channel=world.general.id, latest="soon")
    assert _error(err) == "invalid_ts_latest"
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_history(channel=world.general.id, oldest="long ago")
    assert _error(err) == "invalid_ts_oldest"


def test_replies(world: World) -> None:
    parent = world.slack.post(world.alice, world.general, "root").ts
    replies = [
        world.slack.post(world.bob, world.general, f"r{i}", thread_ts=parent).ts for i in range(3)
    ]
    thread = world.client.conversations_replies(channel=world.general.id, ts=replies[1])["messages"]
    assert [m["text"] for m in thread] == ["root", "r0", "r1", "r2"]
    assert thread[1]["parent_user_id"] == world.alice.id
    lone = world.slack.post(world.alice, world.general, "alone").ts
    assert (
        len(world.client.conversations_replies(channel=world.general.id, ts=lone)["messages"]) == 1
    )
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_replies(channel=world.general.id, ts="1.000001")
    assert _error(err) == "thread_not_found"
    with pytest.raises(SlackApiError) as err:
        world.client.conversations_replies(channel=world.secret.id, ts=parent)
    assert _error(err) == "channel_not_found"


def test_pin_lifecycle(world: World) -> None:
    client = world.client
    ts = client.chat_postMessage(channel=world.general.id, text="verdict")["ts"]
    assert client.pins_add(channel=world.general.id, timestamp=ts)["ok"]
    assert world.slack.pinned(world.general) == [ts]
    with pytest.raises(SlackApiError) as err:
        client.pins_add(channel=world.general.id, timestamp=ts)
    assert _error(err) == "already_pinned"
    [item] = client.pins_list(channel=world.general.id)["items"]
    assert item["type"] == "message"
    assert item["message"]["ts"] == ts
    assert item["created_by"] == world.bot
    assert item["message"]["pinned_to"] == [world.general.id]
    assert client.pins_remove(channel=world.general.id, timestamp=ts)["ok"]
    with pytest.raises(SlackApiError) as err:
        client.pins_remove(channel=world.general.id, timestamp=ts)
    assert _error(err) == "no_pin"
    assert client.pins_list(channel=world.general.id)["items"] == []


def test_pin_errors(world: World) -> None:
    client = world.client
    with pytest.raises(SlackApiError) as err:
        client.pins_add(channel=world.general.id)
    assert _error(err) == "no_item_specified"
    with pytest.raises(SlackApiError) as err:
        client.pins_add(channel=world.general.id, timestamp="yesterday")
    assert _error(err) == "bad_timestamp"
    with pytest.raises(SlackApiError) as err:
        client.pins_add(channel=world.general.id, timestamp="1.000001")
    assert _error(err) == "message_not_found"
    with pytest.raises(SlackApiError) as err:
        client.pins_add(channel=world.random.id, timestamp="1.000001")
    assert _error(err) == "not_in_channel"
    with pytest.raises(SlackApiError) as err:
        client.pins_add(channel=world.secret.id, timestamp="1.000001")
    assert _error(err) == "channel_not_found"
    with pytest.raises(SlackApiError) as err:
        client.pins_list(channel=world.secret.id)
    assert _error(err) == "channel_not_found"


def test_a_pin_by_hand_shows_in_pins_list(world: World) -> None:
    ts = world.client.chat_postMessage(channel=world.general.id, text="verdict")["ts"]
    world.slack.pin(world.alice, world.general, ts)
    [item] = world.client.pins_list(channel=world.general.id)["items"]
    assert item["created_by"] == world.alice.id
    notice = world.slack.messages(world.general)[-1]
    assert notice["subtype"] == "pinned_item"
