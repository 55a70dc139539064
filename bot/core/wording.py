"""Fixed user-facing text of the core: definitions, prompts, notices and headlines."""

from __future__ import annotations

from typing import Final

from bot.core.models import Confidence, Definitions, Himmelman, Kind, Verdict

DEFINITIONS: Final = Definitions(
    partnership=(
        "Partnership: a long-term, formal arrangement around a shared goal, where roles and "
        "obligations are set up front, resources are combined and run as equals, and each "
        "side gains in proportion to what it puts in or risks."
    ),
    collaboration=(
        "Collaboration: a shorter, flexible arrangement around overlapping interests, where "
        "each side keeps its own resources and decisions, roles settle as the work goes, and "
        "everyone gains access to what is made or exchanged."
    ),
    himmelman=(
        "Careful: on Himmelman's continuum (networking, coordinating, cooperating, "
        "collaborating) and in Wilder Research's usage, “collaborating” is the deepest level, "
        "which is what this bot calls a partnership."
    ),
)

HIMMELMAN_NOTES: Final[dict[Himmelman, str]] = {
    "coordinating": "On Himmelman's continuum this sits at coordinating.",
    "cooperating": "On Himmelman's continuum this sits at cooperating.",
    "collaborating": (
        "On Himmelman's continuum this is collaborating, his word for what we call a partnership."
    ),
}

PROMPTS: Final[tuple[str, ...]] = (
    "Values: does this relationship reflect what your organization stands for?",
    "Stakeholders: who relies on you, and how will they see this relationship?",
    "Your field: what do you know about the other side's standing and track record?",
    "Reputation: are you ready to be publicly linked with the other side?",
    "Value: does the relationship strengthen what you deliver every day?",
)

LEGAL_NOTICE: Final = (
    "This is general information, not legal advice: the statutes cited are {places} law. "
    "Have a lawyer who knows your jurisdiction review the deal."
)

KIND_NAMES: Final[dict[Kind, str]] = {
    "partnership": "Partnership",
    "collaboration": "Collaboration",
}


def headline(verdict: Verdict, leaning: Kind | None, *, qualified: bool) -> str:
    """The verdict as a short headline, qualified when the law may see it otherwise."""
    if verdict == "undetermined":
        return "Not enough answers yet"
    if verdict == "mixed":
        text = f"Mixed, leaning {leaning}" if leaning else "Mixed, evenly balanced"
    else:
        text = KIND_NAMES[verdict]
    if qualified:
        text += ", but the law may see a partnership"
    return text


def confidence_phrase(confidence: Confidence) -> str:
    """The confidence as people say it."""
    return f"{confidence} confidence"


METER_STOPS = 9


def meter(score: float) -> str:
    """Where the score sits between collaboration and partnership, as plain text."""
    position = round((score + 1) / 2 * (METER_STOPS - 1))
    dots = ["○"] * METER_STOPS
    dots[max(0, min(METER_STOPS - 1, position))] = "●"
    return "Collaboration " + "─".join(dots) + " Partnership"
