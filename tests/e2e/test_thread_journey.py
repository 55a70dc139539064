"""Refining a verdict in its thread: changes, chatter, retries, races, undo, what-ifs, edits."""

from __future__ import annotations

import json
import random
import threading
from typing import Any

from bot.core.dimensions import SCORED
from bot.core.models import Answers
from tests.core.corpus_metrics import load
from tests.support.journeys import COLLABORATION, posted_verdict
from tests.support.waiting import eventually
from tests.support.worlds import Deal


def bot_replies(deal: Deal, parent: dict[str, Any]) -> list[dict[str, Any]]:
    """The bot's replies in a verdict's thread (parent excluded)."""
    return [
        m
        for m in deal.slack.thread(deal.deals, parent["ts"])[1:]
        if m.get("bot_id") and m["ts"] != parent["ts"]
    ]


def metadata(deal: Deal, parent: dict[str, Any]) -> dict[str, Any]:
    """The parent message's current metadata payload."""
    message = deal.slack.message(deal.deals, parent["ts"])
    assert message is not None
    payload: dict[str, Any] = message["metadata"]["event_payload"]
    return payload


def test_issue_scenario_refines_collaboration_to_mixed(deal: Deal) -> None:
    parent = posted_verdict(deal)
    assert metadata(deal, parent)["verdict"] == "collaboration"
    explained = len(bot_replies(deal, parent))
    deal.slack.post(
        deal.bob,
        deal.deals,
        "actually it's a signed 3-year contract and we're pooling our budgets",
        thread_ts=parent["ts"],
    )
    assert eventually(lambda: metadata(deal, parent)["revision"] == 2)
    payload = metadata(deal, parent)
    assert payload["verdict"] == "mixed"
    assert payload["answers"]["horizon"] == "multi_year"
    assert payload["answers"]["agreement"] == "binding"
    assert payload["answers"]["resources"] == "pooled"
    note = eventually(lambda: bot_replies(deal, parent)[explained:])
    assert note
    text = note[0]["text"]
    for field in ("horizon", "agreement", "resources"):
        assert field in text
    assert "Mixed" in text
    assert "→" in text


def test_chatter_gets_no_answer(deal: Deal) -> None:
    parent = posted_verdict(deal)
    before = len(bot_replies(deal, parent))
    chatter = [line["text"] for line in load("interpret.jsonl") if line["kind"] == "chatter"]
    for text in random.Random(5).sample(chatter, 10):
        deal.slack.post(deal.bob, deal.deals, text, thread_ts=parent["ts"])
    deal.slack.post(deal.bob, deal.deals, "sentinel: horizon: open_ended", thread_ts=parent["ts"])
    assert eventually(lambda: metadata(deal, parent)["revision"] == 2)
    eventually(lambda: len(bot_replies(deal, parent)) == before + 1)
    assert len(bot_replies(deal, parent)) == before + 1  # only the sentinel's change note


def test_the_same_event_four_times_applies_once(deal: Deal) -> None:
    parent = posted_verdict(deal)
    posted = deal.slack.post(deal.bob, deal.deals, "horizon: open_ended", thread_ts=parent["ts"])
    (first,) = [d for d in posted.deliveries if d.label.startswith("event:message")]
    for reason in ("http_timeout", "http_error", "http_timeout"):
        assert deal.slack.redeliver(first, reason=reason).ok
    assert eventually(lambda: metadata(deal, parent)["revision"] == 2)
    eventually(lambda: len(deal.store.list_revisions(deal.acme.id, parent_id(parent))) == 2)
    assert [r.revision for r in deal.store.list_revisions(deal.acme.id, parent_id(parent))] == [
        1,
        2,
    ]

    def notes() -> list[dict[str, Any]]:
        return [m for m in bot_replies(deal, parent) if "Updated by" in m["text"]]

    assert eventually(notes)
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(notes()) == 1


