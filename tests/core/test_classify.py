"""classify(): every verdict, threshold, confidence rule, flip and Himmelman position."""

from __future__ import annotations

import pytest

from bot.core.classify import classify
from bot.core.dimensions import SCORED
from bot.core.models import Answers, ChangeFlip, QuestionFlip
from tests.support.answers import COLLABORATION, PARTNERSHIP


def test_all_partnership_answers_are_a_high_confidence_partnership() -> None:
    result = classify(PARTNERSHIP)
    assert result.verdict == "partnership"
    assert result.leaning == "partnership"
    assert result.confidence == "high"
    assert result.himmelman == "collaborating"
    assert result.score > 0.8


def test_issue_collaboration_scenario_and_its_refinement_to_mixed() -> None:
    before = classify(COLLABORATION)
    assert before.verdict == "collaboration"
    after = classify(
        COLLABORATION.with_changes(
            {"horizon": "multi_year", "agreement": "binding", "resources": "pooled"}
        )
    )
    assert after.verdict == "mixed"
    assert after.leaning == "collaboration"
    assert after.headline == "Mixed, leaning collaboration"


def test_score_is_the_weighted_mean_lean_of_domain_md() -> None:
    # resources pooled (+2 x 2) and risk own (-2 x 1.5): (4 - 3) / (2 x 3.5)
    result = classify(Answers(resources="pooled", risk="own"))
    assert result.score == pytest.approx(1 / 7, abs=1e-4)


EXACT_QUARTER = Answers(
    horizon="open_ended",
    agreement="mou",
    aim="shared_goal",
    roles="emergent",
    decisions="advisory",
    benefits="net_profit",
    risk="shared",
    authority="separate",
)
EXACT_MINUS_QUARTER = Answers(
    horizon="short",
    agreement="joint_entity",
    aim="shared_goal",
    roles="named_leads",
    resources="in_kind",
    decisions="advisory",
    risk="own",
)
EXACT_MINUS_POINT_SIX = Answers(
    horizon="multi_year",
    roles="named_leads",
    resources="separate",
    decisions="independent",
    benefits="access",
    authority="co_branded",
)


def test_thresholds_are_inclusive_at_a_quarter() -> None:
    # lean 2+(-1)+2+(-2)+(-1.5)+3+3+(-1) = 4.5 over weight 9: exactly +0.25
    at_plus = classify(EXACT_QUARTER)
    assert at_plus.score == 0.25
    assert at_plus.verdict == "partnership"
    at_minus = classify(EXACT_MINUS_QUARTER)
    assert at_minus.score == -0.25
    assert at_minus.verdict == "collaboration"
    nudged = classify(EXACT_QUARTER.with_changes({"authority": "co_branded"}))
    assert nudged.verdict == "partnership"
    weakened = classify(EXACT_QUARTER.with_changes({"benefits": "fees"}))
    assert weakened.verdict == "mixed"
    assert -0.25 < weakened.score < 0.25


def test_himmelman_boundary_at_minus_point_six() -> None:
    result = classify(EXACT_MINUS_POINT_SIX)
    assert result.score == -0.6
    assert result.himmelman == "coordinating"
    assert classify(EXACT_MINUS_QUARTER).himmelman == "cooperating"
    assert classify(EXACT_QUARTER).himmelman == "collaborating"


def test_fewer_than_five_answers_is_undetermined() -> None:
    result = classify(
        Answers(resources="pooled", decisions="joint_binding", benefits="net_profit", risk="shared")
    )
    assert result.verdict == "undetermined"
    assert result.leaning is None
    assert result.himmelman is None
    assert "needs_more_answers" in result.warning_codes()
    assert all(isinstance(flip, QuestionFlip) for flip in result.flips)
    assert len(result.flips) == 1  # one more answer settles it


def test_paperwork_alone_never_decides() -> None:
    answers = Answers(
        horizon="open_ended",
        agreement="binding",
        aim="shared_goal",
        roles="specified",
        authority="one_venture",
        resources="pooled",
    )
    result = classify(answers)
    assert result.verdict == "undetermined"
    assert [flip.dimension for flip in result.flips if isinstance(flip, QuestionFlip)] == [
        "decisions"
    ]


def test_unsure_scores_nothing_and_counts_as_open() -> None:
    answers = COLLABORATION.with_changes({"resources": "unsure"})
    result = classify(answers)
    assert result.answered == 8
    assert "resources" in result.open_questions
    assert classify(COLLABORATION).answered == 9


