"""Reading one sentence: explicit `key: value` pairs, uncertainty, durations and phrase rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Final, NamedTuple

from rapidfuzz import fuzz, process

from bot.core.dimensions import BY_KEY, UNSURE
from bot.core.interpret.clauses import SCANNED as CLAUSE_PATTERNS
from bot.core.interpret.clauses import Clauses
from bot.core.interpret.cues import (
    ASKS_ANYWHERE,
    ASKS_OPENING,
    NEGATION_WINDOW,
    NEGATORS,
    TOPICS,
    UNCERTAIN,
)
from bot.core.interpret.durations import (
    DURATION,
    END_DATE,
    HISTORY,
    NOT_A_TERM,
    horizon_for,
    months_of,
    months_until,
)
from bot.core.interpret.openings import Places, Scanner
from bot.core.interpret.rules import RULES, Rule
from bot.core.interpret.scan_tables import stored_tables
from bot.core.interpret.speedups import literal_led


class Finding(NamedTuple):
    """An answer stated in a sentence, where, in which words, and how strongly.

    A named tuple: a reply makes a dozen, and a tuple is built in a third of the time a
    frozen dataclass takes.
    """

    key: str
    value: str
    start: int
    end: int
    words: str
    negated: bool = False
    explicit: bool = False


KEY_ALIASES: Final[dict[str, str]] = {
    **{key: key for key in BY_KEY},
    "for profit": "for_profit",
    "for-profit": "for_profit",
    "forprofit": "for_profit",
}
EXPLICIT: Final = re.compile(
    r"\b(?P<key>"
    + "|".join(sorted((re.escape(k) for k in KEY_ALIASES), key=len, reverse=True))
    + r")\s*(?:[:=]|->|=>)\s*(?P<value>[a-z0-9][a-z0-9 _/\-]*?)\s*(?=$|[,;.!?)\n]|\band\b)"
)
SPACES_AND_DASHES: Final = re.compile(r"[\s\-]+")
UNSURE_WORDS: Final = frozenset(
    {"unsure", "not_sure", "unknown", "tbd", "tbc", "idk", "n/a", "na", "dunno", "not_known"}
)
# What may stand between the words before a duration and the duration itself.
_QUALIFIER: Final = (
    r"\s*(?:about |around |roughly |approximately |approx |at least |up to |another |the next "
    r"|the first |a |an |just |only |maybe |probably |like |a full |a fixed |fixed |full )?$"
)
# The words before a duration that make it a term: in two parts, since the second part's
# `^` would keep the first from opening with literals (see speedups.literal_led).
DURATION_BEFORE: Final = re.compile(
    literal_led(
        r"(?:\bfor|\blasts?|\blasting|\bruns?|\brunning|\bspans?|\bspanning|\bterm (?:of|is)|"
        r"\bduration (?:of|is)|\blength (?:of|is)|\bhorizon (?:of|is)|\bcommit\w* (?:to|for)|"
        r"\bsign\w* (?:up )?for|\bextends? (?:to|for)|\binitial|\bit's|\bit is|\bjust|\bonly|"
        r"\bthat's|\bthis is|\bwe're looking at|\bthinking|\bmore like|\bnow|\bactually|"
        r"\bmake it|\bchange it to|\bextend(?:ed)? (?:it )?to|\bbumped (?:it )?to|\bover|"
        r"\bperiod of|\bterm of)" + _QUALIFIER
    )
)
NOTHING_BEFORE: Final = re.compile(_QUALIFIER)  # matched at the start only
DEAL_AFTER: Final = re.compile(
    r"^(?:\s|-)?(?:\w+[ -]){0,2}?(?:term|deal|contract|agreement|partnership|collaboration|"
    r"pilot|engagement|commitment|program|programme|project|mou|arrangement|relationship|"
    r"initiative|venture|tie-up|campaign|sponsorship|jv|collab|thing|period|run|horizon|"
    r"duration|timeline|trial|residency|sprint|stint|exchange|effort|study)s?\b"
)
NOT_A_DEAL: Final = re.compile(
    r"^\s*(?:anniversary|old|history|track|record|warranty|notice|delay|gap|break|hiatus|wait|"
    r"backlog|streak|low|high|forecast|roadmap|plan|plans|journey|career|veteran|subscription)"
)
LIST_START: Final = re.compile(r"(?:^|[,:;(]|\band\b)\s*$")
LIST_END: Final = re.compile(r"^\s*(?:$|[,;.)]|\band\b)")
NEGATED_DURATION: Final = re.compile(r"\bnot\s*$")
FEW_RULES: Final = 3
TOKEN: Final = re.compile(r"[a-z0-9&]+")
TOKEN_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789&")
PERSONAL: Final = re.compile(r"\bi(?:'m| am)\b")
END_CONTEXT: Final = re.compile(
    r"\b(?:runs?|running|lasts?|lasting|goes|going|ends?|ending|wraps?|expires?|continues?|"
    r"term|deal|contract|agreement|pilot|project|partnership|collaboration|mou|it|this|"
    r"arrangement|relationship|campaign|program|programme|engagement|only|just|closes?|"
    r"finishes|done|over)\b"
)


def rules_for(text: str) -> list[Rule]:
    """The rules whose trigger words occur in the text, in table order.

    Single-word triggers match the start of a word (looked up by their first three letters);
    the few phrase triggers are searched as substrings.
    """
    hit: set[int] = set()
    for word in TOKEN.findall(text):
        for trigger, indexes in WORD_TRIGGERS.get(word[:3], ()):
            if word.startswith(trigger):
                hit.update(indexes)
    for trigger, indexes in PHRASE_TRIGGERS:
        if trigger in text:
            hit.update(indexes)
    return [RULES[index] for index in sorted(hit)]


def _triggered(index: int, text: str) -> bool:
    """Whether the text triggers one rule, as `RULES[index] in rules_for(text)` says."""
    words, phrases = RULE_TRIGGERS[index]
    for trigger in words:
        start = text.find(trigger)
        while start > 0 and text[start - 1] in TOKEN_CHARS:  # not at the start of a word
            start = text.find(trigger, start + 1)
        if start >= 0:
            return True
    return any(trigger in text for trigger in phrases)


def _trigger_tables() -> tuple[
    dict[str, list[tuple[str, tuple[int, ...]]]], list[tuple[str, tuple[int, ...]]]
]:
    """Index every rule trigger: word prefixes by their first three letters, and phrases."""
    words: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
    phrases: list[tuple[str, tuple[int, ...]]] = []
    for trigger in sorted({trigger for rule in RULES for trigger in rule.triggers}):
        indexes = tuple(i for i, rule in enumerate(RULES) if trigger in rule.triggers)
        if len(trigger) >= 3 and TOKEN.fullmatch(trigger):
            words.setdefault(trigger[:3], []).append((trigger, indexes))
        else:
            phrases.append((trigger, indexes))
    return words, phrases


def read_sentence(sentence: str, today: date, message: str | None = None) -> list[Finding]:
    """Every answer a sentence states, overlaps resolved in favour of the longer phrase.

    A phrase rule counts where it is triggered (see rules_for): by the sentence itself or,
    when the whole `message` the sentence comes from triggers only a few rules, by those.
    """
    return read_scanned(scan(sentence), today, message)


def scan(sentence: str) -> Places:
    """Where each pattern the reader runs can match in a sentence, found in one pass."""
    return SCANNER.places(sentence)


def asks(places: Places) -> bool:
    """Whether a scanned sentence asks rather than tells, as `sentences(text, ASKS)` says."""
    sentence = places.text
    return (
        sentence.endswith("?")
        or ASKS_OPENING.match(sentence) is not None
        or places.search(ASKS_ANYWHERE, 0, len(sentence)) is not None
    )


def read_scanned(
    places: Places, today: date, message: str | None = None, key: str | None = None
) -> list[Finding]:
    """What read_sentence finds, in a sentence already scanned; with `key`, only what it
    finds for that question (the others are not looked for).

    Overlaps are resolved within one question, so leaving the others out changes nothing.
    """
    sentence = places.text
    possible = places.possible
    clauses = Clauses(places)
    masked: list[tuple[int, int]] = []
    findings = _explicit(places, masked, today) if AT_EXPLICIT in possible else []
    doubts = (
        [(m.start(), m.end()) for m in places.matches(UNCERTAIN)]
        if AT_UNCERTAIN in possible
        else []
    )
    if doubts:
        findings += _uncertain(places, clauses, doubts)
    if (key is None or key == "horizon") and (AT_DURATION in possible or AT_END_DATE in possible):
        findings += _durations(places, clauses, today)
    if key is not None:
        findings = [finding for finding in findings if finding.key == key]
    # The rules are the scanner's first patterns, so their indexes are the rules'.
    for index, matches in places.found(len(RULES), None if key is None else RULES_BY_KEY[key]):
        if not _runs(index, sentence, message):
            continue
        rule = RULES[index]
        for match in matches:
            if masked and _inside(match.start(), match.end(), masked):
                continue
            if rule.key == "competitors" and PERSONAL.search(sentence):
                continue
            findings.append(_finding(rule, match, places, clauses, doubts))
    return _without_overlaps(findings)


def _runs(index: int, sentence: str, message: str | None) -> bool:
    """Whether a rule that matches the sentence counts: the sentence or the message triggers it.

    Asked only of rules that match, which is cheaper than finding every triggered rule. A
    trigger in the sentence is one in the message as well, so the message's rules are needed
    only for a match without a trigger of its own, which the triggers are chosen to rule out.
    """
    if _triggered(index, sentence):
        return True
    if message is None:
        return False
    triggered = rules_for(message)
    return len(triggered) <= FEW_RULES and RULES[index] in triggered


def _explicit(places: Places, masked: list[tuple[int, int]], today: date) -> list[Finding]:
    """`key: value` and `key=value` pairs; the value may also be a phrase for that key."""
    found = []
    for match in places.matches(EXPLICIT):
        key = KEY_ALIASES[match.group("key")]
        value = _explicit_value(key, places, match.span("value"), today)
        if value is None:
            continue
        masked.append((match.start(), match.end()))
        found.append(Finding(key, value, match.start(), match.end(), match.group(), explicit=True))
    return found


def _explicit_value(key: str, places: Places, span: tuple[int, int], today: date) -> str | None:
    """A value given after `key:` (at `span` in the scanned sentence), in the vocabulary,
    near it, or as a phrase."""
    start, end = span
    raw = places.text[start:end]
    word = SPACES_AND_DASHES.sub("_", raw.strip())
    values = BY_KEY[key].values
    if word in values:
        return word
    if word in UNSURE_WORDS:
        return UNSURE
    best = process.extractOne(word, (*values, UNSURE), scorer=fuzz.ratio, score_cutoff=80)
    if best is not None:
        return str(best[0])
    # The value runs on to the end of the clause, often of the sentence: its places are the
    # sentence's, not found by scanning it again. It starts a word after `:`, `=`, `>` or a
    # space, as Places.within needs.
    phrased = [f for f in read_scanned(places.within(start, end), today, key=key) if not f.negated]
    return phrased[-1].value if phrased else None


def _uncertain(places: Places, clauses: Clauses, doubts: list[tuple[int, int]]) -> list[Finding]:
    """`unsure` for the topic nearest to each expression of doubt, within its clause."""
    sentence = places.text
    found = []
    possible = places.possible
    named = [(key, topic) for key, topic, at in TOPICS_AT if at in possible] if doubts else []
    for start, end in doubts:
        topics = _topics(places, named, clauses.start(start), clauses.end(end))
        if topics:
            topics = [min(topics, key=lambda t: t[1] - end if t[1] >= end else start - t[2])]
        else:
            # "Unsure about a lot: the law, the term..." lists its topics after the doubt;
            # "probably a contract, but not sure" names its topic before it.
            topics = (
                _topics(places, named, end, len(sentence)) or _topics(places, named, 0, start)[-1:]
            )
        for key, topic_start, topic_end in topics:
            first, last = min(start, topic_start), max(end, topic_end)
            found.append(Finding(key, UNSURE, first, last, sentence[first:last]))
    return found


def _topics(
    places: Places, named: list[tuple[str, re.Pattern[str]]], start: int, stop: int
) -> list[tuple[str, int, int]]:
    """The question topics named between two positions, in order, one per question.

    `named` are the TOPICS that may match somewhere in the sentence; the others cannot.
    """
    found: dict[str, tuple[str, int, int]] = {}
    for key, topic in named:
        match = places.search(topic, start, stop)
        if match is not None:
            found[key] = (key, match.start(), match.end())
    return sorted(found.values(), key=lambda t: t[1])


def _durations(places: Places, clauses: Clauses, today: date) -> list[Finding]:
    """Terms given as lengths ("a 3-year deal") or end dates ("through Q3")."""
    sentence = places.text
    found = []
    for match in places.matches(DURATION):
        before = sentence[max(0, match.start() - 30) : match.start()]
        after = sentence[match.end() : match.end() + 40]
        hyphenated = (
            "-" in match.group() and not match.group("tail") and not NOT_A_DEAL.match(after)
        )
        if match.group("tail") and "old" in match.group("tail"):
            continue
        if NOT_A_TERM.search(before) or (
            not hyphenated
            and HISTORY.search(sentence[clauses.start(match.start()) : clauses.end(match.end())])
        ):
            continue
        if NEGATED_DURATION.search(before):
            continue
        listed = LIST_START.search(before) and LIST_END.match(after)
        if not (
            hyphenated
            or listed
            or DURATION_BEFORE.search(before)
            or NOTHING_BEFORE.match(before)
            or DEAL_AFTER.match(after)
        ):
            continue
        months = months_of(match)
        if months is not None:
            found.append(
                Finding("horizon", horizon_for(months), match.start(), match.end(), match.group())
            )
    for match in places.matches(END_DATE):
        context = sentence[clauses.start(match.start()) : match.start()]
        if not (END_CONTEXT.search(context) or not context.strip() or len(sentence.split()) <= 6):
            continue
        months = months_until(match, today)
        if months is not None and months > 0:
            found.append(
                Finding("horizon", horizon_for(months), match.start(), match.end(), match.group())
            )
    return found


def _finding(
    rule: Rule,
    match: re.Match[str],
    places: Places,
    clauses: Clauses,
    doubts: list[tuple[int, int]],
) -> Finding:
    """A rule's match, negated when a negator stands before it in the same clause."""
    sentence = places.text
    start, end = match.start(), match.end()
    if rule.negatable and _negator_near(places, start, end):
        window = max(clauses.start(start), start - NEGATION_WINDOW)
        for negator in places.matches(NEGATORS, window, end):
            if negator.start() != start and not _inside(negator.start(), negator.end(), doubts):
                return Finding(
                    rule.key, rule.value, start, end, sentence[negator.start() : end], True
                )
    return Finding(rule.key, rule.value, start, end, match.group())


