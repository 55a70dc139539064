"""Hostile text and hostile ids: mentions, links and SQL stay inert; no cross-workspace access."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.slack import ids
from tests.support.journeys import COLLABORATION, open_home, posted_verdict, run_check
from tests.support.waiting import eventually
from tests.support.worlds import NOT_HERE, Deal, Fleet

EVIL = "<!channel> <!here> <@U123> <http://evil.example|click> <#C123>"
RAW = ("<!channel>", "<!here>", "<@U123>", "<http://evil", "<#C123>")
SQL = "'); DROP TABLE rb_verdicts; --"


def mrkdwn(value: Any) -> Iterator[str]:
    """Every string Slack reads as mrkdwn: mrkdwn text objects and messages' `text`."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" or ("ts" in value and "type" not in value):
            text = value.get("text")
            if isinstance(text, str):
                yield text
        if value.get("type") == "message" and isinstance(value.get("text"), str):
            yield value["text"]
        for item in value.values():
            yield from mrkdwn(item)
    elif isinstance(value, list):
        for item in value:
            yield from mrkdwn(item)


def assert_inert(where: str, value: Any, *, plain_only: bool = False) -> None:
    """No raw mention, broadcast or link markup in anything Slack renders as mrkdwn."""
    texts = list(mrkdwn(value))
    assert plain_only or texts, f"{where}: no mrkdwn to check"
    for text in texts:
        for raw in RAW:
            assert raw not in text, f"{where}: {raw!r} live in {text!r}"


def test_mentions_and_links_in_fields_and_replies_are_inert_everywhere(deal: Deal) -> None:
    """Title, counterpart, notes and a thread reply full of markup: shown escaped everywhere."""
    fields = {
        ids.BLOCK_TITLE: f"Fair {EVIL}",
        ids.BLOCK_COUNTERPART: f"Globex {EVIL}",
        ids.BLOCK_NOTES: f"Notes {EVIL}",
    }
    parent = posted_verdict(deal, {**COLLABORATION, **fields})
    thread = deal.slack.thread(deal.deals, parent["ts"])
    assert any("&lt;!channel&gt;" in text for text in mrkdwn(parent))
    assert_inert("verdict", parent)
    assert_inert("thread", thread)

    for text in (
        f"what if we pooled our budgets? {EVIL}",
        f"<@{deal.bot}> {EVIL}",
        f"risk: shared {EVIL}",
        "risk: shared",
    ):
        deal.slack.post(deal.bob, deal.deals, text, thread_ts=parent["ts"])

    def answered() -> bool:
        """The what-if answer, the hint and the change note are all in the thread."""
        said = " ".join(
            m["text"] for m in deal.slack.thread(deal.deals, parent["ts"]) if m.get("bot_id")
        )
        return all(part in said for part in ("Nothing was changed", "didn't catch", "Updated by"))

    assert eventually(answered)
    bot_said = [m for m in deal.slack.thread(deal.deals, parent["ts"]) if m.get("bot_id")]
    assert_inert("bot replies", bot_said)
    assert_inert("updated verdict", deal.slack.message(deal.deals, parent["ts"]))

    deal.slack.click(deal.alice, ids.ACTION_EDIT, channel=deal.deals, ts=parent["ts"])
    view = deal.slack.wait_for_call("views.open", count=2).args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_inert("edit modal", view, plain_only=True)  # the modal is all plain_text
    initial = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input" and b["element"]["type"] == "plain_text_input"
    }
    assert initial[ids.BLOCK_TITLE] == fields[ids.BLOCK_TITLE]  # plain text: verbatim, inert

    assert_inert("home", open_home(deal, deal.alice))

    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, "list").ok
    listing = eventually(lambda: deal.slack.ephemerals(user=deal.alice, channel=deal.deals))
    assert listing
    for shown in listing:  # type: ignore[attr-defined]
        assert_inert("list", {"type": "message", "text": shown.text, "blocks": shown.blocks})
        assert "&lt;!channel&gt;" in json.dumps(shown.blocks)


