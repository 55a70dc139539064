"""Refresh the README's pictures: `python -m bot.sandbox.playground.screenshots [--out docs]`.

Runs the playground, walks the journey in Debian's Chromium and writes
playground-modal.png, playground-verdict.png and playground-thread.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

from bot.core.dimensions import SCORED
from bot.sandbox.playground.browser import VIEWPORT, launch, missing
from bot.sandbox.playground.world import Playground

if TYPE_CHECKING:
    from playwright.sync_api import Page

COMMAND: Final = "/relationship we're running a spring fair with Smith & Co, no contract"
ANSWERS: Final = {
    "horizon": "short",
    "aim": "shared_deliverable",
    "roles": "named_leads",
    "resources": "separate",
    "decisions": "advisory",
    "benefits": "access",
    "risk": "own",
    "authority": "co_branded",
}
REFINEMENT: Final = "actually it's a signed 3-year contract and we're pooling our budgets"
EMOJI_FONT: Final = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")


def shoot(page: Page, path: Path) -> None:
    """A screenshot of the whole window, without a hover toolbar in the way."""
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # let the last poll's render settle
    page.screenshot(path=str(path))
    print(f"wrote {path}")


def walk(page: Page, playground: Playground, out: Path) -> None:
    """Command, modal, verdict, then a teammate's reply refining it in the thread."""
    from playwright.sync_api import expect  # noqa: PLC0415 - checked by missing()

    page.goto(playground.url)
    composer = page.get_by_label("Message", exact=True)
    composer.fill(COMMAND)
    composer.press("Enter")
    modal = page.get_by_role("dialog", name="Relationship check")
    for question in SCORED:
        if question.key in ANSWERS:
            modal.get_by_label(question.question).select_option(ANSWERS[question.key])
    modal.get_by_label("Relationship title").fill("Spring fair")
    modal.get_by_label("Counterpart organization").fill("Smith & Co")
    modal.locator(".modal-body").evaluate("body => body.scrollTo(0, 0)")
    shoot(page, out / "playground-modal.png")

    modal.get_by_role("button", name="Classify").click()
    expect(modal).to_be_hidden()
    verdict = page.get_by_role("main").get_by_test_id("bot-message")
    expect(verdict.get_by_role("button", name="1 reply")).to_be_visible()
    shoot(page, out / "playground-verdict.png")

    page.get_by_label("Act as").select_option(playground.teammate.id)
    verdict.get_by_role("button", name="1 reply").click()
    thread = page.get_by_role("complementary", name="Thread")
    reply = thread.get_by_label("Reply", exact=True)
    reply.fill(REFINEMENT)
    reply.press("Enter")
    expect(thread).to_contain_text("Updated by @maria")
    expect(verdict).to_contain_text("revision 2")
    shoot(page, out / "playground-thread.png")


def main(argv: list[str] | None = None) -> int:
    """Write the three screenshots into --out (default docs/)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox.playground.screenshots", description=__doc__
    )
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder for the PNGs")
    args = parser.parse_args(argv)
    reason = missing()
    if reason is not None:
        print(f"error: cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    if not EMOJI_FONT.is_file():
        print("note: emoji show as boxes without fonts-noto-color-emoji (apt-get install it)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - checked by missing()

    args.out.mkdir(parents=True, exist_ok=True)
    with Playground(port=0) as playground, sync_playwright() as driver:
        browser = launch(driver)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            walk(page, playground, args.out)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
