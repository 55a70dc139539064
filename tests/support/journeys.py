"""Journeys as a person makes them through the stand-in: run a check, open Home."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox import Conversation, User
from bot.slack import ids

if TYPE_CHECKING:
    from tests.support.worlds import Deal

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
    before = len(deal.slack.calls("views.open"))
    answer = deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, text)
    assert answer.ok and answer.elapsed < 2.5
    opened = deal.slack.wait_for_call("views.open", count=before + 1)  # this command's modal
    assert opened.ok
    submission = deal.slack.submit(deal.alice, values)
    assert submission.delivery.ok
    assert submission.delivery.elapsed < 2.5


def posted_verdict(deal: Deal, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run a check in #deals and return its verdict message once the thread is posted."""
    run_check(deal, values or COLLABORATION)
    (parent,) = deal.settled_verdicts(deal.deals)
    return parent


def check(deal: Deal, person: User, channel: Conversation, title: str) -> dict[str, Any]:
    """`person` runs a check in `channel` and it is posted there; its verdict message."""
    before = len(deal.verdict_messages(channel))
    opened = len(deal.slack.calls("views.open"))
    assert deal.slack.slash_command(person, channel, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open", count=opened + 1)
    deal.slack.submit(person, {**COLLABORATION, ids.BLOCK_TITLE: title})
    return deal.settled_verdicts(channel, before + 1)[-1]


def open_home(deal: Deal, person: User) -> dict[str, Any]:
    """`person` opens the app's Home tab; the view the app publishes for them."""
    published = len(deal.slack.calls("views.publish", ok=True))
    deal.slack.open_home(person)
    deal.slack.wait_for_call("views.publish", ok=True, count=published + 1)
    home = deal.slack.home(person)
    assert home is not None
    return home
