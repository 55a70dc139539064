"""Safe text for Slack: escape user strings for mrkdwn and keep every field within its limit."""

from __future__ import annotations

import re

ELLIPSIS = "…"
# A link that can go between < and > in mrkdwn without breaking out of it.
SAFE_URL = re.compile(r"https://[^\s<>|]+")


def escape(text: str) -> str:
    """Escape &, < and > so user text can never ping, link or format as Slack markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters, with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def safe(text: str, limit: int) -> str:
    """User text escaped for mrkdwn and cut to a limit without splitting an escape."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + ELLIPSIS


def safe_url(url: object) -> str | None:
    """An https URL ready to sit inside `<url|label>` (its & escaped), or None if it can't."""
    if not isinstance(url, str) or not SAFE_URL.fullmatch(url):
        return None
    return url.replace("&amp;", "&").replace("&", "&amp;")
