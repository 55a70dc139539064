"""Helpers shared by the method handlers: conversations, message content, metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

from bot.sandbox.blocks import validate_message_blocks
from bot.sandbox.errors import ApiError, invalid_arguments
from bot.sandbox.state import Conversation, Installation, SandboxState, User
from bot.sandbox.webapi import CallContext

MAX_ATTACHMENTS: Final = 100
TEXT_TRUNCATE_AT: Final = 40_000
_EVENT_TYPE_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,255}$")


def find_conversation(
    state: SandboxState, inst: Installation, channel: str, *, user_means_dm: bool = True
) -> Conversation:
    """A conversation of the token's workspace by id or `#name`, a user id meaning the bot's DM
    where the method takes one (chat.postMessage does; conversations.* want the DM's own id,
    from conversations.open, and answer `channel_not_found` to a user id).

    Visibility is not checked here: callers decide between `channel_not_found` and
    `not_in_channel` as the method documents.
    """
    with state.lock:
        conv = state.conversations.get(channel)
        if conv is not None and inst.team_id in conv.shared_team_ids:
            if conv.kind in ("im", "mpim") and inst.bot_user_id not in conv.members:
                raise ApiError("channel_not_found")
            return conv
        user = state.users.get(channel) if user_means_dm else None
        if user is not None and not user.is_bot and user.team_id == inst.team_id:
            return state.bot_dm(inst.team_id, user.id)
        name = channel.removeprefix("#")
        for conv in state.conversations.values():
            named = conv.name == name and conv.kind in ("public", "private")
            if named and inst.team_id in conv.shared_team_ids:
                return conv
    raise ApiError("channel_not_found")


def visible_conversation(
    ctx: CallContext, channel: str, *, user_means_dm: bool = True
) -> Conversation:
    """A conversation the bot can see (public, or one it is in); else `channel_not_found`."""
    conv = find_conversation(ctx.state, ctx.inst, channel, user_means_dm=user_means_dm)
    if not ctx.state.visible_to(ctx.inst, conv):
        raise ApiError("channel_not_found")
    return conv


def postable_conversation(ctx: CallContext, channel: str) -> Conversation:
    """Where the bot may post: a member, or `chat:write.public` in a public channel."""
    conv = find_conversation(ctx.state, ctx.inst, channel)
    if conv.is_archived:
        raise ApiError("is_archived")
    member = ctx.inst.bot_user_id in conv.members
    if not member and not (conv.kind == "public" and "chat:write.public" in ctx.inst.scopes):
        raise ApiError("not_in_channel")
    return conv


def bot_user(ctx: CallContext) -> User:
    """The bot user of the calling installation."""
    return ctx.state.user(ctx.inst.bot_user_id)


@dataclass(frozen=True)
class Content:
    """A message's text, blocks, attachments and metadata after Slack's checks."""

    text: str | None
    blocks: list[dict[str, Any]] | None
    attachments: list[dict[str, Any]] | None
    metadata: dict[str, Any] | None
    blocks_given: bool
    metadata_given: bool


def parse_metadata(value: Any) -> dict[str, Any] | None:
    """Check `metadata`: `{"event_type": ..., "event_payload": {...}}`."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ApiError("invalid_metadata_format") from exc
    if not isinstance(value, dict):
        raise ApiError("invalid_metadata_format")
    event_type = value.get("event_type")
    payload = value.get("event_payload")
    if not isinstance(event_type, str) or not _EVENT_TYPE_RE.match(event_type):
        raise ApiError("invalid_metadata_schema")
    if not isinstance(payload, dict):
        raise ApiError("invalid_metadata_schema")
    return {"event_type": event_type, "event_payload": payload}


def parse_attachments(value: Any) -> list[dict[str, Any]] | None:
    """Check `attachments`: a JSON array of objects, at most 100."""
    if value is None or value == "" or value is False:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise invalid_arguments("attachments must be a JSON array") from exc
    if not isinstance(value, list) or not all(isinstance(a, dict) for a in value):
        raise invalid_arguments("attachments must be a JSON array of objects")
    if len(value) > MAX_ATTACHMENTS:
        raise ApiError("too_many_attachments")
    return value


def parse_content(ctx: CallContext, *, need_content: bool = True) -> Content:
    """Validate text/blocks/attachments/markdown_text/metadata as `chat.*` does."""
    text = ctx.args.get("text")
    markdown_text = ctx.opt_str("markdown_text")
    blocks_raw = ctx.args.get("blocks")
    if markdown_text is not None and (text not in (None, "") or blocks_raw not in (None, "")):
        raise ApiError("markdown_text_conflict")
    blocks = validate_message_blocks(blocks_raw)
    attachments = parse_attachments(ctx.args.get("attachments"))
    metadata = parse_metadata(ctx.args.get("metadata"))
    if markdown_text is not None:
        text = markdown_text
    text_value = None if text is None else str(text)
    if need_content and not text_value and not blocks and not attachments:
        raise ApiError("no_text")
    return Content(
        text=text_value,
        blocks=blocks,
        attachments=attachments,
        metadata=metadata,
        blocks_given=blocks_raw is not None,
        metadata_given=ctx.args.get("metadata") is not None,
    )
