"""Slack misbehaving: 429s are waited out, 5xx and drops are bounded and the user is told."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.core.classify import classify
from bot.slack import ids
from bot.slack.app import FAILURE_TEXT, web_client
from bot.slack.authorize import bot_tokens
from bot.slack.builders.thread import build_explanation
from bot.slack.deps import Deps
from bot.slack.failures import EDIT_LATER_TEXT, POST_LATER_TEXT
from bot.slack.recovery import Recovery
from bot.slack.verdicts import EDIT_KIND, REFRESH_KIND, Verdicts
from tests.support.journeys import COLLABORATION, posted_verdict, run_check
from tests.support.waiting import eventually
from tests.support.worlds import Deal

pytestmark = pytest.mark.slow  # Slack failing for seconds at a time


def _vid(message: dict[str, object]) -> str:
    """The verdict id a message's metadata carries."""
    return str(message["metadata"]["event_payload"]["verdict_id"])  # type: ignore[index]


def _gap(deal: Deal, method: str) -> float:
    """Seconds between the first (limited) call of `method` and the next one."""
    first, second = deal.slack.calls(method)[:2]
    return second.started - first.started


def test_rate_limited_post_is_retried_after_retry_after_and_posted_once(deal: Deal) -> None:
    """A 429 on chat.postMessage is retried after Retry-After; one verdict, one thread."""
    deal.slack.faults.rate_limit("chat.postMessage", times=1, retry_after=1)
    run_check(deal, COLLABORATION)
    (parent,) = deal.settled_verdicts(deal.deals)
    assert deal.slack.calls("chat.postMessage")[0].status == 429
    assert _gap(deal, "chat.postMessage") >= 0.9
    assert len(deal.verdict_messages(deal.deals)) == 1
    record = deal.store.get_verdict(deal.acme.id, _vid(parent))
    assert record.message_ts == parent["ts"]
    texts = [m["text"] for m in deal.slack.thread(deal.deals, parent["ts"])]
    assert len(texts) == len(set(texts))


def test_rate_limited_update_is_retried_and_applied_once(deal: Deal) -> None:
    """A 429 on chat.update (an edit) is retried after Retry-After; the edit lands once."""
    parent = posted_verdict(deal)
    deal.slack.faults.rate_limit("chat.update", times=1, retry_after=1)
    deal.slack.click(deal.alice, ids.ACTION_EDIT, channel=deal.deals, ts=parent["ts"])
    deal.slack.wait_for_call("views.open", count=2)
    deal.slack.submit(deal.alice, {"horizon": "multi_year"})
    deal.slack.wait_for_call("chat.update", ok=True, timeout=5)
    assert deal.slack.calls("chat.update")[0].status == 429
    assert _gap(deal, "chat.update") >= 0.9
    message = deal.slack.message(deal.deals, parent["ts"])
    assert message is not None
    assert message["metadata"]["event_payload"]["revision"] == 2
    notes = eventually(
        lambda: [m for m in deal.slack.thread(deal.deals, parent["ts"]) if "edited by" in m["text"]]
    )
    assert notes
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert (
        len([m for m in deal.slack.thread(deal.deals, parent["ts"]) if "edited by" in m["text"]])
        == 1
    )
    assert len(deal.store.list_revisions(deal.acme.id, _vid(parent))) == 2


def test_rate_limited_pin_is_retried_and_pinned_once(deal: Deal) -> None:
    """A 429 on pins.add is retried after Retry-After; the message is pinned."""
    parent = posted_verdict(deal)
    deal.slack.faults.rate_limit("pins.add", times=1, retry_after=1)
    deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=parent["ts"])
    deal.slack.wait_for_call("pins.add", ok=True, timeout=5)
    assert deal.slack.calls("pins.add")[0].status == 429
    assert _gap(deal, "pins.add") >= 0.9
    assert deal.slack.pinned(deal.deals) == [parent["ts"]]
    assert eventually(lambda: deal.store.get_verdict(deal.acme.id, _vid(parent)).pinned)


def test_rate_limited_home_publish_is_retried(deal: Deal) -> None:
    """A 429 on views.publish (App Home opened) is retried after Retry-After; Home shows."""
    deal.slack.faults.rate_limit("views.publish", times=1, retry_after=1)
    deal.slack.open_home(deal.alice)
    deal.slack.wait_for_call("views.publish", ok=True, timeout=5)
    assert deal.slack.calls("views.publish")[0].status == 429
    assert _gap(deal, "views.publish") >= 0.9
    assert len(deal.slack.calls("views.publish", ok=True)) == 1
    assert deal.slack.home(deal.alice) is not None


