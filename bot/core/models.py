"""Frozen domain models: the answers a team gives and the result the core returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.core.dimensions import ANSWER_KEYS, BY_KEY, SCORED_KEYS, UNSURE

TITLE_MAX: Final = 120
COUNTERPART_MAX: Final = 120
NOTES_MAX: Final = 2000

Unsure = Literal["unsure"]
Horizon = Literal["short", "multi_year", "open_ended", "unsure"]
Agreement = Literal["informal", "mou", "binding", "joint_entity", "unsure"]
Aim = Literal["own_goals", "shared_deliverable", "shared_goal", "unsure"]
Roles = Literal["emergent", "named_leads", "specified", "unsure"]
Resources = Literal["separate", "in_kind", "pooled", "unsure"]
Decisions = Literal["independent", "advisory", "joint_binding", "unsure"]
Benefits = Literal["access", "fees", "net_profit", "unsure"]
Risk = Literal["own", "capped_split", "shared", "unsure"]
Authority = Literal["separate", "co_branded", "one_venture", "unsure"]
Label = Literal["partnership", "collaboration", "unsure"]
YesNo = Literal["yes", "no", "unsure"]
Jurisdiction = Literal["us", "uk", "other", "unsure"]

Verdict = Literal["partnership", "collaboration", "mixed", "undetermined"]
Kind = Literal["partnership", "collaboration"]
Confidence = Literal["high", "medium", "low"]
Himmelman = Literal["coordinating", "cooperating", "collaborating"]

FreeText = Annotated[str, StringConstraints(strip_whitespace=True)]


class Frozen(BaseModel):
    """Base for every core model: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


M = TypeVar("M", bound=Frozen)


def trusted(model: type[M], fields: dict[str, Any]) -> M:
    """The model `model.model_validate(fields)` returns, built without validating: only for
    every field given, in declaration order, each already of its field's exact type.

    The core's hot paths build their results from values it made itself; pydantic would
    only check them again (several microseconds a result). tests/core checks the two agree.
    """
    built: M = _new(model)
    _set_dict(built, fields)
    _set_fields_set(built, set(fields))
    _set_extra(built, None)
    _set_private(built, None)
    return built


_new: Final = object.__new__
# BaseModel's slots, set through their descriptors: object.__setattr__ would look each one
# up by name on every call (a fifth of trusted's time).
_set_dict: Final = BaseModel.__dict__["__dict__"].__set__
_set_fields_set: Final = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra: Final = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private: Final = BaseModel.__dict__["__pydantic_private__"].__set__


class Answers(Frozen):
    """What a team has said about a relationship; None means not answered."""

    horizon: Horizon | None = None
    agreement: Agreement | None = None
    aim: Aim | None = None
    roles: Roles | None = None
    resources: Resources | None = None
    decisions: Decisions | None = None
    benefits: Benefits | None = None
    risk: Risk | None = None
    authority: Authority | None = None
    label: Label | None = None
    competitors: YesNo | None = None
    for_profit: YesNo | None = None
    jurisdiction: Jurisdiction | None = None
    title: Annotated[FreeText, Field(max_length=TITLE_MAX)] | None = None
    counterpart: Annotated[FreeText, Field(max_length=COUNTERPART_MAX)] | None = None
    notes: Annotated[FreeText, Field(max_length=NOTES_MAX)] | None = None

    def value(self, key: str) -> str | None:
        """The answer to a DOMAIN.md question, by key."""
        if key not in BY_KEY:
            raise KeyError(key)
        answer: str | None = getattr(self, key)
        return answer

    def choices(self) -> dict[str, str]:
        """The DOMAIN.md answers that are given (`unsure` included), in table order."""
        return {key: value for key in ANSWER_KEYS if (value := getattr(self, key)) is not None}

    def scored_values(self) -> dict[str, str]:
        """The scored dimensions answered with a concrete value (not `unsure`)."""
        return {
            key: value
            for key in SCORED_KEYS
            if (value := getattr(self, key)) is not None and value != UNSURE
        }

    def with_changes(self, changes: Mapping[str, str | None]) -> Answers:
        """A copy with some DOMAIN.md answers replaced, validated."""
        unknown = set(changes) - set(ANSWER_KEYS)
        if unknown:
            raise KeyError(f"not DOMAIN.md keys: {sorted(unknown)}")
        return Answers.model_validate(self.model_dump() | dict(changes))


class Change(Frozen):
    """One answer moving from one value to another."""

    dimension: str
    old: str | None
    new: str | None


class Reason(Frozen):
    """An answer that pulls the verdict one way, with its weighted lean."""

    dimension: str
    value: str
    lean: int
    weighted: float
    toward: Kind | None
    text: str


class ChangeFlip(Frozen):
    """The fewest answer changes that would move a determined verdict to another kind."""

    kind: Literal["change"] = "change"
    changes: tuple[Change, ...]
    verdict: Verdict
    score: float


class QuestionFlip(Frozen):
    """An open question whose answer would help settle an undetermined verdict."""

    kind: Literal["answer"] = "answer"
    dimension: str
    question: str


Flip = Annotated[ChangeFlip | QuestionFlip, Field(discriminator="kind")]


class Obligation(Frozen):
    """One checklist item; `because` names the answer that added it, if any."""

    code: str
    text: str
    because: str | None = None


class Warning(Frozen):
    """A risk computed apart from the score, with a stable DOMAIN.md code."""

    code: str
    title: str
    text: str
    jurisdiction: str | None = None
    citations: tuple[str, ...] = ()


class Definitions(Frozen):
    """Both words defined in one line each, plus Himmelman's usage."""

    partnership: str
    collaboration: str
    himmelman: str


class Result(Frozen):
    """Everything classify() concludes about one set of answers."""

    verdict: Verdict
    leaning: Kind | None
    score: float
    confidence: Confidence
    headline: str
    answers: Answers
    answered: int
    open_questions: tuple[str, ...]
    reasons: tuple[Reason, ...]
    flips: tuple[Flip, ...]
    himmelman: Himmelman | None
    himmelman_note: str | None
    definitions: Definitions
    obligations: tuple[Obligation, ...]
    warnings: tuple[Warning, ...]
    legal_notice: str | None
    prompts: tuple[str, ...]

    def warning_codes(self) -> tuple[str, ...]:
        """The codes of the warnings that fired, in order."""
        return tuple(warning.code for warning in self.warnings)

    def contract(self) -> dict[str, Any]:
        """The JSON contract of `python -m bot classify --json` (DESIGN.md)."""
        body = self.model_dump(mode="json", exclude={"answers"})
        return {
            "verdict": body.pop("verdict"),
            "leaning": body.pop("leaning"),
            "score": body.pop("score"),
            "confidence": body.pop("confidence"),
            "answers": self.answers.choices(),
            "details": {
                "title": self.answers.title,
                "counterpart": self.answers.counterpart,
                "notes": self.answers.notes,
            },
            **body,
        }


class Interpretation(Frozen):
    """What a piece of free text says about the answers.

    `changes` are to be applied; `hypothetical` are what a question or what-if asks about and
    must never be stored; `intent` tells a thread what kind of message it was.
    """

    intent: Literal["change", "question", "undo", "chatter"]
    changes: tuple[Evidence, ...] = ()
    hypothetical: tuple[Evidence, ...] = ()


class Evidence(Frozen):
    """A change found in text, with the words that triggered it."""

    dimension: str
    old: str | None
    new: str
    words: str


Interpretation.model_rebuild()
