"""Pins done by hand in Slack keep the stored pin state and the verdict's button true."""

from __future__ import annotations

from typing import Any

from bot.slack import ids
from tests.support.journeys import check
from tests.support.waiting import eventually
from tests.support.worlds import Deal


def pin_button(deal: Deal, ts: str) -> str | None:
    """The action id of the Pin/Unpin button on a verdict message."""
    message = deal.slack.message(deal.deals, ts) or {}
    for block in message.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") in (ids.ACTION_PIN, ids.ACTION_UNPIN):
                return str(element["action_id"])
    return None


def stored_pin(deal: Deal, parent: dict[str, Any]) -> bool | None:
    """The pin state the store holds for a verdict message."""
    record = deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"])
    return None if record is None else record.pinned


def test_pin_and_unpin_by_hand_sync_the_store_and_the_button(deal: Deal) -> None:
    parent = check(deal, deal.alice, deal.deals, "Spring fair")
    assert pin_button(deal, parent["ts"]) == ids.ACTION_PIN

    deal.slack.pin(deal.bob, deal.deals, parent["ts"])
    assert eventually(lambda: stored_pin(deal, parent) is True)
    assert eventually(lambda: pin_button(deal, parent["ts"]) == ids.ACTION_UNPIN)

    deal.slack.unpin(deal.alice, deal.deals, parent["ts"])
    assert eventually(lambda: stored_pin(deal, parent) is False)
    assert eventually(lambda: pin_button(deal, parent["ts"]) == ids.ACTION_PIN)

    # The button still works after a hand pin round trip: Slack and the store agree.
    deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=parent["ts"])
    assert eventually(lambda: parent["ts"] in deal.slack.pinned(deal.deals))
    assert eventually(lambda: pin_button(deal, parent["ts"]) == ids.ACTION_UNPIN)


def test_pinning_another_message_changes_nothing(deal: Deal) -> None:
    parent = check(deal, deal.alice, deal.deals, "Spring fair")
    other = deal.slack.post(deal.bob, deal.deals, "lunch at noon?")
    deal.quiet()
    updates = len(deal.slack.calls("chat.update"))
    deal.slack.pin(deal.bob, deal.deals, other.ts)
    deal.slack.wait_for_delivery("event:pin_added")
    deal.quiet()
    assert len(deal.slack.calls("chat.update")) == updates
    assert stored_pin(deal, parent) is False


def test_a_late_retry_of_a_pin_event_does_not_undo_a_later_unpin(deal: Deal) -> None:
    parent = check(deal, deal.alice, deal.deals, "Spring fair")
    (added,) = [
        d
        for d in deal.slack.pin(deal.bob, deal.deals, parent["ts"])
        if d.label == "event:pin_added"
    ]
    assert eventually(lambda: stored_pin(deal, parent) is True)
    deal.slack.unpin(deal.bob, deal.deals, parent["ts"])
    assert eventually(lambda: pin_button(deal, parent["ts"]) == ids.ACTION_PIN)
    lists = len(deal.slack.calls("pins.list"))
    assert deal.slack.redeliver(added).ok  # Slack retries the old pin_added
    deal.slack.wait_for_call("pins.list", count=lists + 1)
    deal.quiet()
    assert stored_pin(deal, parent) is False
    assert pin_button(deal, parent["ts"]) == ids.ACTION_PIN
