"""Every warning code of DOMAIN.md: when it fires, when it does not, and what it cites."""

from __future__ import annotations

import pytest

from bot.core.classify import classify
from bot.core.models import Answers
from tests.support.answers import COLLABORATION, PARTNERSHIP

PROFIT_AND_POOL = COLLABORATION.with_changes({"benefits": "net_profit", "resources": "pooled"})


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        (PROFIT_AND_POOL, "legal_partnership_risk"),
        (
            COLLABORATION.with_changes({"benefits": "net_profit", "decisions": "joint_binding"}),
            "legal_partnership_risk",
        ),
        (
            COLLABORATION.with_changes({"benefits": "net_profit", "risk": "shared"}),
            "legal_partnership_risk",
        ),
        (COLLABORATION.with_changes({"label": "partnership"}), "label_mismatch"),
        (PARTNERSHIP.with_changes({"label": "collaboration"}), "label_mismatch"),
        (COLLABORATION.with_changes({"authority": "one_venture"}), "holding_out"),
        (COLLABORATION.with_changes({"competitors": "yes"}), "competitor_antitrust"),
        (COLLABORATION.with_changes({"resources": "pooled"}), "commitment_without_paper"),
        (
            COLLABORATION.with_changes({"agreement": "mou", "risk": "shared"}),
            "commitment_without_paper",
        ),
        (COLLABORATION.with_changes({"decisions": "joint_binding"}), "commitment_without_paper"),
        (PARTNERSHIP.with_changes({"agreement": "joint_entity"}), "joint_entity"),
        (COLLABORATION.with_changes({"for_profit": "no"}), "nonprofit_context"),
        (Answers(horizon="short"), "needs_more_answers"),
    ],
)
def test_warning_fires(answers: Answers, code: str) -> None:
    assert code in classify(answers).warning_codes()


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        (PROFIT_AND_POOL.with_changes({"agreement": "joint_entity"}), "legal_partnership_risk"),
        (PROFIT_AND_POOL.with_changes({"for_profit": "no"}), "legal_partnership_risk"),
        (COLLABORATION.with_changes({"benefits": "net_profit"}), "legal_partnership_risk"),
        (PARTNERSHIP.with_changes({"label": "partnership"}), "label_mismatch"),
        (Answers(horizon="short", label="partnership"), "label_mismatch"),
        (
            PARTNERSHIP.with_changes({"authority": "one_venture", "agreement": "joint_entity"}),
            "holding_out",
        ),
        (COLLABORATION.with_changes({"competitors": "no"}), "competitor_antitrust"),
        (COLLABORATION.with_changes({"competitors": "unsure"}), "competitor_antitrust"),
        (PARTNERSHIP, "commitment_without_paper"),
        (COLLABORATION, "commitment_without_paper"),
        (COLLABORATION, "nonprofit_context"),
        (COLLABORATION, "needs_more_answers"),
    ],
)
def test_warning_stays_quiet(answers: Answers, code: str) -> None:
    assert code not in classify(answers).warning_codes()


def test_every_domain_code_is_reachable() -> None:
    reachable: set[str] = set()
    for answers in (
        PROFIT_AND_POOL.with_changes(
            {"label": "collaboration", "authority": "one_venture", "competitors": "yes"}
        ),
        PARTNERSHIP.with_changes({"agreement": "joint_entity", "for_profit": "no"}),
        Answers(horizon="short"),
    ):
        reachable |= set(classify(answers).warning_codes())
    assert reachable == {
        "legal_partnership_risk",
        "label_mismatch",
        "holding_out",
        "competitor_antitrust",
        "commitment_without_paper",
        "joint_entity",
        "nonprofit_context",
        "needs_more_answers",
    }


@pytest.mark.parametrize(
    ("jurisdiction", "named", "cited", "not_cited"),
    [
        ("us", "US", "RUPA §202(a)", "Partnership Act 1890"),
        ("uk", "UK", "Partnership Act 1890 s.1", "RUPA"),
        (None, "US and UK", "RUPA §202(a)", None),
        ("unsure", "US and UK", "Partnership Act 1890 s.1", None),
    ],
)
def test_legal_warnings_name_their_jurisdiction(
    jurisdiction: str | None, named: str, cited: str, not_cited: str | None
) -> None:
    result = classify(PROFIT_AND_POOL.with_changes({"jurisdiction": jurisdiction}))
    risk = next(w for w in result.warnings if w.code == "legal_partnership_risk")
    assert risk.jurisdiction == named
    assert cited in risk.citations
    if not_cited:
        assert not any(not_cited in citation for citation in risk.citations)
    assert result.legal_notice is not None
    assert "not legal advice" in result.legal_notice
    assert named in result.legal_notice


def test_other_jurisdiction_cites_no_statute_and_says_check_local_law() -> None:
    result = classify(PROFIT_AND_POOL.with_changes({"jurisdiction": "other"}))
    risk = next(w for w in result.warnings if w.code == "legal_partnership_risk")
    assert risk.citations == ()
    assert "checked locally" in risk.text
    assert result.legal_notice is not None and "not legal advice" in result.legal_notice


def test_the_legal_notice_is_said_once_not_per_warning() -> None:
    result = classify(
        PROFIT_AND_POOL.with_changes({"authority": "one_venture", "competitors": "yes"})
    )
    assert sum("legal advice" in w.text for w in result.warnings) == 0
    assert result.legal_notice is not None


def test_no_legal_notice_without_legal_warnings() -> None:
    assert classify(COLLABORATION).legal_notice is None


def test_antitrust_warning_cites_the_withdrawn_guidelines_and_is_stronger_when_pooled() -> None:
    plain = classify(COLLABORATION.with_changes({"competitors": "yes", "jurisdiction": "us"}))
    deep = classify(COLLABORATION.with_changes({"competitors": "yes", "resources": "pooled"}))
    plain_text = next(w.text for w in plain.warnings if w.code == "competitor_antitrust")
    deep_text = next(w.text for w in deep.warnings if w.code == "competitor_antitrust")
    assert "withdrawn" in plain_text and "2024" in plain_text
    assert "raises the stakes" in deep_text and "raises the stakes" not in plain_text


def test_nonprofit_with_net_profit_asks_which_holds() -> None:
    result = classify(COLLABORATION.with_changes({"for_profit": "no", "benefits": "net_profit"}))
    text = next(w.text for w in result.warnings if w.code == "nonprofit_context")
    assert "which one holds" in text


def test_label_mismatch_on_mixed() -> None:
    mixed = COLLABORATION.with_changes(
        {
            "horizon": "multi_year",
            "agreement": "binding",
            "resources": "pooled",
            "label": "collaboration",
        }
    )
    result = classify(mixed)
    assert result.verdict == "mixed"
    assert "label_mismatch" in result.warning_codes()
