"""conversations.info, .join, .open, .history and .replies."""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any, Final

from bot.sandbox.errors import ApiError
from bot.sandbox.ids import is_ts
from bot.sandbox.methods._common import bot_user, find_conversation, visible_conversation
from bot.sandbox.state import Conversation, Message
from bot.sandbox.webapi import CallContext, MethodHandler, missing_scope

HISTORY_LIMIT_MAX: Final = 999
REPLIES_LIMIT_MAX: Final = 1000


def info(ctx: CallContext) -> dict[str, Any]:
    """A conversation the bot can see (`channel_not_found` for a private one it is not in)."""
    conv = visible_conversation(ctx, ctx.str_arg("channel"), user_means_dm=False)
    ctx.require_conversation_scope(conv)
    with ctx.state.lock:
        channel = conv.to_api(
            viewer=ctx.inst, include_num_members=ctx.bool_arg("include_num_members")
        )
    return {"channel": channel}


def join(ctx: CallContext) -> dict[str, Any]:
    """The bot joins a public channel; private channels and DMs cannot be joined."""
    conv = find_conversation(ctx.state, ctx.inst, ctx.str_arg("channel"))
    if conv.kind != "public":
        raise ApiError("method_not_supported_for_channel_type")
    if conv.is_archived:
        raise ApiError("is_archived")
    state = ctx.state
    with state.lock:
        already = ctx.inst.bot_user_id in conv.members
        if not already:
            ctx.emit(state.join(conv, bot_user(ctx), inviter=None))
        body: dict[str, Any] = {"channel": conv.to_api(viewer=ctx.inst)}
    if already:
        body["warning"] = "already_in_channel"
        body["response_metadata"] = {"warnings": ["already_in_channel"]}
    return body


def open_conversation(ctx: CallContext) -> dict[str, Any]:
    """The bot's DM with one user, created on first use (`already_open` after that); or an
    existing DM resumed by its id. Group DMs (several users) are not modelled."""
    state = ctx.state
    channel = ctx.opt_str("channel")
    if channel is not None:
        conv = find_conversation(state, ctx.inst, channel, user_means_dm=False)
        if conv.kind != "im":
            raise ApiError("method_not_supported_for_channel_type")
        ctx.require_conversation_scope(conv)
        return {"channel": {"id": conv.id}, "no_op": True, "already_open": True}
    users = [user for user in (ctx.opt_str("users") or "").split(",") if user]
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > 1:
        raise ApiError("method_not_supported_for_channel_type")  # group DMs: not modelled
    with state.lock:
        user = state.users.get(users[0])
        if user is None or user.is_bot or user.team_id != ctx.inst.team_id:
            raise ApiError("user_not_found")
        if "im:write" not in ctx.inst.scopes:
            raise missing_scope("im:write", ctx.inst.scopes)
        existed = any(
            c.kind == "im" and c.members == {user.id, ctx.inst.bot_user_id}
            for c in state.conversations.values()
        )
        conv = state.bot_dm(ctx.inst.team_id, user.id)
    body: dict[str, Any] = {"channel": {"id": conv.id}}
    if existed:
        body |= {"no_op": True, "already_open": True}
    return body


def _readable(ctx: CallContext, *, not_member_error: str) -> Conversation:
    conv = find_conversation(ctx.state, ctx.inst, ctx.str_arg("channel"), user_means_dm=False)
    if not ctx.state.visible_to(ctx.inst, conv):
        raise ApiError("channel_not_found")
    ctx.require_conversation_scope(conv)
    if ctx.inst.bot_user_id not in conv.members:
        raise ApiError(not_member_error)
    return conv


def _ts_bound(ctx: CallContext, name: str, default: float, error: str) -> float:
    value = ctx.opt_str(name)
    if value is None or value == "now":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ApiError(error) from exc


def _cursor(ctx: CallContext) -> str | None:
    cursor = ctx.opt_str("cursor")
    if cursor is None:
        return None
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError("invalid_cursor") from exc
    prefix, _, ts = decoded.partition(":")
    if prefix != "next_ts" or not is_ts(ts):
        raise ApiError("invalid_cursor")
    return ts


def _next_cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _page(
    ctx: CallContext,
    messages: list[Message],
    *,
    limit_default: int,
    limit_max: int,
    newest_first: bool,
) -> tuple[list[Message], str | None]:
    limit = max(1, min(ctx.int_arg("limit", limit_default), limit_max))
    oldest = _ts_bound(ctx, "oldest", 0.0, "invalid_ts_oldest")
    latest = _ts_bound(ctx, "latest", math.inf, "invalid_ts_latest")
    inclusive = ctx.bool_arg("inclusive")

    def in_range(m: Message) -> bool:
        ts = float(m.ts)
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    selected = [m for m in messages if in_range(m)]
    cursor = _cursor(ctx)
    if cursor is not None:
        selected = [m for m in selected if (m.ts < cursor if newest_first else m.ts > cursor)]
    page = selected[:limit]
    more = len(selected) > limit
    return page, (_next_cursor(page[-1].ts) if more else None)


def history(ctx: CallContext) -> dict[str, Any]:
    """Top-level messages, newest first; only for conversations the bot is in."""
    conv = _readable(ctx, not_member_error="not_in_channel")
    state = ctx.state
    with state.lock:
        page, cursor = _page(
            ctx,
            state.history(conv),
            limit_default=100,
            limit_max=HISTORY_LIMIT_MAX,
            newest_first=True,
        )
        metadata = ctx.bool_arg("include_all_metadata")
        body: dict[str, Any] = {
            "messages": [state.message_json(m, include_metadata=metadata) for m in page],
            "has_more": cursor is not None,
            "pin_count": len(state.pins[conv.id]),
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
    if cursor:
        body["response_metadata"] = {"next_cursor": cursor}
    return body


def replies(ctx: CallContext) -> dict[str, Any]:
    """A thread, parent first (`thread_not_found` for an unknown ts)."""
    conv = _readable(ctx, not_member_error="channel_not_found")
    state = ctx.state
    with state.lock:
        thread = state.thread(conv, ctx.str_arg("ts"))
        if not thread:
            raise ApiError("thread_not_found")
        parent, rest = thread[0], thread[1:]
        page, cursor = _page(
            ctx,
            rest,
            limit_default=REPLIES_LIMIT_MAX,
            limit_max=REPLIES_LIMIT_MAX,
            newest_first=False,
        )
        if ctx.opt_str("cursor") is None:
            page = [parent, *page]
        metadata = ctx.bool_arg("include_all_metadata")
        body: dict[str, Any] = {
            "messages": [state.message_json(m, include_metadata=metadata) for m in page],
            "has_more": cursor is not None,
        }
    if cursor:
        body["response_metadata"] = {"next_cursor": cursor}
    return body


METHODS: dict[str, MethodHandler] = {
    "conversations.info": info,
    "conversations.join": join,
    "conversations.open": open_conversation,
    "conversations.history": history,
    "conversations.replies": replies,
}
