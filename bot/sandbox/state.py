"""The stand-in's model of Slack: workspaces, users, conversations, messages, pins, views.

One `SandboxState` holds everything behind one re-entrant lock. Its methods are the
primitives both sides share: the Web API handlers (the app's view) and the user actions
of the facade (a person's view). They never do I/O; events they cause come back as
`Outbound` values for the caller to deliver.
"""

from __future__ import annotations

import copy
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from bot.sandbox.copies import json_copy
from bot.sandbox.errors import ApiError, UserActionError
from bot.sandbox.ids import IdFactory, TsClock, secret_token
from bot.sandbox.payloads import Outbound, TeamInfo, event_envelope

ConversationKind = Literal["public", "private", "im", "mpim"]

DEFAULT_BOT_SCOPES: Final = frozenset(
    {
        "app_mentions:read",
        "channels:history",
        "channels:join",
        "channels:read",
        "chat:write",
        "commands",
        "groups:history",
        "groups:read",
        "im:history",
        "im:read",
        "im:write",
        "mpim:history",
        "mpim:read",
        "pins:read",
        "pins:write",
        "users:read",
    }
)

DEFAULT_BOT_EVENTS: Final = frozenset(
    {
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "member_joined_channel",
        "message.channels",
        "message.groups",
        "message.im",
        "message.mpim",
        "pin_added",
        "pin_removed",
        "tokens_revoked",
    }
)

# Event subscription and scope a `message` event needs, per conversation kind.
MESSAGE_SUBSCRIPTION: Final = {
    "public": ("message.channels", "channels:history"),
    "private": ("message.groups", "groups:history"),
    "im": ("message.im", "im:history"),
    "mpim": ("message.mpim", "mpim:history"),
}
READ_SCOPE: Final = {
    "public": "channels:read",
    "private": "groups:read",
    "im": "im:read",
    "mpim": "mpim:read",
}
CHANNEL_TYPE: Final = {"public": "channel", "private": "group", "im": "im", "mpim": "mpim"}
_NAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_MENTION_RE: Final = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass
class AppIdentity:
    """The app under test, as Slack knows it (one app, installed in many workspaces)."""

    app_id: str
    name: str
    client_id: str
    client_secret: str
    signing_secret: str
    verification_token: str
    app_token: str
    bot_events: frozenset[str] = DEFAULT_BOT_EVENTS


@dataclass
class Installation:
    """The app installed in one workspace: its bot user and bot token."""

    team_id: str
    bot_user_id: str
    bot_id: str
    token: str
    scopes: frozenset[str]
    installer_user_id: str | None = None
    revoked: bool = False


@dataclass
class Workspace:
    """A Slack workspace (team), optionally inside an Enterprise Grid org."""

    id: str
    name: str
    domain: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    installation: Installation | None = None

    @property
    def active_installation(self) -> Installation | None:
        """The installation if the app is installed and its token not revoked."""
        inst = self.installation
        return inst if inst is not None and not inst.revoked else None


@dataclass
class User:
    """A person (or the app's bot user) in a workspace."""

    id: str
    team_id: str
    name: str
    real_name: str
    is_bot: bool = False
    is_admin: bool = False
    deleted: bool = False
    bot_id: str | None = None
    email: str | None = None

    def to_api(self) -> dict[str, Any]:
        """The user object of `users.info`."""
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "team": self.team_id,
            "image_48": f"https://avatars.example/{self.id}_48.png",
        }
        if self.email:
            profile["email"] = self.email
        if self.bot_id:
            profile["bot_id"] = self.bot_id
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
        }

    def brief(self) -> dict[str, Any]:
        """The fields payloads carry about a user."""
        return {"id": self.id, "name": self.name, "team_id": self.team_id}


@dataclass
class Conversation:
    """A public or private channel, a DM (im) or a group DM (mpim)."""

    id: str
    team_id: str
    name: str
    kind: ConversationKind
    created: int
    creator: str | None
    members: set[str] = field(default_factory=set)
    is_archived: bool = False
    shared_team_ids: list[str] = field(default_factory=list)
    im_user: str | None = None
    topic: str = ""
    purpose: str = ""

    @property
    def is_ext_shared(self) -> bool:
        """True for a channel shared with another organization."""
        return len(self.shared_team_ids) > 1

    @property
    def channel_type(self) -> str:
        """`channel_type` as events carry it: channel, group, im or mpim."""
        return CHANNEL_TYPE[self.kind]

    def to_api(self, *, viewer: Installation, include_num_members: bool = False) -> dict[str, Any]:
        """The conversation object as `conversations.info` shows it to the viewer."""
        if self.kind == "im":
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": viewer.team_id,
                "user": self.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "is_channel": self.kind in ("public", "private"),
            "is_group": self.kind == "mpim",
            "is_im": False,
            "is_mpim": self.kind == "mpim",
            "is_private": self.kind != "public",
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": False,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": self.is_ext_shared,
            "is_org_shared": False,
            "is_ext_shared": self.is_ext_shared,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": viewer.team_id,
            "parent_conversation": None,
            "creator": self.creator,
            "shared_team_ids": list(self.shared_team_ids),
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
            "is_member": viewer.bot_user_id in self.members,
        }
        if include_num_members:
            body["num_members"] = len(self.members)
        return body


