"""chat.postMessage, chat.postEphemeral, chat.update, chat.delete, chat.getPermalink."""

from __future__ import annotations

from typing import Any, Final

from bot.sandbox.errors import ApiError
from bot.sandbox.methods._common import (
    TEXT_TRUNCATE_AT,
    bot_user,
    find_conversation,
    parse_content,
    postable_conversation,
    visible_conversation,
)
from bot.sandbox.webapi import CallContext, MethodHandler

UPDATE_TEXT_MAX: Final = 4_000
EPHEMERAL_TEXT_MAX: Final = 40_000


def post_message(ctx: CallContext) -> dict[str, Any]:
    """Post as the bot; a `thread_ts` Slack cannot find posts to the channel, as Slack does."""
    conv = postable_conversation(ctx, ctx.str_arg("channel"))
    content = parse_content(ctx)
    state = ctx.state
    with state.lock:
        thread_ts = ctx.opt_str("thread_ts")
        if thread_ts is not None and state.message(conv.id, thread_ts) is None:
            thread_ts = None
        msg = state.add_message(
            conv,
            bot_user(ctx),
            text=(content.text or "")[:TEXT_TRUNCATE_AT],
            blocks=content.blocks,
            attachments=content.attachments,
            metadata=content.metadata,
            thread_ts=thread_ts,
            broadcast=ctx.bool_arg("reply_broadcast"),
        )
        ctx.emit(state.message_events(conv, msg))
        return {
            "channel": conv.id,
            "ts": msg.ts,
            "message": state.message_json(msg, include_metadata=True),
        }


def post_ephemeral(ctx: CallContext) -> dict[str, Any]:
    """Show a message to one member of the conversation."""
    conv = postable_conversation(ctx, ctx.str_arg("channel"))
    user_id = ctx.str_arg("user")
    content = parse_content(ctx)
    if content.text and len(content.text) > EPHEMERAL_TEXT_MAX:
        raise ApiError("msg_too_long")
    state = ctx.state
    with state.lock:
        user = state.users.get(user_id)
        if user is None or user.id not in conv.members:
            raise ApiError("user_not_in_channel")
        eph = state.add_ephemeral(
            conv.id,
            user.id,
            text=content.text or "",
            blocks=content.blocks,
            source="chat.postEphemeral",
            thread_ts=ctx.opt_str("thread_ts"),
        )
    return {"message_ts": eph.ts}


def update(ctx: CallContext) -> dict[str, Any]:
    """Edit one of the bot's own messages (`cant_update_message` for anyone else's)."""
    conv = visible_conversation(ctx, ctx.str_arg("channel"))
    if conv.is_archived:
        raise ApiError("is_inactive")
    content = parse_content(ctx)
    if content.text and len(content.text) > UPDATE_TEXT_MAX:
        raise ApiError("msg_too_long")
    state = ctx.state
    with state.lock:
        msg = state.message(conv.id, ctx.str_arg("ts"))
        if msg is None or msg.subtype == "tombstone":
            raise ApiError("message_not_found")
        if msg.bot_id != ctx.inst.bot_id:
            raise ApiError("cant_update_message")
        previous = state.message_json(msg)
        if content.text is not None:
            msg.text = content.text
        if content.blocks_given:
            msg.blocks = content.blocks
        if content.attachments is not None:
            msg.attachments = content.attachments
        if content.metadata_given:
            msg.metadata = content.metadata
        ctx.emit(state.changed_event(conv, msg, previous))
        return {
            "channel": conv.id,
            "ts": msg.ts,
            "text": msg.text,
            "message": state.message_json(msg, include_metadata=True),
        }


def delete(ctx: CallContext) -> dict[str, Any]:
    """Delete one of the bot's own messages."""
    conv = visible_conversation(ctx, ctx.str_arg("channel"))
    state = ctx.state
    with state.lock:
        msg = state.message(conv.id, ctx.str_arg("ts"))
        if msg is None or msg.subtype == "tombstone":
            raise ApiError("message_not_found")
        if msg.bot_id != ctx.inst.bot_id or conv.is_archived:
            raise ApiError("cant_delete_message")
        previous = state.message_json(msg)
        state.remove_message(conv, msg)
        ctx.emit(state.deleted_event(conv, msg.ts, previous))
        return {"channel": conv.id, "ts": msg.ts}


def get_permalink(ctx: CallContext) -> dict[str, Any]:
    """The permalink of a message the bot can see."""
    conv = find_conversation(ctx.state, ctx.inst, ctx.str_arg("channel"))
    if not ctx.state.visible_to(ctx.inst, conv):
        raise ApiError("channel_not_found")
    with ctx.state.lock:
        msg = ctx.state.message(conv.id, ctx.str_arg("message_ts"))
        if msg is None:
            raise ApiError("message_not_found")
        return {"channel": conv.id, "permalink": ctx.state.permalink(conv, msg)}


METHODS: dict[str, MethodHandler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
}
