"""Home tab and channel list builders: valid Block Kit, within limits, user text inert."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.slack import ids
from bot.slack.builders.home import HOME_BLOCKS_MAX, ROWS, HomeOverview, build_home_view
from bot.slack.builders.listing import LIST_ROWS, NONE_YET, build_channel_list
from bot.slack.builders.rows import VerdictRow, row_text, where
from bot.slack.links import archive_link, channel_link
from bot.slack.mrkdwn import safe_url
from tests.support.blocks import EVIL, assert_inert, assert_valid_blocks

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
VERDICTS = ("partnership", "collaboration", "mixed", "undetermined")


def rows(count: int, *, title: str = "Spring fair", channel: str = "C1") -> list[VerdictRow]:
    """`count` rows cycling through the verdicts."""
    return [
        VerdictRow(
            verdict=VERDICTS[i % 4],
            headline=VERDICTS[i % 4].capitalize(),
            title=f"{title} {i}",
            channel_id=channel,
            revision=i + 1,
            changed_at=WHEN,
            pinned=i % 2 == 0,
            posted=i % 5 != 4,
            link=f"https://acme.slack.com/archives/{channel}/p{1700000000000000 + i}",
        )
        for i in range(count)
    ]


def validate_home(view: dict[str, Any]) -> None:
    """The view parses and validates in slack_sdk.models and keeps Slack's Home limits."""
    View(**view).validate_json()
    assert view["type"] == "home"
    assert len(view["blocks"]) <= HOME_BLOCKS_MAX
    assert len(json.dumps(view).encode()) < 250_000


@pytest.mark.parametrize("count", [0, 1, ROWS, ROWS + 1, 500])
def test_home_validates_and_stays_within_100_blocks(count: int) -> None:
    overview = HomeOverview(
        counts={"partnership": count, "mixed": 2},
        yours=rows(count),
        yours_more=count > ROWS,
        public=rows(count, channel="C2"),
        public_more=count > ROWS,
        scanned=count,
    )
    view = build_home_view(overview)
    validate_home(view)
    sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert sum("revision" in text for text in sections) == 2 * min(count, ROWS)
    body = json.dumps(view)
    assert ("most recent" in body) == (count > ROWS)


def test_home_has_the_start_button_and_counts() -> None:
    view = build_home_view(HomeOverview(counts={"partnership": 1, "collaboration": 3}))
    validate_home(view)
    buttons = [
        element
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [button["action_id"] for button in buttons] == [ids.ACTION_START_CHECK]
    assert buttons[0]["text"]["text"] == "Start a relationship check"
    body = json.dumps(view)
    assert "1 partnership " in body and "3 collaborations" in body and "0 mixed" in body
    assert "You haven't run a check yet" in body and "No checks in public channels yet" in body


def test_home_says_when_counts_cover_only_the_latest() -> None:
    view = build_home_view(HomeOverview(counts={"mixed": 4}, scanned=300, complete=False))
    assert "among the latest 300" in json.dumps(view)


def test_hostile_titles_and_links_are_inert() -> None:
    hostile = [
        VerdictRow(
            verdict="mixed",
            headline=EVIL,
            title=EVIL,
            channel_id="C1",
            revision=1,
            changed_at=WHEN,
            link="https://evil.example/x|<!channel>",
        ),
        VerdictRow(
            verdict="not-a-verdict",
            headline="Mixed",
            title="a" * 5000,
            channel_id="C1",
            revision=1,
            changed_at=WHEN,
            link="javascript:alert(1)",
        ),
    ]
    view = build_home_view(HomeOverview(yours=hostile, public=hostile))
    validate_home(view)
    assert_inert(view)
    assert "evil.example/x" not in json.dumps(view) and "javascript" not in json.dumps(view)
    listing = build_channel_list(hostile)
    assert_valid_blocks(listing)
    assert_inert(listing.blocks)


def test_row_shows_channel_revision_change_link_and_pin() -> None:
    row = rows(1)[0]
    text = row_text(row, show_pin=True)
    assert text.startswith(":handshake: *Spring fair 0* · Partnership")
    assert "<#C1>" in text and "revision 1" in text and ":pushpin: pinned" in text
    assert f"<!date^{int(WHEN.timestamp())}^" in text and "|2026-03-01 09:30 UTC>" in text
    assert "<https://acme.slack.com/archives/C1/p1700000000000000|Open>" in text
    waiting = row_text(VerdictRow("mixed", "Mixed", "t", "G1", 2, WHEN, posted=False))
    assert "invite me" in waiting and "Open" not in waiting
    assert where("D123") == "a direct message" and where("U123") == "a direct message"


@pytest.mark.parametrize("count", [1, LIST_ROWS, LIST_ROWS + 30])
def test_channel_list_validates_with_pin_state(count: int) -> None:
    listing = build_channel_list(rows(count), more=count > LIST_ROWS)
    assert_valid_blocks(listing)
    body = json.dumps(listing.blocks)
    assert ":pushpin: pinned" in body
    assert ("not pinned" in body) == (count > 1)
    assert ("most recent" in body) == (count > LIST_ROWS)


def test_empty_channel_list_is_a_friendly_line() -> None:
    listing = build_channel_list([])
    assert_valid_blocks(listing)
    assert listing.text == NONE_YET


def test_safe_url_and_links() -> None:
    assert safe_url("https://a.slack.com/archives/C1/p1?thread_ts=1.2&cid=C1") == (
        "https://a.slack.com/archives/C1/p1?thread_ts=1.2&amp;cid=C1"
    )
    for bad in ("http://plain.example", "https://x.example/a|b", "https://x> <!channel>", None, 3):
        assert safe_url(bad) is None
    assert channel_link("C123") == "https://slack.com/app_redirect?channel=C123"
    assert archive_link("acme", "C1", "1700000000.000100") == (
        "https://acme.slack.com/archives/C1/p1700000000000100"
    )
    assert archive_link("evil.example/x?", "C1", "1.2") is None
    assert archive_link("acme", "C1", "not-a-ts") is None
