"""Property tests: the core never raises, whatever the input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.classify import classify
from bot.core.dimensions import QUESTIONS
from bot.core.interpret import interpret
from bot.core.models import Answers, ChangeFlip, Interpretation, Result

ANSWER_VALUES = {
    question.key: st.sampled_from((None, "unsure", *question.values)) for question in QUESTIONS
}
answers_strategy = st.fixed_dictionaries(ANSWER_VALUES).map(Answers.model_validate)
CORPUS_TEXTS = [
    json.loads(line)["text"]
    for line in (Path(__file__).parent / "corpus" / "interpret.jsonl").read_text().splitlines()
]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=4000), answers=answers_strategy, today=st.dates())
def test_interpret_never_raises(text: str, answers: Answers, today: date) -> None:
    result = interpret(text, answers, today)
    for change in result.changes:
        assert change.new != answers.value(change.dimension)
        assert change.new in (
            *next(q for q in QUESTIONS if q.key == change.dimension).values,
            "unsure",
        )


@settings(max_examples=200)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz 0123456789-:=/?!.,'")),
        max_size=300,
    )
)
def test_interpret_never_raises_on_domain_like_text(text: str) -> None:
    interpret(text, Answers(), date(2026, 11, 27))


@settings(max_examples=1500)
@given(answers=answers_strategy)
def test_classify_never_raises_and_flips_hold(answers: Answers) -> None:
    result = classify(answers)
    assert -1 <= result.score <= 1
    for flip in result.flips:
        if isinstance(flip, ChangeFlip):
            moved = answers.with_changes({c.dimension: c.new for c in flip.changes})
            assert classify(moved).verdict == flip.verdict != result.verdict


@settings(max_examples=500)
@given(answers=answers_strategy)
def test_classify_builds_what_validation_would(answers: Answers) -> None:
    # classify builds its Result without validating (models.trusted): the same types, values.
    result = classify(answers)
    validated = Result.model_validate_json(result.model_dump_json())
    assert validated == result
    assert repr(validated) == repr(result)
    assert validated.model_fields_set == result.model_fields_set


@settings(max_examples=300)
@given(
    texts=st.lists(st.sampled_from(CORPUS_TEXTS), min_size=1, max_size=4),
    answers=answers_strategy,
)
def test_interpret_builds_what_validation_would(texts: list[str], answers: Answers) -> None:
    # interpret builds its Interpretation without validating (models.trusted).
    result = interpret(" ".join(texts), answers, date(2026, 11, 27))
    validated = Interpretation.model_validate_json(result.model_dump_json())
    assert validated == result
    assert repr(validated) == repr(result)