def _told(deal: Deal) -> list[str]:
    """Texts of the failure notices Alice got (ephemeral or DM)."""
    notices = {
        FAILURE_TEXT,
        POST_LATER_TEXT.format(channel=deal.deals.id),
        EDIT_LATER_TEXT.format(channel=deal.deals.id),
    }
    ephemeral = [e.text for e in deal.slack.ephemerals(user=deal.alice) if e.text in notices]
    dm = [m["text"] for m in deal.slack.messages(deal.slack.bot_dm(deal.alice))]
    return ephemeral + [t for t in dm if t in notices]


def test_persistent_server_errors_are_bounded_and_the_user_is_told(deal: Deal) -> None:
    """chat.postMessage answering 500 forever: a few tries, then Alice is told; no ts stored."""
    deal.slack.faults.server_error("chat.postMessage", times=None)
    run_check(deal, COLLABORATION)
    assert eventually(lambda: _told(deal), timeout=5)
    tries = len(deal.slack.calls("chat.postMessage"))
    assert 1 < tries <= 3
    assert deal.verdict_messages(deal.deals) == []
    (record,) = deal.store.list_by_team(deal.acme.id).items
    assert record.message_ts is None
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(deal.slack.calls("chat.postMessage")) == tries


def test_persistent_dropped_connections_are_bounded_and_the_user_is_told(deal: Deal) -> None:
    """chat.postMessage connections dropped forever: a few tries, then Alice is told."""
    deal.slack.faults.drop("chat.postMessage", times=None)
    run_check(deal, COLLABORATION)
    assert eventually(lambda: _told(deal), timeout=5)
    tries = len(deal.slack.calls("chat.postMessage"))
    assert 1 < tries <= 3
    assert deal.verdict_messages(deal.deals) == []
    (record,) = deal.store.list_by_team(deal.acme.id).items
    assert record.message_ts is None


def test_a_verdict_left_unposted_is_posted_once_slack_recovers(deal: Deal) -> None:
    """After Slack kept failing, the stored verdict can still be published, exactly once."""
    deal.slack.faults.server_error("chat.postMessage", times=None)
    run_check(deal, COLLABORATION)
    assert eventually(lambda: _told(deal), timeout=5)
    deal.slack.faults.clear()
    (record,) = deal.store.list_by_team(deal.acme.id).items
    assert Verdicts(deal.store).publish(deal.slack.client(deal.acme), record)
    (parent,) = deal.settled_verdicts(deal.deals)
    assert deal.store.get_verdict(deal.acme.id, record.id).message_ts == parent["ts"]


def test_an_edit_note_whose_answer_is_lost_is_not_posted_twice(deal: Deal) -> None:
    """chat.postMessage applies the edit note but the connection drops: still one note."""
    parent = posted_verdict(deal)
    deal.slack.click(deal.alice, ids.ACTION_EDIT, channel=deal.deals, ts=parent["ts"])
    deal.slack.wait_for_call("views.open", count=2)
    deal.slack.faults.drop("chat.postMessage", after_apply=True)
    deal.slack.submit(deal.alice, {"horizon": "multi_year"})

    assert eventually(lambda: _edit_notes(deal, parent))
    deal.slack.wait_for_call("conversations.replies")  # it looked before resending
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(_edit_notes(deal, parent)) == 1


def test_an_edit_whose_update_keeps_failing_is_stored_and_the_user_is_told(deal: Deal) -> None:
    """chat.update answers 500 forever: bounded retries, the user is told; the edit is stored,
    and recovery posts its note, then updates the message once Slack answers again."""
    parent = edit_while_updates_fail(deal)
    assert _told(deal) == [EDIT_LATER_TEXT.format(channel=deal.deals.id)]  # saved, no retry asked
    assert len(deal.slack.calls("chat.update")) == 3  # one try and two retries
    message = deal.slack.message(deal.deals, parent["ts"])
    assert message is not None
    assert message["metadata"]["event_payload"]["revision"] == 1  # Slack still shows the old one
    assert deal.store.get_verdict(deal.acme.id, _vid(parent)).revision == 2
    # The update and the note owed were stored with the revision; the failure released them.
    pending = deal.store.pending_posts(deal.acme.id)
    assert sorted(p.kind for p in pending) == [EDIT_KIND, REFRESH_KIND]
    assert all(p.lease_until is not None and p.lease_until <= datetime.now(UTC) for p in pending)
    sweep = recovery_for(deal)
    assert sweep.sweep() == 0  # Slack still refuses: both still owed, nothing lost
    assert _edit_notes(deal, parent) == []  # the note waits for the message it talks about
    assert len(deal.store.pending_posts(deal.acme.id)) == 2
    deal.slack.faults.clear()
    assert sweep.sweep() == 2  # the update, then the note
    message = deal.slack.message(deal.deals, parent["ts"])
    assert message is not None and message["metadata"]["event_payload"]["revision"] == 2
    assert len(_edit_notes(deal, parent)) == 1
    assert deal.store.pending_posts(deal.acme.id) == ()
    assert sweep.sweep() == 0
    assert len(_edit_notes(deal, parent)) == 1