@dataclass
class Message:
    """A message in a conversation (top level, a thread reply, or a broadcast reply)."""

    channel: str
    ts: str
    text: str
    user: str | None
    team: str | None
    bot_id: str | None = None
    app_id: str | None = None
    blocks: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    subtype: str | None = None
    edited: dict[str, str] | None = None
    client_msg_id: str | None = None
    reply_ts: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_reply(self) -> bool:
        """True for a message inside a thread (broadcast replies included)."""
        return self.thread_ts is not None and self.thread_ts != self.ts

    @property
    def in_history(self) -> bool:
        """True when `conversations.history` lists it (top level or broadcast)."""
        return not self.is_reply or self.subtype == "thread_broadcast"


@dataclass
class Pin:
    """A message pinned to a conversation."""

    channel: str
    ts: str
    created: int
    created_by: str


@dataclass
class View:
    """A modal or a Home tab as Slack stores it."""

    id: str
    team_id: str
    user_id: str
    type: str
    body: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    state_values: dict[str, Any] = field(default_factory=dict)
    open: bool = True

    @property
    def external_id(self) -> str:
        """The app's own id for the view ("" when none)."""
        return str(self.body.get("external_id") or "")


@dataclass
class Trigger:
    """A trigger_id handed to the app with an interaction."""

    id: str
    team_id: str
    user_id: str
    issued: float
    used: bool = False


@dataclass
class ResponseUrl:
    """A response_url handed to the app with a command or an interaction."""

    id: str
    path: str
    team_id: str
    channel_id: str
    user_id: str
    issued: float
    message_ts: str | None = None
    uses: int = 0


@dataclass(frozen=True)
class Ephemeral:
    """An ephemeral message: shown to one user, never stored in history."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    source: str
    thread_ts: str | None = None


@dataclass
class OAuthCode:
    """A code from the OAuth consent screen, exchanged once by `oauth.v2.access`."""

    code: str
    team_id: str
    user_id: str | None
    scopes: frozenset[str]
    redirect_uri: str | None
    issued: float
    used: bool = False


@dataclass(frozen=True)
class TokenOwner:
    """Who a token belongs to: a workspace's bot, or the app itself (xapp)."""

    kind: Literal["bot", "app"]
    installation: Installation | None = None


