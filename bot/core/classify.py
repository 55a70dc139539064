"""classify(answers) -> result: every verdict rule of DOMAIN.md, pure and deterministic."""

from __future__ import annotations

from functools import cache
from operator import itemgetter
from typing import Final

from bot.core.dimensions import BY_KEY, SCORED_KEYS
from bot.core.flips import find_flips
from bot.core.models import Answers, Kind, Reason, Result, trusted
from bot.core.obligations import find_obligations
from bot.core.scoring import LEANS, SCORED_VALUES, WEIGHT2, assess
from bot.core.warnings import find_warnings
from bot.core.wording import DEFINITIONS, HIMMELMAN_NOTES, PROMPTS, headline


def classify(answers: Answers) -> Result:
    """Decide partnership, collaboration, mixed or undetermined, and everything that follows."""
    scored = SCORED_VALUES(answers)
    (counted, verdict, leaning, confidence, position, score), open_keys = assess(scored)
    reasons = rank_reasons(scored, leaning)
    # Which answers pull each way; only a mixed verdict's checklist names them.
    pulls: tuple[tuple[str, ...], tuple[str, ...]] = (
        (
            tuple(r.dimension for r in reasons if r.toward == "partnership"),
            tuple(r.dimension for r in reasons if r.toward == "collaboration"),
        )
        if verdict == "mixed"
        else ((), ())
    )
    warnings, notice, partnership_risk = find_warnings(answers, verdict, open_keys)
    legal_risk = partnership_risk and verdict != "partnership"
    # Every value below is already of its field's type: validating again would only cost.
    return trusted(
        Result,
        {
            "verdict": verdict,
            "leaning": leaning,
            "score": score,
            "confidence": "low" if legal_risk else confidence,
            "headline": headline(
                verdict, leaning, qualified=legal_risk and verdict != "undetermined"
            ),
            "answers": answers,
            "answered": counted.answered,
            "open_questions": open_keys,
            "reasons": reasons,
            "flips": find_flips(scored, counted, verdict, open_keys),
            "himmelman": position,
            "himmelman_note": HIMMELMAN_NOTES[position] if position else None,
            "definitions": DEFINITIONS,
            "obligations": find_obligations(answers, verdict, leaning, open_keys, pulls),
            "warnings": warnings,
            "legal_notice": notice,
            "prompts": PROMPTS,
        },
    )


def rank_reasons(scored: tuple[str | None, ...], leaning: Kind | None) -> tuple[Reason, ...]:
    """Answers that drive the result, strongest first, then those pulling the other way.

    `scored` are the answers to the scored questions, in table order.
    """
    found = list(filter(None, map(dict.get, RANKED[leaning or "partnership"], scored)))
    found.sort()  # by rank; no two reasons share one
    return tuple(map(_second, found))


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


def _ranked(ahead: Kind) -> tuple[dict[str | None, tuple[int, Reason]], ...]:
    """For each scored question in table order, the reason each answer gives with its rank
    when `ahead` leads: its own side first, then the heaviest pull, then table order.

    Answers that lean neither way give no reason; nor do `unsure` and no answer.
    """
    reasons = [
        reason_for(key, value)
        for key in SCORED_KEYS
        for value, lean in LEANS[key].items()
        if lean != 0
    ]
    ordered = sorted(
        reasons,
        key=lambda r: (r.toward != ahead, -abs(r.weighted), SCORED_KEYS.index(r.dimension)),
    )
    rank = {(r.dimension, r.value): place for place, r in enumerate(ordered)}
    return tuple(
        {
            value: (rank[key, value], reason_for(key, value))
            for value, lean in LEANS[key].items()
            if lean != 0
        }
        for key in SCORED_KEYS
    )


_second: Final = itemgetter(1)
RANKED: Final[dict[Kind, tuple[dict[str | None, tuple[int, Reason]], ...]]] = {
    "partnership": _ranked("partnership"),
    "collaboration": _ranked("collaboration"),
}
