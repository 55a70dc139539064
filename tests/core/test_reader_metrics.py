"""The reader's figures count what they say they count (on a set made here)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.reader_metrics import DescriptionScore, ReplyScore, report


def test_a_description_read_right_and_one_missed() -> None:
    score = DescriptionScore()
    score.add({"id": "a", "text": "budgets pooled", "expect": {"resources": "pooled"}})
    score.add({"id": "b", "text": "hello there", "expect": {"risk": "shared"}})
    assert (score.texts, score.stated, score.right, score.wrong) == (2, 2, 1, 0)
    assert score.misses == ["b: expected {'risk': 'shared'}, read {}"]


def test_a_quiet_reply_that_changes_something_is_counted() -> None:
    score = ReplyScore()
    score.add({"id": "r", "kind": "chatter", "text": "budgets pooled", "expect": {}})
    assert (score.quiet, score.quiet_changed, score.false_positive) == (1, 1, 1)


def test_report_groups_by_register_and_kind(tmp_path: Path) -> None:
    rows = [
        {"id": "r1", "register": "terse", "kind": "refinement", "text": "budgets pooled",
         "expect": {"resources": "pooled"}},
        {"id": "r2", "register": "email", "kind": "chatter", "text": "thanks all", "expect": {}},
    ]  # fmt: skip
    (tmp_path / "replies.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    printed = "\n".join(report(tmp_path))
    assert "replies.jsonl by register" in printed
    assert "replies.jsonl by kind" in printed
    assert "must-not-change changed 0/1" in printed
