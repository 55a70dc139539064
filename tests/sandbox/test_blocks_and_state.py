"""Pure checks: Block Kit validation accepts valid payloads; view state from what people type."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.actions import build_state_values
from bot.sandbox.blocks import blocks_text_length, validate_message_blocks
from bot.sandbox.errors import ApiError, UserActionError


def pt(text: str) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": text}


def option(value: str) -> dict[str, Any]:
    """An option whose text is its value."""
    return {"text": pt(value), "value": value}


VALID_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*hi*", "verbatim": False}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "x"},
        "accessory": {
            "type": "button",
            "text": pt("Go"),
            "action_id": "go",
            "value": "1",
            "style": "primary",
        },
    },
    {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": "a"},
            {"type": "plain_text", "text": "b", "emoji": True},
        ],
    },
    {"type": "header", "text": pt("Title")},
    {"type": "divider"},
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "c"},
            {"type": "image", "image_url": "https://x.example/a.png", "alt_text": "a"},
        ],
    },
    {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": pt("Delete"),
                "action_id": "delete",
                "style": "danger",
                "confirm": {
                    "title": pt("Sure?"),
                    "text": {"type": "mrkdwn", "text": "Really"},
                    "confirm": pt("Yes"),
                    "deny": pt("No"),
                },
            },
            {
                "type": "static_select",
                "placeholder": pt("Pick"),
                "action_id": "s",
                "options": [option("1")],
                "initial_option": option("1"),
            },
            {"type": "overflow", "action_id": "o", "options": [option("x"), option("y")]},
        ],
    },
    {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "hi", "style": {"bold": True}},
                    {"type": "user", "user_id": "U1"},
                ],
            }
        ],
    },
    {"type": "image", "image_url": "https://x.example/a.png", "alt_text": "alt", "title": pt("t")},
    {
        "type": "input",
        "block_id": "b",
        "label": pt("L"),
        "optional": True,
        "hint": pt("h"),
        "element": {
            "type": "plain_text_input",
            "action_id": "t",
            "multiline": True,
            "max_length": 200,
        },
    },
    {
        "type": "input",
        "label": pt("C"),
        "element": {
            "type": "checkboxes",
            "action_id": "c",
            "options": [{"text": {"type": "mrkdwn", "text": "a"}, "value": "a"}],
        },
    },
    {
        "type": "input",
        "label": pt("Conv"),
        "element": {
            "type": "conversations_select",
            "action_id": "cv",
            "default_to_current_conversation": True,
            "filter": {"include": ["public", "private"]},
        },
    },
    {
        "type": "input",
        "label": pt("M"),
        "element": {
            "type": "multi_static_select",
            "action_id": "m",
            "option_groups": [{"label": pt("g"), "options": [option("a")]}],
        },
    },
    {"type": "markdown", "text": "**bold**"},
]


@pytest.mark.parametrize("block", VALID_BLOCKS, ids=lambda b: str(b["type"]))
def test_valid_blocks_pass(block: dict[str, Any]) -> None:
    [normalized] = validate_message_blocks([block]) or []
    assert normalized["block_id"]


@pytest.mark.parametrize(
    ("block", "detail"),
    [
        ({"type": "section"}, "text or fields attribute must be specified"),
        ({"type": "section", "text": "bare string"}, "must provide an object"),
        ({"type": "section", "text": {"type": "mrkdwn", "text": ""}}, "more than 0 characters"),
        ({"type": "header", "text": {"type": "mrkdwn", "text": "x"}}, "plain_text"),
        ({"type": "actions", "elements": []}, "between 1 and 25"),
        ({"type": "bogus"}, "unknown block type"),
        ({"type": "divider", "colour": "red"}, "unsupported property 'colour'"),
        (
            {
                "type": "actions",
                "elements": [{"type": "button", "text": pt("x" * 76), "action_id": "a"}],
            },
            "75",
        ),
        ({"type": "input", "element": {"type": "plain_text_input"}}, "label"),
        (
            {
                "type": "input",
                "label": pt("R"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": "r",
                    "options": [option(str(i)) for i in range(11)],
                },
            },
            "between 1 and 10",
        ),
        (
            {"type": "section", "block_id": "b" * 256, "text": {"type": "mrkdwn", "text": "x"}},
            "block_id",
        ),
    ],
)
def test_invalid_blocks_fail_with_detail(block: dict[str, Any], detail: str) -> None:
    with pytest.raises(ApiError) as err:
        validate_message_blocks([block])
    assert err.value.code == "invalid_blocks"
    assert detail in err.value.messages[0]
    assert (
        err.value.messages[0].endswith("[json-pointer:/blocks/0]")
        or "/blocks/0/" in err.value.messages[0]
    )


def test_validation_remembers_only_valid_blocks() -> None:
    valid = {"type": "section", "text": {"type": "mrkdwn", "text": "again"}}
    invalid = {"type": "section", "text": {"type": "mrkdwn", "text": ""}}
    for _ in range(2):
        assert validate_message_blocks([valid]) is not None
        with pytest.raises(ApiError) as err:
            validate_message_blocks([valid, invalid])
        assert err.value.messages[0].endswith("[json-pointer:/blocks/1/text/text]")


def test_blocks_text_length_counts_nested_text() -> None:
    assert blocks_text_length([VALID_BLOCKS[1], VALID_BLOCKS[2]]) == len("x") + len("Go") + 2


FORM: list[dict[str, Any]] = [
    {
        "type": "input",
        "block_id": "title",
        "label": pt("T"),
        "element": {"type": "plain_text_input", "action_id": "title_input", "max_length": 10},
    },
    {
        "type": "input",
        "block_id": "kind",
        "label": pt("K"),
        "element": {
            "type": "radio_buttons",
            "action_id": "kind_radio",
            "options": [option("a"), option("b")],
            "initial_option": option("a"),
        },
    },
    {
        "type": "input",
        "block_id": "flags",
        "optional": True,
        "label": pt("F"),
        "element": {
            "type": "checkboxes",
            "action_id": "flags_cb",
            "options": [option("x"), option("y")],
        },
    },
    {
        "type": "input",
        "block_id": "owner",
        "optional": True,
        "label": pt("O"),
        "element": {"type": "users_select", "action_id": "owner_user"},
    },
    {
        "type": "input",
        "block_id": "when",
        "optional": True,
        "label": pt("W"),
        "element": {"type": "datepicker", "action_id": "when_date"},
    },
    {
        "type": "input",
        "block_id": "amount",
        "optional": True,
        "label": pt("A"),
        "element": {"type": "number_input", "action_id": "amount_n", "is_decimal_allowed": False},
    },
    {
        "type": "section",
        "block_id": "more",
        "text": pt("More"),
        "accessory": {
            "type": "static_select",
            "action_id": "more_select",
            "options": [option("1")],
        },
    },
]


def test_state_values_by_action_id_or_block_id() -> None:
    values = build_state_values(
        FORM, {"title_input": "Acme", "flags": ["x", "y"], "owner_user": "U1", "when": "2025-01-31"}
    )
    assert values["title"]["title_input"] == {"type": "plain_text_input", "value": "Acme"}
    assert values["kind"]["kind_radio"]["selected_option"]["value"] == "a"  # initial option
    assert [o["value"] for o in values["flags"]["flags_cb"]["selected_options"]] == ["x", "y"]
    assert values["owner"]["owner_user"] == {"type": "users_select", "selected_user": "U1"}
    assert values["when"]["when_date"]["selected_date"] == "2025-01-31"
    assert values["amount"]["amount_n"] == {"type": "number_input", "value": None}
    assert values["more"]["more_select"]["selected_option"] is None


def test_untouched_inputs_keep_previous_values() -> None:
    first = build_state_values(FORM, {"title_input": "Acme"})
    second = build_state_values(FORM, {"kind": "b"}, first)
    assert second["title"]["title_input"]["value"] == "Acme"
    assert second["kind"]["kind_radio"]["selected_option"]["value"] == "b"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "required input 'title'"),
        ({"title_input": "x" * 11}, "length"),
        ({"title_input": "ok", "kind": "zzz"}, "no option"),
        ({"title_input": "ok", "amount": "1.5"}, "decimals"),
        ({"title_input": "ok", "amount": "lots"}, "not a number"),
        ({"title_input": "ok", "nope": 1}, "no input 'nope'"),
    ],
)
def test_what_slack_client_would_not_submit(values: dict[str, Any], message: str) -> None:
    with pytest.raises(UserActionError, match=message):
        build_state_values(FORM, values)
