"""Block Kit validation with `slack_sdk.models`, plus the limits it does not check."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

import orjson
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, BlockElement
from slack_sdk.models.views import View

from bot.sandbox.copies import json_bytes, json_parse
from bot.sandbox.errors import ApiError, invalid_arguments

MESSAGE_MAX_BLOCKS: Final = 50
VIEW_MAX_BLOCKS: Final = 100
MESSAGE_BLOCKS_TEXT_MAX: Final = 13_000
VIEW_MAX_BYTES: Final = 250_000
ACTIONS_MAX_ELEMENTS: Final = 25
CONTEXT_MAX_ELEMENTS: Final = 10
RADIO_MAX_OPTIONS: Final = 10
CHECKBOXES_MAX_OPTIONS: Final = 10
# Validation is a pure function of the JSON: remember the last verdicts (views repeat).
VALIDATION_CACHE: Final = 1024

# Object types whose `text` is a plain string; everywhere else `text` must be a text object.
_STRING_TEXT_TYPES: Final = frozenset({"plain_text", "mrkdwn", "markdown", "raw_text"})
# Keys that hold a text object and never a bare string.
_TEXT_OBJECT_KEYS: Final = frozenset({"label", "placeholder", "hint", "title", "description"})
# Subtrees slack_sdk models loosely; checked by slack_sdk alone.
_OPAQUE_TYPES: Final = frozenset({"rich_text", "table", "markdown"})
_INTERACTIVE_ELEMENTS: Final = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "timepicker",
        "email_text_input",
        "number_input",
        "url_text_input",
        "plain_text_input",
        "overflow",
        "radio_buttons",
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "rich_text_input",
        "file_input",
    }
)


class BlockError(Exception):
    """One reason a block payload is invalid, with its JSON pointer."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(f"{message} [json-pointer:{pointer}]")


def parse_json_arg(value: Any, name: str) -> Any:
    """Decode an argument sent as a JSON string (form body) or as JSON (JSON body)."""
    if isinstance(value, str):
        try:
            return json_parse(value)
        except json.JSONDecodeError as exc:
            raise BlockError(f"failed to parse json: {exc.msg}", f"/{name}") from exc
    return value


def _check_text_object(raw: dict[str, Any], pointer: str) -> None:
    text = raw.get("text")
    if not isinstance(text, str):
        raise BlockError("must provide a string", f"{pointer}/text")
    if not text:
        raise BlockError("must be more than 0 characters", f"{pointer}/text")


_ITEM_COUNTS: Final = {
    "actions": ("elements", 1, ACTIONS_MAX_ELEMENTS),
    "context": ("elements", 1, CONTEXT_MAX_ELEMENTS),
    "radio_buttons": ("options", 1, RADIO_MAX_OPTIONS),
    "checkboxes": ("options", 1, CHECKBOXES_MAX_OPTIONS),
}


def _check_object(raw: dict[str, Any], kind: Any, pointer: str) -> None:
    """Rules for one non-text object: text objects where required, item counts, header text."""
    if isinstance(raw.get("text"), str) and kind not in _STRING_TEXT_TYPES:
        raise BlockError("must provide an object", f"{pointer}/text")
    for key in _TEXT_OBJECT_KEYS:
        if isinstance(raw.get(key), str):
            raise BlockError("must provide an object", f"{pointer}/{key}")
    header_text = raw.get("text") if kind == "header" else None
    if isinstance(header_text, dict) and header_text.get("type") != "plain_text":
        raise BlockError("must be a plain_text object", f"{pointer}/text/type")
    if kind in _ITEM_COUNTS:
        key, low, high = _ITEM_COUNTS[kind]
        items = raw.get(key)
        if not isinstance(items, list) or not low <= len(items) <= high:
            raise BlockError(f"must have between {low} and {high} items", f"{pointer}/{key}")


def _check_raw(raw: Any, pointer: str) -> None:
    """Structural rules on the raw JSON that slack_sdk's models accept silently."""
    if isinstance(raw, list):
        for i, item in enumerate(raw):
            _check_raw(item, f"{pointer}/{i}")
        return
    if not isinstance(raw, dict):
        return
    kind = raw.get("type")
    if kind in _OPAQUE_TYPES:
        return
    if kind in ("plain_text", "mrkdwn"):
        _check_text_object(raw, pointer)
        return
    _check_object(raw, kind, pointer)
    for key, value in raw.items():
        if isinstance(value, dict | list):
            _check_raw(value, f"{pointer}/{key}")


