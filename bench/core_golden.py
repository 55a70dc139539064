"""Golden outputs of classify and interpret, to prove a speed-up changes nothing.

`python -m bench.core_golden build FILE` records the current code's outputs for ~46,000
inputs (random answer sets, 300-character replies, shuffled and noisy corpus text); after a
change, `python -m bench.core_golden check FILE` says how many outputs differ (exit 1 if any).
Build the file from main before optimising. Only the tuning corpus is read.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from bench.core_bench import CORPUS, TODAY, random_answers, replies
from bot.core.classify import classify
from bot.core.interpret import interpret
from bot.core.models import Answers

SEPARATORS = (", ", "\n", ". ", " - ", "? ")


def inputs() -> tuple[list[Answers], list[str], list[Answers]]:
    """Answer sets, texts, and the answers each text is read against (by index)."""
    rng = random.Random(777)
    answer_sets = [random_answers(rng) for _ in range(30_000)]
    texts = replies(rng, 8_000)
    lines = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    for _ in range(8_000):
        words = " ".join(rng.choice(lines) for _ in range(2)).split()
        rng.shuffle(words)
        text = " ".join(words[: rng.randint(3, 40)])
        if rng.random() < 0.3:
            text = text.upper()
        if rng.random() < 0.3:
            text = text.replace(" ", rng.choice(SEPARATORS), 3)
        texts.append(text)
    texts += lines
    return answer_sets, texts, [Answers(), *answer_sets[:50]]


def outputs() -> list[str]:
    """Every output as JSON, one per input, in a fixed order."""
    answer_sets, texts, starts = inputs()
    found = [classify(answers).model_dump_json() for answers in answer_sets]
    for index, text in enumerate(texts):
        found.append(interpret(text, starts[index % len(starts)], TODAY).model_dump_json())
    return found


def main() -> None:
    """Build or check a golden file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("build", "check"))
    parser.add_argument("file", type=Path)
    arguments = parser.parse_args()
    got = outputs()
    if arguments.mode == "build":
        arguments.file.write_text("\n".join(got), encoding="utf-8")
        print(f"built {len(got)} outputs")
        return
    want = arguments.file.read_text(encoding="utf-8").split("\n")
    differ = [i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b]
    print(f"checked {len(got)} outputs: {len(differ)} differ {differ[:10]}")
    if differ or len(want) != len(got):
        sys.exit(1)


if __name__ == "__main__":
    main()
