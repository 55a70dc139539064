"""Logging set up once, with every Slack token and secret redacted from every record."""

from __future__ import annotations

import logging
import re
from typing import Final

SECRET: Final = re.compile(r"\b(xox[abposr]|xapp)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Replace anything shaped like a Slack token with its prefix and asterisks."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message in place; never drops a record."""
        message = record.getMessage()
        redacted = SECRET.sub(lambda m: f"{m.group(1)}-***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def setup_logging(level: str) -> None:
    """One stream handler on the root logger, redacting secrets."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic lists every plugin it loads at INFO on each start: noise above the first error.
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, root.level))
