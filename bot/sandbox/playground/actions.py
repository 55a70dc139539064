"""People's actions from the page, carried out through the stand-in as Slack would."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from bot.sandbox.errors import UserActionError
from bot.sandbox.playground.requests import (
    Acting,
    ClickRequest,
    CloseRequest,
    CommandRequest,
    HomeRequest,
    PinRequest,
    PostRequest,
    SubmitRequest,
)
from bot.slack import ids

if TYPE_CHECKING:
    from bot.sandbox.playground.world import Playground

Answer = dict[str, Any]


def slack_text(typed: str) -> str:
    """What Slack's client sends for typed text: &, < and > escaped, nothing else."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rich_text(typed: str) -> list[dict[str, Any]]:
    """The rich_text block Slack's client attaches to a typed message (raw characters)."""
    return [
        {
            "type": "rich_text",
            "block_id": secrets.token_hex(3),
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": typed}]}
            ],
        }
    ]


def _person(playground: Playground, request: Acting) -> str:
    """The acting person's id; only the playground's people act."""
    if request.user not in {person.id for person in playground.people}:
        raise UserActionError(f"nobody called {request.user} is in this playground")
    return request.user


def run_command(playground: Playground, request: CommandRequest) -> Answer:
    """A slash command; the app's immediate answer shows as an ephemeral message."""
    user = _person(playground, request)
    if request.command != ids.COMMAND:
        raise UserActionError(f"{request.command} is not a valid command. Try {ids.COMMAND}.")
    delivery = playground.slack.slash_command(
        user, request.channel, request.command, slack_text(request.text.strip())
    )
    return {"delivered": delivery.ok}


def post_message(playground: Playground, request: PostRequest) -> Answer:
    """A message in a conversation, or a reply in a thread."""
    user = _person(playground, request)
    posted = playground.slack.post(
        user,
        request.channel,
        slack_text(request.text),
        thread_ts=request.thread_ts,
        blocks=rich_text(request.text),
    )
    return {"ts": posted.ts}


def submit_view(playground: Playground, request: SubmitRequest) -> Answer:
    """Submit the modal; field errors come back keyed by block_id."""
    user = _person(playground, request)
    submission = playground.slack.submit(user, request.values, view_id=request.view_id)
    return {
        "outcome": submission.outcome,
        "errors": submission.errors,
        "detail": submission.detail,
    }


def close_view(playground: Playground, request: CloseRequest) -> Answer:
    """Close the top modal."""
    user = _person(playground, request)
    top = playground.slack.current_view(user)
    if top is None or (request.view_id is not None and top["id"] != request.view_id):
        raise UserActionError("that modal is not open any more")
    playground.slack.close_view(user)
    return {}


def click(playground: Playground, request: ClickRequest) -> Answer:
    """A button click or a menu choice, in a message or in a view."""
    user = _person(playground, request)
    delivery = playground.slack.click(
        user,
        request.action_id,
        channel=request.channel,
        ts=request.ts,
        view_id=request.view_id,
        block_id=request.block_id,
        value=request.value,
    )
    return {"delivered": delivery.ok}


def pin(playground: Playground, request: PinRequest) -> Answer:
    """Pin or unpin a message by hand."""
    user = _person(playground, request)
    if request.pinned:
        playground.slack.pin(user, request.channel, request.ts)
    else:
        playground.slack.unpin(user, request.channel, request.ts)
    return {}


def open_home(playground: Playground, request: HomeRequest) -> Answer:
    """Open the app's Home (or Messages) tab: `app_home_opened`."""
    user = _person(playground, request)
    playground.slack.open_home(user, tab=request.tab)
    return {}
