"""What a person's click or form input looks like to Slack: actions and `view.state.values`."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, Final

from bot.sandbox.errors import UserActionError

_TEXT_INPUTS: Final = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input"}
)
_SINGLE_OPTION: Final = frozenset({"static_select", "external_select", "radio_buttons", "overflow"})
_MULTI_OPTION: Final = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})
# element type -> (state key, initial key) for pickers holding ids, dates or times
_PICKERS: Final = {
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}
# Elements whose value Slack keeps in view state (buttons and overflow menus hold none).
STATEFUL: Final = (
    _TEXT_INPUTS | _SINGLE_OPTION | _MULTI_OPTION | frozenset(_PICKERS) | {"rich_text_input"}
) - {"overflow"}


def iter_elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for every interactive element: inputs, accessories, actions."""
    for block in blocks:
        if not isinstance(block, dict):
            continue
        candidates: list[Any] = []
        if block.get("type") == "input":
            candidates.append(block.get("element"))
        if isinstance(block.get("accessory"), dict):
            candidates.append(block["accessory"])
        if block.get("type") == "actions":
            candidates.extend(block.get("elements", []))
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                yield block, element


def find_element(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The block and element with `action_id` (and `block_id` when given)."""
    for block, element in iter_elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, block.get("block_id")):
            return block, element
    where = f" in block {block_id}" if block_id else ""
    raise UserActionError(f"no element with action_id {action_id!r}{where}")


def _options(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    return options


def _option(element: Mapping[str, Any], value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return copy.deepcopy(value)
    for option in _options(element):
        if option.get("value") == value:
            return copy.deepcopy(option)
    raise UserActionError(f"{element.get('action_id')!r} has no option with value {value!r}")


def action_for(
    block: Mapping[str, Any], element: Mapping[str, Any], value: Any, action_ts: str
) -> dict[str, Any]:
    """The `actions[0]` entry of a block_actions payload for clicking or choosing in `element`."""
    kind = element["type"]
    action: dict[str, Any] = {
        "type": kind,
        "action_id": element["action_id"],
        "block_id": block.get("block_id"),
        "action_ts": action_ts,
    }
    if kind == "button":
        action["text"] = copy.deepcopy(element.get("text"))
        if "value" in element:
            action["value"] = element["value"]
        if "style" in element:
            action["style"] = element["style"]
        return action
    if value is None:
        raise UserActionError(f"choose a value for the {kind} {element['action_id']!r}")
    entry = state_entry(element, value)
    entry.pop("type", None)
    action.update(entry)
    if (
        kind in ("static_select", "external_select", "multi_static_select")
        and "placeholder" in element
    ):
        action["placeholder"] = copy.deepcopy(element["placeholder"])
    return action


def state_entry(element: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """One `view.state.values[block_id][action_id]` entry for `value` (None = untouched)."""
    kind = element["type"]
    entry: dict[str, Any] = {"type": kind}
    if kind in _TEXT_INPUTS:
        entry["value"] = None if value in (None, "") else str(value)
    elif kind in _SINGLE_OPTION:
        entry["selected_option"] = None if value is None else _option(element, value)
    elif kind in _MULTI_OPTION:
        values = [] if value is None else value if isinstance(value, list | tuple) else [value]
        entry["selected_options"] = [_option(element, v) for v in values]
    elif kind in _PICKERS:
        key = _PICKERS[kind][0]
        many = kind.startswith("multi_")
        entry[key] = (list(value) if value is not None else []) if many else value
    elif kind == "rich_text_input":
        entry["rich_text_value"] = value
    else:
        raise UserActionError(f"{kind} elements hold no state")
    return entry


def _initial(element: Mapping[str, Any]) -> Any:
    kind = element["type"]
    if kind in _TEXT_INPUTS:
        return element.get("initial_value")
    if kind in _SINGLE_OPTION:
        return element.get("initial_option")
    if kind in _MULTI_OPTION:
        return element.get("initial_options")
    if kind in _PICKERS:
        return element.get(_PICKERS[kind][1])
    return None


def _is_empty(entry: Mapping[str, Any]) -> bool:
    values = [v for k, v in entry.items() if k != "type"]
    return all(v in (None, "", [], ()) for v in values)


def _check_text(block: Mapping[str, Any], element: Mapping[str, Any], value: Any) -> None:
    if value in (None, ""):
        return
    text = str(value)
    label = block.get("block_id")
    if element["type"] == "plain_text_input":
        low, high = element.get("min_length", 0), element.get("max_length", 3000)
        if not low <= len(text) <= high:
            raise UserActionError(f"{label}: length must be between {low} and {high}")
    if element["type"] == "number_input":
        try:
            number = float(text)
        except ValueError as exc:
            raise UserActionError(f"{label}: {text!r} is not a number") from exc
        if not element.get("is_decimal_allowed") and not number.is_integer():
            raise UserActionError(f"{label}: decimals are not allowed")


def build_state_values(
    blocks: list[dict[str, Any]],
    values: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
    *,
    enforce_required: bool = True,
) -> dict[str, Any]:
    """`view.state.values` after a person fills in `values` (keyed by action_id or block_id).

    Untouched inputs keep what they held before (or their initial value). A required input
    left empty cannot be submitted in Slack's client, so it raises UserActionError.
    """
    previous = previous or {}
    stateful = [(b, e) for b, e in iter_elements(blocks) if e.get("type") in STATEFUL]
    by_key: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for block, element in stateful:
        by_key.setdefault(element["action_id"], (block, element))
    for block, element in stateful:
        if block.get("type") == "input":
            by_key.setdefault(block["block_id"], (block, element))
    unknown = sorted(set(values) - set(by_key))
    if unknown:
        raise UserActionError(f"the view has no input {unknown[0]!r}; inputs: {sorted(by_key)}")
    given = {id(by_key[k][1]): v for k, v in values.items()}
    result: dict[str, Any] = {}
    for block, element in stateful:
        block_id, action_id = block["block_id"], element["action_id"]
        if id(element) in given:
            value = given[id(element)]
            _check_text(block, element, value)
            entry = state_entry(element, value)
        elif action_id in previous.get(block_id, {}):
            entry = copy.deepcopy(previous[block_id][action_id])
        else:
            entry = state_entry(element, _initial(element))
        required = block.get("type") == "input" and not block.get("optional", False)
        if enforce_required and required and _is_empty(entry):
            raise UserActionError(f"required input {block_id!r} is empty; Slack would not submit")
        result.setdefault(block_id, {})[action_id] = entry
    return result
