"""`/relationship list`: this channel's checks, privately, with links and pin state."""

from __future__ import annotations

import json

from bot.slack import ids
from tests.support.journeys import COLLABORATION, check
from tests.support.waiting import eventually
from tests.support.worlds import Deal


def test_list_shows_this_channels_checks_privately_with_links_and_pins(deal: Deal) -> None:
    first = check(deal, deal.alice, deal.deals, "Spring fair <!channel>")
    check(deal, deal.bob, deal.deals, "Bob's tour")
    deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=first["ts"])
    assert eventually(lambda: first["ts"] in deal.slack.pinned(deal.deals))
    assert eventually(  # the pin is stored after Slack has it: wait for the store
        lambda: getattr(
            deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, first["ts"]),
            "pinned",
            False,
        )
    )

    opened = len(deal.slack.calls("views.open"))
    answer = deal.slack.slash_command(deal.bob, deal.deals, ids.COMMAND, "list")
    assert answer.ok and answer.elapsed < 2.5
    shown = eventually(lambda: deal.slack.ephemerals(user=deal.bob, channel=deal.deals))
    assert shown
    (listing,) = deal.slack.ephemerals(user=deal.bob, channel=deal.deals)
    body = json.dumps(listing.blocks)
    assert "2 checks" in listing.text
    assert "Spring fair &lt;!channel&gt;" in body and "<!channel>" not in body
    assert "Bob's tour" in body
    assert ":pushpin: pinned" in body and "not pinned" in body
    assert f"p{first['ts'].replace('.', '')}|Open>" in body
    assert len(deal.slack.calls("views.open")) == opened  # no modal for a list
    assert len(deal.verdict_messages(deal.deals)) == 2  # nothing posted to the channel


def test_list_in_a_channel_without_checks_is_a_friendly_line(deal: Deal) -> None:
    deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    deal.slack.submit(deal.alice, COLLABORATION)
    deal.settled_verdicts(deal.deals)
    deal.slack.slash_command(deal.alice, deal.lobby, ids.COMMAND, "list")
    shown = eventually(lambda: deal.slack.ephemerals(user=deal.alice, channel=deal.lobby))
    assert shown
    (listing,) = deal.slack.ephemerals(user=deal.alice, channel=deal.lobby)
    assert "No relationship checks in this channel yet" in listing.text
