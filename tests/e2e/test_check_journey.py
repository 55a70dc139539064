"""The core journey: /relationship -> modal -> verdict and thread -> edit, pin, delete."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from bot.core.models import Change
from bot.slack import ids
from bot.store import Revised
from tests.support.journeys import COLLABORATION, posted_verdict, run_check
from tests.support.waiting import eventually
from tests.support.worlds import Deal


def test_command_opens_the_modal_in_time_prefilled_from_text(deal: Deal) -> None:
    answer = deal.slack.slash_command(
        deal.alice, deal.deals, ids.COMMAND, "a signed 3-year contract, budgets pooled"
    )
    assert answer.ok
    assert answer.elapsed < 1.5
    call = deal.slack.wait_for_call("views.open")
    assert call.ok
    view = deal.slack.current_view(deal.alice)
    assert view is not None
    body = json.dumps(view)
    assert "Filled in from your text" in body
    selected = {
        block["block_id"]: block["element"].get("initial_option", {}).get("value")
        for block in view["blocks"]
        if block["type"] == "input" and block["element"]["type"] == "static_select"
    }
    assert selected["horizon"] == "multi_year"
    assert selected["agreement"] == "binding"
    assert selected["resources"] == "pooled"


def test_help_answers_privately(deal: Deal) -> None:
    answer = deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, "help")
    assert answer.ok
    assert "Reply in the verdict's thread" in answer.body
    assert not deal.slack.calls("views.open")


def test_submission_posts_verdict_with_metadata_and_thread(deal: Deal) -> None:
    run_check(deal, {**COLLABORATION, ids.BLOCK_TITLE: "Spring fair <!channel>"})
    (parent,) = deal.settled_verdicts(deal.deals)
    payload = parent["metadata"]["event_payload"]
    assert payload["verdict"] == "collaboration"
    assert payload["revision"] == 1
    assert payload["answers"] == COLLABORATION
    assert "<!channel>" not in json.dumps(parent["blocks"])
    thread = deal.slack.thread(deal.deals, parent["ts"])
    assert len(thread) >= 2
    assert "Obligations checklist" in json.dumps(thread)
    record = deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"])
    assert record is not None and record.verdict == "collaboration"


def test_invalid_submission_gets_field_errors_and_nothing_is_posted(deal: Deal) -> None:
    direct = deal.slack.add_dm(deal.alice, deal.bob)
    deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    submission = deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: direct.id})
    assert submission.errors is not None
    assert ids.BLOCK_CHANNEL in submission.errors
    deal.quiet()
    assert deal.verdict_messages(deal.deals) == []
    assert deal.store.list_by_team(deal.acme.id).items == ()


def test_edit_updates_in_place_and_notes_the_change_in_the_thread(deal: Deal) -> None:
    parent = posted_verdict(deal)
    clicked = deal.slack.click(deal.alice, ids.ACTION_EDIT, channel=deal.deals, ts=parent["ts"])
    assert clicked.ok
    deal.slack.wait_for_call("views.open", count=2)
    submission = deal.slack.submit(
        deal.alice, {"horizon": "multi_year", "agreement": "binding", "resources": "pooled"}
    )
    assert submission.delivery.ok
    updated = eventually(
        lambda: (
            (deal.slack.message(deal.deals, parent["ts"]) or {})
            .get("metadata", {})
            .get("event_payload", {})
            .get("revision")
            == 2
        )
    )
    assert updated
    message = deal.slack.message(deal.deals, parent["ts"])
    assert message is not None
    payload = message["metadata"]["event_payload"]
    assert payload["verdict"] == "mixed"
    assert payload["answers"]["resources"] == "pooled"
    assert deal.slack.calls("chat.update", ok=True)
    note = eventually(
        lambda: [m for m in deal.slack.thread(deal.deals, parent["ts"]) if "edited by" in m["text"]]
    )
    assert note
    record = deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"])
    assert record is not None and record.revision == 2
    # Both submissions' replay markers end answered, so prune_events forgets them in time.
    assert eventually(lambda: submission_stages(deal) == ["answered", "answered"])


def submission_stages(deal: Deal) -> list[str]:
    """The stages of the stored modal submissions' replay markers, sorted."""
    with deal.store.engine.connect() as connection:
        found = text("SELECT stage FROM rb_events WHERE event_key LIKE 'view_submission:%'")
        return sorted(connection.execute(found).scalars())


