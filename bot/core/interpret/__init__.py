"""Free text to answer changes: slash-command text, thread replies and shortcut messages."""

from bot.core.interpret.interpret import interpret

__all__ = ["interpret"]
