"""bot/core is pure: it imports nothing from Slack, SQLAlchemy or the rest of bot."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
FORBIDDEN_PREFIXES = ("slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "psycopg", "bot.")


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_sources_import_only_core_and_pure_libraries() -> None:
    offenders = {
        f"{path.relative_to(CORE)}: {module}"
        for path in CORE.rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN_PREFIXES) and not module.startswith("bot.core")
    }
    assert not offenders


def test_importing_core_loads_no_slack_or_store_module() -> None:
    probe = (
        "import sys, bot.core.classify, bot.core.interpret;"
        "bad=[m for m in sys.modules if m.startswith(('slack_bolt','slack_sdk','sqlalchemy',"
        "'bot.slack','bot.store','bot.sandbox','bot.config'))];"
        "print(','.join(bad))"
    )
    root = CORE.parents[1]
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
