"""Thread replies: the full explanation, refinements, undo, what-ifs and hints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from slack_sdk.models.blocks import Block, DividerBlock, MarkdownTextObject, SectionBlock

from bot.core.dimensions import BY_KEY, QUESTIONS, SCORED_KEYS
from bot.core.models import ChangeFlip, Evidence, QuestionFlip, Result
from bot.slack.builders.verdict import Message
from bot.slack.mrkdwn import clip

MAX_BLOCKS: Final = 45
MAX_CHARS: Final = 11_000
SECTION: Final = 3000
LEAN_MARK: Final = {
    "partnership": "→ partnership",
    "collaboration": "→ collaboration",
    None: "neutral",
}
REFINE_EXAMPLES: Final = (
    'Reply here to refine, for example "it\'s a 5-year term", "we won\'t pool budgets" or '
    '"resources: separate". Questions like "what if we shared profits?" get an answer without '
    'changing anything. Reply "undo" to take back the last change.'
)


def build_explanation(result: Result) -> list[Message]:
    """The threaded explanation, split into several replies if Slack's limits require."""
    sections: list[tuple[str, str]] = [("What the two words mean here", definitions_text(result))]
    if result.reasons:
        sections.append(("Why", reasons_text(result)))
    sections.append(("Every answer", answers_text(result)))
    if result.flips:
        sections.append(("What would change it", flips_text(result)))
    if result.obligations:
        heading = "Open questions" if result.verdict == "undetermined" else "Obligations checklist"
        sections.append((heading, "\n".join(f"☐ {item.text}" for item in result.obligations)))
    if result.warnings:
        sections.append(("Warnings", warnings_text(result)))
    sections.append(("Before you commit", "\n".join(f"• {prompt}" for prompt in result.prompts)))
    sections.append(("How to refine", REFINE_EXAMPLES))
    blocks: list[Block] = []
    for heading, body in sections:
        blocks += _titled(heading, body)
    return _messages(blocks, fallback="How this verdict was reached")


def definitions_text(result: Result) -> str:
    """Both definitions in one line each, Himmelman's usage, and where this deal sits."""
    lines = [
        result.definitions.partnership,
        result.definitions.collaboration,
        result.definitions.himmelman,
    ]
    if result.himmelman_note:
        lines.append(result.himmelman_note)
    return "\n".join(lines)


def reasons_text(result: Result) -> str:
    """Every reason, strongest first, marked with the way it pulls."""
    return "\n".join(
        f"• {reason.text} ({LEAN_MARK[reason.toward]}, weight {abs(reason.weighted):g})"
        for reason in result.reasons
    )


def answers_text(result: Result) -> str:
    """Every question with its answer and which way it leans."""
    lines = []
    for question in QUESTIONS:
        value = result.answers.value(question.key)
        if question.key in SCORED_KEYS and value not in (None, "unsure"):
            lean = question.choice(value).lean
            toward = "partnership" if lean > 0 else "collaboration" if lean < 0 else None
            lines.append(f"✓ *{question.key}*: {question.label(value)} ({LEAN_MARK[toward]})")
        else:
            mark = "○" if value in (None, "unsure") else "✓"
            lines.append(f"{mark} *{question.key}*: {question.label(value)}")
    return "\n".join(lines)


def flips_text(result: Result) -> str:
    """What would move the verdict, or the questions that would settle it."""
    lines = []
    for flip in result.flips:
        if isinstance(flip, ChangeFlip):
            moves = " and ".join(
                f"{change.dimension} {BY_KEY[change.dimension].label(change.new)}"
                for change in flip.changes
            )
            lines.append(f"• {moves} → {flip.verdict}")
        elif isinstance(flip, QuestionFlip):
            lines.append(f"• {flip.question}")
    return "\n".join(lines)


def warnings_text(result: Result) -> str:
    """Every warning in full, then the one not-legal-advice notice."""
    lines = [f":warning: *{w.title}*\n{w.text}" for w in result.warnings]
    if result.legal_notice:
        lines.append(f"_{result.legal_notice}_")
    return "\n\n".join(lines)


