"""Builders: every payload validates with slack_sdk.models and renders user text inert."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.core.classify import classify
from bot.core.dimensions import QUESTIONS
from bot.core.interpret import interpret
from bot.core.models import COUNTERPART_MAX, NOTES_MAX, TITLE_MAX, Answers
from bot.slack import ids
from bot.slack.builders.modal import ModalState, build_check_modal
from bot.slack.builders.thread import (
    build_explanation,
    build_hint_reply,
    build_refinement_reply,
    build_undo_reply,
    build_what_if_reply,
)
from bot.slack.builders.verdict import VerdictCard, build_copy_text, build_verdict_message
from bot.slack.forms import read_submission
from tests.support.answers import COLLABORATION, PARTNERSHIP
from tests.support.blocks import EVIL, assert_inert, assert_valid_blocks


def spread() -> list[Answers]:
    """A spread of answers: extremes, mixed, undetermined, random, max-length hostile text."""
    rng = random.Random(7)
    found = [PARTNERSHIP, COLLABORATION, Answers(), Answers(horizon="short")]
    for _ in range(60):
        found.append(
            Answers.model_validate(
                {q.key: rng.choice((None, "unsure", *q.values)) for q in QUESTIONS}
            )
        )
    hostile = {
        "title": (EVIL * 20)[:TITLE_MAX],
        "counterpart": (EVIL * 20)[:COUNTERPART_MAX],
        "notes": (EVIL * 200)[:NOTES_MAX],
    }
    found += [answers.model_copy(update=hostile) for answers in found[:10]]
    return found


@pytest.mark.parametrize("answers", spread())
def test_verdict_and_thread_validate_and_are_inert(answers: Answers) -> None:
    result = classify(answers)
    card = VerdictCard(verdict_id="v1", revision=3, creator_id="U1", pinned=False, result=result)
    parent = build_verdict_message(card)
    assert_valid_blocks(parent)
    assert_inert(parent.blocks)
    assert_inert(parent.text)
    for reply in build_explanation(result):
        assert_valid_blocks(reply)
        assert_inert(reply.blocks)


def test_metadata_carries_only_domain_answers() -> None:
    answers = PARTNERSHIP.model_copy(
        update={"title": "Secret deal", "counterpart": "Acme", "notes": "x"}
    )
    card = VerdictCard(
        verdict_id="v9", revision=2, creator_id="U1", pinned=True, result=classify(answers)
    )
    metadata = build_verdict_message(card).metadata
    assert metadata is not None
    assert metadata["event_type"] == ids.METADATA_EVENT
    payload = metadata["event_payload"]
    assert payload["verdict_id"] == "v9" and payload["revision"] == 2
    assert payload["answers"] == answers.choices()
    assert None not in payload["answers"].values()
    assert "Secret deal" not in json.dumps(metadata) and "Acme" not in json.dumps(metadata)


def test_verdict_message_shows_headline_meter_and_buttons() -> None:
    card = VerdictCard(
        verdict_id="v1", revision=1, creator_id="U1", pinned=False, result=classify(PARTNERSHIP)
    )
    message = build_verdict_message(card)
    text = json.dumps(message.blocks, ensure_ascii=False)
    assert message.blocks[0]["type"] == "header"
    assert "Partnership" in message.blocks[0]["text"]["text"]
    assert "●" in text and "Why:" in text
    actions = message.blocks[-1]["elements"]
    assert [element.get("action_id") for element in actions] == [
        ids.ACTION_EDIT,
        ids.ACTION_PIN,
        ids.ACTION_MORE,
    ]
    pinned = build_verdict_message(
        VerdictCard(
            verdict_id="v1", revision=1, creator_id="U1", pinned=True, result=classify(PARTNERSHIP)
        )
    )
    assert pinned.blocks[-1]["elements"][1]["action_id"] == ids.ACTION_UNPIN


def test_undetermined_message_lists_questions_only() -> None:
    card = VerdictCard(
        verdict_id="v1", revision=1, creator_id="U1", pinned=False, result=classify(Answers())
    )
    text = json.dumps(build_verdict_message(card).blocks)
    assert "Answer these to get a verdict" in text
    assert "Why:" not in text


@pytest.mark.parametrize("answers", spread()[:20])
def test_modal_validates_with_at_most_20_inputs(answers: Answers) -> None:
    view = build_check_modal(answers, ModalState(channel_id="C1"), prefilled=("horizon",))
    View(**view).validate_json()
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert len(inputs) <= 20
    assert [block["block_id"] for block in inputs[:9]] == [q.key for q in QUESTIONS[:9]]
    assert view["title"]["text"] == "Relationship check"
    assert view["submit"]["text"] == "Classify"
    assert len(view["private_metadata"]) < 3000


def test_edit_modal_has_no_posting_choice_and_carries_base_revision() -> None:
    view = build_check_modal(PARTNERSHIP, ModalState(verdict_id="v1", base_revision=4))
    block_ids = {block.get("block_id") for block in view["blocks"]}
    assert ids.BLOCK_CHANNEL not in block_ids and ids.BLOCK_PIN not in block_ids
    assert ModalState.load(view["private_metadata"]).base_revision == 4


def submission_values(answers: Answers, channel: str = "C1", pin: bool = True) -> dict[str, Any]:
    """view.state.values as Slack would send them for some answers."""
    values: dict[str, Any] = {}
    for key, value in answers.choices().items():
        values[key] = {ids.ELEMENT: {"type": "static_select", "selected_option": {"value": value}}}
    for key in (ids.BLOCK_TITLE, ids.BLOCK_COUNTERPART, ids.BLOCK_NOTES):
        values[key] = {ids.ELEMENT: {"type": "plain_text_input", "value": getattr(answers, key)}}
    values[ids.BLOCK_CHANNEL] = {ids.ELEMENT: {"selected_conversation": channel}}
    values[ids.BLOCK_PIN] = {
        ids.ELEMENT: {"selected_options": [{"value": ids.PIN_CHOICE}] if pin else []}
    }
    return values


def test_submission_round_trip() -> None:
    answers = PARTNERSHIP.model_copy(update={"title": "Acme <!channel>", "notes": "n"})
    submission = read_submission(submission_values(answers))
    assert not isinstance(submission, dict)
    assert submission.answers == answers
    assert submission.channel_id == "C1"
    assert submission.pin is True


def test_submission_field_errors() -> None:
    values = submission_values(PARTNERSHIP)
    values["horizon"][ids.ELEMENT]["selected_option"]["value"] = "forever"
    values[ids.BLOCK_TITLE][ids.ELEMENT]["value"] = "x" * (TITLE_MAX * 10)
    errors = read_submission(values)
    assert isinstance(errors, dict)
    assert set(errors) == {"horizon", ids.BLOCK_TITLE}


def test_too_few_answers_is_not_an_error() -> None:
    submission = read_submission(submission_values(Answers(horizon="short")))
    assert not isinstance(submission, dict)


def test_thread_replies_validate() -> None:
    before = classify(COLLABORATION)
    reading = interpret(
        "actually it's a signed 3-year contract and we're pooling our budgets",
        COLLABORATION,
        __import__("datetime").date(2026, 11, 27),
    )
    after_answers = COLLABORATION.with_changes({c.dimension: c.new for c in reading.changes})
    after = classify(after_answers)
    reply = build_refinement_reply("U2", 2, reading.changes, before, after, pinned=True)
    assert_valid_blocks(reply)
    assert "horizon" in reply.text and "Mixed" in reply.text and "pinned message" in reply.text
    assert_valid_blocks(build_undo_reply("U3", ("U2", 2), 3, after, before))
    assert_valid_blocks(build_what_if_reply(reading.changes, before, after))
    assert_valid_blocks(build_hint_reply())


@pytest.mark.parametrize("answers", spread()[-10:])
def test_copy_as_text_validates_and_is_inert(answers: Answers) -> None:
    card = VerdictCard(
        verdict_id="v1", revision=1, creator_id="U1", pinned=False, result=classify(answers)
    )
    message = build_copy_text(card)
    assert_valid_blocks(message)
    assert_inert(message.blocks)
    assert_inert(message.text)


def test_verdict_without_buttons_for_private_delivery() -> None:
    card = VerdictCard(
        verdict_id="v1", revision=1, creator_id="U1", pinned=False, result=classify(PARTNERSHIP)
    )
    assert all(
        block["type"] != "actions" for block in build_verdict_message(card, buttons=False).blocks
    )
