"""The verdict message: the parent that gets pinned, readable in five seconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
)

from bot.core.dimensions import BY_KEY
from bot.core.models import Result, Verdict
from bot.core.wording import confidence_phrase, meter
from bot.slack import ids
from bot.slack.mrkdwn import clip, safe, safe_url

EMOJI: Final[dict[Verdict, str]] = {
    "partnership": ":handshake:",
    "collaboration": ":busts_in_silhouette:",
    "mixed": ":scales:",
    "undetermined": ":grey_question:",
}
NEXT_STEP: Final[dict[Verdict, str]] = {
    "partnership": (
        "Put a partnership agreement in writing: contributions, how profit and loss are "
        "shared, governance, authority to bind, and exit."
    ),
    "collaboration": (
        "Keep it light but clear: a collaboration agreement or MOU covering objectives, who "
        "owns what is made, an end date, and a no-partnership clause."
    ),
    "mixed": (
        "Settle the answers that pull apart first, then paper the deal for the way it leans."
    ),
    "undetermined": "Answer the open questions, by editing or by replying in the thread.",
}
TOP_REASONS: Final = 3
OTHER_WAY: Final = 2
TITLE_IN_HEADER: Final = 150
SECTION: Final = 3000


@dataclass(frozen=True, slots=True)
class VerdictCard:
    """What a verdict message shows: the stored verdict and its current result."""

    verdict_id: str
    revision: int
    creator_id: str
    pinned: bool
    result: Result
    source_link: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """A message ready for chat.postMessage or chat.update."""

    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None = None

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for WebClient.chat_postMessage / chat_update."""
        kwargs: dict[str, Any] = {"text": self.text, "blocks": self.blocks}
        if self.metadata is not None:
            kwargs["metadata"] = self.metadata
        return kwargs


def build_verdict_message(card: VerdictCard, *, buttons: bool = True) -> Message:
    """The parent message: headline, meter, why, warnings, next step and (usually) buttons."""
    result = card.result
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=safe(header_text(result), TITLE_IN_HEADER))),
        ContextBlock(elements=[MarkdownTextObject(text=context_line(card))]),
    ]
    if result.verdict == "undetermined":
        blocks.append(_section(open_questions_text(result)))
    else:
        blocks.append(_section(meter(result.score)))
        blocks.append(_section(why_text(result)))
    if result.warnings and result.verdict != "undetermined":
        blocks.append(_section(warnings_summary(result)))
    blocks.append(_section(f"*Next:* {NEXT_STEP[result.verdict]} Full details in the thread."))
    if (source := safe_url(card.source_link)) is not None:
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=f"Assessed from <{source}|this message>")]
            )
        )
    if buttons:
        blocks.append(actions(card))
    title = result.answers.title or "This relationship"
    return Message(
        text=safe(f"{result.headline}: {title}", 300),
        blocks=[block.to_dict() for block in blocks],
        metadata=verdict_metadata(card),
    )


def build_copy_text(card: VerdictCard) -> Message:
    """The verdict as plain text to copy: headline, title and every reason (title escaped)."""
    result = card.result
    title = result.answers.title or "This relationship"
    lines = [f"{result.headline}: {title}", *(f"- {reason.text}" for reason in result.reasons)]
    text = safe("\n".join(lines), SECTION - 6)
    block = SectionBlock(text=MarkdownTextObject(text=f"```{text}```"))
    return Message(text=text, blocks=[block.to_dict()])


def header_text(result: Result) -> str:
    """The headline with its emoji and the relationship's title (plain text)."""
    title = result.answers.title
    head = f"{EMOJI[result.verdict]} {result.headline}"
    return f"{head} · {title}" if title else head


def context_line(card: VerdictCard) -> str:
    """Confidence, revision, who checked it, how many warnings, and with whom."""
    result = card.result
    parts = []
    if result.verdict != "undetermined":
        parts.append(confidence_phrase(result.confidence))
    parts.append(f"revision {card.revision}")
    parts.append(f"checked by <@{card.creator_id}>")
    warnings = len([w for w in result.warnings if w.code != "needs_more_answers"])
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if result.answers.counterpart:
        parts.append(f"with {safe(result.answers.counterpart, 120)}")
    if card.pinned:
        parts.append(":pushpin: pinned")
    return " · ".join(parts)


def why_text(result: Result) -> str:
    """The strongest reasons, then what pulls the other way."""
    ahead = [r.text for r in result.reasons if r.toward == (result.leaning or "partnership")]
    behind = [r.text for r in result.reasons if r.toward != (result.leaning or "partnership")]
    text = "*Why:* " + ("; ".join(ahead[:TOP_REASONS]) or "the answers balance out") + "."
    if behind:
        text += "\n*Pulling the other way:* " + "; ".join(behind[:OTHER_WAY]) + "."
    return text


def open_questions_text(result: Result) -> str:
    """For an undetermined verdict: the questions to answer, nothing else."""
    lines = [f"• {BY_KEY[key].question}" for key in result.open_questions[:6]]
    return "*Answer these to get a verdict:*\n" + "\n".join(lines)


def warnings_summary(result: Result) -> str:
    """One line per warning, with the jurisdiction of the law it cites."""
    lines = []
    for warning in result.warnings:
        where = f" ({warning.jurisdiction})" if warning.citations else ""
        lines.append(f":warning: {warning.title}{where}")
    return "\n".join(lines)


def actions(card: VerdictCard) -> ActionsBlock:
    """Edit answers, pin or unpin, and a menu with delete and copy as text."""
    value = card.verdict_id
    pin = (
        ButtonElement(text="Unpin", action_id=ids.ACTION_UNPIN, value=value)
        if card.pinned
        else ButtonElement(text="Pin", action_id=ids.ACTION_PIN, value=value)
    )
    return ActionsBlock(
        block_id=f"verdict:{card.verdict_id}",
        elements=[
            ButtonElement(
                text="Edit answers", action_id=ids.ACTION_EDIT, value=value, style="primary"
            ),
            pin,
            OverflowMenuElement(
                action_id=ids.ACTION_MORE,
                options=[
                    Option(text="Copy as text", value=f"{ids.MORE_COPY}:{value}"),
                    Option(text="Delete", value=f"{ids.MORE_DELETE}:{value}"),
                ],
            ),
        ],
    )


def verdict_metadata(card: VerdictCard) -> dict[str, Any]:
    """DESIGN.md's message metadata: ids, verdict and answered DOMAIN.md keys, no user text."""
    result = card.result
    return {
        "event_type": ids.METADATA_EVENT,
        "event_payload": {
            "verdict_id": card.verdict_id,
            "revision": card.revision,
            "verdict": result.verdict,
            "leaning": result.leaning,
            "score": result.score,
            "answers": result.answers.choices(),
        },
    }


def _section(text: str) -> SectionBlock:
    """A mrkdwn section, cut to Slack's limit."""
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION)))