def test_a_refresh_owed_to_a_message_deleted_since_is_dropped(deal: Deal) -> None:
    """The message Slack would not update was deleted meanwhile: recovery stops trying, and
    the edit's note is dropped with it (not posted in the channel as a stray message)."""
    parent = edit_while_updates_fail(deal)
    assert len(deal.store.pending_posts(deal.acme.id)) == 2
    deal.slack.faults.clear()
    deal.slack.client(deal.acme).chat_delete(channel=deal.deals.id, ts=parent["ts"])  # gone
    posted = len(deal.slack.calls("chat.postMessage"))
    assert recovery_for(deal).sweep() == 0
    assert deal.slack.calls("chat.update", ok=False)[-1].error == "message_not_found"
    assert deal.store.pending_posts(deal.acme.id) == ()
    assert len(deal.slack.calls("chat.postMessage")) == posted


def _edit_notes(deal: Deal, parent: dict[str, Any]) -> list[dict[str, Any]]:
    """The edit notes in a verdict's thread."""
    return [m for m in deal.slack.thread(deal.deals, parent["ts"]) if "edited by" in m["text"]]


def edit_while_updates_fail(deal: Deal) -> dict[str, Any]:
    """A verdict edited while chat.update answers 500 forever, once its creator is told; its
    message."""
    parent = posted_verdict(deal)
    deal.slack.click(deal.alice, ids.ACTION_EDIT, channel=deal.deals, ts=parent["ts"])
    deal.slack.wait_for_call("views.open", count=2)
    deal.slack.faults.server_error("chat.update", times=None)
    deal.slack.submit(deal.alice, {"horizon": "multi_year"})
    assert eventually(lambda: _told(deal), timeout=5)
    return parent


def recovery_for(deal: Deal) -> Recovery:
    """A recovery sweep of the deal's store, with its workspace's bot token."""
    settings = Settings(
        slack_bot_token=SecretStr(deal.slack.bot_token(deal.acme)),
        slack_signing_secret=SecretStr(deal.slack.app.signing_secret),
        slack_api_url=deal.slack.api_url,
    )
    client = web_client(settings)
    return Recovery(Deps.of(deal.store), client, bot_tokens(settings, None, client))


def test_a_replayed_slash_command_opens_one_modal_and_nothing_breaks(
    deal: Deal, caplog: pytest.LogCaptureFixture
) -> None:
    """The same signed command sent again: views.open says exchanged_trigger_id; one modal."""
    caplog.set_level(logging.WARNING)
    original = deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, "a joint venture")
    assert original.ok
    deal.slack.wait_for_call("views.open", ok=True)
    stamp = str(int(time.time()))
    for _ in range(2):  # byte-identical: same body, timestamp and signature
        again = deal.slack.send_signed(
            original.payload, kind="slash_commands", team_id=deal.acme.id, timestamp=stamp
        )
        assert again.ok and again.elapsed < 2.5
    deal.slack.wait_for_call("views.open", count=3)
    errors = [c.error for c in deal.slack.calls("views.open", ok=False)]
    assert errors == ["exchanged_trigger_id", "exchanged_trigger_id"]
    assert len(deal.slack.modal_stack(deal.alice)) == 1
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert _told(deal) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    submitted = deal.slack.submit(deal.alice, COLLABORATION)
    assert submitted.outcome == "closed"
    assert len(deal.settled_verdicts(deal.deals)) == 1


def test_a_pin_whose_pins_add_keeps_failing_is_not_recorded_and_the_user_is_told(
    deal: Deal,
) -> None:
    """pins.add answering 500 forever: 3 tries, Alice told; not stored as pinned, Pin stays."""
    parent = posted_verdict(deal)
    deal.slack.faults.server_error("pins.add", times=None)
    deal.slack.click(deal.alice, ids.ACTION_PIN, channel=deal.deals, ts=parent["ts"])
    assert eventually(lambda: _told(deal), timeout=5)
    assert len(deal.slack.calls("pins.add")) == 3  # one try and two retries
    assert deal.slack.pinned(deal.deals) == []
    assert not deal.store.get_verdict(deal.acme.id, _vid(parent)).pinned
    assert deal.slack.calls("chat.update") == []  # the message still offers Pin


