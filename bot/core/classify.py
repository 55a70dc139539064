"""classify(answers) -> result: every verdict rule of DOMAIN.md, pure and deterministic."""

from __future__ import annotations

from functools import cache
from typing import Final

from bot.core.dimensions import BY_KEY, SCORED_KEYS, UNSURE
from bot.core.flips import find_flips, open_questions
from bot.core.models import Answers, Confidence, Kind, Reason, Result, trusted
from bot.core.obligations import find_obligations
from bot.core.scoring import LEANS, SCORED_VALUES, WEIGHT2, tally
from bot.core.warnings import find_warnings, legal_notice
from bot.core.wording import DEFINITIONS, HIMMELMAN_NOTES, PROMPTS, headline


def classify(answers: Answers) -> Result:
    """Decide partnership, collaboration, mixed or undetermined, and everything that follows."""
    counted = tally(answers)
    verdict = counted.verdict()
    leaning = counted.leaning()
    open_keys = tuple(open_questions(answers))
    reasons = rank_reasons(answers, leaning)
    # Which answers pull each way; only a mixed verdict's checklist names them.
    pulls: tuple[tuple[str, ...], tuple[str, ...]] = (
        (
            tuple(r.dimension for r in reasons if r.toward == "partnership"),
            tuple(r.dimension for r in reasons if r.toward == "collaboration"),
        )
        if verdict == "mixed"
        else ((), ())
    )
    warnings = find_warnings(answers, verdict, open_keys)
    legal_risk = verdict != "partnership" and any(
        w.code == "legal_partnership_risk" for w in warnings
    )
    confidence: Confidence = "low" if legal_risk else counted.confidence()
    position = counted.himmelman()
    # Every value below is already of its field's type: validating again would only cost.
    return trusted(
        Result,
        {
            "verdict": verdict,
            "leaning": leaning,
            "score": round(counted.score, 4),
            "confidence": confidence,
            "headline": headline(
                verdict, leaning, qualified=legal_risk and verdict != "undetermined"
            ),
            "answers": answers,
            "answered": counted.answered,
            "open_questions": open_keys,
            "reasons": reasons,
            "flips": find_flips(SCORED_VALUES(answers), counted, verdict, open_keys),
            "himmelman": position,
            "himmelman_note": HIMMELMAN_NOTES[position] if position else None,
            "definitions": DEFINITIONS,
            "obligations": find_obligations(answers, verdict, leaning, open_keys, pulls),
            "warnings": warnings,
            "legal_notice": legal_notice(warnings),
            "prompts": PROMPTS,
        },
    )


def rank_reasons(answers: Answers, leaning: Kind | None) -> tuple[Reason, ...]:
    """Answers that drive the result, strongest first, then those pulling the other way."""
    ranked = RANKED[leaning or "partnership"]
    found = [
        ranked[key, value]
        for key in SCORED_KEYS
        if (value := getattr(answers, key)) not in (None, UNSURE) and LEANS[key][value] != 0
    ]
    found.sort()  # by rank; no two reasons share one
    return tuple(reason for _, reason in found)


@cache
def reason_for(key: str, value: str) -> Reason:
    """The reason an answer gives, built once per answer."""
    lean = LEANS[key][value]
    return Reason(
        dimension=key,
        value=value,
        lean=lean,
        weighted=WEIGHT2[key] * lean / 2,
        toward="partnership" if lean > 0 else "collaboration" if lean < 0 else None,
        text=BY_KEY[key].choice(value).reason,
    )


def _ranked(ahead: Kind) -> dict[tuple[str, str], tuple[tuple[bool, float, int], Reason]]:
    """Every reason with its rank when `ahead` leads: its own side first, then the heaviest
    pull, then table order."""
    return {
        (key, value): (
            ((reason := reason_for(key, value)).toward != ahead, -abs(reason.weighted), order),
            reason,
        )
        for order, key in enumerate(SCORED_KEYS)
        for value, lean in LEANS[key].items()
        if lean != 0
    }


RANKED: Final[dict[Kind, dict[tuple[str, str], tuple[tuple[bool, float, int], Reason]]]] = {
    "partnership": _ranked("partnership"),
    "collaboration": _ranked("collaboration"),
}
