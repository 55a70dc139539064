"""The core journey: /relationship -> modal -> verdict and thread -> edit, pin, delete."""

from __future__ import annotations

import json
from typing import Any

from bot.slack import ids
from tests.e2e.conftest import Deal

COLLABORATION = {
    "horizon": "short",
    "agreement": "informal",
    "aim": "shared_deliverable",
    "roles": "named_leads",
    "resources": "separate",
    "decisions": "advisory",
    "benefits": "access",
    "risk": "own",
    "authority": "co_branded",
}


def run_check(deal: Deal, values: dict[str, Any], text: str = "") -> None:
    """Alice runs the command in #deals and submits the modal with some values."""
    answer = deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, text)
    assert answer.ok and answer.elapsed < 2.5
    opened = deal.slack.wait_for_call("views.open")
    assert opened.ok
    submission = deal.slack.submit(deal.alice, values)
    assert submission.delivery.ok
    assert submission.delivery.elapsed < 2.5


def test_command_opens_the_modal_in_time_prefilled_from_text(deal: Deal) -> None:
    answer = deal.slack.slash_command(
        deal.alice, deal.deals, ids.COMMAND, "a signed 3-year contract, budgets pooled"
    )
    assert answer.ok
    assert answer.elapsed < 1.5
    call = deal.slack.wait_for_call("views.open")
    assert call.ok
    view = deal.slack.current_view(deal.alice)
    assert view is not None
    body = json.dumps(view)
    assert "Filled in from your text" in body
    selected = {
        block["block_id"]: block["element"].get("initial_option", {}).get("value")
        for block in view["blocks"]
        if block["type"] == "input" and block["element"]["type"] == "static_select"
    }
    assert selected["horizon"] == "multi_year"
    assert selected["agreement"] == "binding"
    assert selected["resources"] == "pooled"


def test_help_answers_privately(deal: Deal) -> None:
    answer = deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, "help")
    assert answer.ok
    assert "Reply in the verdict's thread" in answer.body
    assert not deal.slack.calls("views.open")


def test_submission_posts_verdict_with_metadata_and_thread(deal: Deal) -> None:
    run_check(deal, {**COLLABORATION, ids.BLOCK_TITLE: "Spring fair <!channel>"})
    (parent,) = deal.settled_verdicts(deal.deals)
    payload = parent["metadata"]["event_payload"]
    assert payload["verdict"] == "collaboration"
    assert payload["revision"] == 1
    assert payload["answers"] == COLLABORATION
    assert "<!channel>" not in json.dumps(parent["blocks"])
    thread = deal.slack.thread(deal.deals, parent["ts"])
    assert len(thread) >= 2
    assert "Obligations checklist" in json.dumps(thread)
    record = deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"])
    assert record is not None and record.verdict == "collaboration"


def test_invalid_submission_gets_field_errors_and_nothing_is_posted(deal: Deal) -> None:
    direct = deal.slack.add_dm(deal.alice, deal.bob)
    deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    submission = deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: direct.id})
    assert submission.errors is not None
    assert ids.BLOCK_CHANNEL in submission.errors
    deal.slack.settle()
    assert deal.verdict_messages(deal.deals) == []
    assert deal.store.list_by_team(deal.acme.id).items == ()
