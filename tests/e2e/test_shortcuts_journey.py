"""Shortcuts: a new check from anywhere; assessing a message links the verdict back to it."""

from __future__ import annotations

import json
from typing import Any

from bot.slack import ids
from tests.support.journeys import COLLABORATION
from tests.support.waiting import eventually
from tests.support.worlds import Deal

DEAL_TEXT = "We'll sign a binding 3-year contract with Acme and pool our budgets <!channel>"


def selected(view: dict[str, Any]) -> dict[str, Any]:
    """The initial answer of each select in a modal, by block id."""
    return {
        block["block_id"]: block["element"].get("initial_option", {}).get("value")
        for block in view["blocks"]
        if block["type"] == "input" and block["element"]["type"] == "static_select"
    }


def test_global_shortcut_opens_the_check_modal(deal: Deal) -> None:
    delivery = deal.slack.global_shortcut(deal.alice, ids.SHORTCUT_NEW_CHECK)
    assert delivery.ok and delivery.elapsed < 2.5
    deal.slack.wait_for_call("views.open", ok=True)
    modal = deal.slack.current_view(deal.alice)
    assert modal is not None and modal["callback_id"] == ids.VIEW_CHECK
    (post_to,) = [b for b in modal["blocks"] if b.get("block_id") == ids.BLOCK_CHANNEL]
    assert "initial_conversation" not in post_to["element"]
    deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.deals.id})
    (parent,) = deal.settled_verdicts(deal.deals)
    assert parent["metadata"]["event_payload"]["verdict"] == "collaboration"


def test_message_shortcut_prefills_and_posts_with_a_link_to_the_message(deal: Deal) -> None:
    source = deal.slack.post(deal.bob, deal.deals, DEAL_TEXT)
    delivery = deal.slack.message_shortcut(
        deal.alice, deal.deals, source.ts, ids.SHORTCUT_ASSESS_MESSAGE
    )
    assert delivery.ok and delivery.elapsed < 2.5
    deal.slack.wait_for_call("views.open", ok=True)
    modal = deal.slack.current_view(deal.alice)
    assert modal is not None
    assert "Filled in from your text" in json.dumps(modal)
    answers = selected(modal)
    assert answers["horizon"] == "multi_year" and answers["resources"] == "pooled"
    (post_to,) = [b for b in modal["blocks"] if b.get("block_id") == ids.BLOCK_CHANNEL]
    assert post_to["element"]["initial_conversation"] == deal.deals.id

    deal.slack.submit(deal.alice, {ids.BLOCK_TITLE: "Acme distribution"})
    (parent,) = deal.settled_verdicts(deal.deals)
    lookup = deal.slack.wait_for_call(
        "chat.getPermalink", ok=True, where=lambda c: c.args.get("message_ts") == source.ts
    )
    assert lookup.response is not None
    permalink = lookup.response["permalink"]
    assert f"Assessed from <{permalink}|this message>" in json.dumps(parent["blocks"])
    record = deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"])
    assert record is not None and record.source_link == permalink
    assert record.answers.horizon == "multi_year"


def test_message_shortcut_in_a_private_channel_links_back_once_invited(deal: Deal) -> None:
    source = deal.slack.post(deal.bob, deal.board, DEAL_TEXT)
    deal.slack.message_shortcut(deal.alice, deal.board, source.ts, ids.SHORTCUT_ASSESS_MESSAGE)
    deal.slack.wait_for_call("views.open", ok=True)
    deal.slack.submit(deal.alice, {ids.BLOCK_TITLE: "Board deal"})
    dm = deal.slack.bot_dm(deal.alice)
    link = f"/archives/{deal.board.id}/p{source.ts.replace('.', '')}|this message>"
    assert eventually(lambda: link in json.dumps(deal.slack.messages(dm)))
    deal.slack.invite(deal.alice, deal.board)
    (parent,) = deal.settled_verdicts(deal.board)
    assert link in json.dumps(parent["blocks"])
