"""Headless Chromium for the playground: Debian's /usr/bin/chromium, driven by Playwright."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright, ViewportSize

CHROMIUM: Final = Path("/usr/bin/chromium")  # Debian's package; .ci/run installs it
# Quiet and offline: no sandbox (root in CI), no GPU, no background updates or sync.
LAUNCH_ARGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
VIEWPORT: Final[ViewportSize] = {"width": 1280, "height": 800}


def missing() -> str | None:
    """Why no browser can be driven here (None when Playwright and Chromium are present)."""
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 - only checking it is installed
    except ImportError:
        return 'the playwright package is not installed (pip install -e ".[test]")'
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; never a browser Playwright would download."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(LAUNCH_ARGS))
