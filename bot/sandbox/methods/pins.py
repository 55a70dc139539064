"""pins.add, pins.remove, pins.list."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import ApiError
from bot.sandbox.ids import is_ts
from bot.sandbox.methods._common import bot_user, find_conversation
from bot.sandbox.state import Conversation, Message
from bot.sandbox.webapi import CallContext, MethodHandler


def _target(ctx: CallContext) -> tuple[Conversation, Message]:
    conv = find_conversation(ctx.state, ctx.inst, ctx.str_arg("channel"))
    if not ctx.state.visible_to(ctx.inst, conv):
        raise ApiError("channel_not_found")
    if ctx.inst.bot_user_id not in conv.members:
        raise ApiError("not_in_channel")
    if conv.is_archived:
        raise ApiError("restricted_action")
    timestamp = ctx.opt_str("timestamp")
    if timestamp is None:
        raise ApiError("no_item_specified")
    if not is_ts(timestamp):
        raise ApiError("bad_timestamp")
    msg = ctx.state.message(conv.id, timestamp)
    if msg is None or msg.subtype == "tombstone":
        raise ApiError("message_not_found")
    return conv, msg


def add(ctx: CallContext) -> dict[str, Any]:
    """Pin a message (`already_pinned` when it is)."""
    with ctx.state.lock:
        conv, msg = _target(ctx)
        ctx.emit(ctx.state.pin(conv, msg, bot_user(ctx)))
    return {}


def remove(ctx: CallContext) -> dict[str, Any]:
    """Unpin a message (`no_pin` when it is not pinned)."""
    with ctx.state.lock:
        conv, msg = _target(ctx)
        ctx.emit(ctx.state.unpin(conv, msg, bot_user(ctx)))
    return {}


def list_pins(ctx: CallContext) -> dict[str, Any]:
    """The pinned items of a conversation, newest pin first."""
    conv = find_conversation(ctx.state, ctx.inst, ctx.str_arg("channel"))
    if not ctx.state.visible_to(ctx.inst, conv):
        raise ApiError("channel_not_found")
    with ctx.state.lock:
        pins = sorted(
            ctx.state.pins[conv.id].values(), key=lambda p: (p.created, p.ts), reverse=True
        )
        return {"items": [ctx.state.pin_item(conv, p) for p in pins]}


METHODS: dict[str, MethodHandler] = {
    "pins.add": add,
    "pins.remove": remove,
    "pins.list": list_pins,
}