def _negator_near(places: Places, start: int, end: int) -> bool:
    """Whether a negator may start within NEGATION_WINDOW before a match, or inside it after
    its first character: if not, no clause can hold one (saves finding the clauses)."""
    starts = places.starts(NEGATORS)
    if starts is None:
        return True
    first = start - NEGATION_WINDOW
    return any(first <= at < end and at != start for at in starts)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop findings inside a longer one for the same question; explicit pairs and doubts stay."""
    if len(findings) < 2:  # most sentences: nothing to compare
        return list(findings)
    if len({f.key for f in findings}) == len(findings):
        # One finding per question: none is dropped, and one sort gives the order of the two
        # below (by start, then explicit and doubt first, then longest).
        return sorted(findings, key=_placed)
    ordered = sorted(findings, key=_ranked)
    kept: list[Finding] = []
    for finding in ordered:
        if finding.explicit or finding.value == UNSURE:
            kept.append(finding)
            continue
        if not any(
            other.key == finding.key
            and other.value != UNSURE
            and finding.start < other.end
            and other.start < finding.end
            for other in kept
        ):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def _ranked(finding: Finding) -> tuple[int, int]:
    """Sort key: explicit pairs and doubts first, then the longest."""
    return -(finding.explicit or finding.value == UNSURE), finding.start - finding.end


def _placed(finding: Finding) -> tuple[int, int, int]:
    """Sort key: by start, then as _ranked."""
    return (
        finding.start,
        -(finding.explicit or finding.value == UNSURE),
        finding.start - finding.end,
    )


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any span."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


RULES_BY_KEY: Final[dict[str, tuple[int, ...]]] = {
    key: tuple(index for index, rule in enumerate(RULES) if rule.key == key) for key in BY_KEY
}
WORD_TRIGGERS, PHRASE_TRIGGERS = _trigger_tables()
# Each rule's word triggers and phrase triggers, as rules_for tells them apart.
RULE_TRIGGERS: Final[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = tuple(
    (
        tuple(t for t in rule.triggers if len(t) >= 3 and TOKEN.fullmatch(t)),
        tuple(t for t in rule.triggers if not (len(t) >= 3 and TOKEN.fullmatch(t))),
    )
    for rule in RULES
)
# Every pattern read_sentence runs, found in one scan of the sentence (its tables stored).
SCAN_PATTERNS: Final = (
    *(rule.pattern for rule in RULES),
    UNCERTAIN,
    DURATION,
    END_DATE,
    EXPLICIT,
    NEGATORS,
    *(topic for _, topic in TOPICS),
    ASKS_ANYWHERE,
    *CLAUSE_PATTERNS,
)
SCANNER: Final = Scanner(SCAN_PATTERNS, stored_tables(SCAN_PATTERNS))
# Where some of them are among the scanner's patterns.
AT_EXPLICIT: Final = SCANNER.indexes[id(EXPLICIT)]
AT_UNCERTAIN: Final = SCANNER.indexes[id(UNCERTAIN)]
AT_DURATION: Final = SCANNER.indexes[id(DURATION)]
AT_END_DATE: Final = SCANNER.indexes[id(END_DATE)]
# The TOPICS with their places among the scanner's patterns.
TOPICS_AT: Final[tuple[tuple[str, re.Pattern[str], int], ...]] = tuple(
    (key, topic, SCANNER.indexes[id(topic)]) for key, topic in TOPICS
)
