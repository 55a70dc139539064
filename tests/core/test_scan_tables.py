"""The reader's scan tables stored beside it: fresh, and used only for the patterns they fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.interpret.openings import ScanTables
from bot.core.interpret.reader import SCAN_PATTERNS, SCANNER
from bot.core.interpret.scan_tables import (
    PATH,
    from_json,
    python_version,
    stored_tables,
    tables_key,
    write,
)


def test_stored_tables_are_what_the_patterns_build() -> None:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    if data["python"] != python_version():
        pytest.skip(f"stored with Python {data['python']}, this is {python_version()}")
    assert data["key"] == tables_key(SCAN_PATTERNS), (
        "the reader's patterns changed: run python -m bot.core.interpret.write_scan_tables"
    )
    assert from_json(data) == ScanTables.build(SCAN_PATTERNS)


def test_the_reader_loads_them() -> None:
    assert SCANNER.full == ScanTables.build(SCAN_PATTERNS).full
    assert stored_tables(SCAN_PATTERNS) is not None


def test_tables_of_other_patterns_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "tables.json"
    some = SCAN_PATTERNS[:3]
    write(some, path)
    assert stored_tables(SCAN_PATTERNS, path) is None
    assert stored_tables(some, path) == ScanTables.build(some)


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"key": "0"}'])
def test_an_unusable_file_means_building_them(tmp_path: Path, content: str) -> None:
    path = tmp_path / "tables.json"
    path.write_text(content, encoding="utf-8")
    assert stored_tables(SCAN_PATTERNS, path) is None
    assert stored_tables(SCAN_PATTERNS, tmp_path / "missing.json") is None
