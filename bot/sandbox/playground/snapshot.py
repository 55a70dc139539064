"""What the page shows one person: conversations, threads, pins, their modal and Home tab."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from bot.sandbox.errors import UserActionError
from bot.sandbox.state import Conversation, User

if TYPE_CHECKING:
    from bot.sandbox.playground.world import Playground


def snapshot(playground: Playground, user_id: str) -> dict[str, Any]:
    """Everything the page renders for `user_id`, with a version that changes with it."""
    slack = playground.slack
    people = {person.id: person for person in playground.people}
    if user_id not in people:
        raise UserActionError(f"nobody called {user_id} is in this playground")
    me = people[user_id]
    bot_dm = slack.bot_dm(me)
    others = [person for person in playground.people if person.id != user_id]
    conversations = [
        _conversation(playground, playground.deals, "deals"),
        _conversation(playground, playground.general, "general"),
        _conversation(playground, playground.direct, others[0].name, kind="dm"),
        _conversation(playground, bot_dm, slack.app.name, kind="app"),
    ]
    modal = slack.current_view(me)
    body: dict[str, Any] = {
        "workspace": {"id": playground.workspace.id, "name": playground.workspace.name},
        "me": _person_json(me),
        "people": [_person_json(person) for person in playground.people],
        "bot": {"id": playground.bot_user_id, "name": slack.app.name},
        "names": _names(playground),
        "conversations": conversations,
        "ephemerals": [
            {
                "channel": e.channel,
                "ts": e.ts,
                "thread_ts": e.thread_ts,
                "text": e.text,
                "blocks": e.blocks,
            }
            for e in slack.ephemerals(user=me)
        ],
        "modal": modal,
        "home": slack.home(me),
    }
    encoded = json.dumps(body, sort_keys=True, default=str).encode()
    body["version"] = hashlib.sha256(encoded).hexdigest()[:16]
    return body


def _person_json(person: User) -> dict[str, str]:
    return {"id": person.id, "name": person.name, "real_name": person.real_name}


def _names(playground: Playground) -> dict[str, str]:
    """Display names for <@U...> and <#C...> mentions."""
    names = {person.id: person.name for person in playground.people}
    names[playground.bot_user_id] = playground.slack.app.name
    names[playground.deals.id] = playground.deals.name
    names[playground.general.id] = playground.general.name
    return names


def _conversation(
    playground: Playground, conv: Conversation, label: str, *, kind: str = "channel"
) -> dict[str, Any]:
    """A conversation with its messages (oldest first), each with its thread replies."""
    slack = playground.slack
    pinned = slack.pinned(conv)
    messages = []
    for message in slack.messages(conv):
        if message.get("reply_count"):
            message["replies"] = slack.thread(conv, message["ts"])[1:]
        messages.append(message)
    return {
        "id": conv.id,
        "name": label,
        "kind": kind,
        "private": conv.kind == "private",
        "bot_member": playground.bot_user_id in slack.members(conv),
        "pins": pinned,
        "messages": messages,
    }
