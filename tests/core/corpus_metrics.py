"""Precision and recall of the interpreter on a labeled corpus of (dimension, value) pairs."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.core.interpret import interpret
from bot.core.models import Answers

TODAY = date(2026, 11, 27)
CORPUS_DIR = Path(__file__).parent / "corpus"
QUIET_KINDS = frozenset({"chatter", "question"})


@dataclass
class Score:
    """Counts over a corpus, and the lines that went wrong."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    quiet_lines_changed: list[str] = field(default_factory=list)
    misses: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of produced pairs that were expected."""
        produced = self.true_positive + self.false_positive
        return self.true_positive / produced if produced else 1.0

    @property
    def recall(self) -> float:
        """Share of expected pairs that were produced."""
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0


def load(name: str) -> list[dict[str, Any]]:
    """The lines of a corpus file."""
    path = CORPUS_DIR / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def measure(lines: list[dict[str, Any]]) -> Score:
    """Run the interpreter over every line and count (dimension, value) pairs."""
    score = Score()
    for line in lines:
        answers = Answers.model_validate(line.get("answers", {}))
        result = interpret(line["text"], answers, TODAY)
        got = {change.dimension: change.new for change in result.changes}
        expected: dict[str, str] = line["expect"]
        hits = {key for key, value in got.items() if expected.get(key) == value}
        score.true_positive += len(hits)
        score.false_positive += len(got) - len(hits)
        score.false_negative += len(expected) - len(hits)
        if line["kind"] in QUIET_KINDS and got:
            score.quiet_lines_changed.append(line["text"])
        if got != expected:
            score.misses.append((line["text"], expected, got))
    return score


def main(argv: list[str] | None = None) -> None:
    """Print the figures (`python -m tests.core.corpus_metrics [--blind] [--misses]`).

    The line corpora and the tuning sets always; the blind held-out set (corpus/blind2) only
    with --blind: it is measured once, after tuning ends, and never tuned against.
    """
    from tests.core.reader_metrics import report  # noqa: PLC0415 - it imports this module

    args = set(sys.argv[1:] if argv is None else argv)
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        score = measure(load(path.name))
        print(
            f"{path.name}: precision {score.precision:.3f}, recall {score.recall:.3f}, "
            f"quiet lines changed {len(score.quiet_lines_changed)}"
        )
    sets = [CORPUS_DIR / "tuning"] + ([CORPUS_DIR / "blind2"] if "--blind" in args else [])
    for folder in sets:
        print("\n".join(report(folder, show_misses="--misses" in args)))


if __name__ == "__main__":
    main()
