"""The obligations checklist: one per kind, plus items that specific answers add."""

from __future__ import annotations

from itertools import compress
from operator import attrgetter, eq
from typing import Final

from bot.core.dimensions import BY_KEY
from bot.core.models import Answers, Kind, Obligation, Verdict, trusted

PARTNERSHIP_CHECKLIST: Final[tuple[Obligation, ...]] = tuple(
    Obligation(code=f"partnership.{code}", text=text)
    for code, text in (
        ("purpose", "Write down the purpose and scope, and who exactly the parties are."),
        ("term", "Agree the term, renewal, how a party withdraws and how it all winds up."),
        ("contributions", "List what each side contributes, and how later calls for more work."),
        ("allocation", "Set how benefits, profits and losses are divided."),
        ("roles", "Assign roles and responsibilities, with remedies when one is not met."),
        ("governance", "Decide governance: who votes on what, and how a deadlock is broken."),
        ("authority", "Limit who may bind the partnership, and for how much."),
        ("books", "Keep joint books, with regular reporting and a right to audit."),
        ("liability", "Allocate liability and indemnities, and agree the insurance to hold."),
        ("ip", "Agree who owns and may use intellectual property, before and after."),
        ("confidentiality", "Agree what stays confidential, and for how long."),
        ("disputes", "Choose how disputes are resolved: escalation, mediation, then what."),
        ("exit", "Plan the exit: buy-out terms, valuation and what happens to shared assets."),
    )
)

COLLABORATION_CHECKLIST: Final[tuple[Obligation, ...]] = tuple(
    Obligation(code=f"collaboration.{code}", text=text)
    for code, text in (
        ("objectives", "Write down the objectives everyone is working towards."),
        ("contributions", "List what each side brings."),
        ("outputs", "Say who owns and may use what is created or exchanged: licence, credit."),
        ("confidentiality", "Agree what stays confidential."),
        ("owners", "Keep a living list of owners, one per piece of work."),
        ("cadence", "Set a check-in cadence."),
        ("end", "Fix an end date and what happens to the outputs afterwards."),
        ("may", "Write “may”, not “shall”, wherever nothing should bind."),
        (
            "no_partnership",
            "Add a clause that this is no partnership and neither side can bind the other, "
            "and behave that way.",
        ),
    )
)

CHECKLISTS: Final[dict[Kind, tuple[Obligation, ...]]] = {
    "partnership": PARTNERSHIP_CHECKLIST,
    "collaboration": COLLABORATION_CHECKLIST,
}

ANSWER_ITEMS: Final[tuple[tuple[str, str, Obligation], ...]] = (
    (
        "resources",
        "pooled",
        Obligation(
            code="answer.contribution_schedule",
            text="Agree a contribution schedule and who controls the joint budget.",
            because="resources are pooled",
        ),
    ),
    (
        "risk",
        "shared",
        Obligation(
            code="answer.liability_allocation",
            text="Allocate liability between you and check your insurance covers it.",
            because="losses and liabilities are shared",
        ),
    ),
    (
        "benefits",
        "net_profit",
        Obligation(
            code="answer.profit_formula",
            text="Write the profit allocation formula and get advice on its tax treatment.",
            because="net profit is shared",
        ),
    ),
    (
        "competitors",
        "yes",
        Obligation(
            code="answer.information_barriers",
            text="Put information barriers in place and have counsel review the deal.",
            because="the parties compete",
        ),
    ),
    (
        "horizon",
        "open_ended",
        Obligation(
            code="answer.review_points",
            text="Set review points and exit terms, since nothing ends it by default.",
            because="it is open-ended",
        ),
    ),
    (
        "roles",
        "emergent",
        Obligation(
            code="answer.workstream_owners",
            text="Name an owner for every workstream as soon as it starts.",
            because="roles are worked out as you go",
        ),
    ),
)


# ANSWER_ITEMS taken apart, to compare all the answers at once.
ANSWER_ITEM_VALUES: Final = attrgetter(*(key for key, _, _ in ANSWER_ITEMS))
ANSWER_ITEM_ANSWERS: Final = tuple(value for _, value, _ in ANSWER_ITEMS)
ANSWER_OBLIGATIONS: Final = tuple(item for _, _, item in ANSWER_ITEMS)

# The item for each open question, built once (the models are immutable).
OPEN_ITEMS: Final[dict[str, Obligation]] = {
    key: Obligation(code=f"open.{key}", text=f"Answer: {question.question}")
    for key, question in BY_KEY.items()
}


def conflict_item(
    toward_partnership: tuple[str, ...], toward_collaboration: tuple[str, ...]
) -> Obligation:
    """The mixed-verdict item naming the answers that pull apart, to settle first.

    The pulls take tens of thousands of shapes, too many to cache: built each time, without
    validating (every field is a str).
    """
    partner = ", ".join(toward_partnership) or "nothing"  # each key is its own name
    collab = ", ".join(toward_collaboration) or "nothing"
    return trusted(
        Obligation,
        {
            "code": "mixed.settle_conflict",
            "text": (
                f"Settle the conflict first: {partner} point to a partnership while {collab} "
                "point to a collaboration. Decide which way the deal really goes."
            ),
            "because": "the answers pull both ways",
        },
    )


def open_question_items(open_questions: tuple[str, ...]) -> tuple[Obligation, ...]:
    """For an undetermined verdict: the questions to answer, and no checklist."""
    return tuple(map(OPEN_ITEMS.__getitem__, open_questions))


def find_obligations(
    answers: Answers,
    verdict: Verdict,
    leaning: Kind | None,
    open_questions: tuple[str, ...],
    pulls: tuple[tuple[str, ...], tuple[str, ...]],
) -> tuple[Obligation, ...]:
    """The checklist for a verdict, then the items the answers add."""
    if verdict == "undetermined":
        return open_question_items(open_questions)
    if verdict == "mixed":
        kind: Kind = leaning or "partnership"
        items = (conflict_item(*pulls), *CHECKLISTS[kind])
    else:
        items = CHECKLISTS[verdict]
    extra = compress(ANSWER_OBLIGATIONS, map(eq, ANSWER_ITEM_VALUES(answers), ANSWER_ITEM_ANSWERS))
    return (*items, *extra)