def test_pin_and_unpin(deal: Deal) -> None:
    parent = posted_verdict(deal)
    deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=parent["ts"])
    assert eventually(lambda: parent["ts"] in deal.slack.pinned(deal.deals))
    record = eventually(
        lambda: (
            (r := deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"]))
            and r.pinned
            and r
        )
    )
    assert record
    # The message is refreshed with an Unpin button after the record: click it once shown.
    assert eventually(
        lambda: ids.ACTION_UNPIN in json.dumps(deal.slack.message(deal.deals, parent["ts"]))
    )
    deal.slack.click(deal.alice, ids.ACTION_UNPIN, channel=deal.deals, ts=parent["ts"])
    assert eventually(lambda: parent["ts"] not in deal.slack.pinned(deal.deals))


def test_pin_requested_in_the_modal(deal: Deal) -> None:
    run_check(deal, {**COLLABORATION, ids.BLOCK_PIN: [ids.PIN_CHOICE]})
    (parent,) = deal.settled_verdicts(deal.deals)
    assert eventually(lambda: parent["ts"] in deal.slack.pinned(deal.deals))


def test_only_the_creator_can_delete(deal: Deal) -> None:
    parent = posted_verdict(deal)
    deal.slack.click(
        deal.bob,
        ids.ACTION_MORE,
        channel=deal.deals,
        ts=parent["ts"],
        value=f"delete:{_vid(parent)}",
    )
    assert eventually(lambda: deal.slack.ephemerals(user=deal.bob))
    assert deal.slack.message(deal.deals, parent["ts"]) is not None
    deal.slack.click(
        deal.alice,
        ids.ACTION_MORE,
        channel=deal.deals,
        ts=parent["ts"],
        value=f"delete:{_vid(parent)}",
    )
    assert eventually(lambda: deal.slack.message(deal.deals, parent["ts"]) is None)
    assert deal.slack.thread(deal.deals, parent["ts"]) == []
    # The record is marked deleted after the messages are gone: wait for it, don't race it.
    assert eventually(lambda: deal.store.get_verdict(deal.acme.id, _vid(parent)).deleted)


def test_public_channel_without_the_bot_is_joined_then_posted(deal: Deal) -> None:
    deal.slack.slash_command(deal.alice, deal.lobby, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.lobby.id})
    (parent,) = deal.settled_verdicts(deal.lobby)
    assert deal.slack.calls("conversations.join", ok=True)
    assert deal.bot in deal.slack.members(deal.lobby)
    assert parent["metadata"]["event_payload"]["verdict"] == "collaboration"


def test_a_channel_the_bot_is_in_is_looked_up_once(deal: Deal) -> None:
    """conversations.info (rate limited) is asked once, not before every verdict."""
    run_check(deal, COLLABORATION)
    deal.settled_verdicts(deal.deals)
    run_check(deal, COLLABORATION)
    deal.settled_verdicts(deal.deals, count=2)
    looked_up = deal.slack.calls(
        "conversations.info", where=lambda c: c.args.get("channel") == deal.deals.id
    )
    assert len(looked_up) == 1


def test_a_bot_removed_since_its_last_verdict_joins_again(deal: Deal) -> None:
    """The remembered membership is wrong once the bot is removed: the post fails, Slack is
    asked again, the bot joins the public channel and the verdict is posted once."""
    for count in (1, 2):
        deal.slack.slash_command(deal.alice, deal.lobby, ids.COMMAND)
        deal.slack.wait_for_call("views.open", count=count)
        deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.lobby.id})
        deal.settled_verdicts(deal.lobby, count=count)
        if count == 1:
            deal.slack.remove(deal.alice, deal.lobby)
            assert deal.bot not in deal.slack.members(deal.lobby)
    assert deal.bot in deal.slack.members(deal.lobby)
    assert len(deal.slack.calls("conversations.join", ok=True)) == 2
    refused = deal.slack.calls("chat.postMessage", ok=False)
    assert [(c.response or {}).get("error") for c in refused] == ["not_in_channel"]
    assert len(deal.verdict_messages(deal.lobby)) == 2
    assert [
        r.message_ts is not None
        for r in deal.store.list_by_channel(deal.acme.id, deal.lobby.id).items
    ] == [True, True]


