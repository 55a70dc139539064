"""The page's JSON API, action by action, against the real app through the stand-in."""

from __future__ import annotations

import json
from typing import Any

from bot.slack import ids
from tests.playground.conftest import Page
from tests.support.journeys import COLLABORATION
from tests.support.waiting import eventually


def open_modal(page: Page, text: str = "") -> dict[str, Any]:
    """Run /relationship in #deals; the modal the app opened."""
    page.act("command", channel=page.playground.deals.id, command=ids.COMMAND, text=text)
    modal = eventually(lambda: page.state()["modal"])
    assert isinstance(modal, dict)
    return modal


def posted_verdict(page: Page, title: str = "Spring fair") -> dict[str, Any]:
    """Run a check in #deals; its verdict message once the explanation is in its thread."""
    modal = open_modal(page)
    answer = page.act(
        "submit", view_id=modal["id"], values={**COLLABORATION, ids.BLOCK_TITLE: title}
    )
    assert answer["outcome"] == "closed"
    found = eventually(lambda: [m for m in page.verdicts() if m.get("replies")])
    assert isinstance(found, list) and len(found) == 1
    verdict: dict[str, Any] = found[0]
    return verdict


def revision(page: Page, ts: str) -> int:
    """The verdict's revision, from its message metadata as the page gets it."""
    (message,) = [m for m in page.verdicts() if m["ts"] == ts]
    return int(message["metadata"]["event_payload"]["revision"])


def test_state_shows_the_workspace(page: Page) -> None:
    state = page.state()
    assert state["workspace"]["name"] == "Acme"
    assert state["me"]["name"] == "you"
    assert [p["name"] for p in state["people"]] == ["you", "maria"]
    kinds = {c["name"]: (c["kind"], c["bot_member"]) for c in state["conversations"]}
    assert kinds == {
        "deals": ("channel", True),
        "general": ("channel", False),
        "maria": ("dm", False),
        "Relationship Bot": ("app", True),
    }
    assert state["modal"] is None
    assert state["home"] is None
    assert page.state()["version"] == state["version"]  # nothing happened, nothing changed