def _check_keys(raw: dict[str, Any], model: JsonObject, pointer: str) -> None:
    """Reject properties the Block Kit object does not have (Slack answers with an error)."""
    if raw.get("type") in _OPAQUE_TYPES:
        return
    # Only blocks and elements list their properties fully; options, confirm dialogs and
    # text objects build their JSON by hand in slack_sdk, so their keys are not checked.
    if isinstance(model, Block | BlockElement):
        unknown = sorted(set(raw) - set(model.attributes))
        if unknown:
            raise BlockError(f"unsupported property '{unknown[0]}'", pointer)
    for key, value in raw.items():
        child = getattr(model, key, None)
        if isinstance(value, dict) and isinstance(child, JsonObject):
            _check_keys(value, child, f"{pointer}/{key}")
        elif (
            isinstance(value, list) and isinstance(child, list | tuple) and len(child) == len(value)
        ):
            for i, (raw_item, model_item) in enumerate(zip(value, child, strict=True)):
                if isinstance(raw_item, dict) and isinstance(model_item, JsonObject):
                    _check_keys(raw_item, model_item, f"{pointer}/{key}/{i}")


# Blocks already found valid, as canonical JSON: apps send the same blocks again and again, and
# the slack_sdk round trip below is the stand-in's largest cost under load (bench/app_bench.py).
_VALID_BLOCKS: Final[set[bytes]] = set()
VALID_BLOCKS_KEPT: Final = 4096


def _check_block(raw: Any, pointer: str) -> None:
    """Every rule for one block (BlockError with its pointer); a block valid once stays valid."""
    try:
        key = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)
    except (TypeError, ValueError):
        key = None
    if key is not None and key in _VALID_BLOCKS:
        return
    _check_new_block(raw, pointer)
    if key is not None:
        if len(_VALID_BLOCKS) >= VALID_BLOCKS_KEPT:
            _VALID_BLOCKS.clear()
        _VALID_BLOCKS.add(key)


def _check_new_block(raw: Any, pointer: str) -> None:
    if not isinstance(raw, dict):
        raise BlockError("must provide an object", pointer)
    if not isinstance(raw.get("type"), str):
        raise BlockError("missing required field: type", pointer)
    _check_raw(raw, pointer)
    try:
        model = Block.parse(copy.deepcopy(raw))
        if model is None:
            raise BlockError(f"unknown block type '{raw['type']}'", f"{pointer}/type")
        model.to_dict()  # runs every validator, nested ones included
    except SlackObjectFormationError as exc:
        raise BlockError(str(exc), pointer) from exc
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise BlockError(f"invalid block: {exc}", pointer) from exc
    _check_keys(raw, model, pointer)


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def blocks_text_length(blocks: list[dict[str, Any]]) -> int:
    """Characters of text in a block list (what `msg_blocks_too_long` counts)."""
    return sum(len(t) for t in _texts(blocks))


def _short_id(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:5]


def _fill_ids(value: Any, seed: str) -> Any:
    """Add the `block_id`s and `action_id`s Slack generates for those left out."""
    if isinstance(value, list):
        return [_fill_ids(item, f"{seed}/{i}") for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    filled = {k: _fill_ids(v, f"{seed}/{k}") for k, v in value.items()}
    if filled.get("type") in _INTERACTIVE_ELEMENTS and "action_id" not in filled:
        filled["action_id"] = _short_id(seed + json.dumps(value, sort_keys=True))
    return filled


def normalize_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of valid blocks with the ids Slack would add."""
    normalized: list[dict[str, Any]] = json_parse(_normalized_json(json_bytes(blocks)))
    return normalized


@lru_cache(maxsize=VALIDATION_CACHE)
def _normalized_json(blocks_json: bytes) -> bytes:
    """`normalize_blocks` as JSON, remembered (the ids are a pure function of the blocks)."""
    result = []
    for i, block in enumerate(json_parse(blocks_json)):
        filled = _fill_ids(block, str(i))
        if "block_id" not in filled:
            filled["block_id"] = _short_id(f"{i}:{json.dumps(block, sort_keys=True)}")
        result.append(filled)
    return json_bytes(result)


def validate_message_blocks(value: Any) -> list[dict[str, Any]] | None:
    """Check a message's `blocks` as `chat.*` does (ApiError if invalid); return them normalized."""
    if value is None or value == "":
        return None
    try:
        blocks = parse_json_arg(value, "blocks")
    except BlockError as exc:
        raise ApiError("invalid_blocks_format", messages=[f"[ERROR] {exc}"]) from exc
    if not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format", messages=["[ERROR] must provide an array"])
    problems = _message_problems(json_bytes(blocks))
    if problems:
        raise ApiError(
            "invalid_blocks",
            errors=problems,
            messages=[f"[ERROR] {p}" for p in problems],
        )
    if blocks_text_length(blocks) > MESSAGE_BLOCKS_TEXT_MAX:
        raise ApiError("msg_blocks_too_long")
    return normalize_blocks(blocks)


@lru_cache(maxsize=VALIDATION_CACHE)
def _message_problems(blocks_json: bytes) -> tuple[str, ...]:
    """Every reason Slack would refuse these message blocks (a pure function of their JSON)."""
    blocks = json_parse(blocks_json)
    problems: list[str] = []
    if len(blocks) > MESSAGE_MAX_BLOCKS:
        problems.append(f"no more than {MESSAGE_MAX_BLOCKS} items allowed [json-pointer:/blocks]")
    for i, block in enumerate(blocks):
        try:
            _check_block(block, f"/blocks/{i}")
        except BlockError as exc:
            problems.append(str(exc))
    return tuple(problems)


def _has_input_blocks(blocks: list[dict[str, Any]]) -> bool:
    return any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)


