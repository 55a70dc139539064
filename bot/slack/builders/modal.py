"""The relationship-check modal: the nine questions first, then context, details and posting."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from typing import Any, Final

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.core.dimensions import CONTEXT, SCORED, Question
from bot.core.models import COUNTERPART_MAX, NOTES_MAX, TITLE_MAX, Answers
from bot.slack import ids
from bot.slack.mrkdwn import clip

NOT_SURE_LABEL: Final = "Not sure yet"
PREFILLED_NOTE: Final = "Filled in from your text: check them before you classify."
OPTION_TEXT: Final = 75
BLOCK_CACHE: Final = 1024  # distinct text inputs and channels kept as built JSON


@dataclass(frozen=True, slots=True)
class ModalState:
    """What the modal carries in private_metadata (kept far below Slack's 3,000 characters)."""

    channel_id: str | None = None
    verdict_id: str | None = None
    base_revision: int | None = None
    source_ts: str | None = None
    source_channel: str | None = None

    def dump(self) -> str:
        """JSON for private_metadata, without empty fields."""
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None})

    @classmethod
    def load(cls, raw: str | None) -> ModalState:
        """Read private_metadata back; anything unexpected yields an empty state."""
        try:
            data = json.loads(raw or "{}")
        except json.JSONDecodeError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        try:
            return cls(**fields)
        except TypeError:
            return cls()


def build_check_modal(
    answers: Answers, state: ModalState, *, prefilled: Collection[str] = ()
) -> dict[str, Any]:
    """The modal, prefilled with answers; an edit (state.verdict_id) has no posting choices."""
    view: dict[str, Any] = json.loads(check_modal_json(answers, state, prefilled=prefilled))
    return view


def check_modal_json(
    answers: Answers, state: ModalState, *, prefilled: Collection[str] = ()
) -> str:
    """build_check_modal's view as the JSON string views.open takes, joined from JSON parts."""
    editing = state.verdict_id is not None
    parts: list[str] = []
    if prefilled:
        parts.append(_prefilled_note())
    parts += [
        _question_json(q, answers.value(q.key), q.key in prefilled) for q in (*SCORED, *CONTEXT)
    ]
    parts.append(_text_input_json(ids.BLOCK_TITLE, "Relationship title", answers.title, TITLE_MAX))
    parts.append(
        _text_input_json(
            ids.BLOCK_COUNTERPART, "Counterpart organization", answers.counterpart, COUNTERPART_MAX
        )
    )
    if not editing:
        parts.append(_post_to_json(state.channel_id))
    parts.append(
        _text_input_json(ids.BLOCK_NOTES, "Notes", answers.notes, NOTES_MAX, multiline=True)
    )
    if not editing:
        parts.append(_pin_choice_json())
    frame = _frame(editing)
    metadata = json.dumps(state.dump())
    return f'{frame[:-1]}, "private_metadata": {metadata}, "blocks": [{",".join(parts)}]}}'


# The modal is mostly the same blocks every time, and building them through slack_sdk's models
# (which validate every object) cost milliseconds per modal. Each block is built and validated
# once per distinct input and kept as JSON; a modal is those strings joined, sent as they are.


@cache
def _frame(editing: bool) -> str:
    """The view around the blocks (title, buttons), validated by slack_sdk, without blocks."""
    view = View(
        type="modal",
        callback_id=ids.VIEW_CHECK,
        title="Relationship check",
        submit="Save changes" if editing else "Classify",
        close="Cancel",
        blocks=[_pin_choice()],  # slack_sdk wants one block at least; replaced by the caller
    ).to_dict()
    del view["blocks"]
    return json.dumps(view)


@cache
def _prefilled_note() -> str:
    return json.dumps(ContextBlock(elements=[MarkdownTextObject(text=PREFILLED_NOTE)]).to_dict())


@lru_cache(maxsize=BLOCK_CACHE)
def _question_json(question: Question, value: str | None, prefilled: bool) -> str:
    return json.dumps(_question(question, value, prefilled).to_dict())


@lru_cache(maxsize=BLOCK_CACHE)
def _text_input_json(
    block_id: str, label: str, value: str | None, limit: int, *, multiline: bool = False
) -> str:
    return json.dumps(_text_input(block_id, label, value, limit, multiline=multiline).to_dict())


@lru_cache(maxsize=BLOCK_CACHE)
def _post_to_json(channel_id: str | None) -> str:
    return json.dumps(_post_to(channel_id).to_dict())


@cache
def _pin_choice_json() -> str:
    return json.dumps(_pin_choice().to_dict())


def _question(question: Question, value: str | None, prefilled: bool) -> InputBlock:
    """One question as a select, "Not sure yet" last, with its one-line hint."""
    options = [Option(text=clip(c.label, OPTION_TEXT), value=c.value) for c in question.choices]
    options.append(Option(text=NOT_SURE_LABEL, value=ids.NOT_SURE))
    initial = next((o for o in options if o.value == value), None)
    hint = f"Filled in from your text. {question.hint}" if prefilled else question.hint
    return InputBlock(
        block_id=question.key,
        label=question.question,
        hint=clip(hint, 2000),
        optional=True,
        element=StaticSelectElement(
            action_id=ids.ELEMENT,
            placeholder="Choose an answer",
            options=options,
            initial_option=initial,
        ),
    )


def _text_input(
    block_id: str, label: str, value: str | None, limit: int, *, multiline: bool = False
) -> InputBlock:
    """An optional free-text field with Slack-side length checking."""
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        element=PlainTextInputElement(
            action_id=ids.ELEMENT,
            initial_value=value or None,
            max_length=limit,
            multiline=multiline,
        ),
    )


def _post_to(channel_id: str | None) -> InputBlock:
    """Where the verdict goes: the conversation the command came from, by default."""
    return InputBlock(
        block_id=ids.BLOCK_CHANNEL,
        label="Post the verdict to",
        hint="The bot joins a public channel; invite it to a private one.",
        element=ConversationSelectElement(
            action_id=ids.ELEMENT,
            initial_conversation=channel_id,
            default_to_current_conversation=channel_id is None,
            filter=ConversationFilter(
                include=["public", "private", "im", "mpim"], exclude_bot_users=True
            ),
        ),
    )


def _pin_choice() -> InputBlock:
    """Whether to pin the verdict once posted."""
    return InputBlock(
        block_id=ids.BLOCK_PIN,
        label="Pin",
        optional=True,
        element=CheckboxesElement(
            action_id=ids.ELEMENT,
            options=[Option(text="Pin the verdict in the channel", value=ids.PIN_CHOICE)],
        ),
    )