def test_private_channel_without_the_bot_gets_it_privately_then_after_invite(deal: Deal) -> None:
    deal.slack.slash_command(deal.alice, deal.board, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.board.id})
    dm = deal.slack.bot_dm(deal.alice)
    told = eventually(lambda: [m for m in deal.slack.messages(dm) if "/invite" in m["text"]])
    assert told
    assert eventually(lambda: len(deal.slack.messages(dm)) >= 2)
    assert deal.verdict_messages(deal.board) == []
    deal.slack.invite(deal.alice, deal.board)
    (parent,) = deal.settled_verdicts(deal.board)
    assert parent["metadata"]["event_payload"]["verdict"] == "collaboration"
    records = deal.store.list_by_channel(deal.acme.id, deal.board.id).items
    assert [r.message_ts for r in records] == [parent["ts"]]


def test_a_private_copy_whose_answer_is_lost_is_found_in_the_dm_not_sent_twice(
    deal: Deal,
) -> None:
    """The look for a lost DM reads the DM by its own id (conversations.open): Slack's
    conversations.history takes no user id."""
    deal.slack.slash_command(deal.alice, deal.board, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    deal.slack.faults.drop("chat.postMessage", after_apply=True)  # the notice: made, unanswered
    deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.board.id})
    dm = deal.slack.bot_dm(deal.alice)
    assert eventually(lambda: len(deal.slack.messages(dm)) >= 2)
    deal.quiet()
    texts = [m["text"] for m in deal.slack.messages(dm)]
    assert len(texts) == 2 and sum("/invite" in text for text in texts) == 1
    (opened,) = deal.slack.calls("conversations.open")
    assert opened.args["users"] == deal.alice.id
    looked = deal.slack.calls("conversations.history")
    assert looked and all(call.args["channel"] == dm.id for call in looked)


def test_forged_signature_is_refused_and_nothing_happens(deal: Deal) -> None:
    form = {
        "command": ids.COMMAND,
        "text": "",
        "team_id": deal.acme.id,
        "channel_id": deal.deals.id,
        "user_id": deal.alice.id,
        "trigger_id": "1.2.forged",
    }
    wrong_secret = "not-the-signing-secret"  # noqa: S105 - a forged secret is the point
    forged = deal.slack.send_signed(
        form, kind="slash_commands", team_id=deal.acme.id, signing_secret=wrong_secret
    )
    assert forged.status == 401
    stale = deal.slack.send_signed(
        form, kind="slash_commands", team_id=deal.acme.id, timestamp="1000000000"
    )
    assert stale.status == 401
    assert not deal.slack.calls("views.open")
    assert not deal.slack.calls("chat.postMessage")


def _vid(message: dict[str, Any]) -> str:
    """The verdict id a message's metadata carries."""
    return str(message["metadata"]["event_payload"]["verdict_id"])


def test_a_post_whose_answer_is_lost_is_not_posted_twice(deal: Deal) -> None:
    deal.slack.faults.drop("chat.postMessage", after_apply=True)
    run_check(deal, COLLABORATION)
    (parent,) = deal.settled_verdicts(deal.deals)
    assert len(deal.verdict_messages(deal.deals)) == 1
    record = deal.store.find_verdict_by_message(deal.acme.id, deal.deals.id, parent["ts"])
    assert record is not None


def test_a_server_error_on_post_is_retried_once_and_posts_once(deal: Deal) -> None:
    deal.slack.faults.server_error("chat.postMessage", times=1)
    run_check(deal, COLLABORATION)
    deal.settled_verdicts(deal.deals)
    assert len(deal.verdict_messages(deal.deals)) == 1


def test_edit_applies_only_changed_fields_so_a_refinement_made_meanwhile_survives(
    deal: Deal,
) -> None:
    parent = posted_verdict(deal)
    deal.slack.click(deal.alice, ids.ACTION_EDIT, channel=deal.deals, ts=parent["ts"])
    deal.slack.wait_for_call("views.open", count=2)
    verdict_id = _vid(parent)
    meanwhile = deal.store.revise(
        deal.acme.id,
        verdict_id,
        actor_id=deal.bob.id,
        source="thread",
        trigger_ts="1.000001",
        update=lambda current: Revised(
            answers=current.answers.with_changes({"risk": "shared"}),
            result={"verdict": "collaboration"},
            changes=(Change(dimension="risk", old=current.answers.risk, new="shared"),),
        ),
    )
    assert meanwhile.applied
    deal.slack.submit(deal.alice, {"horizon": "open_ended"})
    record = eventually(
        lambda: (r := deal.store.get_verdict(deal.acme.id, verdict_id)).revision == 3 and r
    )
    assert record
    assert record.answers.risk == "shared"  # bob's change survives
    assert record.answers.horizon == "open_ended"  # alice's edit applies
    assert record.answers.resources == "separate"  # untouched fields stay
