"""`python -m bot classify`: the public JSON contract and the terminal view, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_KEYS = {
    "verdict",
    "leaning",
    "score",
    "confidence",
    "answers",
    "reasons",
    "flips",
    "obligations",
    "warnings",
}


def run_bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` in a subprocess from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def classify_json(*args: str, stdin: str | None = None) -> dict[str, Any]:
    """The JSON contract for some arguments."""
    done = run_bot("classify", *args, "--json", "--today", "2026-11-27", stdin=stdin)
    assert done.returncode == 0, done.stderr
    contract: dict[str, Any] = json.loads(done.stdout)
    return contract


def test_text_then_refinements_in_order() -> None:
    contract = classify_json(
        "--text",
        "short project, informal, one joint report, named leads on each side, each side funds "
        "its own work, a joint group only advises, everyone gets access to the results, each "
        "side carries its own risk, co-branded",
        "--refine",
        "actually it's a signed 3-year contract and we're pooling our budgets",
    )
    assert contract.keys() >= CONTRACT_KEYS
    assert contract["verdict"] == "mixed"
    assert contract["answers"]["horizon"] == "multi_year"
    assert contract["answers"]["resources"] == "pooled"
    assert all("code" in warning for warning in contract["warnings"])
    assert {c["dimension"] for c in contract["changes"]} >= {"horizon", "agreement", "resources"}


def test_answers_from_stdin_and_file(tmp_path: Path) -> None:
    answers = {
        "horizon": "open_ended",
        "agreement": "binding",
        "aim": "shared_goal",
        "roles": "specified",
        "resources": "pooled",
        "decisions": "joint_binding",
        "benefits": "net_profit",
        "risk": "shared",
        "authority": "one_venture",
        "jurisdiction": "uk",
    }
    from_stdin = classify_json("--answers", "-", stdin=json.dumps(answers))
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    from_file = classify_json("--answers", str(path))
    assert from_stdin == from_file
    assert from_file["verdict"] == "partnership"
    codes = [warning["code"] for warning in from_file["warnings"]]
    assert codes == ["legal_partnership_risk", "holding_out"]
    assert from_file["warnings"][0]["jurisdiction"] == "UK"
    assert from_file["answers"] == answers


def test_unanswered_is_undetermined_with_questions_to_answer() -> None:
    contract = classify_json("--text", "thanks all!")
    assert contract["verdict"] == "undetermined"
    assert contract["answers"] == {}
    assert [flip["kind"] for flip in contract["flips"]] == ["answer"] * len(contract["flips"])
    assert contract["warnings"][0]["code"] == "needs_more_answers"


def test_bad_answers_fail_with_exit_2_and_a_clear_message(tmp_path: Path) -> None:
    bad = run_bot("classify", "--answers", "-", stdin='{"horizon": "forever"}')
    assert bad.returncode == 2
    assert "horizon" in bad.stderr and "forever" in bad.stderr
    missing = run_bot("classify", "--answers", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    broken = run_bot("classify", "--answers", "-", stdin="{not json")
    assert broken.returncode == 2
    assert "not valid JSON" in broken.stderr


def test_terminal_view_reads_like_a_verdict() -> None:
    done = run_bot(
        "classify",
        "--text",
        "open-ended, a binding contract, pooled budgets, joint binding votes, net profit split "
        "50/50, losses shared, roles specified, a shared long-term goal",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Partnership")
    assert "Collaboration" in out and "●" in out
    assert "Why:" in out and "Obligations:" in out and "Before you commit:" in out
    assert "not legal advice" in out
