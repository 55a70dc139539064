"""Exact score arithmetic: weights doubled to integers so thresholds compare without rounding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Final, NamedTuple

from bot.core.dimensions import SCORED, SCORED_KEYS, SUBSTANCE_KEYS, UNSURE
from bot.core.models import Confidence, Himmelman, Kind, Verdict

# Twice DOMAIN.md's weights, so every sum is an integer: resources 2 -> 4, authority 0.5 -> 1.
WEIGHT2: Final[dict[str, int]] = {q.key: round(q.weight * 2) for q in SCORED}
LEANS: Final[dict[str, dict[str, int]]] = {
    q.key: {c.value: c.lean for c in q.choices} for q in SCORED
}
# The answers to the scored questions, in table order, read in one call.
SCORED_VALUES: Final = attrgetter(*SCORED_KEYS)
MIN_ANSWERED: Final = 5
MIN_SUBSTANCE: Final = 2


@dataclass(frozen=True, slots=True)
class Tally:
    """Weighted lean total `lean` over answered weight `weight`; score = lean / (2 * weight)."""

    lean: int
    weight: int
    answered: int
    substance: int

    @property
    def score(self) -> float:
        """The score in [-1, +1]; 0 when nothing is answered."""
        return self.lean / (2 * self.weight) if self.weight else 0.0

    @property
    def determined(self) -> bool:
        """Enough answers, and enough of the substance, to decide."""
        return self.answered >= MIN_ANSWERED and self.substance >= MIN_SUBSTANCE

    def kind(self) -> Verdict:
        """The verdict, assuming enough answers: thresholds at score +/-0.25."""
        return kind_of(self.lean, self.weight)

    def verdict(self) -> Verdict:
        """The verdict of DOMAIN.md."""
        return self.kind() if self.determined else "undetermined"

    def leaning(self) -> Kind | None:
        """Which way the score leans; None when even or undetermined."""
        if not self.determined or self.lean == 0:
            return None
        return "partnership" if self.lean > 0 else "collaboration"

    def confidence(self) -> Confidence:
        """High, medium or low, before the legal-risk cap."""
        magnitude = abs(self.lean)
        if not self.determined:
            return "low"
        if magnitude >= self.weight and self.answered >= 7:
            return "high"
        if 10 * magnitude < 7 * self.weight or self.answered < 6:
            return "low"
        return "medium"

    def himmelman(self) -> Himmelman | None:
        """The position on Himmelman's continuum; None when undetermined."""
        if not self.determined:
            return None
        if 5 * self.lean <= -6 * self.weight:
            return "coordinating"
        if 2 * self.lean >= self.weight:
            return "collaborating"
        return "cooperating"


def kind_of(lean: int, weight: int) -> Verdict:
    """The verdict of a lean total over an answered weight: thresholds at score +/-0.25."""
    if 2 * lean >= weight:
        return "partnership"
    if 2 * lean <= -weight:
        return "collaboration"
    return "mixed"


class Assessment(NamedTuple):
    """A tally and all that follows from it alone."""

    tally: Tally
    verdict: Verdict
    leaning: Kind | None
    confidence: Confidence  # before the legal-risk cap
    himmelman: Himmelman | None
    score: float  # rounded to four places, as results show it


def assess(scored: tuple[str | None, ...]) -> tuple[Assessment, tuple[str, ...]]:
    """Tally the weighted leans of the concretely answered dimensions, judge the tally and
    name the open questions (`scored`: the answers to the scored questions, in table order).

    Open questions are those unanswered or unsure, most decisive first: heaviest, then
    table order.
    """
    packed = sum(map(dict.__getitem__, PACKED, scored))
    return _assessed(packed & TALLY_BITS), OPEN_KEYS[packed >> OPEN_SHIFT]


@cache
def _assessed(packed: int) -> Assessment:
    """The assessment of one packed tally (see PACKED), built once: all answer sets make
    2,511 distinct tallies."""
    answered = packed >> ANSWERED_SHIFT & FIELD
    counted = Tally(
        lean=(packed & FIELD) - LEAN_BIAS * answered,
        weight=packed >> WEIGHT_SHIFT & FIELD,
        answered=answered,
        substance=packed >> SUBSTANCE_SHIFT,
    )
    return Assessment(
        counted,
        counted.verdict(),
        counted.leaning(),
        counted.confidence(),
        counted.himmelman(),
        round(counted.score, 4),
    )


# What each answer adds to the tally, packed into one integer so that one C-level sum adds
# up all four counts and the open questions: the weighted lean plus LEAN_BIAS (never
# negative) in bits 0-7, the weight in bits 8-15, one answer in bits 16-23, one substance
# answer in bits 24-31 and, for no answer or `unsure`, the question's own bit from bit 32
# (its place in table order). With nine questions no field can carry into the next
# (checked below).
FIELD: Final = 0xFF
WEIGHT_SHIFT: Final = 8
ANSWERED_SHIFT: Final = 16
SUBSTANCE_SHIFT: Final = 24
OPEN_SHIFT: Final = 32
TALLY_BITS: Final = (1 << OPEN_SHIFT) - 1
LEAN_BIAS: Final = max(WEIGHT2[key] * abs(lean) for key in LEANS for lean in LEANS[key].values())
if len(SCORED_KEYS) * max(2 * LEAN_BIAS, *WEIGHT2.values()) > FIELD:
    raise ValueError("a packed tally field would carry into the next")
# For each scored question in table order, the packed counts of each answer; no answer and
# `unsure` add only the question's open bit.
PACKED: Final[tuple[dict[str | None, int], ...]] = tuple(
    {
        None: 1 << (OPEN_SHIFT + order),
        UNSURE: 1 << (OPEN_SHIFT + order),
        **{
            value: (
                w * lean
                + LEAN_BIAS
                + (w << WEIGHT_SHIFT)
                + (1 << ANSWERED_SHIFT)
                + (int(key in SUBSTANCE_KEYS) << SUBSTANCE_SHIFT)
            )
            for value, lean in LEANS[key].items()
        },
    }
    for order, (key, w) in enumerate(WEIGHT2.items())
)
DECISIVE_ORDER: Final[tuple[str, ...]] = tuple(
    sorted(SCORED_KEYS, key=lambda key: (-WEIGHT2[key], SCORED_KEYS.index(key)))
)
# The open questions, most decisive first, for each set of open bits (512 with nine).
OPEN_KEYS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(key for key in DECISIVE_ORDER if bits >> SCORED_KEYS.index(key) & 1)
    for bits in range(1 << len(SCORED_KEYS))
)