def test_a_home_whose_publish_keeps_failing_tells_the_user_and_recovers(deal: Deal) -> None:
    """views.publish answering 500 forever: 3 tries, Alice told by DM; the next open works."""
    deal.slack.faults.server_error("views.publish", times=None)
    deal.slack.open_home(deal.alice)
    assert eventually(lambda: _told(deal), timeout=5)
    assert len(deal.slack.calls("views.publish")) == 3
    assert deal.slack.home(deal.alice) is None
    deal.slack.faults.clear()
    deal.slack.open_home(deal.alice)
    deal.slack.wait_for_call("views.publish", ok=True)
    assert deal.slack.home(deal.alice) is not None
    assert len(_told(deal)) == 1


def test_a_private_delivery_whose_answer_is_lost_is_not_sent_twice(deal: Deal) -> None:
    """The DM notice lands but its answer is lost: one notice and one copy, no resend."""
    deal.slack.slash_command(deal.alice, deal.board, ids.COMMAND)
    deal.slack.wait_for_call("views.open")
    deal.slack.faults.drop("chat.postMessage", after_apply=True)
    deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: deal.board.id})
    dm = deal.slack.bot_dm(deal.alice)
    assert eventually(lambda: len(deal.slack.messages(dm)) >= 2)
    deal.slack.wait_for_call("conversations.history")  # it looked before resending
    deal.quiet()  # the app has done all it started: a duplicate would be here
    texts = [m["text"] for m in deal.slack.messages(dm)]
    assert len(texts) == 2
    assert sum("/invite" in t for t in texts) == 1
    assert deal.verdict_messages(deal.board) == []


def _refused(caplog: pytest.LogCaptureFixture) -> bool:
    """True once the app's client found the Web API refusing connections (Slack is down)."""
    return any("Connection refused" in r.getMessage() for r in caplog.records)


def test_slack_restarted_while_the_user_is_in_the_modal(deal: Deal) -> None:
    """The stand-in restarts between opening the modal and submitting: the check completes."""
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open", ok=True)
    deal.slack.go_down()
    deal.slack.come_back()
    assert deal.slack.submit(deal.alice, COLLABORATION).outcome == "closed"
    (parent,) = deal.settled_verdicts(deal.deals)
    assert deal.store.get_verdict(deal.acme.id, _vid(parent)).message_ts == parent["ts"]


@pytest.mark.parametrize("applied", [False, True], ids=["lost", "applied"])
@pytest.mark.parametrize("nth", [1, 2], ids=["parent", "explanation"])
def test_slack_restarted_between_submission_and_post_completes_once(
    deal: Deal, caplog: pytest.LogCaptureFixture, nth: int, applied: bool
) -> None:
    """Slack dies mid-post (the parent or the first explanation reply), refuses a retry, returns.

    With `applied`, Slack made the post before dying unanswered. Either way the journey
    completes after it returns: one verdict message, each explanation reply once, ts stored.
    """
    caplog.set_level(logging.INFO, logger="slack_sdk")
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open", ok=True)
    if nth == 2:
        deal.slack.faults.delay("chat.postMessage", 0)  # the parent passes; the next is held
    hold = deal.slack.faults.hold("chat.postMessage")
    assert deal.slack.submit(deal.alice, COLLABORATION).outcome == "closed"
    hold.wait(timeout=10)
    deal.slack.go_down(apply_held=applied)
    assert eventually(lambda: _refused(caplog), timeout=10)
    deal.slack.come_back()
    (parent,) = deal.settled_verdicts(deal.deals)
    record = deal.store.get_verdict(deal.acme.id, _vid(parent))
    assert record.message_ts == parent["ts"]
    replies = len(build_explanation(classify(record.answers)))
    assert eventually(lambda: len(deal.slack.thread(deal.deals, parent["ts"])) == 1 + replies)
    texts = [m["text"] for m in deal.slack.thread(deal.deals, parent["ts"])]
    assert len(texts) == len(set(texts))
    assert not _told(deal)
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(deal.verdict_messages(deal.deals)) == 1
    assert [m["text"] for m in deal.slack.thread(deal.deals, parent["ts"])] == texts