class SandboxState:
    """All of the stand-in's Slack data, guarded by one lock."""

    TRIGGER_TTL: Final = 3.0
    RESPONSE_URL_TTL: Final = 30 * 60.0
    RESPONSE_URL_USES: Final = 5
    OAUTH_CODE_TTL: Final = 600.0
    MODAL_STACK_MAX: Final = 3
    PINS_MAX: Final = 100

    def __init__(
        self,
        app: AppIdentity,
        *,
        ids: IdFactory,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        trigger_ttl: float = TRIGGER_TTL,
        response_url_ttl: float = RESPONSE_URL_TTL,
    ) -> None:
        self.lock = threading.RLock()
        self.app = app
        self.ids = ids
        self.ts = TsClock(clock)
        self.monotonic = monotonic
        self.trigger_ttl = trigger_ttl
        self.response_url_ttl = response_url_ttl
        self.workspaces: dict[str, Workspace] = {}
        self.users: dict[str, User] = {}
        self.conversations: dict[str, Conversation] = {}
        self.messages: dict[str, dict[str, Message]] = {}
        self.pins: dict[str, dict[str, Pin]] = {}
        self.views: dict[str, View] = {}
        self.modal_stacks: dict[tuple[str, str], list[str]] = {}
        self.home_views: dict[tuple[str, str], str] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.ephemerals: list[Ephemeral] = []
        self.oauth_codes: dict[str, OAuthCode] = {}
        self.bot_tokens: dict[str, Installation] = {}

    @contextmanager
    def locked(self) -> Iterator[SandboxState]:
        """Hold the state lock for a multi-step read or change."""
        with self.lock:
            yield self

    def now(self) -> int:
        """Unix seconds on the stand-in's clock."""
        return int(self.ts.now())

    # ------------------------------------------------------------------ setup

    def add_workspace(
        self,
        name: str,
        *,
        team_id: str | None = None,
        domain: str | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
    ) -> Workspace:
        """Create a workspace (the app is not installed yet)."""
        with self.lock:
            ws = Workspace(
                id=team_id or self.ids.next("T"),
                name=name,
                domain=domain or re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "team",
                enterprise_id=enterprise_id,
                enterprise_name=enterprise_name,
            )
            if ws.id in self.workspaces:
                raise UserActionError(f"workspace {ws.id} exists")
            self.workspaces[ws.id] = ws
            return ws

    def install(
        self,
        team_id: str,
        *,
        scopes: Iterable[str] = DEFAULT_BOT_SCOPES,
        installer_user_id: str | None = None,
    ) -> Installation:
        """Install the app in a workspace: a bot user, a bot id and a fresh `xoxb-` token."""
        with self.lock:
            ws = self.workspace(team_id)
            old = ws.installation
            if old is not None:
                self.bot_tokens.pop(old.token, None)
                bot_user_id, bot_id = old.bot_user_id, old.bot_id
            else:
                bot_id = self.ids.next("B")
                bot_user_id = self.ids.next("U")
                self.users[bot_user_id] = User(
                    id=bot_user_id,
                    team_id=team_id,
                    name=self.app.name.lower().replace(" ", "_"),
                    real_name=self.app.name,
                    is_bot=True,
                    bot_id=bot_id,
                )
            inst = Installation(
                team_id=team_id,
                bot_user_id=bot_user_id,
                bot_id=bot_id,
                token=secret_token("xoxb", team_id[1:], bot_id[1:]),
                scopes=frozenset(scopes),
                installer_user_id=installer_user_id,
            )
            ws.installation = inst
            self.bot_tokens[inst.token] = inst
            return inst

    def add_user(
        self,
        team_id: str,
        name: str,
        *,
        real_name: str | None = None,
        is_admin: bool = False,
        email: str | None = None,
    ) -> User:
        """Add a person to a workspace."""
        with self.lock:
            self.workspace(team_id)
            user = User(
                id=self.ids.next("U"),
                team_id=team_id,
                name=name,
                real_name=real_name or name.title(),
                is_admin=is_admin,
                email=email,
            )
            self.users[user.id] = user
            return user

    def add_conversation(
        self,
        team_id: str,
        *,
        kind: ConversationKind,
        name: str = "",
        members: Iterable[str] = (),
        creator: str | None = None,
        shared_with: Iterable[str] = (),
        im_user: str | None = None,
    ) -> Conversation:
        """Create a conversation; ids start with C (channels), G (group DMs) or D (DMs)."""
        with self.lock:
            self.workspace(team_id)
            if kind in ("public", "private") and not _NAME_RE.match(name):
                raise UserActionError(f"invalid channel name {name!r}")
            prefix = {"public": "C", "private": "C", "mpim": "G", "im": "D"}[kind]
            conv = Conversation(
                id=self.ids.next(prefix),
                team_id=team_id,
                name=name,
                kind=kind,
                created=self.now(),
                creator=creator,
                members=set(members),
                shared_team_ids=[team_id, *[t for t in shared_with if t != team_id]],
                im_user=im_user,
            )
            for user_id in conv.members:
                self.user(user_id)
            for other in conv.shared_team_ids:
                self.workspace(other)
            self.conversations[conv.id] = conv
            self.messages[conv.id] = {}
            self.pins[conv.id] = {}
            return conv

    def bot_dm(self, team_id: str, user_id: str) -> Conversation:
        """The DM between the app's bot and a user (created on first use, as Slack does)."""
        with self.lock:
            inst = self.workspace(team_id).installation
            if inst is None:
                raise UserActionError(f"the app is not installed in {team_id}")
            for conv in self.conversations.values():
                if conv.kind == "im" and conv.members == {user_id, inst.bot_user_id}:
                    return conv
            return self.add_conversation(
                team_id, kind="im", members={user_id, inst.bot_user_id}, im_user=user_id
            )

    # ---------------------------------------------------------------- lookups

    def workspace(self, team_id: str) -> Workspace:
        """The workspace or UserActionError."""
        ws = self.workspaces.get(team_id)
        if ws is None:
            raise UserActionError(f"no workspace {team_id}")
        return ws

    def user(self, user_id: str) -> User:
        """The user or UserActionError."""
        user = self.users.get(user_id)
        if user is None:
            raise UserActionError(f"no user {user_id}")
        return user

    def conversation(self, channel_id: str) -> Conversation:
        """The conversation or UserActionError."""
        conv = self.conversations.get(channel_id)
        if conv is None:
            raise UserActionError(f"no conversation {channel_id}")
        return conv

    def message(self, channel_id: str, ts: str) -> Message | None:
        """The message at `ts` in a conversation, if any."""
        return self.messages.get(channel_id, {}).get(ts)

    def team_info(self, team_id: str) -> TeamInfo:
        """What payloads need to know about a workspace and the app in it."""
        ws = self.workspace(team_id)
        return TeamInfo(
            team_id=ws.id,
            domain=ws.domain,
            enterprise_id=ws.enterprise_id,
            enterprise_name=ws.enterprise_name,
            bot_user_id=ws.installation.bot_user_id if ws.installation else None,
            app_id=self.app.app_id,
            verification_token=self.app.verification_token,
        )

    def owner_of(self, token: str) -> TokenOwner:
        """Resolve a token: `invalid_auth` when unknown, `token_revoked` once uninstalled."""
        if token == self.app.app_token:
            return TokenOwner(kind="app")
        with self.lock:
            inst = self.bot_tokens.get(token)
        if inst is None:
            raise ApiError("invalid_auth")
        if inst.revoked:
            raise ApiError("token_revoked")
        return TokenOwner(kind="bot", installation=inst)

    # ------------------------------------------------------------- visibility

    def visible_to(self, inst: Installation, conv: Conversation) -> bool:
        """Whether the bot of `inst` can see a conversation at all."""
        if inst.team_id not in conv.shared_team_ids:
            return False
        return conv.kind == "public" or inst.bot_user_id in conv.members

    def resolve_channel(self, inst: Installation, channel: str) -> Conversation:
        """A conversation the bot can see, by id or `#name`; else `channel_not_found`."""
        with self.lock:
            conv = self.conversations.get(channel)
            if conv is None:
                name = channel.removeprefix("#")
                conv = next(
                    (
                        c
                        for c in self.conversations.values()
                        if c.name == name
                        and c.kind in ("public", "private")
                        and inst.team_id in c.shared_team_ids
                    ),
                    None,
                )
            if conv is None or not self.visible_to(inst, conv):
                raise ApiError("channel_not_found")
            return conv

    def user_visible_to(self, team_id: str, user: User) -> bool:
        """A workspace sees its own users and those it shares a channel with."""
        if user.team_id == team_id:
            return True
        return any(
            team_id in c.shared_team_ids and user.team_id in c.shared_team_ids
            for c in self.conversations.values()
        )

    # --------------------------------------------------------------- messages

    def author_fields(self, author: User, *, system: bool = False) -> dict[str, Any]:
        """user/bot_id/app_id/team of a message written by `author` (system notices: user only)."""
        fields: dict[str, Any] = {"user": author.id, "team": author.team_id}
        if author.bot_id and not system:
            fields["bot_id"] = author.bot_id
            fields["app_id"] = self.app.app_id
        return fields

    def add_message(
        self,
        conv: Conversation,
        author: User,
        *,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        thread_ts: str | None = None,
        broadcast: bool = False,
        subtype: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Message:
        """Store a new message (or thread reply) and update its parent's reply counters."""
        with self.lock:
            parent: Message | None = None
            if thread_ts is not None:
                parent = self.message(conv.id, thread_ts)
                if parent is None:
                    raise ApiError("thread_not_found")
                if parent.is_reply:
                    parent = self.message(conv.id, parent.thread_ts or "")
                    if parent is None:
                        raise ApiError("thread_not_found")
            fields = self.author_fields(author, system=subtype in ("channel_join", "pinned_item"))
            msg = Message(
                channel=conv.id,
                ts=self.ts.next(),
                text=text,
                user=fields["user"],
                team=fields["team"],
                bot_id=fields.get("bot_id"),
                app_id=fields.get("app_id"),
                blocks=blocks,
                attachments=attachments,
                metadata=metadata,
                thread_ts=parent.ts if parent else None,
                subtype="thread_broadcast" if broadcast and parent else subtype,
                client_msg_id=None if author.bot_id or subtype else str(uuid.uuid4()),
                extra=dict(extra or {}),
            )
            self.messages[conv.id][msg.ts] = msg
            if parent is not None:
                parent.thread_ts = parent.ts
                parent.reply_ts.append(msg.ts)
            return msg

    def remove_message(self, conv: Conversation, msg: Message) -> None:
        """Delete a message; a parent with replies stays as a tombstone, as in Slack."""
        with self.lock:
            if msg.reply_ts:
                msg.subtype = "tombstone"
                msg.text = "This message was deleted."
                msg.blocks = None
                msg.attachments = None
                msg.metadata = None
                msg.user = "USLACKBOT"
                msg.bot_id = None
                msg.app_id = None
            else:
                del self.messages[conv.id][msg.ts]
                if msg.is_reply:
                    parent = self.message(conv.id, msg.thread_ts or "")
                    if parent is not None and msg.ts in parent.reply_ts:
                        parent.reply_ts.remove(msg.ts)
                        if not parent.reply_ts and parent.subtype == "tombstone":
                            del self.messages[conv.id][parent.ts]
            self.pins[conv.id].pop(msg.ts, None)

    def message_json(self, msg: Message, *, include_metadata: bool = False) -> dict[str, Any]:
        """A message as the Web API and payloads show it."""
        body: dict[str, Any] = {"type": "message", "ts": msg.ts}
        if msg.subtype:
            body["subtype"] = msg.subtype
        if msg.subtype == "tombstone":
            body["hidden"] = True
        body["text"] = msg.text
        body.update(self._author_json(msg))
        for key, value in (
            ("client_msg_id", msg.client_msg_id),
            ("blocks", msg.blocks),
            ("attachments", msg.attachments),
            ("edited", msg.edited),
        ):
            if value is not None:
                body[key] = json_copy(value)
        body.update(json_copy(msg.extra))
        body.update(self._thread_json(msg))
        if msg.ts in self.pins.get(msg.channel, {}):
            body["pinned_to"] = [msg.channel]
        if include_metadata and msg.metadata is not None:
            body["metadata"] = json_copy(msg.metadata)
        return body

    def _author_json(self, msg: Message) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if msg.user:
            body["user"] = msg.user
        if msg.team:
            body["team"] = msg.team
        if msg.bot_id:
            body["bot_id"] = msg.bot_id
            body["app_id"] = msg.app_id
            body["bot_profile"] = {
                "id": msg.bot_id,
                "app_id": msg.app_id,
                "name": self.app.name,
                "deleted": False,
                "team_id": msg.team,
            }
        return body

    def _thread_json(self, msg: Message) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if msg.thread_ts:
            body["thread_ts"] = msg.thread_ts
        if msg.is_reply:
            parent = self.message(msg.channel, msg.thread_ts or "")
            if parent is not None and parent.user:
                body["parent_user_id"] = parent.user
        elif msg.reply_ts:
            users = self._reply_users(msg)
            body["reply_count"] = len(msg.reply_ts)
            body["reply_users_count"] = len(users)
            body["reply_users"] = users[:5]
            body["latest_reply"] = msg.reply_ts[-1]
            body["is_locked"] = False
            body["subscribed"] = False
        return body

    def _reply_users(self, parent: Message) -> list[str]:
        users: list[str] = []
        for ts in parent.reply_ts:
            reply = self.message(parent.channel, ts)
            if reply is not None and reply.user and reply.user not in users:
                users.append(reply.user)
        return users

    def history(self, conv: Conversation) -> list[Message]:
        """Messages `conversations.history` lists, newest first."""
        with self.lock:
            msgs = [m for m in self.messages[conv.id].values() if m.in_history]
        return sorted(msgs, key=lambda m: m.ts, reverse=True)

    def thread(self, conv: Conversation, ts: str) -> list[Message]:
        """A thread, parent first (a lone message is a thread of one)."""
        with self.lock:
            msg = self.message(conv.id, ts)
            if msg is None:
                return []
            parent = self.message(conv.id, msg.thread_ts) if msg.is_reply and msg.thread_ts else msg
            if parent is None:
                return []
            replies = [self.messages[conv.id][t] for t in parent.reply_ts]
        return [parent, *sorted(replies, key=lambda m: m.ts)]

    def permalink(self, conv: Conversation, msg: Message) -> str:
        """`https://<domain>.slack.com/archives/<channel>/p<ts>` (+ thread query for replies)."""
        domain = self.workspace(conv.team_id).domain
        link = f"https://{domain}.slack.com/archives/{conv.id}/p{msg.ts.replace('.', '')}"
        if msg.is_reply:
            link += f"?thread_ts={msg.thread_ts}&cid={conv.id}"
        return link

    # ----------------------------------------------------------------- events

    def _event_outbound(
        self, team_id: str, event: dict[str, Any], *, ext_shared: bool = False
    ) -> Outbound:
        envelope = event_envelope(
            self.team_info(team_id),
            event,
            event_id=self.ids.next("Ev", 10),
            event_time=self.now(),
            is_ext_shared_channel=ext_shared,
        )
        return Outbound(kind="events_api", payload=envelope, team_id=team_id)

    def channel_event(
        self, conv: Conversation, event: dict[str, Any], *, subscription: str, scope: str | None
    ) -> list[Outbound]:
        """Route an event in a conversation: once, to an installation whose bot is a member.

        Slack only sends conversation events to apps subscribed to them, holding the scope,
        whose bot user is in the conversation; a shared channel's event goes to one of them.
        """
        with self.lock:
            if subscription not in self.app.bot_events:
                return []
            for team_id in conv.shared_team_ids:
                inst = self.workspace(team_id).active_installation
                if inst is None or inst.bot_user_id not in conv.members:
                    continue
                if scope is not None and scope not in inst.scopes:
                    continue
                return [self._event_outbound(team_id, event, ext_shared=conv.is_ext_shared)]
            return []

    def team_event(
        self, team_id: str, event: dict[str, Any], *, subscription: str | None
    ) -> list[Outbound]:
        """Route a workspace-level event (app_home_opened, app_uninstalled, ...)."""
        with self.lock:
            if subscription is not None and subscription not in self.app.bot_events:
                return []
            if self.workspace(team_id).installation is None:
                return []
            return [self._event_outbound(team_id, event)]

    def message_event(self, conv: Conversation, msg: Message) -> dict[str, Any]:
        """The `message` event for a new message."""
        event = self.message_json(msg)
        event.pop("reply_count", None)
        event.update({"channel": conv.id, "event_ts": msg.ts, "channel_type": conv.channel_type})
        if conv.is_ext_shared and msg.team:
            event["user_team"] = msg.team
            event["source_team"] = msg.team
        if msg.subtype == "thread_broadcast" and msg.thread_ts:
            parent = self.message(conv.id, msg.thread_ts)
            if parent is not None:
                event["root"] = self.message_json(parent)
        return event

    def message_events(self, conv: Conversation, msg: Message) -> list[Outbound]:
        """The `message` event, plus `app_mention` when the text mentions the bot."""
        subscription, scope = MESSAGE_SUBSCRIPTION[conv.kind]
        with self.lock:
            out = self.channel_event(
                conv, self.message_event(conv, msg), subscription=subscription, scope=scope
            )
            mentioned = set(_MENTION_RE.findall(msg.text))
            for team_id in conv.shared_team_ids:
                inst = self.workspace(team_id).active_installation
                if inst is None or inst.bot_user_id not in mentioned or msg.bot_id:
                    continue
                if conv.kind == "im":
                    continue
                mention = {
                    k: v
                    for k, v in self.message_event(conv, msg).items()
                    if k not in ("channel_type", "client_msg_id")
                }
                mention["type"] = "app_mention"
                if (
                    "app_mention" in self.app.bot_events
                    and "app_mentions:read" in inst.scopes
                    and inst.bot_user_id in conv.members
                ):
                    out.append(
                        self._event_outbound(team_id, mention, ext_shared=conv.is_ext_shared)
                    )
            return out

    def changed_event(
        self, conv: Conversation, msg: Message, previous: dict[str, Any]
    ) -> list[Outbound]:
        """A `message_changed` event after an edit."""
        subscription, scope = MESSAGE_SUBSCRIPTION[conv.kind]
        event_ts = self.ts.next()
        current = self.message_json(msg)
        event = {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": conv.id,
            "channel_type": conv.channel_type,
            "ts": event_ts,
            "event_ts": event_ts,
            "message": current,
            "previous_message": previous,
        }
        return self.channel_event(conv, event, subscription=subscription, scope=scope)

    def deleted_event(
        self, conv: Conversation, deleted_ts: str, previous: dict[str, Any]
    ) -> list[Outbound]:
        """A `message_deleted` event."""
        subscription, scope = MESSAGE_SUBSCRIPTION[conv.kind]
        event_ts = self.ts.next()
        event = {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": conv.id,
            "channel_type": conv.channel_type,
            "ts": event_ts,
            "event_ts": event_ts,
            "deleted_ts": deleted_ts,
            "previous_message": previous,
        }
        return self.channel_event(conv, event, subscription=subscription, scope=scope)

    # ----------------------------------------------------------- membership

    def join(self, conv: Conversation, user: User, *, inviter: str | None) -> list[Outbound]:
        """Add a member; Slack posts a `channel_join` message and `member_joined_channel`."""
        with self.lock:
            if user.id in conv.members:
                return []
            conv.members.add(user.id)
            out: list[Outbound] = []
            event = self._membership_event("member_joined_channel", conv, user)
            if inviter:
                event["inviter"] = inviter
            if conv.kind in ("public", "private", "mpim"):
                out += self.channel_event(
                    conv,
                    event,
                    subscription="member_joined_channel",
                    scope=READ_SCOPE[conv.kind],
                )
            if conv.kind in ("public", "private"):
                text = f"<@{user.id}> has joined the channel"
                extra = {"inviter": inviter} if inviter else {}
                msg = self.add_message(conv, user, text=text, subtype="channel_join", extra=extra)
                out += self.message_events(conv, msg)
            return out

    def leave(self, conv: Conversation, user: User) -> list[Outbound]:
        """Remove a member; Slack posts a `channel_leave` message and `member_left_channel`."""
        with self.lock:
            if user.id not in conv.members:
                return []
            event = self._membership_event("member_left_channel", conv, user)
            out: list[Outbound] = []
            if conv.kind in ("public", "private"):
                text = f"<@{user.id}> has left the channel"
                msg = self.add_message(conv, user, text=text, subtype="channel_leave")
                out += self.message_events(conv, msg)
            conv.members.discard(user.id)
            out += self.channel_event(
                conv, event, subscription="member_left_channel", scope=READ_SCOPE[conv.kind]
            )
            return out

    def _membership_event(self, kind: str, conv: Conversation, user: User) -> dict[str, Any]:
        """`member_joined_channel` or `member_left_channel` for a user and a conversation."""
        return {
            "type": kind,
            "user": user.id,
            "channel": conv.id,
            "channel_type": "C" if conv.kind == "public" else "G",
            "team": user.team_id,
            "event_ts": self.ts.next(),
        }

    # ------------------------------------------------------------------- pins

    def pin(self, conv: Conversation, msg: Message, by: User) -> list[Outbound]:
        """Pin a message: `pin_added` and a `pinned_item` message, as Slack sends them."""
        with self.lock:
            if msg.ts in self.pins[conv.id]:
                raise ApiError("already_pinned")
            if len(self.pins[conv.id]) >= self.PINS_MAX:
                raise ApiError("too_many_pins")
            pin = Pin(channel=conv.id, ts=msg.ts, created=self.now(), created_by=by.id)
            self.pins[conv.id][msg.ts] = pin
            item = self.pin_item(conv, pin)
            event = {
                "type": "pin_added",
                "user": by.id,
                "channel_id": conv.id,
                "item": item,
                "item_user": msg.user,
                "pin_count": len(self.pins[conv.id]),
                "pinned_info": {"channel": conv.id, "pinned_by": by.id, "pinned_ts": pin.created},
                "event_ts": self.ts.next(),
            }
            out = self.channel_event(conv, event, subscription="pin_added", scope="pins:read")
            notice = self.add_message(
                conv,
                by,
                text=f"<@{by.id}> pinned a message to this channel.",
                subtype="pinned_item",
                extra={"item_type": "C", "item": item["message"]},
            )
            return out + self.message_events(conv, notice)

    def unpin(self, conv: Conversation, msg: Message, by: User) -> list[Outbound]:
        """Unpin a message: `pin_removed` (`no_pin` when it was not pinned)."""
        with self.lock:
            pin = self.pins[conv.id].get(msg.ts)
            if pin is None:
                raise ApiError("no_pin")
            item = self.pin_item(conv, pin)
            del self.pins[conv.id][msg.ts]
            event = {
                "type": "pin_removed",
                "user": by.id,
                "channel_id": conv.id,
                "item": item,
                "item_user": msg.user,
                "pin_count": len(self.pins[conv.id]),
                "pinned_info": {
                    "channel": conv.id,
                    "pinned_by": pin.created_by,
                    "pinned_ts": pin.created,
                },
                "has_pins": bool(self.pins[conv.id]),
                "event_ts": self.ts.next(),
            }
            return self.channel_event(conv, event, subscription="pin_removed", scope="pins:read")

    def pin_item(self, conv: Conversation, pin: Pin) -> dict[str, Any]:
        """A pinned item as `pins.list` and pin events show it."""
        msg = self.message(conv.id, pin.ts)
        message = self.message_json(msg) if msg else {"ts": pin.ts}
        message["permalink"] = self.permalink(conv, msg) if msg else ""
        return {
            "type": "message",
            "channel": conv.id,
            "created": pin.created,
            "created_by": pin.created_by,
            "message": message,
        }

    # ------------------------------------------------------ triggers and urls

    def issue_trigger(self, team_id: str, user_id: str) -> str:
        """A fresh trigger_id (`<n>.<n>.<hex>`, single use, expires after `trigger_ttl`)."""
        with self.lock:
            trigger_id = f"{self.ids.number('trigger')}.{int(self.ts.now())}.{uuid.uuid4().hex}"
            self.triggers[trigger_id] = Trigger(
                id=trigger_id, team_id=team_id, user_id=user_id, issued=self.monotonic()
            )
            return trigger_id

    def exchange_trigger(self, trigger_id: str, team_id: str) -> Trigger:
        """Use a trigger_id once: invalid, exchanged and expired ones fail as Slack's do."""
        with self.lock:
            trigger = self.triggers.get(trigger_id)
            if trigger is None or trigger.team_id != team_id:
                raise ApiError("invalid_trigger_id")
            if trigger.used:
                raise ApiError("exchanged_trigger_id")
            if self.monotonic() - trigger.issued > self.trigger_ttl:
                raise ApiError("expired_trigger_id")
            trigger.used = True
            return trigger

    def issue_response_url(
        self,
        base_url: str,
        kind: Literal["commands", "actions"],
        *,
        team_id: str,
        channel_id: str,
        user_id: str,
        message_ts: str | None = None,
    ) -> str:
        """A response_url on the stand-in (5 uses within 30 minutes)."""
        with self.lock:
            number = self.ids.number("response_url")
            secret = uuid.uuid4().hex[:24]
            path = f"/hooks/{kind}/{team_id}/{number}/{secret}"
            self.response_urls[path] = ResponseUrl(
                id=str(number),
                path=path,
                team_id=team_id,
                channel_id=channel_id,
                user_id=user_id,
                issued=self.monotonic(),
                message_ts=message_ts,
            )
            return base_url.rstrip("/") + path

    def add_ephemeral(
        self,
        channel: str,
        user: str,
        *,
        text: str,
        blocks: list[dict[str, Any]] | None,
        source: str,
        thread_ts: str | None = None,
    ) -> Ephemeral:
        """Record an ephemeral message shown to one user."""
        with self.lock:
            eph = Ephemeral(
                channel=channel,
                user=user,
                ts=self.ts.next(),
                text=text,
                blocks=copy.deepcopy(blocks),
                source=source,
                thread_ts=thread_ts,
            )
            self.ephemerals.append(eph)
            return eph

    # ------------------------------------------------------------------ views

    def new_view_hash(self) -> str:
        """A view hash like Slack's `1569262015.55b5e41b`."""
        return f"{self.now()}.{uuid.uuid4().hex[:8]}"

    def view_json(self, view: View) -> dict[str, Any]:
        """A view as `views.*` answers and interaction payloads carry it."""
        ws = self.workspace(view.team_id)
        inst = ws.installation
        body = json_copy(view.body)
        result: dict[str, Any] = {
            "id": view.id,
            "team_id": view.team_id,
            "type": view.type,
            "title": body.get("title"),
            "submit": body.get("submit"),
            "close": body.get("close"),
            "blocks": body.get("blocks", []),
            "private_metadata": body.get("private_metadata", ""),
            "callback_id": body.get("callback_id", ""),
            "external_id": body.get("external_id", ""),
            "state": {"values": json_copy(view.state_values)},
            "hash": view.hash,
            "clear_on_close": bool(body.get("clear_on_close", False)),
            "notify_on_close": bool(body.get("notify_on_close", False)),
            "root_view_id": view.root_view_id,
            "previous_view_id": view.previous_view_id,
            "app_id": self.app.app_id,
            "app_installed_team_id": view.team_id,
            "bot_id": inst.bot_id if inst else None,
        }
        if view.type == "home":
            result.pop("submit")
            result.pop("close")
        return result

    def create_view(
        self, team_id: str, user_id: str, body: dict[str, Any], *, root: View | None = None
    ) -> View:
        """Store a new view (checks `duplicate_external_id`)."""
        with self.lock:
            self.check_external_id(team_id, body, except_view=None)
            view_id = self.ids.next("V")
            view = View(
                id=view_id,
                team_id=team_id,
                user_id=user_id,
                type=str(body["type"]),
                body=body,
                hash=self.new_view_hash(),
                root_view_id=root.root_view_id if root else view_id,
                previous_view_id=None,
            )
            self.views[view_id] = view
            return view

    def check_external_id(
        self, team_id: str, body: dict[str, Any], *, except_view: View | None
    ) -> None:
        """`duplicate_external_id` when another live view of the team uses the same one."""
        external_id = body.get("external_id")
        if not external_id:
            return
        for other in self.views.values():
            if other is except_view or not other.open or other.team_id != team_id:
                continue
            if other.external_id == external_id:
                raise ApiError("duplicate_external_id")

    def modal_stack(self, team_id: str, user_id: str) -> list[View]:
        """The user's open modals, root first."""
        with self.lock:
            ids = self.modal_stacks.get((team_id, user_id), [])
            return [self.views[v] for v in ids]

    def close_modals(self, team_id: str, user_id: str, *, keep: int = 0) -> list[View]:
        """Close the user's modals above the first `keep`; returns those closed.

        Slack forgets a closed modal (its id answers `not_found`), and so does the stand-in:
        a long session opening thousands of modals does not keep them all.
        """
        with self.lock:
            ids = self.modal_stacks.get((team_id, user_id), [])
            closed = [self.views.pop(v) for v in ids[keep:]]
            for view in closed:
                view.open = False
            self.modal_stacks[(team_id, user_id)] = ids[:keep]
            return closed

    def find_view(self, team_id: str, *, view_id: str | None, external_id: str | None) -> View:
        """An open view by id or external_id; else `not_found`."""
        with self.lock:
            for view in self.views.values():
                if view.team_id != team_id or not view.open:
                    continue
                if view_id and view.id == view_id:
                    return view
                if not view_id and external_id and view.external_id == external_id:
                    return view
            raise ApiError("not_found")

    # ------------------------------------------------------------------ oauth

    def issue_oauth_code(
        self,
        team_id: str,
        *,
        user_id: str | None,
        scopes: Iterable[str],
        redirect_uri: str | None,
    ) -> str:
        """A code the consent screen would hand to the app's redirect URL."""
        with self.lock:
            self.workspace(team_id)
            code = f"{self.ids.number('oauth')}.{uuid.uuid4().hex}"
            self.oauth_codes[code] = OAuthCode(
                code=code,
                team_id=team_id,
                user_id=user_id,
                scopes=frozenset(scopes),
                redirect_uri=redirect_uri,
                issued=self.monotonic(),
            )
            return code
