"""The /relationship help text."""

from __future__ import annotations

from typing import Final

HELP_TEXT: Final = (
    "*Relationship Bot* tells you whether a deal is a partnership or a collaboration, and "
    "what follows.\n"
    "• `/relationship` opens a short set of questions; the verdict is posted here.\n"
    "• `/relationship we'll sign a 3-year contract and pool budgets` fills in what it can "
    "from your description first.\n"
    '• Reply in the verdict\'s thread to refine it ("it\'s a 5-year term", "resources: '
    'separate"), ask what-ifs ("what if we shared profits?"), or say "undo".\n'
    "• `/relationship list` shows this channel's checks, with links and pin state.\n"
    "• `/relationship help` shows this.\n"
    "It gives general information, not legal advice."
)
