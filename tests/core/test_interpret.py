"""interpret(): explicit pairs, negation, durations, doubt, questions, chatter, undo, corpora."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from bot.core.dimensions import QUESTIONS
from bot.core.interpret import interpret
from bot.core.interpret import text as text_module
from bot.core.interpret.clauses import Clauses
from bot.core.interpret.cues import ASKS
from bot.core.interpret.interpret import SPELLER
from bot.core.interpret.reader import SCANNER, rules_for, scan
from bot.core.interpret.rules import RULES
from bot.core.interpret.speedups import literal_led
from bot.core.interpret.text import (
    SUBSTITUTIONS,
    Speller,
    _substituted,
    clause_end,
    clause_start,
    normalize,
    sentence_texts,
    sentences,
)
from bot.core.models import Answers
from tests.core.corpus_metrics import QUIET_KINDS, load, measure

TODAY = date(2026, 11, 27)


def changes(text: str, answers: Answers | None = None) -> dict[str, str]:
    """The answer changes a text makes, as a plain dict."""
    result = interpret(text, answers or Answers(), TODAY)
    return {change.dimension: change.new for change in result.changes}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("horizon: open_ended", {"horizon": "open_ended"}),
        ("horizon=open-ended", {"horizon": "open_ended"}),
        ("resources=in-kind, risk: capped_split", {"resources": "in_kind", "risk": "capped_split"}),
        ("agreement: unsure", {"agreement": "unsure"}),
        ("for-profit: no", {"for_profit": "no"}),
        ("horizon: 3 years", {"horizon": "multi_year"}),
    ],
)
def test_explicit_pairs(text: str, expected: dict[str, str]) -> None:
    assert changes(text) == expected


def test_several_changes_in_one_sentence() -> None:
    assert changes("actually it's a signed 3-year contract and we're pooling our budgets") == {
        "horizon": "multi_year",
        "agreement": "binding",
        "resources": "pooled",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no contract", {"agreement": "informal"}),
        ("we won't pool anything", {"resources": "separate"}),
        ("liability is not shared", {"risk": "own"}),
        ("liability is not shared; costs are split and capped", {"risk": "capped_split"}),
        ("without a joint budget", {"resources": "separate"}),
        ("we don't compete", {"competitors": "no"}),
        ("there's no end date", {"horizon": "open_ended"}),
    ],
)
def test_negation_maps_to_the_collaboration_end_unless_another_value_is_named(
    text: str, expected: dict[str, str]
) -> None:
    assert changes(text) == expected


@pytest.mark.parametrize(
    ("text", "horizon"),
    [
        ("3-year deal", "multi_year"),
        ("it runs six weeks", "short"),
        ("a one-year term", "short"),
        ("an 18-month pilot", "multi_year"),
        ("5 years with an option to renew", "multi_year"),
        ("it runs through Q3", "short"),
        ("the pilot lasts until March", "short"),
        ("the contract runs through 2029", "multi_year"),
    ],
)
def test_durations_and_end_dates_resolve_against_today(text: str, horizon: str) -> None:
    assert changes(text) == {"horizon": horizon}


def test_history_and_scheduling_are_not_terms() -> None:
    assert changes("we've known them for 5 years") == {}
    assert changes("call in 2 weeks to review") == {}
    assert changes("see you at the 3-year anniversary party") == {}


def test_doubt_attaches_to_its_topic() -> None:
    assert changes("not sure about the term yet") == {"horizon": "unsure"}
    assert changes("not sure about the term, but it's a signed contract") == {
        "horizon": "unsure",
        "agreement": "binding",
    }


@pytest.mark.parametrize(
    ("text", "hypothetical"),
    [
        ("what if it were a 3-year deal?", {"horizon": "multi_year"}),
        ("would pooling our budgets change it", {"resources": "pooled"}),
        ("hypothetically, if we formed a JV, what then?", {"agreement": "joint_entity"}),
    ],
)
def test_questions_and_what_ifs_change_nothing(text: str, hypothetical: dict[str, str]) -> None:
    result = interpret(text, Answers(), TODAY)
    assert result.changes == ()
    assert result.intent == "question"
    assert {c.dimension: c.new for c in result.hypothetical} == hypothetical


@pytest.mark.parametrize(
    "text", ["thanks!", "meeting moved to 3pm", "", "   ", "<@U123> :tada:", "lol", "ok 👍"]
)
def test_chatter_changes_nothing(text: str) -> None:
    result = interpret(text, Answers(), TODAY)
    assert result.intent == "chatter"
    assert result.changes == ()


@pytest.mark.parametrize("text", ["undo", "Undo!", "please undo that", "revert", "<@U0BOT> undo"])
def test_undo(text: str) -> None:
    assert interpret(text, Answers(), TODAY).intent == "undo"


def test_typos_within_reason() -> None:
    assert changes("signed a binding contarct") == {"agreement": "binding"}
    assert changes("budgets stay seperate") == {"resources": "separate"}
    assert changes("liabilty is shared") == {"risk": "shared"}


def test_the_speller_remembers_sound_words_within_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    speller = Speller(frozenset({"contract", "binding"}), frozenset())
    monkeypatch.setattr(text_module, "SOUND_WORDS", 3)
    for text in ("alpha bravo", "charlie delta echoes", "foxtrot golfs"):
        assert speller.correct(text) == text
        assert len(speller._known) <= len(speller.keep) + 3
    assert speller.correct("a bindng contarct") == "a binding contract"  # still corrects
    assert speller.correct("charlie contarct") == "charlie contract"


def test_a_change_to_the_current_value_is_no_change() -> None:
    assert changes("it's a signed contract", Answers(agreement="binding")) == {}


def test_evidence_names_old_value_and_triggering_words() -> None:
    result = interpret("we're pooling our budgets", Answers(resources="separate"), TODAY)
    (change,) = result.changes
    assert (change.dimension, change.old, change.new) == ("resources", "separate", "pooled")
    assert "pooling" in change.words


def test_slack_markup_is_not_read_as_words() -> None:
    assert changes("<http://evil.example/contract|signed contract> lol") == {"agreement": "binding"}
    assert changes("<!channel> <@U123> <#C123|partnerships>") == {}


# The tuning corpus: precision and recall on (dimension, value) pairs.

CORPUS = load("interpret.jsonl")


def test_tuning_corpus_meets_precision_and_recall() -> None:
    score = measure(CORPUS)
    assert score.precision >= 0.95, score.misses[:10]
    assert score.recall >= 0.85, score.misses[:10]


def test_no_chatter_question_or_what_if_line_changes_anything() -> None:
    assert (
        measure([line for line in CORPUS if line["kind"] in QUIET_KINDS]).quiet_lines_changed == []
    )


def test_tuning_corpus_is_big_and_varied_enough() -> None:
    kinds = Counter(line["kind"] for line in CORPUS)
    assert len(CORPUS) >= 250
    assert kinds["chatter"] >= 60
    assert kinds["negation"] >= 30
    assert kinds["question"] >= 20
    phrasings: Counter[tuple[str, str]] = Counter()
    for line in CORPUS:
        phrasings.update(line["expect"].items())
    for question in QUESTIONS:
        for value in (*question.values, "unsure"):
            assert phrasings[(question.key, value)] >= 3, (question.key, value)


def test_holdout_corpus_is_present_and_well_formed() -> None:
    """Measured once and reported, never tuned against (tests.core.corpus_metrics prints it)."""
    holdout = load("holdout.jsonl")
    assert len(holdout) >= 60
    keys = {question.key for question in QUESTIONS}
    for line in holdout:
        assert set(line["expect"]) <= keys
        if line["kind"] in QUIET_KINDS:
            assert line["expect"] == {}


def test_every_rule_match_contains_one_of_its_triggers() -> None:
    """Triggers only skip rules that cannot match: checked on every corpus sentence."""
    for line in CORPUS:
        text = SPELLER.correct(normalize(line["text"]))
        for sentence in sentences(text, ASKS):
            triggered = rules_for(sentence.text)
            for rule in RULES:
                if rule.pattern.search(sentence.text):
                    assert rule in triggered, (rule.key, rule.value, sentence.text)


@pytest.mark.parametrize(
    "source",
    [
        r"(?:\bfor|\blasts?|\bterm (?:of|is)|\bit's|^)\s*(?:a |an )?$",
        r"\b(?:ago|past|last|been\s+\w+ing)\b",
        r"\bnot\s*$|\b5 years?\b|\bq[1-4]\b",
    ],
)
def test_literal_led_patterns_match_where_the_originals_do(source: str) -> None:
    original, rewritten = re.compile(source), re.compile(literal_led(source))
    texts = [line["text"].lower() for line in load("interpret.jsonl")]
    texts += ["for", " for", "xfor", "it's a", "5 years", "a5 years", "q3 q5", "not  ", "é for"]
    for text in texts:
        for start in range(len(text) + 1):
            found = original.search(text, start)
            again = rewritten.search(text, start)
            assert (found and found.span()) == (again and again.span())


def test_clause_bounds_are_those_of_clause_start_and_clause_end() -> None:
    texts = [normalize(line["text"]) for line in load("interpret.jsonl")]
    texts += ["so sooner or later, and android - but so-and-so: though while"]
    for text in texts:
        for sentence in sentence_texts(text):
            clauses = Clauses(scan(sentence))
            for position in range(len(sentence) + 1):
                assert clauses.start(position) == clause_start(sentence, position)
                assert clauses.end(position) == clause_end(sentence, position)


def test_places_within_a_span_find_what_a_scan_of_the_span_finds() -> None:
    texts = [normalize(line["text"]) for line in load("interpret.jsonl")]
    texts += ["resources: each side keeps its own budget", "term=3-year deal, risk: shared"]
    for text in texts[::3]:
        for sentence in sentence_texts(text):
            places = scan(sentence)
            # Spans as explicit values start: a word after a non-word character.
            starts = [m.end() for m in re.finditer(r"\W+", sentence) if m.end() < len(sentence)]
            for start in starts[::2]:
                for end in {len(sentence), min(len(sentence), start + 25)}:
                    span = sentence[start:end]
                    inside = places.within(start, end)
                    for pattern in SCANNER.patterns:
                        want = [m.span() for m in pattern.finditer(span)]
                        assert [m.span() for m in inside.matches(pattern)] == want


def test_places_find_what_finditer_finds_in_any_text() -> None:
    texts = [normalize(line["text"]) for line in load("interpret.jsonl")][::4]
    # Non-ASCII word characters before an opening, and digits of other scripts.
    texts += ["caféeach side keeps its own", "a ٣-year deal, ٣ years", "élan: we pool budgets"]
    # Two spaces together, which `\s+` may match where an opening has one.
    texts += ["each  side keeps its own budget", "resources  =  separate, label  =  collab"]
    for text in texts:
        places = scan(text)
        for pattern in SCANNER.patterns:
            want = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in places.matches(pattern)] == want


def test_substitutions_are_skipped_only_where_they_cannot_match() -> None:
    texts = [line["text"].lower() for line in load("interpret.jsonl")]
    words = "won't wont can't cant cannot shan't aint isn't doesnt havent mustn't u.s. e.g. (3)"
    texts += [f"{word} it, x{word} {word}s {word}." for word in words.split()]
    for text in texts:
        want = text
        for _needles, pattern, replacement in SUBSTITUTIONS:
            want = pattern.sub(replacement, want)
        assert _substituted(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "the last time we worked with a studio we shared the costs",
        "we could pool the budgets next year, nobody has agreed",
        "their other distributor takes a share of profits",
        "back in 2019 we had a binding contract with them",
        "wrong thread, sorry: the other deal is the one with pooled budgets",
        "legal's first draft said 'each party shares all losses' and we struck it",
    ],
)
def test_talk_of_other_deals_the_past_others_and_plans_changes_nothing(text: str) -> None:
    assert interpret(text, Answers(), TODAY).changes == ()


def test_a_doubt_stated_beside_an_undecided_plan_still_counts() -> None:
    reading = interpret(
        "nobody has agreed a term yet, not sure how long it lasts", Answers(), TODAY
    )
    assert {(c.dimension, c.new) for c in reading.changes} == {("horizon", "unsure")}


def test_a_fact_of_this_deal_beside_a_quote_is_read() -> None:
    text = "they wrote 'a jointly owned company' in the draft, but it's a binding contract"
    reading = interpret(text, Answers(), TODAY)
    assert {(c.dimension, c.new) for c in reading.changes} == {("agreement", "binding")}
