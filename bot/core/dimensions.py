"""The questions of DOMAIN.md: keys, values, leans, weights and their plain-language labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

UNSURE: Final = "unsure"


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to a question: its public value, its lean and how people read it."""

    value: str
    label: str
    lean: int = 0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the modal: a scored dimension (weight > 0) or a context answer."""

    key: str
    question: str
    hint: str
    choices: tuple[Choice, ...]
    weight: float = 0.0

    @property
    def scored(self) -> bool:
        """Whether the answer counts towards the score."""
        return self.weight > 0

    @property
    def values(self) -> tuple[str, ...]:
        """The concrete values, without `unsure`."""
        return tuple(choice.value for choice in self.choices)

    def choice(self, value: str) -> Choice:
        """The choice for a concrete value."""
        for choice in self.choices:
            if choice.value == value:
                return choice
        raise KeyError(f"{self.key} has no value {value!r}")

    def label(self, value: str | None) -> str:
        """A short human label for a value, `unsure` or a missing answer."""
        if value is None:
            return "not answered"
        if value == UNSURE:
            return "not sure yet"
        return self.choice(value).label


SCORED: Final[tuple[Question, ...]] = (
    Question(
        key="horizon",
        question="How long is it meant to last?",
        hint="A one-year term counts as short; a fixed term longer than a year is multi-year.",
        weight=1.0,
        choices=(
            Choice("short", "short-term (a year or less)", -2, "it is short-term"),
            Choice("multi_year", "a fixed term of more than a year", 1, "it runs for years"),
            Choice("open_ended", "open-ended", 2, "it has no end date"),
        ),
    ),
    Question(
        key="agreement",
        question="What will be signed?",
        hint="From nothing at all to a new company you both own.",
        weight=1.0,
        choices=(
            Choice("informal", "nothing formal", -2, "nothing binding is signed"),
            Choice("mou", "a non-binding MOU or letter of intent", -1, "only an MOU is signed"),
            Choice("binding", "a binding contract", 1, "a binding contract is signed"),
            Choice("joint_entity", "a jointly owned entity", 2, "you are forming a joint entity"),
        ),
    ),
    Question(
        key="aim",
        question="What brings you together?",
        hint="Overlapping interests, one joint output, or a long-term goal you both commit to.",
        weight=1.0,
        choices=(
            Choice("own_goals", "each pursues its own goals", -2, "each side pursues its own goals"),
            Choice(
                "shared_deliverable",
                "one joint output, then done",
                -1,
                "you are building one thing together, then done",
            ),
            Choice("shared_goal", "a long-term shared goal", 2, "you share a long-term goal"),
        ),
    ),
    Question(
        key="roles",
        question="How are roles set?",
        hint="Worked out as you go, named leads, or written down with obligations.",
        weight=1.0,
        choices=(
            Choice("emergent", "worked out as you go", -2, "roles are worked out as you go"),
            Choice("named_leads", "named leads, informally", 0, "each side has a named lead"),
            Choice(
                "specified",
                "specified, with obligations",
                2,
                "roles and obligations are written down",
            ),
        ),
    ),
    Question(
        key="resources",
        question="How are resources handled?",
        hint="Money, people, data, equipment: kept apart, exchanged in kind, or pooled.",
        weight=2.0,
        choices=(
            Choice("separate", "each side funds its own", -2, "each side funds and runs its own"),
            Choice(
                "in_kind",
                "exchanged in kind, tracked apart",
                -1,
                "resources are exchanged in kind and tracked apart",
            ),
            Choice(
                "pooled",
                "pooled and managed together",
                2,
                "resources are pooled and run together",
            ),
        ),
    ),
    Question(
        key="decisions",
        question="Who decides?",
        hint="Each on its own, a joint group that advises, or joint binding votes or vetoes.",
        weight=1.5,
        choices=(
            Choice("independent", "each side decides alone", -2, "each side decides on its own"),
            Choice(
                "advisory",
                "a joint group advises, each decides",
                -1,
                "a joint group only advises",
            ),
            Choice(
                "joint_binding",
                "joint, binding votes or vetoes",
                2,
                "decisions are joint and binding",
            ),
        ),
    ),
    Question(
        key="benefits",
        question="How does each side gain?",
        hint="Access to what is made or exchanged, fees or royalties, or a share of net profit.",
        weight=1.5,
        choices=(
            Choice(
                "access",
                "access to what is created or exchanged",
                -2,
                "each side gains access to what is created",
            ),
            Choice(
                "fees",
                "fees, royalties or a gross revenue share",
                0,
                "gains come as fees or royalties",
            ),
            Choice(
                "net_profit",
                "a share of net profit",
                2,
                "net profit is shared by investment or risk",
            ),
        ),
    ),
    Question(
        key="risk",
        question="Who carries risks and costs?",
        hint="Each its own, defined costs split with a cap, or losses and liabilities shared.",
        weight=1.5,
        choices=(
            Choice("own", "each side carries its own", -2, "each side carries its own risk"),
            Choice(
                "capped_split",
                "defined costs split, capped",
                0,
                "defined costs are split with a cap",
            ),
            Choice(
                "shared",
                "losses and liabilities shared",
                2,
                "losses and liabilities are shared",
            ),
        ),
    ),
    Question(
        key="authority",
        question="How do you appear to others?",
        hint="Separate names, co-branded, or as one venture (or one side signs for both).",
        weight=0.5,
        choices=(
            Choice("separate", "separately", -2, "neither side can commit the other"),
            Choice(
                "co_branded",
                "co-branded, each signs its own",
                0,
                "you co-brand but each signs its own contracts",
            ),
            Choice(
                "one_venture",
                "as one venture",
                2,
                "you present yourselves as one venture",
            ),
        ),
    ),
)

CONTEXT: Final[tuple[Question, ...]] = (
    Question(
        key="label",
        question="What do you call it today?",
        hint="The word the team uses now, whatever it turns out to be.",
        choices=(Choice("partnership", "a partnership"), Choice("collaboration", "a collaboration")),
    ),
    Question(
        key="competitors",
        question="Do the parties compete, or could they?",
        hint="In any market, now or plausibly soon.",
        choices=(Choice("yes", "yes, they compete"), Choice("no", "no, they do not compete")),
    ),
    Question(
        key="for_profit",
        question="Is the joint activity run as a business for profit?",
        hint="The test is the joint activity, not whether the parties are companies.",
        choices=(Choice("yes", "run for profit"), Choice("no", "not run for profit")),
    ),
    Question(
        key="jurisdiction",
        question="Whose law governs it?",
        hint="Picks which statutes the warnings cite.",
        choices=(
            Choice("us", "United States"),
            Choice("uk", "United Kingdom"),
            Choice("other", "elsewhere"),
        ),
    ),
)

QUESTIONS: Final[tuple[Question, ...]] = SCORED + CONTEXT
BY_KEY: Final[dict[str, Question]] = {question.key: question for question in QUESTIONS}
SCORED_KEYS: Final[tuple[str, ...]] = tuple(question.key for question in SCORED)
CONTEXT_KEYS: Final[tuple[str, ...]] = tuple(question.key for question in CONTEXT)
ANSWER_KEYS: Final[tuple[str, ...]] = SCORED_KEYS + CONTEXT_KEYS
SUBSTANCE_KEYS: Final[frozenset[str]] = frozenset({"resources", "decisions", "benefits", "risk"})


def collaboration_end(key: str) -> str:
    """The value of a dimension that leans furthest towards collaboration."""
    question = BY_KEY[key]
    if not question.scored:
        raise KeyError(f"{key} is not scored")
    return min(question.choices, key=lambda choice: choice.lean).value


def partnership_end(key: str) -> str:
    """The value of a dimension that leans furthest towards partnership."""
    question = BY_KEY[key]
    if not question.scored:
        raise KeyError(f"{key} is not scored")
    return max(question.choices, key=lambda choice: choice.lean).value