def test_command_opens_the_modal_prefilled_from_the_text(page: Page) -> None:
    before = page.state()["version"]
    modal = open_modal(page, "a signed 3-year contract, budgets pooled")
    assert modal["title"]["text"] == "Relationship check"
    assert modal["submit"]["text"] == "Classify"
    selected = {
        b["block_id"]: (b["element"].get("initial_option") or {}).get("value")
        for b in modal["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "static_select"
    }
    assert selected["horizon"] == "multi_year"
    assert selected["resources"] == "pooled"
    assert page.state()["version"] != before


def test_command_text_reaches_the_app_escaped_as_slack_sends_it(page: Page) -> None:
    open_modal(page, "<!channel> Smith & Co")
    (delivery,) = page.playground.slack.deliveries("command:/relationship")
    assert delivery.payload["text"] == "&lt;!channel&gt; Smith &amp; Co"


def test_help_answers_only_to_you(page: Page) -> None:
    page.act("command", channel=page.playground.deals.id, command=ids.COMMAND, text="help")
    (shown,) = page.state()["ephemerals"]
    assert shown["channel"] == page.playground.deals.id
    assert "Reply in the verdict's thread" in shown["text"]
    assert page.state(page.playground.teammate.id)["ephemerals"] == []


def test_an_unknown_command_is_refused(page: Page) -> None:
    answer = page.act("command", 400, channel=page.playground.deals.id, command="/giphy")
    assert "not a valid command" in answer["error"]


def test_submit_posts_the_verdict_with_its_thread(page: Page) -> None:
    verdict = posted_verdict(page, "Spring fair <!channel>")
    assert verdict["metadata"]["event_payload"]["verdict"] == "collaboration"
    assert verdict["blocks"][0]["type"] == "header"
    assert "<!channel>" not in json.dumps(verdict["blocks"])
    assert "Obligations checklist" in json.dumps(verdict["replies"])
    assert page.state()["modal"] is None


def test_invalid_submission_shows_field_errors_and_keeps_the_modal(page: Page) -> None:
    modal = open_modal(page)
    answer = page.act(
        "submit",
        view_id=modal["id"],
        values={**COLLABORATION, ids.BLOCK_CHANNEL: page.playground.direct.id},
    )
    assert answer["outcome"] == "errors"
    assert ids.BLOCK_CHANNEL in answer["errors"]
    assert page.state()["modal"]["id"] == modal["id"]


def test_a_required_input_left_empty_is_refused_as_slack_would(page: Page) -> None:
    modal = open_modal(page)
    answer = page.act("submit", 400, view_id=modal["id"], values={ids.BLOCK_CHANNEL: None})
    assert "required input" in answer["error"]


def test_close_dismisses_the_modal(page: Page) -> None:
    modal = open_modal(page)
    page.act("close", view_id=modal["id"])
    assert page.state()["modal"] is None
    page.act("close", 400, view_id=modal["id"])


def test_a_thread_reply_refines_the_verdict(page: Page) -> None:
    verdict = posted_verdict(page)
    page.act(
        "post",
        user=page.playground.teammate.id,
        channel=page.playground.deals.id,
        thread_ts=verdict["ts"],
        text="actually it's a signed 3-year contract and we're pooling our budgets",
    )
    assert eventually(lambda: revision(page, verdict["ts"]) == 2)
    (updated,) = page.verdicts()
    assert updated["metadata"]["event_payload"]["verdict"] == "mixed"
    note = eventually(lambda: [r for r in updated_replies(page) if "Updated by" in r["text"]])
    assert note
    authors = [r.get("user") for r in updated_replies(page)]
    assert page.playground.teammate.id in authors


def updated_replies(page: Page) -> list[dict[str, Any]]:
    """The replies in the (only) verdict's thread."""
    (verdict,) = page.verdicts()
    replies: list[dict[str, Any]] = verdict.get("replies", [])
    return replies


def test_a_message_in_the_channel_is_posted_as_typed(page: Page) -> None:
    answer = page.act("post", channel=page.playground.general.id, text="lunch <at> 1 & 2?")
    (message,) = page.conversation("general")["messages"]
    assert message["ts"] == answer["ts"]
    assert message["text"] == "lunch &lt;at&gt; 1 &amp; 2?"
    assert message["blocks"][0]["elements"][0]["elements"][0]["text"] == "lunch <at> 1 & 2?"


def test_the_pin_button_pins_through_the_app(page: Page) -> None:
    verdict = posted_verdict(page)
    block_id = next(b["block_id"] for b in verdict["blocks"] if b["type"] == "actions")
    page.act(
        "click",
        action_id=ids.ACTION_PIN,
        block_id=block_id,
        channel=page.playground.deals.id,
        ts=verdict["ts"],
    )
    assert eventually(lambda: page.conversation("deals")["pins"] == [verdict["ts"]])
    assert page.playground.slack.calls("pins.add", ok=True)
    unpin = eventually(
        lambda: [
            e
            for m in page.verdicts()
            for b in m["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == ids.ACTION_UNPIN
        ]
    )
    assert unpin


def test_pinning_by_hand_and_unpinning(page: Page) -> None:
    verdict = posted_verdict(page)
    deals = page.playground.deals.id
    page.act("pin", channel=deals, ts=verdict["ts"], pinned=True)
    assert page.conversation("deals")["pins"] == [verdict["ts"]]
    page.act("pin", 400, channel=deals, ts=verdict["ts"], pinned=True)  # already_pinned
    page.act("pin", channel=deals, ts=verdict["ts"], pinned=False)
    assert page.conversation("deals")["pins"] == []


def test_the_overflow_menu_copies_as_text(page: Page) -> None:
    verdict = posted_verdict(page)
    actions = next(b for b in verdict["blocks"] if b["type"] == "actions")
    overflow = next(e for e in actions["elements"] if e["type"] == "overflow")
    copy = next(o["value"] for o in overflow["options"] if o["value"].startswith(ids.MORE_COPY))
    page.act(
        "click",
        action_id=ids.ACTION_MORE,
        block_id=actions["block_id"],
        channel=page.playground.deals.id,
        ts=verdict["ts"],
        value=copy,
    )
    shown = eventually(lambda: page.state()["ephemerals"])
    assert isinstance(shown, list)
    assert "Spring fair" in shown[0]["text"]


def test_edit_answers_reopens_the_modal(page: Page) -> None:
    verdict = posted_verdict(page)
    actions = next(b for b in verdict["blocks"] if b["type"] == "actions")
    page.act(
        "click",
        action_id=ids.ACTION_EDIT,
        block_id=actions["block_id"],
        channel=page.playground.deals.id,
        ts=verdict["ts"],
    )
    modal = eventually(lambda: page.state()["modal"])
    assert isinstance(modal, dict)
    assert modal["submit"]["text"] == "Save changes"
    page.act("submit", view_id=modal["id"], values={"resources": "pooled"})
    assert eventually(lambda: revision(page, verdict["ts"]) == 2)


def test_opening_home_tells_the_app(page: Page) -> None:
    page.act("home")
    slack = page.playground.slack
    (opened,) = slack.deliveries("event:app_home_opened")
    assert opened.payload["event"]["user"] == page.playground.you.id
    # The app publishes Home after acking the event: wait for it, then compare.
    published = eventually(lambda: slack.home(page.playground.you))
    assert published
    assert page.state()["home"] == published


def test_acting_as_someone_else_or_nobody(page: Page) -> None:
    page.act("post", user=page.playground.teammate.id, channel=page.playground.deals.id, text="hi")
    (message,) = page.conversation("deals")["messages"]
    assert message["user"] == page.playground.teammate.id
    assert "nobody called" in page.act("post", 400, user="U0", channel="C0", text="x")["error"]
    status, _, _ = page.request("/playground/api/state?user=U0")
    assert status == 400
