"""Slash commands whose form mentions the word "payload" reach the app like any other.

Bolt's `parse_body` (slack_bolt/request/internals.py) takes every form body in which
"payload" appears anywhere for an interaction, finds no `payload` field, and dispatches an
empty body: no listener matches and the person sees a 404. `bot/slack/http.py` parses form
bodies at the edge instead; these tests fail without it.
"""

from __future__ import annotations

import json

import pytest
from slack_bolt.request.internals import parse_body as bolt_parse_body

from bot.sandbox import SlackStandIn
from bot.slack import ids
from bot.slack.http import parse_body
from tests.support.worlds import Deal

FORM = "application/x-www-form-urlencoded"


def test_bolt_still_drops_a_command_that_mentions_payload() -> None:
    """The Bolt behaviour worked around: when this fails, Bolt has fixed it upstream."""
    body = "command=%2Frelationship&text=the+payload+partnership"
    assert bolt_parse_body(body, FORM) == {}
    assert parse_body(body, FORM) == {"command": "/relationship", "text": "the payload partnership"}


def test_an_interaction_is_still_read_from_its_payload_field() -> None:
    inner = {"type": "block_actions", "note": "payload"}
    body = "payload=" + json.dumps(inner).replace(" ", "+").replace("{", "%7B")
    assert parse_body(body, FORM) == inner


def test_command_text_mentioning_payload_opens_the_modal(deal: Deal) -> None:
    answer = deal.slack.slash_command(
        deal.alice, deal.deals, ids.COMMAND, "the payload partnership: budgets pooled"
    )
    assert answer.ok, (answer.status, answer.body)
    assert deal.slack.wait_for_call("views.open").ok
    view = deal.slack.current_view(deal.alice)
    assert view is not None and "Filled in from your text" in json.dumps(view)


@pytest.mark.parametrize("field", ["channel_name", "user_name", "team_domain", "enterprise_name"])
def test_payload_in_any_other_field_still_reaches_the_app(deal: Deal, field: str) -> None:
    """`help` typed in #payload-team (and the like) gets the help, not an error."""
    slack: SlackStandIn = deal.slack
    named = {
        "channel_name": lambda: slack.add_channel(
            deal.acme, "payload-team", members=[deal.alice], bot=True
        ),
    }
    channel = named.get(field, lambda: deal.deals)()
    workspace, person = deal.acme, deal.alice
    if field != "channel_name":
        workspace = slack.add_workspace(
            "Payload",
            domain="payload" if field == "team_domain" else None,
            enterprise_id="E0PAYLOAD" if field == "enterprise_name" else None,
            enterprise_name="payload inc" if field == "enterprise_name" else None,
        )
        person = slack.add_user(workspace, "payload" if field == "user_name" else "pat")
        channel = slack.add_channel(workspace, "deals", members=[person], bot=True)
    answer = slack.slash_command(person, channel, ids.COMMAND, "help")
    assert answer.ok, (answer.status, answer.body)
    assert "payload" in answer.payload[field]
    assert "Reply in the verdict's thread" in answer.body
