"""The reader on sets of descriptions and thread replies, by register and by kind of reply.

A set is a folder of `descriptions.jsonl` and `replies.jsonl` (see corpus/blind2/NOTES.md for
the format). Descriptions are read from no answers; replies from the answers a line gives
(none when it gives none). What counts, as issue 19 states its goals:

- descriptions: stated answers read right, read as a wrong value, missed; the verdict from
  the text alone against the verdict of the intended answers; expected warnings missing;
- replies: precision and recall of (question, value) pairs over refinements, and how many
  replies that must change nothing changed something.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.classify import classify
from bot.core.interpret import interpret
from bot.core.models import Answers
from tests.core.corpus_metrics import TODAY


@dataclass
class DescriptionScore:
    """Counts over descriptions."""

    texts: int = 0
    stated: int = 0
    right: int = 0
    wrong: int = 0
    verdicts_right: int = 0
    warnings_missing: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, line: dict[str, Any]) -> None:
        """Read one description and count it."""
        expected: dict[str, str] = line["expect"]
        got = read(line["text"], {})
        self.texts += 1
        self.stated += len(expected)
        self.right += sum(got.get(key) == value for key, value in expected.items())
        self.wrong += sum(key in got and got[key] != value for key, value in expected.items())
        intended, read_back = classify(answers(expected)), classify(answers(got))
        self.verdicts_right += intended.verdict == read_back.verdict
        missing = set(intended.warning_codes()) - set(read_back.warning_codes())
        self.warnings_missing += len(missing)
        if got != expected:
            self.misses.append(f"{line['id']}: expected {expected}, read {got}")

    def row(self, name: str) -> str:
        """One line of figures."""
        return (
            f"{name:<14} {self.texts:>4} texts  right {share(self.right, self.stated)}  "
            f"wrong value {share(self.wrong, self.stated)}  "
            f"verdict right {share(self.verdicts_right, self.texts)}  "
            f"warnings missing {self.warnings_missing}"
        )


@dataclass
class ReplyScore:
    """Counts over thread replies."""

    texts: int = 0
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    quiet: int = 0
    quiet_changed: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, line: dict[str, Any]) -> None:
        """Read one reply and count it."""
        expected: dict[str, str] = line["expect"]
        got = read(line["text"], line.get("answers", {}))
        hits = sum(got.get(key) == value for key, value in expected.items())
        self.texts += 1
        self.true_positive += hits
        self.false_positive += len(got) - hits
        self.false_negative += len(expected) - hits
        if line["kind"] != "refinement":
            self.quiet += 1
            self.quiet_changed += bool(got)
        if got != expected:
            self.misses.append(f"{line['id']} ({line['kind']}): expected {expected}, read {got}")

    def row(self, name: str) -> str:
        """One line of figures."""
        produced = self.true_positive + self.false_positive
        wanted = self.true_positive + self.false_negative
        return (
            f"{name:<14} {self.texts:>4} texts  precision {ratio(self.true_positive, produced)}  "
            f"recall {ratio(self.true_positive, wanted)}  "
            f"must-not-change changed {self.quiet_changed}/{self.quiet}"
        )


def read(text: str, before: dict[str, str]) -> dict[str, str]:
    """What the reader changes: question -> new value."""
    result = interpret(text, answers(before), TODAY)
    return {change.dimension: change.new for change in result.changes}


def answers(values: dict[str, str]) -> Answers:
    """Answers holding these values."""
    return Answers.model_validate(values)


def share(part: int, whole: int) -> str:
    """A percentage, or a dash for nothing counted."""
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def ratio(part: int, whole: int) -> str:
    """A ratio to three places (1.000 for nothing counted)."""
    return f"{part / whole:.3f}" if whole else "1.000"


def lines(path: Path) -> list[dict[str, Any]]:
    """The JSON lines of a file (none if it does not exist)."""
    if not path.is_file():
        return []
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines() if text]


def report(folder: Path, *, show_misses: bool = False) -> list[str]:
    """The figures of one set, whole and by register (descriptions) and kind (replies)."""
    out = [f"== {folder.name}"]
    groups: Iterable[tuple[str, str, type[DescriptionScore] | type[ReplyScore]]] = (
        ("descriptions.jsonl", "register", DescriptionScore),
        ("replies.jsonl", "register", ReplyScore),
        ("replies.jsonl", "kind", ReplyScore),
    )
    for name, by, kind in groups:
        found = lines(folder / name)
        if not found:
            continue
        whole = kind()
        parts: dict[str, DescriptionScore | ReplyScore] = defaultdict(kind)
        for line in found:
            whole.add(line)
            parts[line[by]].add(line)
        out.append(f"{name} by {by}")
        out.append(whole.row("all"))
        out.extend(parts[key].row(key) for key in sorted(parts))
        if show_misses and by == "register":
            out.extend(f"  miss {miss}" for miss in whole.misses)
    return out
