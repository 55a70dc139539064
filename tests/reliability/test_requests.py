"""Hostile requests: unsigned, forged, stale, replayed, oversized, broken unicode, deep JSON."""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from bot.core.models import COUNTERPART_MAX, NOTES_MAX, TITLE_MAX
from bot.sandbox import sign
from bot.slack import ids
from tests.support.journeys import COLLABORATION, posted_verdict
from tests.support.waiting import eventually
from tests.support.worlds import Deal


def raw_post(deal: Deal, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST bytes to the app's Request URL with exactly these headers; status and body."""
    url = urlsplit(deal.server.events_url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=5)
    try:
        conn.request("POST", url.path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def signed_headers(deal: Deal, body: bytes, content_type: str) -> dict[str, str]:
    """Valid signature headers for `body`, as Slack would send them."""
    ts = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(deal.slack.app.signing_secret, ts, body),
    }


def command_form(deal: Deal) -> dict[str, str]:
    """A slash command's form, as Slack posts it."""
    return {
        "command": ids.COMMAND,
        "text": "",
        "team_id": deal.acme.id,
        "channel_id": deal.deals.id,
        "user_id": deal.alice.id,
        "trigger_id": "1.2.hostile",
    }


def nothing_happened(deal: Deal) -> None:
    """No Web API call that changes anything, and nothing stored."""
    deal.quiet()
    for method in ("views.open", "chat.postMessage", "chat.postEphemeral", "chat.update"):
        assert not deal.slack.calls(method), method
    assert deal.store.list_by_team(deal.acme.id).items == ()


def still_serving(deal: Deal) -> None:
    """The app answers the next ordinary request in time."""
    answer = deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND, "help")
    assert answer.ok and answer.elapsed < 2.5


def test_missing_signature_headers_are_refused(deal: Deal) -> None:
    """No X-Slack-Signature / timestamp (either or both): 401, nothing happens."""
    body = urlencode(command_form(deal)).encode()
    full = signed_headers(deal, body, "application/x-www-form-urlencoded")
    for drop in (("X-Slack-Signature",), ("X-Slack-Request-Timestamp",), tuple(full)[1:]):
        headers = {k: v for k, v in full.items() if k not in drop}
        status, _ = raw_post(deal, body, headers)
        assert status == 401, drop
    nothing_happened(deal)
    still_serving(deal)


def test_forged_and_stale_signatures_are_refused(deal: Deal) -> None:
    """A wrong secret, a garbage signature, and a correct one over 5 minutes old: 401."""
    form = command_form(deal)
    forged = deal.slack.send_signed(
        form,
        kind="slash_commands",
        team_id=deal.acme.id,
        signing_secret="wrong",  # noqa: S106 - a forged secret is the point
    )
    garbage = deal.slack.send_signed(
        form, kind="slash_commands", team_id=deal.acme.id, signature="v0=" + "0" * 64
    )
    stale = deal.slack.send_signed(
        form,
        kind="slash_commands",
        team_id=deal.acme.id,
        timestamp=str(int(time.time()) - 5 * 60 - 5),
    )
    assert [forged.status, garbage.status, stale.status] == [401, 401, 401]
    nothing_happened(deal)
    still_serving(deal)


def test_a_replayed_thread_reply_applies_once(deal: Deal) -> None:
    """The same signed event (same event_id and ts) sent again, without retry headers."""
    parent = posted_verdict(deal)
    posted = deal.slack.post(deal.bob, deal.deals, "horizon: open_ended", thread_ts=parent["ts"])
    (first,) = [d for d in posted.deliveries if d.label.startswith("event:message")]
    stamp = str(int(time.time()))
    for _ in range(2):  # byte-identical: same body, timestamp and signature
        again = deal.slack.send_signed(first.payload, team_id=deal.acme.id, timestamp=stamp)
        assert again.ok
    verdict_id = str(parent["metadata"]["event_payload"]["verdict_id"])

    def notes() -> list[dict[str, Any]]:
        return [m for m in deal.slack.thread(deal.deals, parent["ts"]) if "Updated by" in m["text"]]

    assert eventually(notes)
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(notes()) == 1
    assert [r.revision for r in deal.store.list_revisions(deal.acme.id, verdict_id)] == [1, 2]