def test_twenty_concurrent_refinements_land_in_order(deal: Deal) -> None:
    parent = posted_verdict(deal)
    start = Answers.model_validate(COLLABORATION)
    refinements = [
        f"{question.key}: {value}"
        for question in SCORED
        for value in (*question.values, "unsure")
        if value != start.value(question.key)
    ][:20]
    random.Random(11).shuffle(refinements)
    threads = [
        threading.Thread(
            target=deal.slack.post,
            args=(deal.bob, deal.deals, text),
            kwargs={"thread_ts": parent["ts"]},
        )
        for text in refinements
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    verdict_id = parent_id(parent)
    assert eventually(lambda: deal.store.get_verdict(deal.acme.id, verdict_id).revision == 21, 15)
    history = deal.store.list_revisions(deal.acme.id, verdict_id)
    assert [r.revision for r in history] == list(range(1, 22))
    replayed = history[0].answers
    for revision in history[1:]:
        replayed = replayed.with_changes({c.dimension: c.new for c in revision.changes})
    assert eventually(lambda: metadata(deal, parent)["revision"] == 21, 10)
    assert metadata(deal, parent)["answers"] == replayed.choices()


def test_undo_names_whose_change_it_undid(deal: Deal) -> None:
    parent = posted_verdict(deal)
    deal.slack.post(deal.bob, deal.deals, "we're pooling our budgets", thread_ts=parent["ts"])
    assert eventually(lambda: metadata(deal, parent)["revision"] == 2)
    deal.slack.post(deal.alice, deal.deals, "undo", thread_ts=parent["ts"])
    assert eventually(lambda: metadata(deal, parent)["revision"] == 3)
    assert metadata(deal, parent)["answers"]["resources"] == "separate"
    undo = eventually(
        lambda: [m for m in bot_replies(deal, parent) if "undid revision 2" in m["text"]]
    )
    assert undo
    assert f"<@{deal.bob.id}>" in undo[0]["text"]


def test_what_if_answers_and_changes_nothing(deal: Deal) -> None:
    parent = posted_verdict(deal)
    deal.slack.post(
        deal.bob,
        deal.deals,
        "what if we pooled our budgets and shared the losses?",
        thread_ts=parent["ts"],
    )
    answer = eventually(
        lambda: [m for m in bot_replies(deal, parent) if m["text"].startswith("If ")]
    )
    assert answer
    assert "Nothing was changed" in answer[0]["text"]
    assert metadata(deal, parent)["revision"] == 1
    assert deal.store.get_verdict(deal.acme.id, parent_id(parent)).revision == 1


def test_a_mention_with_nothing_understood_gets_a_hint(deal: Deal) -> None:
    parent = posted_verdict(deal)
    deal.slack.post(
        deal.bob, deal.deals, f"<@{deal.bot}> hmm, not sure what to do", thread_ts=parent["ts"]
    )
    hint = eventually(lambda: [m for m in bot_replies(deal, parent) if "didn't catch" in m["text"]])
    assert hint


def test_an_edited_reply_applies_only_its_difference(deal: Deal) -> None:
    parent = posted_verdict(deal)
    posted = deal.slack.post(deal.bob, deal.deals, "it's a 3-year deal", thread_ts=parent["ts"])
    assert eventually(lambda: metadata(deal, parent)["revision"] == 2)
    deal.slack.edit(deal.bob, deal.deals, posted.ts, "it's a 5-year deal")
    deal.slack.edit(deal.bob, deal.deals, posted.ts, "it's a 5-year deal, and we pool budgets")
    assert eventually(lambda: metadata(deal, parent)["revision"] == 3)
    history = deal.store.list_revisions(deal.acme.id, parent_id(parent))
    assert [[c.dimension for c in r.changes] for r in history[1:]] == [["horizon"], ["resources"]]


def test_thread_broadcast_replies_refine_too(deal: Deal) -> None:
    parent = posted_verdict(deal)
    deal.slack.post(deal.bob, deal.deals, "risk: shared", thread_ts=parent["ts"], broadcast=True)
    assert eventually(lambda: metadata(deal, parent)["answers"]["risk"] == "shared")


def test_replies_from_another_organization_never_change_answers(deal: Deal) -> None:
    partner = deal.slack.add_workspace("Partner Co", install=False)
    carol = deal.slack.add_user(partner, "carol")
    shared = deal.slack.add_channel(
        deal.acme, "acme-partner", members=[deal.alice], bot=True, shared_with=[partner]
    )
    deal.slack.join(carol, shared)
    deal.slack.slash_command(deal.alice, shared, "/relationship")
    deal.slack.wait_for_call("views.open")
    deal.slack.submit(deal.alice, {**COLLABORATION, "post_to": shared.id})
    (parent,) = deal.settled_verdicts(shared)
    deal.slack.post(carol, shared, "we're pooling our budgets", thread_ts=parent["ts"])
    deal.slack.post(deal.alice, shared, "sentinel: risk: shared", thread_ts=parent["ts"])
    record = eventually(
        lambda: (
            (r := deal.store.find_verdict_by_message(deal.acme.id, shared.id, parent["ts"]))
            and r.revision == 2
            and r
        )
    )
    assert record
    assert record.answers.resources == "separate"
    assert json.dumps(record.answers.choices()).count("pooled") == 0


def parent_id(parent: dict[str, Any]) -> str:
    """The verdict id in a parent message's metadata."""
    return str(parent["metadata"]["event_payload"]["verdict_id"])
