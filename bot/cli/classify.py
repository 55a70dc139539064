"""`python -m bot classify`: the classification core offline, as thread replies would drive it."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from bot.cli.terminal import render_result
from bot.core.classify import classify
from bot.core.interpret import interpret
from bot.core.models import Answers, Evidence, Result


class UsageError(Exception):
    """Input the command cannot use; the message says why."""


def add_parser(commands: Any) -> None:
    """Register the `classify` subcommand."""
    parser = commands.add_parser(
        "classify",
        help="classify a relationship offline",
        description="Classify a relationship from answers and free text, without Slack.",
    )
    parser.add_argument("--text", help="a description, read as the /relationship text is")
    parser.add_argument(
        "--refine",
        action="append",
        default=[],
        metavar="TEXT",
        help="a thread reply that refines the answers; repeat to apply several in order",
    )
    parser.add_argument(
        "--answers",
        metavar="FILE|-",
        help="a JSON object of answers (DOMAIN.md keys and values) to start from; - reads stdin",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON contract")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the date relative dates are read against (YYYY-MM-DD; default: today)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Apply answers, text and refinements in order, classify, and print the result."""
    try:
        answers = load_answers(args.answers)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    today = args.today or date.today()
    applied: list[Evidence] = []
    for text in ([args.text] if args.text else []) + list(args.refine):
        reading = interpret(text, answers, today)
        answers = answers.with_changes({change.dimension: change.new for change in reading.changes})
        applied.extend(reading.changes)
    result = classify(answers)
    if args.json:
        json.dump(contract_with_changes(result, applied), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(render_result(result, applied))
    return 0


def contract_with_changes(result: Result, applied: list[Evidence]) -> dict[str, Any]:
    """The JSON contract, plus the changes the text made and the words behind them."""
    return {
        **result.contract(),
        "changes": [change.model_dump(mode="json") for change in applied],
    }


def load_answers(source: str | None) -> Answers:
    """Answers from a JSON file or stdin, validated; empty answers when none are given."""
    if source is None:
        return Answers()
    try:
        raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read answers from {source}: {error.strerror}") from error
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"answers are not valid JSON: {error.msg} (line {error.lineno})"
        ) from error
    if not isinstance(data, dict):
        raise UsageError("answers must be a JSON object of DOMAIN.md keys and values")
    data = data.get("answers", data) if isinstance(data.get("answers"), dict) else data
    try:
        return Answers.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in issue['loc'])}={issue['input']!r}: {issue['msg']}"
            for issue in error.errors()
        )
        raise UsageError(f"answers are not valid: {problems}") from error
