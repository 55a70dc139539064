"""`python -m bot.core.interpret.write_scan_tables`: store the reader's scan tables again."""

from __future__ import annotations

from bot.core.interpret.reader import SCAN_PATTERNS
from bot.core.interpret.scan_tables import PATH, write


def main() -> None:
    """Build the tables of the reader's patterns and store them beside the reader."""
    write(SCAN_PATTERNS)
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
