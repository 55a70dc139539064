"""interpret(text, answers, today) -> changes: free text to answer changes, precision first."""

from __future__ import annotations

from datetime import date
from typing import Final

from bot.core.dimensions import BY_KEY, UNSURE, collaboration_end
from bot.core.interpret.cues import UNDO
from bot.core.interpret.reader import Finding, asks, read_scanned, scan
from bot.core.interpret.scope import about_this_deal_now, elsewhere, without_quotes
from bot.core.interpret.text import Speller, normalize, sentence_texts
from bot.core.interpret.vocabulary import KEEP, VOCABULARY
from bot.core.models import Answers, Evidence, Interpretation, trusted

SPELLER: Final = Speller(VOCABULARY, KEEP)
# Two plain statements that read as one answer together ("a joint group advises, but each
# side decides" is advisory).
COMBINED: Final[dict[str, tuple[frozenset[str], str]]] = {
    "decisions": (frozenset({"advisory", "independent"}), "advisory"),
    "resources": (frozenset({"in_kind", "separate"}), "in_kind"),
}
KEY_ORDER: Final[dict[str, int]] = {key: index for index, key in enumerate(BY_KEY)}
NEGATED_CONTEXT: Final[dict[tuple[str, str], str]] = {
    ("competitors", "yes"): "no",
    ("for_profit", "yes"): "no",
}


def interpret(text: str, answers: Answers, today: date) -> Interpretation:
    """What a message says about the answers: changes to apply, or what-ifs to answer."""
    clean = normalize(text)
    if not clean:
        return Interpretation(intent="chatter")
    if UNDO.match(clean):
        return Interpretation(intent="undo")
    stated: list[Finding] = []
    asked: list[Finding] = []
    corrected = without_quotes(SPELLER.correct(clean))
    off_topic = elsewhere(corrected)
    for sentence in sentence_texts(corrected):
        places = scan(sentence)
        if asks(places):
            asked.extend(read_scanned(places, today, corrected))
        elif off_topic:
            continue
        elif about_this_deal_now(sentence):
            stated.extend(read_scanned(places, today, corrected))
        else:  # the past, others, plans: only a stated doubt about this deal counts
            stated.extend(f for f in read_scanned(places, today, corrected) if f.value == UNSURE)
    changes = _changes(_resolve(stated), answers)
    hypothetical = _changes(_resolve(asked), answers)
    intent = "change" if changes else "question" if hypothetical else "chatter"
    # Every value is already of its field's type: validating again would only cost.
    return trusted(
        Interpretation, {"intent": intent, "changes": changes, "hypothetical": hypothetical}
    )


def _resolve(findings: list[Finding]) -> dict[str, Finding]:
    """One value per question, in table order: explicit first, then doubt, then the last
    plain statement."""
    if not findings:  # most replies ask nothing
        return {}
    by_key: dict[str, list[Finding]] = {}
    for finding in findings:
        by_key.setdefault(finding.key, []).append(finding)
    chosen: dict[str, Finding] = {}
    for key in sorted(by_key, key=KEY_ORDER.__getitem__):
        mine = by_key[key]
        if len(mine) == 1 and not mine[0].negated:  # the common case: one plain statement
            chosen[key] = mine[0]
            continue
        group = (
            [f for f in mine if f.explicit]
            or [f for f in mine if f.value == UNSURE]
            or [f for f in mine if not f.negated]
        )
        if group:
            chosen[key] = _combined(key, group)
        else:
            flipped = _negated_value(mine[-1])
            if flipped is not None:
                chosen[key] = flipped
    return chosen


def _combined(key: str, group: list[Finding]) -> Finding:
    """The last statement, unless two statements combine into one answer."""
    pair = COMBINED.get(key)
    if pair is not None and pair[0] <= {f.value for f in group}:
        return next(f for f in reversed(group) if f.value == pair[1])
    return group[-1]


def _negated_value(finding: Finding) -> Finding | None:
    """DOMAIN.md: a negated value becomes its dimension's collaboration end, if that differs."""
    question = BY_KEY[finding.key]
    if question.scored:
        value = collaboration_end(finding.key)
    else:
        context = NEGATED_CONTEXT.get((finding.key, finding.value))
        if context is None:
            return None
        value = context
    if value == finding.value:
        return None
    return Finding(finding.key, value, finding.start, finding.end, finding.words, negated=True)


def _changes(chosen: dict[str, Finding], answers: Answers) -> tuple[Evidence, ...]:
    """The findings that differ from the current answers, in table order."""
    return tuple(
        trusted(Evidence, {"dimension": key, "old": old, "new": found.value, "words": found.words})
        for key, found in chosen.items()
        if (old := getattr(answers, key)) != found.value
    )
