"""chat.* through a real WebClient: membership, content checks, threads, own-message rules."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import SectionBlock

from bot.sandbox import SlackStandIn
from tests.sandbox.conftest import World

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*Verdict*"}}
METADATA = {"event_type": "relationship_verdict", "event_payload": {"verdict_id": 7}}


def _error(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(exc.value.response["error"])


def test_post_in_member_channel_answers_like_slack(world: World) -> None:
    answer = world.client.chat_postMessage(
        channel=world.general.id, text="hello", blocks=[SECTION], metadata=METADATA
    )
    message = answer["message"]
    assert answer["channel"] == world.general.id
    assert message["ts"] == answer["ts"]
    assert message["bot_id"] == world.slack.installation(world.acme).bot_id
    assert message["user"] == world.bot
    assert message["blocks"][0]["block_id"]  # Slack fills block_ids in
    whole, frac = answer["ts"].split(".")
    assert whole.isdigit()
    assert len(frac) == 6


def test_ts_strictly_increase(world: World) -> None:
    stamps = [
        world.client.chat_postMessage(channel=world.general.id, text=str(i))["ts"]
        for i in range(20)
    ]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 20


def test_post_needs_membership(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel=world.random.id, text="hi")
    assert _error(err) == "not_in_channel"
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel=world.secret.id, text="hi")
    assert _error(err) == "not_in_channel"


def test_chat_write_public_posts_without_joining(slack: SlackStandIn) -> None:
    ws = slack.add_workspace("Pub", scopes=["chat:write", "chat:write.public"])
    alice = slack.add_user(ws, "alice")
    public = slack.add_channel(ws, "general", members=[alice])
    private = slack.add_channel(ws, "deals", private=True, members=[alice])
    assert slack.client(ws).chat_postMessage(channel=public.id, text="hi")["ok"]
    with pytest.raises(SlackApiError) as err:
        slack.client(ws).chat_postMessage(channel=private.id, text="hi")
    assert _error(err) == "not_in_channel"


def test_post_to_archived_or_unknown_channel(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel=world.old.id, text="hi")
    assert _error(err) == "is_archived"
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel="C_NOPE", text="hi")
    assert _error(err) == "channel_not_found"


def test_a_bot_removed_from_a_channel_can_no_longer_post_there(world: World) -> None:
    world.client.chat_postMessage(channel=world.general.id, text="before")
    world.slack.remove(world.alice, world.general)
    assert world.bot not in world.slack.members(world.general)
    left = world.slack.messages(world.general)[-1]
    assert (left["subtype"], left["user"]) == ("channel_leave", world.bot)
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel=world.general.id, text="after")
    assert _error(err) == "not_in_channel"
    assert world.slack.remove(world.alice, world.general) == ()  # not a member any more


def test_post_to_a_user_id_opens_the_bot_dm(world: World) -> None:
    answer = world.client.chat_postMessage(channel=world.alice.id, text="just for you")
    dm = world.slack.bot_dm(world.alice)
    assert answer["channel"] == dm.id
    assert [m["text"] for m in world.slack.messages(dm)] == ["just for you"]


def test_post_by_channel_name(world: World) -> None:
    assert (
        world.client.chat_postMessage(channel="#general", text="x")["channel"] == world.general.id
    )


def test_people_dm_and_others_group_dm_are_invisible(world: World) -> None:
    dm = world.slack.add_dm(world.alice, world.bob)
    group = world.slack.add_group_dm(world.acme, [world.alice, world.bob])
    for conv in (dm, group):
        with pytest.raises(SlackApiError) as err:
            world.client.chat_postMessage(channel=conv.id, text="x")
        assert _error(err) == "channel_not_found"
    with_bot = world.slack.add_group_dm(world.acme, [world.alice, world.bob], bot=True)
    assert world.client.chat_postMessage(channel=with_bot.id, text="x")["ok"]


def test_content_rules(world: World) -> None:
    client = world.client
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMessage", json={"channel": world.general.id})
    assert _error(err) == "no_text"
    with pytest.raises(SlackApiError) as err:
        client.api_call(
            "chat.postMessage",
            json={"channel": world.general.id, "text": "a", "markdown_text": "**a**"},
        )
    assert _error(err) == "markdown_text_conflict"
    with pytest.raises(SlackApiError) as err:
        client.api_call(
            "chat.postMessage", params={"channel": world.general.id, "blocks": "[not json"}
        )
    assert _error(err) == "invalid_blocks_format"
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel=world.general.id, text="x", attachments=[{}] * 101)
    assert _error(err) == "too_many_attachments"


def test_invalid_blocks_carry_the_detail(world: World) -> None:
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(
            channel=world.general.id, text="x", blocks=[SECTION, too_long]
        )
    response = err.value.response
    assert response["error"] == "invalid_blocks"
    assert response["errors"] == [
        "text attribute cannot exceed 3000 characters [json-pointer:/blocks/1]"
    ]
    assert response["response_metadata"]["messages"][0].startswith("[ERROR] text attribute")


def test_block_limits(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(
            channel=world.general.id, text="x", blocks=[{"type": "divider"}] * 51
        )
    assert _error(err) == "invalid_blocks"
    big = {"type": "section", "text": {"type": "mrkdwn", "text": "y" * 2900}}
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postMessage(channel=world.general.id, text="x", blocks=[big] * 5)
    assert _error(err) == "msg_blocks_too_long"
    assert world.client.chat_postMessage(channel=world.general.id, text="x", blocks=[big] * 4)["ok"]


def test_blocks_from_slack_sdk_models(world: World) -> None:
    block = SectionBlock(text="*made with models*", block_id="verdict")
    answer = world.client.chat_postMessage(channel=world.general.id, text="x", blocks=[block])
    assert answer["message"]["blocks"][0]["block_id"] == "verdict"


def test_metadata_is_returned_only_when_asked(world: World) -> None:
    ts = world.client.chat_postMessage(channel=world.general.id, text="v", metadata=METADATA)["ts"]
    plain = world.client.conversations_history(channel=world.general.id)["messages"][0]
    assert plain["ts"] == ts
    assert "metadata" not in plain
    full = world.client.conversations_history(channel=world.general.id, include_all_metadata=True)
    assert full["messages"][0]["metadata"] == METADATA


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ("{not json", "invalid_metadata_format"),
        ('["a"]', "invalid_metadata_format"),
        ('{"event_type": "has space", "event_payload": {}}', "invalid_metadata_schema"),
        ('{"event_type": "ok"}', "invalid_metadata_schema"),
    ],
)
def test_metadata_checks(world: World, metadata: str, error: str) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.api_call(
            "chat.postMessage",
            params={"channel": world.general.id, "text": "x", "metadata": metadata},
        )
    assert _error(err) == error


def test_thread_replies_and_broadcast(world: World) -> None:
    client = world.client
    parent = client.chat_postMessage(channel=world.general.id, text="verdict")["ts"]
    reply = client.chat_postMessage(channel=world.general.id, text="why", thread_ts=parent)
    assert reply["message"]["thread_ts"] == parent
    assert reply["message"]["parent_user_id"] == world.bot
    world.slack.post(world.alice, world.general, "a reply", thread_ts=parent)
    broadcast = client.chat_postMessage(
        channel=world.general.id, text="also here", thread_ts=parent, reply_broadcast=True
    )
    assert broadcast["message"]["subtype"] == "thread_broadcast"
    history = client.conversations_history(channel=world.general.id)["messages"]
    assert [m["text"] for m in history] == ["also here", "verdict"]
    top = history[1]
    assert top["reply_count"] == 3
    assert top["reply_users"] == [world.bot, world.alice.id]
    assert top["latest_reply"] == broadcast["ts"]
    thread = client.conversations_replies(channel=world.general.id, ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["verdict", "why", "a reply", "also here"]


def test_unknown_thread_ts_posts_to_the_channel(world: World) -> None:
    answer = world.client.chat_postMessage(channel=world.general.id, text="x", thread_ts="1.000001")
    assert "thread_ts" not in answer["message"]


def test_update_own_message_only(world: World) -> None:
    client = world.client
    ts = client.chat_postMessage(channel=world.general.id, text="v1", metadata=METADATA)["ts"]
    updated = client.chat_update(channel=world.general.id, ts=ts, text="v2", blocks=[SECTION])
    assert updated["text"] == "v2"
    assert updated["message"]["blocks"][0]["text"]["text"] == "*Verdict*"
    assert updated["message"]["metadata"] == METADATA
    human = world.slack.post(world.alice, world.general, "mine").ts
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel=world.general.id, ts=human, text="hijack")
    assert _error(err) == "cant_update_message"
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel=world.general.id, ts="1.000001", text="x")
    assert _error(err) == "message_not_found"
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel=world.general.id, ts=ts, text="x" * 4001)
    assert _error(err) == "msg_too_long"


def test_update_in_archived_channel_is_inactive(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.chat_update(channel=world.old.id, ts="1.000001", text="x")
    assert _error(err) == "is_inactive"


def test_update_in_a_private_channel_the_bot_left(world: World) -> None:
    with pytest.raises(SlackApiError) as err:
        world.client.chat_update(channel=world.secret.id, ts="1.000001", text="x")
    assert _error(err) == "channel_not_found"


def test_delete(world: World) -> None:
    client = world.client
    ts = client.chat_postMessage(channel=world.general.id, text="bye")["ts"]
    human = world.slack.post(world.alice, world.general, "mine").ts
    with pytest.raises(SlackApiError) as err:
        client.chat_delete(channel=world.general.id, ts=human)
    assert _error(err) == "cant_delete_message"
    assert client.chat_delete(channel=world.general.id, ts=ts)["ts"] == ts
    with pytest.raises(SlackApiError) as err:
        client.chat_delete(channel=world.general.id, ts=ts)
    assert _error(err) == "message_not_found"
    assert world.slack.message(world.general, ts) is None


def test_deleting_a_parent_leaves_a_tombstone(world: World) -> None:
    client = world.client
    parent = client.chat_postMessage(channel=world.general.id, text="parent")["ts"]
    world.slack.post(world.alice, world.general, "reply", thread_ts=parent)
    client.chat_delete(channel=world.general.id, ts=parent)
    tombstone = world.slack.message(world.general, parent)
    assert tombstone is not None
    assert tombstone["subtype"] == "tombstone"


def test_permalink(world: World) -> None:
    ts = world.client.chat_postMessage(channel=world.general.id, text="x")["ts"]
    link = world.client.chat_getPermalink(channel=world.general.id, message_ts=ts)["permalink"]
    assert link == f"https://acme.slack.com/archives/{world.general.id}/p{ts.replace('.', '')}"
    reply = world.client.chat_postMessage(channel=world.general.id, text="r", thread_ts=ts)["ts"]
    reply_link = world.client.chat_getPermalink(channel=world.general.id, message_ts=reply)
    assert reply_link["permalink"].endswith(f"?thread_ts={ts}&cid={world.general.id}")
    with pytest.raises(SlackApiError) as err:
        world.client.chat_getPermalink(channel=world.general.id, message_ts="1.000001")
    assert _error(err) == "message_not_found"
    with pytest.raises(SlackApiError) as err:
        world.client.chat_getPermalink(channel=world.secret.id, message_ts=ts)
    assert _error(err) == "channel_not_found"


def test_post_ephemeral(world: World) -> None:
    carol = world.slack.add_user(world.acme, "carol")
    answer = world.client.chat_postEphemeral(
        channel=world.general.id, user=world.alice.id, text="psst"
    )
    assert answer["message_ts"]
    assert [e.text for e in world.slack.ephemerals(user=world.alice)] == ["psst"]
    assert world.slack.messages(world.general) == []
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postEphemeral(channel=world.general.id, user=carol.id, text="psst")
    assert _error(err) == "user_not_in_channel"
    with pytest.raises(SlackApiError) as err:
        world.client.chat_postEphemeral(channel=world.random.id, user=world.alice.id, text="psst")
    assert _error(err) == "not_in_channel"
