"""The stand-in's JSON copies and form encoding match what the standard library produces."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, quote_plus, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.copies import form_body, form_quote, json_bytes, json_copy, json_parse


@given(st.text())
def test_form_quote_encodes_as_quote_plus_does(text: str) -> None:
    assert form_quote(text) == quote_plus(text).encode()


def test_form_quote_escapes_percent_plus_and_space_without_escaping_twice() -> None:
    assert form_quote("50% + 1 é") == b"50%25+%2B+1+%C3%A9"


def test_form_body_reads_back_as_the_fields_it_was_given() -> None:
    fields = {"payload": json.dumps({"text": "a&b=c + 100% ✓", "n": [1, 2]}), "x": "y z"}
    body = form_body(fields)
    assert body == urlencode(fields).encode()
    assert dict(parse_qsl(body.decode())) == fields


def test_json_copy_is_deep_and_turns_tuples_into_lists() -> None:
    original = {"blocks": [{"type": "section", "fields": ("a", "b")}], "n": None}
    copied = json_copy(original)
    copied["blocks"][0]["type"] = "divider"
    assert original["blocks"][0]["type"] == "section"
    assert copied["blocks"][0]["fields"] == ["a", "b"]


def test_json_bytes_is_compact_utf8_and_allows_number_keys() -> None:
    assert json_bytes({"text": "é", 1: True}) == '{"text":"é","1":true}'.encode()


def test_lone_surrogates_travel_as_escapes_and_read_back() -> None:
    value = {"title": "bad \ud800 title"}
    assert json_bytes(value) == b'{"title": "bad \\ud800 title"}'
    assert json_parse(json_bytes(value)) == value
    assert json_copy(value) == value


def test_invalid_json_is_explained_as_the_json_module_explains_it() -> None:
    with pytest.raises(json.JSONDecodeError, match="Expecting property name"):
        json_parse(b"{not json")
