"""DirectMessages: the DM id from conversations.open, remembered; a user id without im:write."""

from __future__ import annotations

import logging

import pytest

from bot.sandbox import SlackStandIn
from bot.sandbox.state import DEFAULT_BOT_SCOPES
from bot.slack.dms import DirectMessages


def test_the_dm_id_is_asked_once_then_remembered() -> None:
    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")
        alice = slack.add_user(acme, "alice")
        dms = DirectMessages()
        first = dms.channel(slack.client(acme), acme.id, alice.id)
        again = dms.channel(slack.client(acme), acme.id, alice.id)
        assert first == again == slack.bot_dm(alice).id
        assert len(slack.calls("conversations.open")) == 1


def test_without_im_write_the_user_id_is_used_and_the_reason_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with SlackStandIn() as slack:
        scopes = [scope for scope in DEFAULT_BOT_SCOPES if scope != "im:write"]
        narrow = slack.add_workspace("Narrow", scopes=scopes)
        carol = slack.add_user(narrow, "carol")
        client = slack.client(narrow)
        with caplog.at_level(logging.WARNING, logger="bot.slack.dms"):
            channel = DirectMessages().channel(client, narrow.id, carol.id)
        assert channel == carol.id
        assert "im:write" in caplog.text
        client.chat_postMessage(channel=channel, text="still delivered")
        assert [m["text"] for m in slack.messages(slack.bot_dm(carol))] == ["still delivered"]
