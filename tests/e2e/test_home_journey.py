"""App Home: your checks and public ones with links, never someone else's private one."""

from __future__ import annotations

import json
from typing import Any

from bot.core.models import Answers
from bot.slack import ids
from tests.support.journeys import COLLABORATION, check, open_home
from tests.support.waiting import eventually
from tests.support.worlds import Deal


def section_of(home: dict[str, Any], heading: str) -> str:
    """The text of the rows under one of the Home's headers."""
    texts: list[str] = []
    inside = False
    for block in home["blocks"]:
        if block["type"] == "header":
            inside = block["text"]["text"] == heading
        elif inside and block["type"] == "section":
            texts.append(block["text"]["text"])
    return "\n".join(texts)


def test_home_lists_yours_and_public_but_never_anothers_private_check(deal: Deal) -> None:
    deal.slack.invite(deal.alice, deal.board)
    assert eventually(lambda: deal.bot in deal.slack.members(deal.board))
    public = check(deal, deal.alice, deal.deals, "Spring fair <!channel>")
    check(deal, deal.alice, deal.board, "Board secret")
    check(deal, deal.bob, deal.deals, "Bob's tour")

    bobs = open_home(deal, deal.bob)
    body = json.dumps(bobs)
    assert "Board secret" not in body
    assert "<!channel>" not in body
    assert "Bob's tour" in section_of(bobs, "Yours")
    assert "Spring fair" not in section_of(bobs, "Yours")
    recent = section_of(bobs, "Recent in public channels")
    assert "Spring fair &lt;!channel&gt;" in recent and "Bob's tour" in recent
    (lookup,) = deal.slack.calls(
        "chat.getPermalink", ok=True, where=lambda c: c.args.get("message_ts") == public["ts"]
    )
    assert lookup.response is not None
    assert f"<{lookup.response['permalink']}|Open>" in recent
    assert "2 collaborations" in body  # bob can see two checks: his and alice's public one

    alices = open_home(deal, deal.alice)
    yours = section_of(alices, "Yours")
    assert "Board secret" in yours and "Spring fair" in yours and "Bob's tour" not in yours
    assert f"<#{deal.board.id}>" in yours
    assert "Board secret" not in section_of(alices, "Recent in public channels")
    assert "3 collaborations" in json.dumps(alices)
    assert deal.slack.calls("conversations.info", ok=True)


def test_home_start_button_opens_the_check_modal_without_a_channel(deal: Deal) -> None:
    home = open_home(deal, deal.alice)
    assert "You haven't run a check yet" in json.dumps(home)
    assert deal.slack.click(deal.alice, ids.ACTION_START_CHECK, view_id=home["id"]).ok
    deal.slack.wait_for_call("views.open", ok=True)
    modal = deal.slack.current_view(deal.alice)
    assert modal is not None and modal["callback_id"] == ids.VIEW_CHECK
    (post_to,) = [b for b in modal["blocks"] if b.get("block_id") == ids.BLOCK_CHANNEL]
    assert "initial_conversation" not in post_to["element"]
    deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.deals.id})
    (parent,) = deal.settled_verdicts(deal.deals)
    assert parent["metadata"]["event_payload"]["verdict"] == "collaboration"


def test_home_counts_a_channel_it_cannot_check_as_private(deal: Deal) -> None:
    check(deal, deal.alice, deal.deals, "Spring fair")
    deal.store.create_verdict(  # a verdict in a private channel the bot has left
        deal.acme.id,
        channel_id=deal.board.id,
        creator_id=deal.alice.id,
        title="Board secret",
        answers=Answers(),
        result={"verdict": "undetermined", "headline": "Undetermined"},
        message_ts="1700000000.000100",
    )
    deal.slack.faults.server_error("conversations.info", times=None, status=502)  # no answer
    bobs = json.dumps(open_home(deal, deal.bob))
    assert "Board secret" not in bobs and "Spring fair" not in bobs  # doubt means private
    assert "No checks in public channels yet" in bobs
    deal.slack.faults.clear()
    bobs = json.dumps(open_home(deal, deal.bob))
    assert "Spring fair" in bobs and "Board secret" not in bobs  # channel_not_found: private
    alices = open_home(deal, deal.alice)
    assert "Board secret" in section_of(alices, "Yours")