def _view_problems(view: dict[str, Any], blocks: list[Any]) -> list[str]:
    """Every reason Slack would refuse this view, as `[ERROR]` detail lines."""
    problems: list[str] = []
    kind = view.get("type")
    if kind == "modal" and not isinstance(view.get("title"), dict):
        problems.append("missing required field: title [json-pointer:/view/title]")
    if kind == "modal" and _has_input_blocks(blocks) and not view.get("submit"):
        problems.append("must provide submit when using input blocks [json-pointer:/view/submit]")
    if len(blocks) > VIEW_MAX_BLOCKS:
        problems.append(f"no more than {VIEW_MAX_BLOCKS} items allowed [json-pointer:/view/blocks]")
    for key in ("title", "submit", "close"):
        text = view.get(key)
        if text is None:
            continue
        if not isinstance(text, dict) or text.get("type") != "plain_text":
            problems.append(f"must provide a plain_text object [json-pointer:/view/{key}]")
            continue
        try:
            _check_text_object(text, f"/view/{key}")
        except BlockError as exc:
            problems.append(str(exc))
    for i, block in enumerate(blocks):
        try:
            _check_block(block, f"/view/blocks/{i}")
        except BlockError as exc:
            problems.append(str(exc))
    if problems:
        return problems
    try:
        # The blocks were checked one by one above; View's own rules need only their count.
        View(**copy.deepcopy({**view, "blocks": blocks[:1]})).to_dict()
    except SlackObjectFormationError as exc:
        problems.append(f"{exc} [json-pointer:/view]")
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        problems.append(f"invalid view: {exc} [json-pointer:/view]")
    return problems


@lru_cache(maxsize=VALIDATION_CACHE)
def _cached_view_problems(view_json: bytes) -> tuple[str, ...]:
    """`_view_problems` of a view given as JSON (apps send the same views again and again)."""
    view = json_parse(view_json)
    return tuple(_view_problems(view, view["blocks"]))


def validate_view(value: Any, *, allowed_types: tuple[str, ...]) -> dict[str, Any]:
    """Check a `view` argument; raise ApiError as `views.*` would; return it normalized."""
    if value is None or value == "":
        raise invalid_arguments("missing required field: view")
    try:
        view = parse_json_arg(value, "view")
    except BlockError as exc:
        raise invalid_arguments(str(exc)) from exc
    if not isinstance(view, dict):
        raise invalid_arguments("must provide an object [json-pointer:/view]")
    view_json = json_bytes(view)
    if len(view_json) > VIEW_MAX_BYTES:  # compact UTF-8 JSON, as slack_sdk sends it
        raise ApiError("view_too_large")
    if view.get("type") not in allowed_types:
        expected = " or ".join(allowed_types)
        raise invalid_arguments(f"must be {expected} [json-pointer:/view/type]")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        raise invalid_arguments("missing required field: blocks [json-pointer:/view/blocks]")
    problems = _cached_view_problems(view_json)
    if problems:
        raise invalid_arguments(*problems)
    normalized = dict(view)
    normalized["blocks"] = normalize_blocks(blocks)
    return normalized