@pytest.mark.parametrize(
    ("changes", "confidence"),
    [
        ({}, "high"),
        ({"horizon": None, "agreement": None, "aim": None}, "medium"),  # 6 answered, |score| high
        ({"horizon": None, "agreement": None, "aim": None, "roles": None}, "low"),  # 5 answered
    ],
)
def test_confidence_follows_answer_count_and_score(
    changes: dict[str, str | None], confidence: str
) -> None:
    assert classify(PARTNERSHIP.with_changes(changes)).confidence == confidence


def test_low_confidence_when_the_score_is_weak() -> None:
    result = classify(
        Answers(
            horizon="open_ended",
            agreement="binding",
            aim="shared_goal",
            roles="specified",
            resources="separate",
            decisions="independent",
            benefits="fees",
            risk="capped_split",
        )
    )
    assert abs(result.score) < 0.35
    assert result.confidence == "low"


def test_legal_risk_on_a_non_partnership_caps_confidence_and_qualifies_headline() -> None:
    answers = COLLABORATION.with_changes({"benefits": "net_profit", "risk": "shared"})
    result = classify(answers)
    assert result.verdict != "partnership"
    assert "legal_partnership_risk" in result.warning_codes()
    assert result.confidence == "low"
    assert "law may see a partnership" in result.headline


def test_himmelman_positions() -> None:
    assert (
        classify(
            COLLABORATION.with_changes({"authority": "separate", "aim": "own_goals"})
        ).himmelman
        == "coordinating"
    )
    assert classify(PARTNERSHIP).himmelman == "collaborating"
    mixed = classify(
        COLLABORATION.with_changes(
            {"horizon": "multi_year", "agreement": "binding", "resources": "pooled"}
        )
    )
    assert mixed.himmelman == "cooperating"
    assert mixed.himmelman_note is not None


def test_reasons_strongest_first_then_the_other_way() -> None:
    result = classify(COLLABORATION.with_changes({"horizon": "open_ended"}))
    towards = [reason.toward for reason in result.reasons]
    assert towards[0] == "collaboration"
    assert towards[-1] == "partnership"
    leading = [abs(r.weighted) for r in result.reasons if r.toward == "collaboration"]
    assert leading == sorted(leading, reverse=True)
    assert result.reasons[0].dimension == "resources"


def test_mixed_names_both_sides_in_obligations() -> None:
    result = classify(
        COLLABORATION.with_changes(
            {"horizon": "multi_year", "agreement": "binding", "resources": "pooled"}
        )
    )
    conflict = result.obligations[0]
    assert conflict.code == "mixed.settle_conflict"
    assert "resources" in conflict.text and "risk" in conflict.text
    assert any(item.code.startswith("collaboration.") for item in result.obligations)


def test_flips_move_the_verdict_with_the_fewest_changes() -> None:
    for answers in (PARTNERSHIP, COLLABORATION):
        result = classify(answers)
        assert 1 <= len(result.flips) <= 3
        sizes = {len(flip.changes) for flip in result.flips if isinstance(flip, ChangeFlip)}
        assert len(sizes) == 1
        for flip in result.flips:
            assert isinstance(flip, ChangeFlip)
            moved = answers.with_changes({c.dimension: c.new for c in flip.changes})
            assert classify(moved).verdict == flip.verdict != result.verdict
            assert all(c.new != "unsure" for c in flip.changes)
        # no single change would do when the flips need more
        size = sizes.pop()
        if size > 1:
            for question in SCORED:
                for value in question.values:
                    single = classify(answers.with_changes({question.key: value}))
                    assert single.verdict == result.verdict


def test_flips_rank_larger_score_change_first() -> None:
    result = classify(
        COLLABORATION.with_changes(
            {"horizon": "multi_year", "agreement": "binding", "resources": "pooled"}
        )
    )
    changes = [
        abs(flip.score - result.score) for flip in result.flips if isinstance(flip, ChangeFlip)
    ]
    assert changes == sorted(changes, reverse=True)


def test_answer_specific_obligations() -> None:
    answers = PARTNERSHIP.with_changes({"competitors": "yes", "roles": "emergent"})
    codes = {item.code for item in classify(answers).obligations}
    assert {
        "answer.contribution_schedule",
        "answer.liability_allocation",
        "answer.profit_formula",
        "answer.information_barriers",
        "answer.review_points",
        "answer.workstream_owners",
    } <= codes
    assert any(code.startswith("partnership.") for code in codes)


def test_undetermined_has_open_questions_and_no_checklist() -> None:
    result = classify(Answers(horizon="short"))
    assert all(item.code.startswith("open.") for item in result.obligations)
    assert result.obligations
