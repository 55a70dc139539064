"""The reader's scan tables, stored beside this module so that importing it does not build them.

Reading every pattern's openings took most of the interpreter's import (~0.3 s of a process
start). The tables are plain data derived from the patterns' sources and flags, the code that
reads openings (openings.py, its limits included) and the regex parser of this Python; they
are stored under a key made of all of those, and used only when the key matches, so a stale
file costs start-up time, never a wrong scan. `python -m bot.core.interpret.write_scan_tables`
writes them again (a test says when).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from bot.core.interpret import openings
from bot.core.interpret.openings import ScanTables

PATH: Final = Path(__file__).with_name("scan_tables.json")


def tables_key(patterns: Sequence[re.Pattern[str]]) -> str:
    """A digest of everything the tables are derived from."""
    source = json.dumps(
        {
            "patterns": [[pattern.pattern, pattern.flags] for pattern in patterns],
            "builder": hashlib.sha256(Path(openings.__file__).read_bytes()).hexdigest(),
            "python": python_version(),
        }
    )
    return hashlib.sha256(source.encode()).hexdigest()


def python_version() -> str:
    """This Python's major.minor: its regex parser is one of the tables' inputs."""
    return "{}.{}".format(*sys.version_info[:2])


def stored_tables(patterns: Sequence[re.Pattern[str]], path: Path = PATH) -> ScanTables | None:
    """The stored tables if they were built from exactly these patterns, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != tables_key(patterns):
        return None
    return from_json(data)


def to_json(tables: ScanTables, key: str) -> dict[str, Any]:
    """The tables as JSON data (tuples as lists, the two-part keys of `after` spelled out)."""
    return {
        "key": key,
        "python": python_version(),
        "full": sorted(tables.full),
        "word_at": {tail: list(at) for tail, at in sorted(tables.word_at.items())},
        "after": [
            [separator, tail, [list(target) for target in targets]]
            for (separator, tail), targets in sorted(tables.after.items())
        ],
        "trie": tables.trie,
    }


def from_json(data: dict[str, Any]) -> ScanTables:
    """The tables back from to_json's data."""
    return ScanTables(
        full=frozenset(data["full"]),
        word_at={tail: tuple(at) for tail, at in data["word_at"].items()},
        after={
            (separator, tail): tuple((index, shift) for index, shift in targets)
            for separator, tail, targets in data["after"]
        },
        trie=data["trie"],
    )


def write(patterns: Sequence[re.Pattern[str]], path: Path = PATH) -> None:
    """Build the tables for `patterns` and store them."""
    data = to_json(ScanTables.build(patterns), tables_key(patterns))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