def test_oversized_fields_get_a_clear_field_error_and_nothing_is_written(deal: Deal) -> None:
    """A signed submission with title, counterpart and notes 10x their limits: field errors."""
    direct = deal.slack.add_dm(deal.alice, deal.bob)
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open")
    refused = deal.slack.submit(deal.alice, {**COLLABORATION, ids.BLOCK_CHANNEL: direct.id})
    assert refused.errors is not None  # the modal stays open; its payload is the template
    payload = json.loads(json.dumps(refused.delivery.payload))
    values = payload["view"]["state"]["values"]
    huge = {
        ids.BLOCK_TITLE: "t" * TITLE_MAX * 10,
        ids.BLOCK_COUNTERPART: "c" * COUNTERPART_MAX * 10,
        ids.BLOCK_NOTES: "n" * NOTES_MAX * 10,
    }
    for block_id, text in huge.items():
        values[block_id] = {ids.ELEMENT: {"type": "plain_text_input", "value": text}}
    values.pop(ids.BLOCK_CHANNEL, None)
    answer = deal.slack.send_signed(payload, kind="interactive", team_id=deal.acme.id)
    assert answer.ok and answer.elapsed < 2.5
    errors = answer.json()["errors"]
    assert set(errors) == set(huge)
    assert all("characters" in text for text in errors.values())
    deal.quiet()
    assert deal.verdict_messages(deal.deals) == []
    assert deal.store.list_by_team(deal.acme.id).items == ()
    still_serving(deal)


def test_lone_surrogates_get_a_field_error_and_nothing_is_written(deal: Deal) -> None:
    """Title, counterpart and notes holding a lone surrogate (\\ud800): field errors, no crash."""
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open")
    broken = {
        ids.BLOCK_TITLE: "bad \ud800 title",
        ids.BLOCK_COUNTERPART: "\udfff",
        ids.BLOCK_NOTES: "notes \ud83d",
    }
    submission = deal.slack.submit(deal.alice, {**COLLABORATION, **broken})
    assert submission.delivery.ok and submission.delivery.elapsed < 2.5
    assert submission.errors is not None
    assert set(submission.errors) == set(broken)
    deal.quiet()
    assert deal.verdict_messages(deal.deals) == []
    assert deal.store.list_by_team(deal.acme.id).items == ()
    still_serving(deal)


def test_deeply_nested_json_in_a_signed_request_is_a_4xx_and_the_app_goes_on(
    deal: Deal,
) -> None:
    """A validly signed interaction whose JSON nests 100,000 deep: 4xx, nothing happens."""
    depth = 100_000
    payload = '{"type": "block_actions", "a": ' + "[" * depth + "]" * depth + "}"
    body = urlencode({"payload": payload}).encode()
    status, _ = raw_post(
        deal, body, signed_headers(deal, body, "application/x-www-form-urlencoded")
    )
    assert 400 <= status < 500
    event = ('{"type": "event_callback", "event": ' + "[" * depth + "]" * depth + "}").encode()
    status, _ = raw_post(deal, event, signed_headers(deal, event, "application/json"))
    assert 400 <= status < 500
    nothing_happened(deal)
    still_serving(deal)


def test_a_replayed_modal_submission_creates_one_verdict(deal: Deal) -> None:
    """The same signed view_submission sent again: still one verdict, posted once."""
    assert deal.slack.slash_command(deal.alice, deal.deals, ids.COMMAND).ok
    deal.slack.wait_for_call("views.open")
    submission = deal.slack.submit(deal.alice, COLLABORATION)
    assert submission.delivery.ok
    deal.settled_verdicts(deal.deals)
    stamp = str(int(time.time()))
    for _ in range(2):  # byte-identical: same body, timestamp and signature
        again = deal.slack.send_signed(
            submission.delivery.payload, kind="interactive", team_id=deal.acme.id, timestamp=stamp
        )
        assert again.ok
    deal.quiet()  # the app has done all it started: a duplicate would be here
    assert len(deal.store.list_by_team(deal.acme.id).items) == 1
    assert len(deal.verdict_messages(deal.deals)) == 1


def test_a_body_over_the_cap_is_refused_before_it_is_read(deal: Deal) -> None:
    """A request declaring 2 MB (Slack's are a few kB): 413 before a byte of it is sent."""
    url = urlsplit(deal.server.events_url)
    head = (
        f"POST {url.path} HTTP/1.1\r\nHost: {url.hostname}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n"
    )
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=5) as s:
        s.sendall(head.encode())  # the headers alone: the body never follows
        answer = s.makefile("rb").readline().decode()
    assert answer.split()[1] == "413", answer
    nothing_happened(deal)
    still_serving(deal)


def test_a_malformed_timestamp_is_refused_without_a_slack_call(deal: Deal) -> None:
    """`X-Slack-Request-Timestamp: soon` on a body that names a real person: 401, no call."""
    body = urlencode(command_form(deal)).encode()
    headers = signed_headers(deal, body, "application/x-www-form-urlencoded")
    status, _ = raw_post(deal, body, {**headers, "X-Slack-Request-Timestamp": "soon"})
    assert status == 401
    nothing_happened(deal)
    still_serving(deal)
