"""Modal submissions in, validated answers or field errors out (pydantic at the edge)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError

from bot.core.dimensions import ANSWER_KEYS, BY_KEY
from bot.core.models import COUNTERPART_MAX, NOTES_MAX, TITLE_MAX, Answers
from bot.slack import ids

DIRECT_MESSAGE_PREFIX: Final = "D"
TEXT_FIELDS: Final[dict[str, int]] = {
    ids.BLOCK_TITLE: TITLE_MAX,
    ids.BLOCK_COUNTERPART: COUNTERPART_MAX,
    ids.BLOCK_NOTES: NOTES_MAX,
}


@dataclass(frozen=True, slots=True)
class Submission:
    """A valid modal submission."""

    answers: Answers
    channel_id: str | None
    pin: bool


def read_submission(values: dict[str, Any]) -> Submission | dict[str, str]:
    """Answers from view.state.values, or field errors keyed by block id."""
    errors: dict[str, str] = {}
    data: dict[str, str | None] = {}
    for key in ANSWER_KEYS:
        selected = _element(values, key).get("selected_option") or {}
        value = selected.get("value")
        if value is not None and value not in (*BY_KEY[key].values, ids.NOT_SURE):
            errors[key] = "Choose one of the listed answers."
            continue
        data[key] = value
    for block_id, limit in TEXT_FIELDS.items():
        raw = _element(values, block_id).get("value")
        text = raw.strip() if isinstance(raw, str) else None
        if text and len(text) > limit:
            errors[block_id] = f"Keep it under {limit} characters (this is {len(text)})."
            continue
        if text and "\x00" in text:
            errors[block_id] = "Remove the control characters from this field."
            continue
        data[block_id] = text or None
    channel = _element(values, ids.BLOCK_CHANNEL).get("selected_conversation")
    if isinstance(channel, str) and channel.startswith(DIRECT_MESSAGE_PREFIX):
        errors[ids.BLOCK_CHANNEL] = (
            "I can't post in a direct message between people. Pick a channel or a group."
        )
    pinned = _element(values, ids.BLOCK_PIN).get("selected_options") or []
    if errors:
        return errors
    try:
        answers = Answers.model_validate(data)
    except ValidationError as error:
        return {
            str(issue["loc"][0]): "This value is not accepted."
            for issue in error.errors()
            if issue["loc"]
        }
    return Submission(
        answers=answers,
        channel_id=channel if isinstance(channel, str) and channel else None,
        pin=any(
            option.get("value") == ids.PIN_CHOICE for option in pinned if isinstance(option, dict)
        ),
    )


def changed_fields(base: Answers, submitted: Answers) -> dict[str, str | None]:
    """The fields a person changed in an edit modal, relative to the revision it opened on."""
    before = base.model_dump()
    after = submitted.model_dump()
    return {key: after[key] for key in after if after[key] != before[key]}


def _element(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The single element's state of a block, or an empty dict."""
    block = values.get(block_id)
    if not isinstance(block, dict):
        return {}
    element = block.get(ids.ELEMENT)
    return element if isinstance(element, dict) else {}
