"""A verdict as a person wants to read it in a terminal."""

from __future__ import annotations

import textwrap

from bot.core.dimensions import BY_KEY
from bot.core.models import ChangeFlip, Evidence, Result
from bot.core.wording import confidence_phrase, meter

WIDTH = 88


def render_result(result: Result, applied: list[Evidence]) -> str:
    """The verdict, why, what would change it, warnings, obligations and prompts."""
    lines: list[str] = []
    title = result.answers.title or "This relationship"
    lines.append(f"{result.headline}: {title}")
    if result.verdict != "undetermined":
        lines.append(
            f"{confidence_phrase(result.confidence)}, score {result.score:+.2f}, "
            f"{result.answered} of 9 questions answered"
        )
        lines.append(meter(result.score))
    if applied:
        lines += ["", "Read from your text:"]
        lines += [
            f"  {BY_KEY[c.dimension].key}: {BY_KEY[c.dimension].label(c.old)} -> "
            f"{BY_KEY[c.dimension].label(c.new)}   (“{c.words}”)"
            for c in applied
        ]
    if result.reasons:
        lines += ["", "Why:"]
        lines += [f"  {r.text} (toward {r.toward})" for r in result.reasons]
    lines += _flip_lines(result)
    lines += _warning_lines(result)
    if result.obligations:
        lines += ["", "Obligations:"]
        lines += [f"  [ ] {item.text}" for item in result.obligations]
    lines += ["", "Before you commit:"]
    lines += [f"  - {prompt}" for prompt in result.prompts]
    lines += ["", "What the words mean here:"]
    for definition in (
        result.definitions.partnership,
        result.definitions.collaboration,
        result.definitions.himmelman,
    ):
        lines += _wrap(definition, "  ")
    if result.himmelman_note:
        lines += _wrap(result.himmelman_note, "  ")
    return "\n".join(lines) + "\n"


def _flip_lines(result: Result) -> list[str]:
    """What would change the verdict, or the questions that would settle it."""
    if not result.flips:
        return []
    lines = ["", "What would change it:" if result.verdict != "undetermined" else "Answer:"]
    for flip in result.flips:
        if isinstance(flip, ChangeFlip):
            moves = ", ".join(
                f"{c.dimension} -> {BY_KEY[c.dimension].label(c.new)}" for c in flip.changes
            )
            lines.append(f"  {moves}  =>  {flip.verdict}")
        else:
            lines.append(f"  {flip.question}")
    return lines


def _warning_lines(result: Result) -> list[str]:
    """Every warning in full, then the one legal notice."""
    if not result.warnings:
        return []
    lines = ["", "Warnings:"]
    for warning in result.warnings:
        lines.append(f"  ! {warning.title}")
        lines += _wrap(warning.text, "    ")
    if result.legal_notice:
        lines += _wrap(result.legal_notice, "  ")
    return lines


def _wrap(text: str, indent: str) -> list[str]:
    """Text wrapped to the terminal width with a hanging indent."""
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent)
