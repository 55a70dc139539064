"""When a listener fails: what to tell the person who was acting, and where."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack import ids
from bot.slack.builders.modal import ModalState
from bot.slack.notify import acting_person, tell_user
from bot.store import StoreUnavailableError

# Listener failures are the app's, whichever path reports them: one logger name to watch.
logger = logging.getLogger("bot.slack.app")

FAILURE_TEXT: Final = (
    "Sorry, something went wrong on my side and that didn't go through. Please try again in a "
    "moment; if it keeps happening, ask an admin to check the app's logs."
)
STORE_DOWN_TEXT: Final = (
    "I can't reach my database right now, so that didn't go through and nothing was saved. "
    "Please try again in a few minutes; if it keeps happening, ask an admin to check the "
    "database."
)
POST_LATER_TEXT: Final = (
    "I saved your check, but Slack isn't taking my messages right now, so it isn't in "
    "<#{channel}> yet. I'll post it there by myself as soon as Slack is back: no need to "
    "submit it again."
)
EDIT_LATER_TEXT: Final = (
    "I saved your edit, but Slack isn't taking my messages right now, so the verdict in "
    "<#{channel}> may not show it yet. I'll finish updating it by myself as soon as Slack is "
    "back: no need to edit it again."
)


Listener = Callable[..., None]
# What `reported` needs from Bolt besides what the listener itself asks for.
REPORTING_ARGS: Final = ("ack", "body", "client", "context")


def report_failure(
    error: Exception, body: dict[str, Any], client: WebClient, *, bot_user_id: str | None = None
) -> None:
    """Log a listener's failure and tell the person who was acting, if any (never the bot)."""
    if isinstance(error, StoreUnavailableError):  # no traceback: the message says it all
        logger.error("listener failed: %s", error)
    else:
        logger.error("listener failed: %s", type(error).__name__, exc_info=error)
    actor = actor_of(body, error, client)
    if actor is not None and actor.user_id != bot_user_id:
        text = failure_text(error)
        tell_user(client, actor.user_id, text, actor.channel_id, thread_ts=actor.thread_ts)


def reported(listener: Listener) -> Listener:
    """The listener, with a failure after its ack() reported here rather than raised to Bolt.

    Bolt drops the ack of a listener that fails within ~10 ms of acking and answers Slack 404
    instead (a database refusing connections fails that fast). A failure before ack() is
    still raised, so that Bolt answers Slack with an error.
    """
    own = inspect.signature(listener).parameters
    extra = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in REPORTING_ARGS
        if name not in own
    ]

    def run(**kwargs: Any) -> None:
        try:
            listener(**{name: value for name, value in kwargs.items() if name in own})
        except Exception as error:
            if kwargs["ack"].response is None:
                raise
            context = kwargs.get("context")
            bot_user_id = getattr(context, "bot_user_id", None)
            report_failure(error, kwargs["body"], kwargs["client"], bot_user_id=bot_user_id)

    # Bolt hands a listener the arguments its signature names: name ours as well.
    run.__signature__ = inspect.Signature([*own.values(), *extra])  # type: ignore[attr-defined]
    run.__name__, run.__qualname__ = listener.__name__, listener.__qualname__
    run.__doc__, run.__module__ = listener.__doc__, listener.__module__
    return run


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted in a failed request, and where to tell them (a thread for a thread reply)."""

    user_id: str
    channel_id: str | None
    thread_ts: str | None = None


def failure_text(error: Exception) -> str:
    """What to say about this failure."""
    return STORE_DOWN_TEXT if isinstance(error, StoreUnavailableError) else FAILURE_TEXT


def actor_of(body: dict[str, Any], error: Exception, client: WebClient) -> Actor | None:
    """The person to tell, if any: who clicked, submitted, typed a command, pinned, invited,
    opened Home, or replied.

    A thread reply is answered only when the database failed (nothing of it was kept, so it
    must be sent again) and the thread is a verdict's; other failures of a reply are finished
    by recovery, and replies in other threads are none of the bot's business.
    """
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    if user:
        channel = (
            (body.get("channel") or {}).get("id")
            or body.get("channel_id")
            or ModalState.load((body.get("view") or {}).get("private_metadata")).channel_id
        )
        return Actor(str(user), channel)
    event = body.get("event") or {}
    if event.get("type") != "message":  # a Home visit, a pin, an invite: tell who did it
        person, where = acting_person(body)
        return Actor(str(person), where) if person else None
    thread_ts, channel = event.get("thread_ts"), event.get("channel")
    if not isinstance(error, StoreUnavailableError) or not thread_ts or not event.get("user"):
        return None
    if not _is_verdict_thread(client, str(channel), str(thread_ts)):
        return None
    return Actor(str(event["user"]), str(channel), str(thread_ts))


def _is_verdict_thread(client: WebClient, channel_id: str, thread_ts: str) -> bool:
    """Whether a thread's parent is a verdict message (read from Slack: the store is down)."""
    try:
        replies = client.conversations_replies(
            channel=channel_id, ts=thread_ts, limit=1, include_all_metadata=True
        )
    except SlackClientError:
        logger.warning("could not read the thread of a failed reply")
        return False
    messages: list[dict[str, Any]] = replies.get("messages") or []
    if not messages:
        return False
    return bool((messages[0].get("metadata") or {}).get("event_type") == ids.METADATA_EVENT)