def test_sql_injection_text_is_stored_and_shown_verbatim(deal: Deal) -> None:
    """A title and notes of `'); DROP TABLE rb_verdicts; --` are data, nothing more."""
    parent = posted_verdict(
        deal, {**COLLABORATION, ids.BLOCK_TITLE: SQL, ids.BLOCK_NOTES: f"{SQL} & more"}
    )
    verdict_id = str(parent["metadata"]["event_payload"]["verdict_id"])
    record = deal.store.get_verdict(deal.acme.id, verdict_id)
    assert record.title == SQL
    assert record.answers.notes == f"{SQL} & more"
    assert SQL in json.dumps(parent["blocks"])
    run_check(deal, COLLABORATION)  # the table is still there and takes the next check
    assert len(deal.settled_verdicts(deal.deals, 2)) == 2
    assert len(deal.store.list_by_team(deal.acme.id).items) == 2


def test_tokens_and_secrets_never_reach_the_logs(
    deal: Deal, caplog: pytest.LogCaptureFixture
) -> None:
    """A whole journey logged at DEBUG: neither the bot token nor the signing secret appears."""
    caplog.set_level(logging.DEBUG)
    parent = posted_verdict(deal)
    deal.slack.post(deal.bob, deal.deals, "risk: shared", thread_ts=parent["ts"])
    deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=parent["ts"])
    assert eventually(lambda: parent["ts"] in deal.slack.pinned(deal.deals))
    open_home(deal, deal.alice)
    deal.slack.faults.server_error("views.open", times=None)  # a failure gets logged too
    deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND)
    deal.slack.wait_for_call("chat.postEphemeral")
    deal.quiet()
    assert any(
        r.name.startswith("slack_sdk") and r.levelno == logging.DEBUG for r in caplog.records
    )
    assert any(r.name == "bot.slack.app" and r.exc_text for r in caplog.records)
    logged = (
        "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
        + caplog.text
    )
    for secret in (deal.slack.bot_token(deal.acme), deal.slack.app.signing_secret):
        assert secret not in logged


def test_a_verdict_id_from_another_workspace_is_refused(fleet: Fleet) -> None:
    """Globex's person sends Acme's verdict id in a signed click: refused, nothing changes."""
    slack = fleet.slack
    acme_message = fleet.run_check(fleet.acme)
    acme_id = str(acme_message["metadata"]["event_payload"]["verdict_id"])
    globex_message = fleet.run_check(fleet.globex)
    gina = fleet.globex.person
    opened = len(slack.calls("views.open"))

    def globex_card() -> object:
        return slack.message(fleet.globex.deals, globex_message["ts"])

    for action in (ids.ACTION_PIN, ids.ACTION_EDIT, ids.ACTION_UNPIN):
        if action == ids.ACTION_UNPIN:  # the legitimate pin above has to land first
            assert eventually(lambda: ids.ACTION_UNPIN in json.dumps(globex_card()))
        template = slack.click(gina, action, channel=fleet.globex.deals, ts=globex_message["ts"])
        payload = json.loads(json.dumps(template.payload))
        payload["actions"][0]["value"] = acme_id
        assert slack.send_signed(payload, kind="interactive", team_id=fleet.globex.id).ok
    refusals = eventually(lambda: [e for e in slack.ephemerals(user=gina) if e.text == NOT_HERE])
    assert refusals
    assert eventually(
        lambda: len([e for e in slack.ephemerals(user=gina) if e.text == NOT_HERE]) == 3
    )
    fleet.quiet()
    acme = fleet.store.get_verdict(fleet.acme.id, acme_id)
    assert not acme.pinned and not acme.deleted and acme.revision == 1
    assert acme_message["ts"] not in slack.pinned(fleet.acme.deals)
    # Only the legitimate clicks on Globex's own verdict opened a modal (one edit).
    assert len(slack.calls("views.open")) == opened + 1
