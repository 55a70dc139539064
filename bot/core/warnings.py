"""Warnings of DOMAIN.md: computed from the answers apart from the score, never averaged away."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final, Literal, NamedTuple

from bot.core.dimensions import BY_KEY
from bot.core.models import Answers, Verdict, Warning
from bot.core.wording import LEGAL_NOTICE

Law = Literal["us", "uk", "both", "other"]

LAW_NAMES: Final[dict[Law, str]] = {
    "us": "US",
    "uk": "UK",
    "both": "US and UK",
    "other": "local",
}
OTHER_LAW: Final = (
    "Many common-law systems follow similar rules, but the law that governs this deal must be "
    "checked locally."
)
BOTH_LAWS: Final = "Which of these applies depends on whose law governs the deal."


def law_of(answers: Answers) -> Law:
    """Whose statutes the legal warnings cite, from the jurisdiction answer."""
    if answers.jurisdiction in ("us", "uk", "other"):
        return answers.jurisdiction
    return "both"


@cache
def legal_partnership_risk(law: Law) -> Warning:
    """The law may find a partnership in profit sharing plus pooling, joint control or risk."""
    us = (
        "US (RUPA): people who co-own a business for profit form a partnership whether or not "
        "they mean to (§202(a)). A share of profits presumes one (§202(c)(3)) unless it is paid "
        "as wages, rent, interest, loan repayment, an annuity or the price of property sold; "
        "sharing gross returns alone does not (§202(c)(2)). Partners are jointly and severally "
        "liable (§306), each can bind the others (§301), and they owe duties of loyalty and "
        "care (§404)."
    )
    uk = (
        "UK (Partnership Act 1890): carrying on a business in common with a view of profit is "
        "a partnership (s.1); a share of profits is prima facie evidence of one (s.2(3)); each "
        "partner is the firm's agent (s.5) and partners are jointly liable for its debts (s.9)."
    )
    body = {
        "us": (us,),
        "uk": (uk,),
        "both": (us, uk, BOTH_LAWS),
        "other": (OTHER_LAW,),
    }[law]
    citations = {
        "us": ("RUPA §202(a)", "RUPA §202(c)", "RUPA §301", "RUPA §306", "RUPA §404"),
        "uk": ("Partnership Act 1890 s.1", "s.2(3)", "s.5", "s.9"),
        "other": (),
    }
    return Warning(
        code="legal_partnership_risk",
        title="The law may treat this as a partnership, whatever you call it",
        text=" ".join(
            (
                "Sharing net profit while pooling resources, deciding jointly or sharing "
                "losses is what partnership law looks for.",
                *body,
            )
        ),
        jurisdiction=LAW_NAMES[law],
        citations=_cite(citations, law),
    )


@cache
def holding_out(law: Law) -> Warning:
    """Presenting as one venture can make each side answerable for the other."""
    us = (
        "US: a party who presents itself as a partner can be liable as one to those who rely "
        "on it (partnership by estoppel, RUPA §308), and apparent authority lets one side bind "
        "the other (§301)."
    )
    uk = (
        "UK: whoever holds themselves out as a partner is liable as one to anyone who gives "
        "credit on that basis (Partnership Act 1890 s.14)."
    )
    body = {"us": (us,), "uk": (uk,), "both": (us, uk, BOTH_LAWS), "other": (OTHER_LAW,)}[law]
    citations = {
        "us": ("RUPA §308", "RUPA §301"),
        "uk": ("Partnership Act 1890 s.14",),
        "other": (),
    }
    return Warning(
        code="holding_out",
        title="Appearing as one venture can make each of you answerable for the other",
        text=" ".join(
            (
                "Customers and suppliers who see one venture may hold either side to the "
                "other's promises.",
                *body,
            )
        ),
        jurisdiction=LAW_NAMES[law],
        citations=_cite(citations, law),
    )


@cache
def competitor_antitrust(law: Law, *, deep: bool) -> Warning:
    """Working with a competitor invites antitrust scrutiny."""
    us = (
        "US: the 2000 FTC/DOJ guidelines for collaborations among competitors were withdrawn "
        "on 11 December 2024 and nothing has replaced them yet, so counsel should judge the "
        "deal on the case law."
    )
    uk = (
        "UK: the Chapter I prohibition of the Competition Act 1998 applies, read with the "
        "CMA's guidance on horizontal agreements."
    )
    body = {"us": (us,), "uk": (uk,), "both": (us, uk, BOTH_LAWS), "other": (OTHER_LAW,)}[law]
    citations = {
        "us": ("FTC/DOJ Competitor Collaboration Guidelines (2000, withdrawn 2024)",),
        "uk": ("Competition Act 1998, Chapter I", "CMA horizontal agreements guidance"),
        "other": (),
    }
    depth = (
        " Pooling resources or deciding jointly with a competitor raises the stakes."
        if deep
        else ""
    )
    return Warning(
        code="competitor_antitrust",
        title="You compete: keep prices, costs, customers and wages out of it",
        text=" ".join(
            (
                "Deals between competitors draw antitrust scrutiny. Prices, costs, customer "
                "lists and wages must not flow between you, and counsel should review the "
                f"deal.{depth}",
                *body,
            )
        ),
        jurisdiction=LAW_NAMES[law],
        citations=_cite(citations, law),
    )


@cache
def commitment_without_paper(law: Law) -> Warning:
    """Heavy commitments on light paper leave the statutory defaults in charge."""
    us = "US: for example, partners share profits equally unless agreed otherwise (RUPA §401)."
    uk = (
        "UK: for example, partners share profits equally unless agreed otherwise "
        "(Partnership Act 1890 s.24(1))."
    )
    body = {"us": (us,), "uk": (uk,), "both": (us, uk, BOTH_LAWS), "other": (OTHER_LAW,)}[law]
    citations = {
        "us": ("RUPA §401",),
        "uk": ("Partnership Act 1890 s.24(1)",),
        "other": (),
    }
    return Warning(
        code="commitment_without_paper",
        title="Heavy commitments, light paperwork",
        text=" ".join(
            (
                "You pool resources, share risk or bind each other's decisions with only an "
                "informal understanding or an MOU. Where the paper is silent, default rules "
                "fill the gaps, and they may not be the ones you would choose.",
                *body,
            )
        ),
        jurisdiction=LAW_NAMES[law],
        citations=_cite(citations, law),
    )


JOINT_ENTITY: Final = Warning(
    code="joint_entity",
    title="A new entity brings its own rules",
    text=(
        "A jointly owned company or LLC is governed by its own corporate or LLC law and by its "
        "constitutional documents (articles, shareholder or operating agreement). Settle "
        "ownership, board seats, transfers and deadlock there."
    ),
)


@cache
def nonprofit_context(*, contradiction: bool) -> Warning:
    """Partnership statutes concern businesses for profit; good practice still applies."""
    text = (
        "The joint activity is not run for profit, so partnership statutes, which concern "
        "businesses carried on for profit, are unlikely to apply. The obligations below still "
        "make sense as good practice."
    )
    if contradiction:
        text += (
            " But you also said net profit is shared, which contradicts a not-for-profit "
            "activity: which one holds?"
        )
    return Warning(code="nonprofit_context", title="Not run for profit", text=text)


@cache
def label_mismatch(label: str, verdict: Verdict) -> Warning:
    """The word the team uses is not what the answers describe."""
    described = "a mixed arrangement" if verdict == "mixed" else f"a {verdict}"
    return Warning(
        code="label_mismatch",
        title=f"You call it a {label}, but the answers describe {described}",
        text=(
            "What a relationship is called does not decide what it is. The label still "
            "matters: it sets expectations inside and outside both organizations, so make it "
            "match the deal, or change the deal."
        ),
    )


def needs_more_answers(open_questions: tuple[str, ...]) -> Warning:
    """The verdict is undetermined; list what to settle first."""
    return _settle_first(open_questions[:4])


@lru_cache(maxsize=1024)
def _settle_first(first: tuple[str, ...]) -> Warning:
    """The needs-more-answers warning naming these questions, built once."""
    listed = "; ".join(BY_KEY[key].question for key in first)
    return Warning(
        code="needs_more_answers",
        title="Answer a few more questions for a verdict",
        text=f"Settle these first: {listed}",
    )


class Found(NamedTuple):
    """The warnings that fire, the not-legal-advice line they call for, and whether the law
    may find a partnership (legal_partnership_risk fired)."""

    warnings: tuple[Warning, ...]
    legal_notice: str | None
    partnership_risk: bool


def find_warnings(answers: Answers, verdict: Verdict, open_questions: tuple[str, ...]) -> Found:
    """Every warning DOMAIN.md defines that fires for these answers and verdict."""
    law = law_of(answers)
    warnings: list[Warning] = []
    entity = answers.agreement == "joint_entity"
    pooled = answers.resources == "pooled"
    joint = answers.decisions == "joint_binding"
    shared_risk = answers.risk == "shared"
    partnership_risk = (
        answers.benefits == "net_profit"
        and (pooled or joint or shared_risk)
        and not entity
        and answers.for_profit != "no"
    )
    if partnership_risk:
        warnings.append(legal_partnership_risk(law))
    if answers.authority == "one_venture" and not entity:
        warnings.append(holding_out(law))
    if answers.competitors == "yes":
        warnings.append(competitor_antitrust(law, deep=pooled or joint))
    if (pooled or shared_risk or joint) and answers.agreement in ("informal", "mou"):
        warnings.append(commitment_without_paper(law))
    # The warnings so far are the legal ones; each cites the same law, so the notice that
    # goes with them depends on the law alone.
    notice = NOTICES[law] if warnings else None
    if entity:
        warnings.append(JOINT_ENTITY)
    if answers.for_profit == "no":
        warnings.append(nonprofit_context(contradiction=answers.benefits == "net_profit"))
    if answers.label in ("partnership", "collaboration") and verdict not in (
        "undetermined",
        answers.label,
    ):
        warnings.append(label_mismatch(answers.label, verdict))
    if verdict == "undetermined":
        warnings.append(needs_more_answers(open_questions))
    return Found(tuple(warnings), notice, partnership_risk)


def legal_notice(law: Law) -> str:
    """The one not-legal-advice line for legal warnings citing this law."""
    if law == "other":
        return (
            "This is general information, not legal advice. Have a lawyer who knows the law "
            "that governs this deal review it."
        )
    return LEGAL_NOTICE.format(places=LAW_NAMES[law])


NOTICES: Final[dict[Law, str]] = {law: legal_notice(law) for law in LAW_NAMES}


def _cite(citations: dict[str, tuple[str, ...]], law: Law) -> tuple[str, ...]:
    """The citations for one jurisdiction, or both when it is unknown."""
    if law == "both":
        return citations["us"] + citations["uk"]
    return citations[law]
