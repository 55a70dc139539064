"""Copying and encoding JSON-shaped data (what Slack's API carries) quickly."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import orjson

# Bytes that form encoding leaves as they are (`urllib.parse.quote_plus`'s safe set).
_FORM_SAFE: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data: dicts, lists, strings, numbers, booleans, None.

    An orjson round trip is several times faster than `copy.deepcopy` (or the json module) on
    a modal's 12 KB of blocks; tuples come back as lists, as they would from Slack.
    """
    return json_parse(json_bytes(value))


def json_bytes(value: Any) -> bytes:
    """JSON as Slack sends and answers it: compact UTF-8 (keys that are not strings allowed).

    Text holding a lone surrogate, which UTF-8 cannot carry, is written with `\\uXXXX`
    escapes instead, as the json module writes it: people do paste such text into Slack.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(value).encode()


def json_parse(data: str | bytes) -> Any:
    """Decode JSON; json.JSONDecodeError (with the json module's message) when it is invalid.

    orjson reads nearly everything; what it refuses (lone surrogate escapes, or invalid JSON)
    is read again by the json module, which accepts the former and explains the latter.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def form_quote(text: str | bytes) -> bytes:
    """`urllib.parse.quote_plus(text)` as bytes, a few times faster on long text.

    Each distinct unsafe byte is replaced in one pass over the UTF-8 bytes instead of looking
    up every byte: a 22 KB view_submission payload costs ~0.13 ms instead of ~0.55 ms.
    """
    data = text.encode() if isinstance(text, str) else text
    unsafe = set(data.translate(None, _FORM_SAFE))
    if ord("%") in unsafe:  # first, so no escape added below is escaped again
        data = data.replace(b"%", b"%25")
        unsafe.discard(ord("%"))
    space = ord(" ") in unsafe
    unsafe.discard(ord(" "))
    for byte in unsafe:
        data = data.replace(bytes((byte,)), b"%%%02X" % byte)
    if space:  # last, after "+" itself was escaped
        data = data.replace(b" ", b"+")
    return data


def form_body(fields: Mapping[str, object]) -> bytes:
    """An `application/x-www-form-urlencoded` body, as `urllib.parse.urlencode` encodes it."""
    return b"&".join(
        form_quote(key) + b"=" + form_quote(value if isinstance(value, bytes) else str(value))
        for key, value in fields.items()
    )