def build_refinement_reply(
    actor_id: str,
    revision: int,
    changes: Sequence[Evidence],
    before: Result,
    after: Result,
    *,
    pinned: bool,
) -> Message:
    """What a reply changed, field by field, and how the verdict moved."""
    lines = [f"Updated by <@{actor_id}> (revision {revision}):"]
    for change in changes:
        question = BY_KEY[change.dimension]
        lines.append(
            f"• *{change.dimension}*: {question.label(change.old)} → {question.label(change.new)}"
        )
    lines.append(verdict_move(before, after, pinned=pinned))
    lines.append('Reply "undo" to revert.')
    text = "\n".join(lines)
    return Message(text=clip(text, 3000), blocks=[_section(text).to_dict()])


def build_undo_reply(
    actor_id: str,
    undone: tuple[str, int],
    revision: int,
    before: Result,
    after: Result,
) -> Message:
    """An undo: whose change it took back, and how the verdict moved."""
    text = (
        f"<@{actor_id}> undid revision {undone[1]} by <@{undone[0]}> "
        f"(now revision {revision}).\n{verdict_move(before, after, pinned=False)}"
    )
    return Message(text=clip(text, 3000), blocks=[_section(text).to_dict()])


def build_what_if_reply(
    hypothetical: Sequence[Evidence], current: Result, imagined: Result
) -> Message:
    """The answer to a what-if, with nothing stored."""
    moves = ", ".join(
        f"{change.dimension} {BY_KEY[change.dimension].label(change.new)}"
        for change in hypothetical
    )
    if imagined.verdict == current.verdict:
        outcome = f"it would stay *{imagined.headline}* (score {imagined.score:+.2f})"
    else:
        outcome = f"it would become *{imagined.headline}* (score {imagined.score:+.2f})"
    text = f"If {moves}: {outcome}. Nothing was changed; say it as a statement to apply it."
    return Message(text=clip(text, 3000), blocks=[_section(text).to_dict()])


def build_hint_reply() -> Message:
    """A short hint for a mention the interpreter could not read."""
    text = "I didn't catch a change there. " + REFINE_EXAMPLES
    return Message(text=text, blocks=[_section(text).to_dict()])


def build_notice(text: str) -> Message:
    """A plain notice in the thread (e.g. that an edit was applied); text is ours, not a user's."""
    return Message(text=clip(text, 3000), blocks=[_section(text).to_dict()])


def verdict_move(before: Result, after: Result, *, pinned: bool) -> str:
    """How the verdict moved, in one line."""
    if before.verdict == after.verdict and before.headline == after.headline:
        line = (
            f"Verdict: still {after.headline} "
            f"({after.confidence} confidence, score {after.score:+.2f})."
        )
    else:
        line = f"Verdict: {before.headline} → {after.headline} ({after.confidence} confidence)."
    if pinned:
        line += " The pinned message is updated."
    return line


def _titled(heading: str, body: str) -> list[Block]:
    """A heading and its body, the body split across sections of Slack's size."""
    blocks: list[Block] = [DividerBlock(), _section(f"*{heading}*")]
    chunk = ""
    for line in body.split("\n"):
        if len(chunk) + len(line) + 1 > SECTION - 10:
            blocks.append(_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        blocks.append(_section(chunk))
    return blocks


def _messages(blocks: list[Block], fallback: str) -> list[Message]:
    """Blocks packed into as few messages as Slack's block and size limits allow."""
    messages: list[Message] = []
    batch: list[dict[str, Any]] = []
    size = 0
    for block in (b.to_dict() for b in blocks):  # to_dict validates: once per block
        length = len(str(block))
        if batch and (len(batch) >= MAX_BLOCKS or size + length > MAX_CHARS):
            messages.append(Message(text=fallback, blocks=batch))
            batch, size = [], 0
        batch.append(block)
        size += length
    if batch:
        messages.append(Message(text=fallback, blocks=batch))
    return messages


def _section(text: str) -> SectionBlock:
    """A mrkdwn section cut to Slack's limit."""
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION)))
