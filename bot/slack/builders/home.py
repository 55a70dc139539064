"""The App Home tab: a start button, counts by verdict, your checks and recent public ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack import ids
from bot.slack.builders.rows import VERDICT_ORDER, VerdictRow, emoji, row_block

# Rows per list: 2 lists x 15 rows + 13 other blocks stays far below Slack's 100 per Home view.
ROWS: Final = 15
HOME_BLOCKS_MAX: Final = 100
INTRO: Final = (
    "Partnership or collaboration? Answer a few questions about a deal and get a verdict "
    "with reasons, warnings and what to do next. You can also type `/relationship` in a "
    "channel, or use the shortcut on a message that describes the deal."
)
PRIVACY_NOTE: Final = (
    "Checks in private channels and direct messages show here only for the person who ran "
    "them. General information, not legal advice."
)
PLURAL: Final[dict[str, tuple[str, str]]] = {
    "partnership": ("partnership", "partnerships"),
    "collaboration": ("collaboration", "collaborations"),
    "mixed": ("mixed", "mixed"),
    "undetermined": ("undetermined", "undetermined"),
}


@dataclass(frozen=True, slots=True)
class HomeOverview:
    """What one person may see: counts by verdict, their checks, and public ones.

    `complete` is False when the counts cover only the most recent `scanned` checks.
    """

    counts: Mapping[str, int] = field(default_factory=dict)
    yours: Sequence[VerdictRow] = ()
    yours_more: bool = False
    public: Sequence[VerdictRow] = ()
    public_more: bool = False
    scanned: int = 0
    complete: bool = True


def build_home_view(overview: HomeOverview) -> dict[str, Any]:
    """The Home view, at most ROWS rows per list and never over Slack's block limit."""
    blocks: list[Block] = [
        HeaderBlock(text="Relationship checks"),
        SectionBlock(text=MarkdownTextObject(text=INTRO)),
        ActionsBlock(
            block_id="home_start",
            elements=[
                ButtonElement(
                    text="Start a relationship check",
                    action_id=ids.ACTION_START_CHECK,
                    style="primary",
                )
            ],
        ),
        ContextBlock(elements=[MarkdownTextObject(text=counts_text(overview))]),
        DividerBlock(),
        HeaderBlock(text="Yours"),
        *_rows(
            overview.yours,
            overview.yours_more,
            empty="You haven't run a check yet. Start one with the button above.",
            more=f"Showing your {ROWS} most recent checks. Type `/relationship list` in a "
            "channel to see all of its checks.",
        ),
        DividerBlock(),
        HeaderBlock(text="Recent in public channels"),
        *_rows(
            overview.public,
            overview.public_more,
            empty="No checks in public channels yet.",
            more=f"Showing the {ROWS} most recent.",
        ),
        DividerBlock(),
        ContextBlock(elements=[MarkdownTextObject(text=PRIVACY_NOTE)]),
    ]
    view = View(type="home", blocks=blocks)
    return view.to_dict()


def counts_text(overview: HomeOverview) -> str:
    """How many checks of each verdict the viewer can see."""
    total = sum(overview.counts.get(verdict, 0) for verdict in VERDICT_ORDER)
    if total == 0:
        return "No checks you can see yet."
    parts = []
    for verdict in VERDICT_ORDER:
        count = overview.counts.get(verdict, 0)
        singular, plural = PLURAL[verdict]
        parts.append(f"{emoji(verdict)} {count} {singular if count == 1 else plural}")
    text = "Checks you can see: " + " · ".join(parts)
    if not overview.complete:
        text += f" (among the latest {overview.scanned} in this workspace)"
    return text


def _rows(rows: Sequence[VerdictRow], has_more: bool, *, empty: str, more: str) -> list[Block]:
    """A list's rows (at most ROWS), its empty line, or its "more" note."""
    if not rows:
        return [SectionBlock(text=MarkdownTextObject(text=empty))]
    blocks: list[Block] = [row_block(row) for row in rows[:ROWS]]
    if has_more or len(rows) > ROWS:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks
