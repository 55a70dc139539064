"""One verdict as a line in a list (App Home, /relationship list): emoji, title, where, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.slack.builders.verdict import EMOJI
from bot.slack.mrkdwn import safe, safe_url

TITLE_LIMIT: Final = 150
HEADLINE_LIMIT: Final = 80
UNTITLED: Final = "Untitled check"
VERDICT_ORDER: Final = ("partnership", "collaboration", "mixed", "undetermined")
_EMOJI: Final[dict[str, str]] = {str(verdict): mark for verdict, mark in EMOJI.items()}


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """What a list shows of one verdict; `link` is None until it is posted (or has no link)."""

    verdict: str
    headline: str
    title: str
    channel_id: str
    revision: int
    changed_at: datetime
    pinned: bool = False
    posted: bool = True
    link: str | None = None


def emoji(verdict: str) -> str:
    """The verdict's emoji (a question mark for anything unknown)."""
    return _EMOJI.get(verdict, _EMOJI["undetermined"])


def where(channel_id: str) -> str:
    """The conversation as mrkdwn: a channel mention, or "a direct message"."""
    if channel_id[:1] in ("C", "G"):
        return f"<#{channel_id}>"
    return "a direct message"


def when(moment: datetime) -> str:
    """A date Slack shows in the reader's own time zone, with a UTC fallback."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def row_text(row: VerdictRow, *, show_pin: bool = False) -> str:
    """Two lines: emoji, title and headline; then channel, revision, last change and link."""
    title = safe(row.title or UNTITLED, TITLE_LIMIT)
    headline = safe(row.headline, HEADLINE_LIMIT)
    details = [where(row.channel_id), f"revision {row.revision}", f"changed {when(row.changed_at)}"]
    if show_pin:
        details.append(":pushpin: pinned" if row.pinned else "not pinned")
    if not row.posted:
        details.append("not posted yet: invite me to the channel")
    elif (link := safe_url(row.link)) is not None:
        details.append(f"<{link}|Open>")
    return f"{emoji(row.verdict)} *{title}* · {headline}\n" + " · ".join(details)


def row_block(row: VerdictRow, *, show_pin: bool = False) -> SectionBlock:
    """A verdict row as one section block."""
    return SectionBlock(text=MarkdownTextObject(text=row_text(row, show_pin=show_pin)))
