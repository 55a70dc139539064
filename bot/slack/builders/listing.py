"""`/relationship list`: a channel's verdicts, privately, with links and pin state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.slack.builders.rows import VerdictRow, row_block
from bot.slack.builders.verdict import Message

# A message holds 50 blocks; rows plus a heading and a note stay well inside.
LIST_ROWS: Final = 20
NONE_YET: Final = (
    "No relationship checks in this channel yet. Type `/relationship` to run one, or "
    "`/relationship help` to see how."
)


def build_channel_list(rows: Sequence[VerdictRow], *, more: bool = False) -> Message:
    """The channel's checks, newest first, or a friendly line when there are none."""
    if not rows:
        return Message(text=NONE_YET, blocks=[_section(NONE_YET).to_dict()])
    shown = rows[:LIST_ROWS]
    count = f"{len(shown)} check{'s' if len(shown) != 1 else ''}"
    heading = f"*Relationship checks in this channel* ({'latest ' if more else ''}{count})"
    blocks: list[Block] = [_section(heading)]
    blocks += [row_block(row, show_pin=True) for row in shown]
    if more or len(rows) > LIST_ROWS:
        note = f"Showing the {LIST_ROWS} most recent. Your App Home lists your own checks."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return Message(
        text=f"Relationship checks in this channel: {count}",
        blocks=[block.to_dict() for block in blocks],
    )


def _section(text: str) -> SectionBlock:
    """A mrkdwn section of our own text."""
    return SectionBlock(text=MarkdownTextObject(text=text))
