"""Checks of what the app sends Slack: valid Block Kit within limits, user markup inert."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block

from bot.slack.builders.verdict import Message

INJECTIONS = ("<!channel>", "<@U123>", "<http://evil.example|click>", "<!here|here>", "&lt;b&gt;")
EVIL = " ".join(INJECTIONS)


def assert_valid_blocks(message: Message, limit: int = 50) -> None:
    """Every block parses and validates in slack_sdk.models, within Slack's limits."""
    assert 0 < len(message.blocks) <= limit
    for raw in message.blocks:
        block = Block.parse(raw)
        assert block is not None
        block.validate_json()
    assert len(json.dumps(message.blocks)) < 13_000 * 2
    assert message.text


def assert_inert(payload: Any) -> None:
    """No user-supplied Slack markup survives anywhere in a payload."""
    dumped = json.dumps(payload)
    for attack in ("<!channel>", "<@U123>", "<http://evil.example|click>", "<!here|here>"):
        assert attack not in dumped
