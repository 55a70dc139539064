"""`SlackStandIn`: the local Slack, set up and driven from Python.

It serves the Web API subset and response_urls over HTTP, Socket Mode over a websocket,
and acts as the people in a workspace: each user action changes Slack's state and
delivers what Slack would deliver to the app (signed HTTP or Socket Mode), returning
the app's answers. Events caused by the app's own Web API calls (its messages, joins,
pins) are delivered in the background, as Slack does; `settle()` waits for them.
"""

from __future__ import annotations

import copy
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, Self

from slack_sdk import WebClient

from bot.sandbox.actions import action_for, build_state_values, find_element
from bot.sandbox.blocks import validate_view
from bot.sandbox.calls import ApiCall, CallLog
from bot.sandbox.delivery import Deliverer, Delivery, DeliveryLog, EventPump, encode_http_body
from bot.sandbox.errors import ApiError, UserActionError
from bot.sandbox.faults import FaultPlan
from bot.sandbox.hooks import AUTHORIZE_PATH, HOOKS_PREFIX, Hooks, ResponseUrlPost
from bot.sandbox.ids import IdFactory, secret_token
from bot.sandbox.methods import all_methods
from bot.sandbox.methods.views import replace_view
from bot.sandbox.payloads import (
    NAME_FIELDS,
    DeliveryKind,
    Outbound,
    block_actions_payload,
    message_action_payload,
    shortcut_payload,
    slash_command_form,
    view_closed_payload,
    view_submission_payload,
)
from bot.sandbox.running import Running
from bot.sandbox.server import HttpRequest, HttpResponse, HttpServer
from bot.sandbox.socket import SocketModeServer
from bot.sandbox.spec import API_REF_DIR
from bot.sandbox.state import (
    DEFAULT_BOT_EVENTS,
    DEFAULT_BOT_SCOPES,
    AppIdentity,
    Conversation,
    Ephemeral,
    Installation,
    Message,
    SandboxState,
    User,
    View,
    Workspace,
)
from bot.sandbox.webapi import API_PREFIX, WebApi


class HasId(Protocol):
    """Anything with a Slack id (Workspace, User, Conversation)."""

    @property
    def id(self) -> str:
        """The Slack id."""
        ...


Ref = str | HasId
SubmitOutcome = Literal["closed", "cleared", "updated", "pushed", "errors", "failed"]


def _id(ref: Ref) -> str:
    return ref if isinstance(ref, str) else ref.id


@dataclass(frozen=True)
class Posted:
    """A message a person posted or edited, and the deliveries it caused."""

    message: dict[str, Any]
    deliveries: tuple[Delivery, ...]

    @property
    def ts(self) -> str:
        """The message's ts."""
        return str(self.message["ts"])


@dataclass(frozen=True)
class Submission:
    """A modal submission: the delivery and what Slack did with the app's answer."""

    delivery: Delivery
    outcome: SubmitOutcome
    errors: dict[str, str]
    view: dict[str, Any] | None
    detail: str | None = None


def _rich_text(text: str) -> list[dict[str, Any]]:
    """The rich_text block Slack's client attaches to a typed message."""
    return [
        {
            "type": "rich_text",
            "block_id": secrets.token_hex(3),
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        }
    ]


def _failure(delivery: Delivery) -> str | None:
    """Slack's error for an interaction the app did not answer well (None if it did)."""
    if not delivery.ok:
        return "dispatch_failed"
    if not delivery.acked_in_time:
        return "operation_timeout"  # Slack stopped waiting and dropped the answer
    return None


class SlackStandIn(Running):
    """A faithful local Slack for one app: Web API, deliveries, and people to act."""

    def __init__(
        self,
        *,
        app_name: str = "Relationship Bot",
        signing_secret: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        request_url: str | None = None,
        socket_mode: bool = False,
        bot_events: Iterable[str] = DEFAULT_BOT_EVENTS,
        clock: Callable[[], float] = time.time,
        trigger_ttl: float = SandboxState.TRIGGER_TTL,
        response_url_ttl: float = SandboxState.RESPONSE_URL_TTL,
        delivery_timeout: float = 10.0,
        echo_app_events: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if not (API_REF_DIR / "methods").is_dir():
            raise RuntimeError(
                f"Slack api-ref data is missing at {API_REF_DIR}; install the package with its "
                "JSON data files (package-data must include *.json)"
            )
        ids = IdFactory()
        app_id = ids.next("A")
        app = AppIdentity(
            app_id=app_id,
            name=app_name,
            client_id=client_id or f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**12)}",
            client_secret=client_secret or secrets.token_hex(16),
            signing_secret=signing_secret or secrets.token_hex(16),
            verification_token=secrets.token_hex(12),
            app_token=secret_token("xapp", "1", app_id),
            bot_events=frozenset(bot_events),
        )
        self.state = SandboxState(
            app,
            ids=ids,
            clock=clock,
            trigger_ttl=trigger_ttl,
            response_url_ttl=response_url_ttl,
        )
        self.faults = FaultPlan()
        self.echo_app_events = echo_app_events
        self._calls = CallLog()
        self._deliveries = DeliveryLog()
        self._http = HttpServer(host, port)  # 0 picks a free port
        self._socket = SocketModeServer(app_id, host)
        self._deliverer = Deliverer(
            signing_secret=lambda: self.state.app.signing_secret,
            socket_server=self._socket,
            log=self._deliveries,
            timeout=delivery_timeout,
        )
        self._deliverer.request_url = request_url
        self._deliverer.socket_mode = socket_mode
        self._pump = EventPump(self._deliverer.send)
        self._webapi = WebApi(
            self.state,
            handlers=all_methods(),
            faults=self.faults,
            calls=self._calls,
            on_events=self._background,
            issue_socket_url=self._socket.new_url,
        )
        self._hooks = Hooks(self.state, on_events=self._background)
        self._http.route(API_PREFIX, self._webapi.handle)
        self._http.route(HOOKS_PREFIX, self._hooks.response_url)
        self._http.route(AUTHORIZE_PATH, self._hooks.authorize)
        self._started = False

    # -------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Start the HTTP server, the Socket Mode server and the event pump."""
        self._http.start()
        self._socket.start()
        self._pump.start()
        self._started = True
        return self

    def stop(self) -> None:
        """Release held calls, stop delivering, close every socket and join every thread."""
        if not self._started:
            return
        self.faults.clear()
        self._pump.stop()
        self._http.stop()
        self._socket.stop()
        self._started = False

    def go_down(self, *, apply_held: bool = False) -> None:
        """Slack's Web API goes down: calls are refused, held calls end without an answer.

        With `apply_held` the held calls take effect first (Slack applied, then died before
        answering). State, tokens and the port are kept for `come_back()`.
        """
        self._http.stop(before_join=lambda: self.faults.drop_held(apply=apply_held))

    def come_back(self) -> None:
        """Serve again on the same port with the same state, as a restarted Slack would."""
        self._http.start()

    # ------------------------------------------------------------ addresses

    def route(self, prefix: str, handler: Callable[[HttpRequest], HttpResponse]) -> None:
        """Serve extra paths on the stand-in's HTTP server (e.g. the playground's pages)."""
        self._http.route(prefix, handler)

    @property
    def url(self) -> str:
        """Base URL of the stand-in, e.g. `http://127.0.0.1:54321`."""
        return self._http.url

    @property
    def api_url(self) -> str:
        """The Web API base URL to give `WebClient(base_url=...)` (env SLACK_API_URL)."""
        return self.url + API_PREFIX

    @property
    def authorize_url(self) -> str:
        """The OAuth consent screen (give it to Bolt's `OAuthSettings(authorization_url=...)`)."""
        return self.url + AUTHORIZE_PATH

    @property
    def oauth_redirect_url(self) -> str | None:
        """The app's configured OAuth Redirect URL (used when the install link names none)."""
        return self._hooks.default_redirect_uri

    @oauth_redirect_url.setter
    def oauth_redirect_url(self, url: str | None) -> None:
        self._hooks.default_redirect_uri = url

    @property
    def app(self) -> AppIdentity:
        """The app's credentials: signing_secret, app_token, client_id, client_secret, app_id."""
        return self.state.app

    @property
    def request_url(self) -> str | None:
        """Where HTTP-mode deliveries go (`<app_url>/slack/events`)."""
        return self._deliverer.request_url

    @request_url.setter
    def request_url(self, url: str | None) -> None:
        self._deliverer.request_url = url

    @property
    def socket_mode(self) -> bool:
        """True when deliveries go to Socket Mode clients instead of the Request URL."""
        return self._deliverer.socket_mode

    @socket_mode.setter
    def socket_mode(self, enabled: bool) -> None:
        self._deliverer.socket_mode = enabled

    @property
    def delivery_timeout(self) -> float:
        """Seconds to wait for the app's answer (or a Socket Mode client) per delivery."""
        return self._deliverer.timeout

    @delivery_timeout.setter
    def delivery_timeout(self, seconds: float) -> None:
        self._deliverer.timeout = seconds

    @property
    def ack_deadline(self) -> float:
        """Seconds Slack waits for an answer (3; lower it to test lateness quickly)."""
        return self._deliverer.ack_deadline

    @ack_deadline.setter
    def ack_deadline(self, seconds: float) -> None:
        self._deliverer.ack_deadline = seconds

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode clients are connected."""
        return self._socket.connection_count

    def wait_for_socket(self, count: int = 1, timeout: float = 5.0) -> None:
        """Block until `count` Socket Mode clients are connected (TimeoutError otherwise)."""
        if not self._socket.wait_connected(count, timeout):
            raise TimeoutError(f"no {count} Socket Mode connection(s) within {timeout}s")

    def request_socket_reconnect(self) -> None:
        """Send Slack's `disconnect` (refresh_requested) message to every Socket Mode client."""
        self._socket.request_reconnect()

    def close_socket_connections(self) -> None:
        """Close every Socket Mode connection from Slack's side (clients may reconnect)."""
        self._socket.close_connections()

    # ------------------------------------------------------------------ setup

    def add_workspace(
        self,
        name: str = "Acme",
        *,
        install: bool = True,
        scopes: Iterable[str] = DEFAULT_BOT_SCOPES,
        team_id: str | None = None,
        domain: str | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
    ) -> Workspace:
        """A workspace, with the app installed in it unless `install=False`."""
        ws = self.state.add_workspace(
            name,
            team_id=team_id,
            domain=domain,
            enterprise_id=enterprise_id,
            enterprise_name=enterprise_name,
        )
        if install:
            self.state.install(ws.id, scopes=scopes)
        return ws

    def install(
        self, workspace: Ref, *, scopes: Iterable[str] = DEFAULT_BOT_SCOPES
    ) -> Installation:
        """Install (or reinstall) the app in a workspace; issues a new bot token."""
        return self.state.install(_id(workspace), scopes=scopes)

    def installation(self, workspace: Ref) -> Installation:
        """The app's installation in a workspace."""
        inst = self.state.workspace(_id(workspace)).installation
        if inst is None:
            raise UserActionError(f"the app is not installed in {_id(workspace)}")
        return inst

    def bot_token(self, workspace: Ref) -> str:
        """The workspace's bot token (`xoxb-...`)."""
        return self.installation(workspace).token

    def bot_user_id(self, workspace: Ref) -> str:
        """The app's bot user id in a workspace."""
        return self.installation(workspace).bot_user_id

    def client(self, workspace: Ref | None = None, **kwargs: Any) -> WebClient:
        """A real slack_sdk WebClient talking to the stand-in with the workspace's bot token."""
        token = self.bot_token(workspace) if workspace is not None else None
        return WebClient(token=token, base_url=self.api_url, **kwargs)

    def add_user(
        self,
        workspace: Ref,
        name: str,
        *,
        real_name: str | None = None,
        is_admin: bool = False,
        email: str | None = None,
    ) -> User:
        """A person in a workspace."""
        return self.state.add_user(
            _id(workspace), name, real_name=real_name, is_admin=is_admin, email=email
        )

    def add_channel(
        self,
        workspace: Ref,
        name: str,
        *,
        private: bool = False,
        members: Iterable[Ref] = (),
        bot: bool = False,
        archived: bool = False,
        shared_with: Iterable[Ref] = (),
    ) -> Conversation:
        """A public or private channel; `bot=True` makes the app's bot a member already.

        `shared_with` turns it into a Slack Connect channel shared with other workspaces.
        """
        team_id = _id(workspace)
        member_ids = {_id(m) for m in members}
        if bot:
            member_ids.add(self.bot_user_id(team_id))
        conv = self.state.add_conversation(
            team_id,
            kind="private" if private else "public",
            name=name,
            members=member_ids,
            creator=next(iter(sorted(member_ids)), None),
            shared_with=[_id(w) for w in shared_with],
        )
        with self.state.lock:
            conv.is_archived = archived
        return conv

    def add_group_dm(
        self, workspace: Ref, members: Iterable[Ref], *, bot: bool = False
    ) -> Conversation:
        """A group DM (mpim) between people, optionally with the app's bot in it."""
        team_id = _id(workspace)
        member_ids = {_id(m) for m in members}
        names = sorted(self.state.user(u).name for u in member_ids)
        if bot:
            member_ids.add(self.bot_user_id(team_id))
        return self.state.add_conversation(
            team_id, kind="mpim", name="mpdm-" + "--".join(names) + "-1", members=member_ids
        )

    def add_dm(self, user_a: Ref, user_b: Ref) -> Conversation:
        """A DM between two people (the app cannot see it)."""
        a, b = self.state.user(_id(user_a)), self.state.user(_id(user_b))
        return self.state.add_conversation(a.team_id, kind="im", members={a.id, b.id}, im_user=b.id)

    def bot_dm(self, user: Ref) -> Conversation:
        """The DM between a person and the app (the app's Messages tab)."""
        person = self.state.user(_id(user))
        return self.state.bot_dm(person.team_id, person.id)

    def archive(self, channel: Ref) -> None:
        """Archive a conversation."""
        with self.state.lock:
            self.state.conversation(_id(channel)).is_archived = True

    def oauth_code(
        self,
        workspace: Ref,
        *,
        user: Ref | None = None,
        scopes: Iterable[str] = DEFAULT_BOT_SCOPES,
        redirect_uri: str | None = None,
    ) -> str:
        """A code as the consent screen hands it to the app's redirect URL."""
        return self.state.issue_oauth_code(
            _id(workspace),
            user_id=_id(user) if user is not None else None,
            scopes=scopes,
            redirect_uri=redirect_uri,
        )

    # -------------------------------------------------------------- delivery

    def _background(self, outbounds: list[Outbound]) -> None:
        if self.echo_app_events and outbounds:
            self._pump.put(outbounds)

    def _deliver(self, outbounds: list[Outbound]) -> tuple[Delivery, ...]:
        return tuple(self._deliverer.send(o) for o in outbounds)

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until events caused by the app's own calls have been delivered."""
        self._pump.settle(timeout)

    def send_event(self, workspace: Ref, event: Mapping[str, Any]) -> Delivery:
        """Deliver any event to the app as Slack would (an `event_callback` envelope)."""
        team_id = _id(workspace)
        outbounds = self.state.team_event(team_id, dict(event), subscription=None)
        if not outbounds:
            raise UserActionError(f"the app is not installed in {team_id}")
        return self._deliver(outbounds)[0]

    def redeliver(
        self, delivery: Delivery, *, reason: str = "http_timeout", url: str | None = None
    ) -> Delivery:
        """Retry an event delivery as Slack does (`X-Slack-Retry-Num`, `X-Slack-Retry-Reason`).

        `url` sends it to another address than the Request URL, e.g. one replica of several
        behind the load balancer the Request URL names.
        """
        if delivery.kind != "events_api":
            raise UserActionError("Slack retries only Events API deliveries")
        outbound = Outbound(kind="events_api", payload=delivery.payload, team_id=delivery.team_id)
        return self._deliverer.send(
            outbound, retry_num=delivery.retry_num + 1, retry_reason=reason, url=url
        )

    def send_signed(
        self,
        payload: Mapping[str, Any],
        *,
        kind: DeliveryKind = "events_api",
        team_id: str = "",
        signing_secret: str | None = None,
        timestamp: str | None = None,
        signature: str | None = None,
        url: str | None = None,
    ) -> Delivery:
        """POST a payload to the Request URL (or `url`) with any part of the signature forged."""
        outbound = Outbound(kind=kind, payload=dict(payload), team_id=team_id)
        body, content_type = encode_http_body(outbound)
        return self._deliverer.post(
            body,
            {"Content-Type": content_type},
            outbound=outbound,
            signing_secret=signing_secret,
            timestamp=timestamp,
            signature=signature,
            url=url,
        )

    # ------------------------------------------------------- people's actions

    def _person(self, user: Ref) -> User:
        person = self.state.user(_id(user))
        if person.is_bot:
            raise UserActionError("act as a person, not as the bot")
        return person

    def _installed_team(self, person: User) -> Installation:
        inst = self.state.workspace(person.team_id).active_installation
        if inst is None:
            raise UserActionError(f"the app is not installed in {person.team_id}")
        return inst

    def _member_conv(self, person: User, channel: Ref) -> Conversation:
        conv = self.state.conversation(_id(channel))
        if person.id not in conv.members:
            raise UserActionError(f"{person.name} is not a member of {conv.id}")
        if conv.is_archived:
            raise UserActionError(f"{conv.id} is archived")
        return conv

    def _existing(self, conv: Conversation, ts: str) -> Message:
        msg = self.state.message(conv.id, ts)
        if msg is None:
            raise UserActionError(f"no message {ts} in {conv.id}")
        return msg

    def post(
        self,
        user: Ref,
        channel: Ref,
        text: str,
        *,
        thread_ts: str | None = None,
        broadcast: bool = False,
        blocks: list[dict[str, Any]] | None = None,
    ) -> Posted:
        """A person posts a message or a thread reply (`broadcast` also sends it to the channel)."""
        person = self._person(user)
        with self.state.lock:
            conv = self._member_conv(person, channel)
            if thread_ts is not None:
                self._existing(conv, thread_ts)
            msg = self.state.add_message(
                conv,
                person,
                text=text,
                blocks=blocks if blocks is not None else _rich_text(text),
                thread_ts=thread_ts,
                broadcast=broadcast,
            )
            outbounds = self.state.message_events(conv, msg)
            message = self.state.message_json(msg)
        return Posted(message=message, deliveries=self._deliver(outbounds))

    def edit(self, user: Ref, channel: Ref, ts: str, text: str) -> Posted:
        """A person edits their message (`message_changed`)."""
        person = self._person(user)
        with self.state.lock:
            conv = self._member_conv(person, channel)
            msg = self._existing(conv, ts)
            if msg.user != person.id:
                raise UserActionError("people can only edit their own messages")
            previous = self.state.message_json(msg)
            msg.text = text
            msg.blocks = _rich_text(text)
            msg.edited = {"user": person.id, "ts": self.state.ts.next()}
            outbounds = self.state.changed_event(conv, msg, previous)
            message = self.state.message_json(msg)
        return Posted(message=message, deliveries=self._deliver(outbounds))

    def delete(self, user: Ref, channel: Ref, ts: str) -> tuple[Delivery, ...]:
        """A person deletes their message (`message_deleted`)."""
        person = self._person(user)
        with self.state.lock:
            conv = self._member_conv(person, channel)
            msg = self._existing(conv, ts)
            if msg.user != person.id and not person.is_admin:
                raise UserActionError("people can only delete their own messages")
            previous = self.state.message_json(msg)
            self.state.remove_message(conv, msg)
            outbounds = self.state.deleted_event(conv, ts, previous)
        return self._deliver(outbounds)

    def pin(self, user: Ref, channel: Ref, ts: str) -> tuple[Delivery, ...]:
        """A person pins a message by hand (`pin_added` and a `pinned_item` message)."""
        return self._pin_action(user, channel, ts, add=True)

    def unpin(self, user: Ref, channel: Ref, ts: str) -> tuple[Delivery, ...]:
        """A person unpins a message by hand (`pin_removed`)."""
        return self._pin_action(user, channel, ts, add=False)

    def _pin_action(self, user: Ref, channel: Ref, ts: str, *, add: bool) -> tuple[Delivery, ...]:
        person = self._person(user)
        with self.state.lock:
            conv = self._member_conv(person, channel)
            msg = self._existing(conv, ts)
            try:
                outbounds = (
                    self.state.pin(conv, msg, person)
                    if add
                    else self.state.unpin(conv, msg, person)
                )
            except ApiError as exc:
                raise UserActionError(exc.code) from exc
        return self._deliver(outbounds)

    def invite(
        self, inviter: Ref, channel: Ref, invitee: Ref | None = None
    ) -> tuple[Delivery, ...]:
        """A member invites someone (the app's bot by default): `member_joined_channel`."""
        person = self._person(inviter)
        with self.state.lock:
            conv = self._member_conv(person, channel)
            if conv.kind == "im":
                raise UserActionError("nobody can be invited to a DM")
            target_id = _id(invitee) if invitee is not None else self.bot_user_id(person.team_id)
            target = self.state.user(target_id)
            if target.is_bot and target.team_id not in conv.shared_team_ids:
                raise UserActionError("that bot's workspace is not in this conversation")
            outbounds = self.state.join(conv, target, inviter=person.id)
        return self._deliver(outbounds)

    def remove(self, remover: Ref, channel: Ref, member: Ref | None = None) -> tuple[Delivery, ...]:
        """A member removes someone (the app's bot by default) from a channel (`/remove`)."""
        person = self._person(remover)
        with self.state.lock:
            conv = self._member_conv(person, channel)
            if conv.kind not in ("public", "private"):
                raise UserActionError("only channels have members to remove")
            target_id = _id(member) if member is not None else self.bot_user_id(person.team_id)
            outbounds = self.state.leave(conv, self.state.user(target_id))
        return self._deliver(outbounds)

    def join(self, user: Ref, channel: Ref) -> tuple[Delivery, ...]:
        """A person joins a public channel."""
        person = self._person(user)
        with self.state.lock:
            conv = self.state.conversation(_id(channel))
            if conv.kind != "public" or conv.is_archived:
                raise UserActionError("only open public channels can be joined")
            if person.team_id not in conv.shared_team_ids:
                raise UserActionError("the channel is not in the person's workspace")
            outbounds = self.state.join(conv, person, inviter=None)
        return self._deliver(outbounds)

    def open_home(
        self, user: Ref, *, tab: Literal["home", "messages"] = "home"
    ) -> tuple[Delivery, ...]:
        """A person opens the app's Home (or Messages) tab: `app_home_opened`."""
        person = self._person(user)
        with self.state.lock:
            self._installed_team(person)
            dm = self.state.bot_dm(person.team_id, person.id)
            event: dict[str, Any] = {
                "type": "app_home_opened",
                "user": person.id,
                "channel": dm.id,
                "tab": tab,
                "event_ts": self.state.ts.next(),
            }
            view_id = self.state.home_views.get((person.team_id, person.id))
            if view_id is not None and tab == "home":
                event["view"] = self.state.view_json(self.state.views[view_id])
            outbounds = self.state.team_event(person.team_id, event, subscription="app_home_opened")
        return self._deliver(outbounds)

    def uninstall(self, workspace: Ref) -> tuple[Delivery, ...]:
        """Uninstall the app: its token stops working; `tokens_revoked` and `app_uninstalled`."""
        team_id = _id(workspace)
        with self.state.lock:
            inst = self.installation(team_id)
            if inst.revoked:
                raise UserActionError("the app is already uninstalled")
            revoked = {
                "type": "tokens_revoked",
                "tokens": {"oauth": [], "bot": [inst.bot_user_id]},
                "event_ts": self.state.ts.next(),
            }
            uninstalled = {"type": "app_uninstalled", "event_ts": self.state.ts.next()}
            outbounds = self.state.team_event(team_id, revoked, subscription=None)
            outbounds += self.state.team_event(team_id, uninstalled, subscription=None)
            inst.revoked = True
        return self._deliver(outbounds)

    def _channel_brief(self, conv: Conversation) -> dict[str, str]:
        if conv.kind == "im":
            return {"id": conv.id, "name": "directmessage"}
        return {"id": conv.id, "name": conv.name}

    def slash_command(
        self,
        user: Ref,
        channel: Ref,
        command: str,
        text: str = "",
        *,
        names: Mapping[str, str] | None = None,
    ) -> Delivery:
        """A person runs a slash command; the app's immediate answer shows as Slack shows it.

        `names` replaces the form's descriptive fields (NAME_FIELDS: channel_name, user_name,
        team_domain, enterprise_name) with any text, as a workspace so named would send them.
        """
        unknown = set(names or {}) - set(NAME_FIELDS)
        if unknown:
            raise UserActionError(f"not a name field of a slash command: {sorted(unknown)}")
        person = self._person(user)
        with self.state.lock:
            inst = self._installed_team(person)
            conv = self._member_conv(person, channel)
            team = self.state.team_info(inst.team_id)
            trigger_id = self.state.issue_trigger(inst.team_id, person.id)
            response_url = self.state.issue_response_url(
                self.url, "commands", team_id=inst.team_id, channel_id=conv.id, user_id=person.id
            )
            form = slash_command_form(
                team,
                user=person.brief(),
                channel_id=conv.id,
                channel_name=self._channel_brief(conv)["name"],
                command=command,
                text=text,
                trigger_id=trigger_id,
                response_url=response_url,
            ) | dict(names or {})
        outbound = Outbound(
            kind="slash_commands",
            payload=form,
            team_id=inst.team_id,
            accepts_response_payload=True,
            meta={"trigger_id": trigger_id, "response_url": response_url},
        )
        delivery = self._deliverer.send(outbound)
        self._show_command_answer(delivery, conv, person, command)
        return delivery

    def _show_command_answer(
        self, delivery: Delivery, conv: Conversation, person: User, command: str
    ) -> None:
        """Show the app's answer; a failed or late one shows Slack's error to the person."""
        failure = _failure(delivery)
        if failure is not None:
            self.state.add_ephemeral(
                conv.id,
                person.id,
                text=f'{command} failed with the error "{failure}"',
                blocks=None,
                source="slack",
            )
            return
        if not delivery.body.strip():
            return
        try:
            answer = delivery.json()
        except json.JSONDecodeError:
            answer = {"text": delivery.body}
        if not isinstance(answer, dict):
            return
        text = str(answer.get("text") or "")
        blocks = answer.get("blocks")
        if not text and not blocks:
            return
        with self.state.lock:
            if answer.get("response_type") == "in_channel":
                bot = self.state.user(self.bot_user_id(person.team_id))
                msg = self.state.add_message(conv, bot, text=text, blocks=blocks)
                outbounds = self.state.message_events(conv, msg)
            else:
                self.state.add_ephemeral(
                    conv.id, person.id, text=text, blocks=blocks, source="command_response"
                )
                outbounds = []
        self._background(outbounds)

    def click(
        self,
        user: Ref,
        action_id: str,
        *,
        channel: Ref | None = None,
        ts: str | None = None,
        view_id: str | None = None,
        block_id: str | None = None,
        value: Any = None,
    ) -> Delivery:
        """A person clicks a button (or picks `value` in a menu) in a message or a view.

        Give `channel` and `ts` for a message; else the element is looked up in the
        person's top modal (or the view `view_id`, e.g. their Home tab).
        """
        person = self._person(user)
        with self.state.lock:
            inst = self._installed_team(person)
            team = self.state.team_info(inst.team_id)
            trigger_id = self.state.issue_trigger(inst.team_id, person.id)
            action_ts = self.state.ts.next()
            if channel is not None:
                if ts is None:
                    raise UserActionError("give the message ts with the channel")
                conv = self.state.conversation(_id(channel))
                if conv.kind != "public" and person.id not in conv.members:
                    raise UserActionError(f"{person.name} cannot see {conv.id}")
                msg = self._existing(conv, ts)
                block, element = find_element(msg.blocks or [], action_id, block_id)
                response_url = self.state.issue_response_url(
                    self.url,
                    "actions",
                    team_id=inst.team_id,
                    channel_id=conv.id,
                    user_id=person.id,
                    message_ts=msg.ts,
                )
                payload = block_actions_payload(
                    team,
                    user=person.brief(),
                    action=action_for(block, element, value, action_ts),
                    trigger_id=trigger_id,
                    container={
                        "type": "message",
                        "message_ts": msg.ts,
                        "channel_id": conv.id,
                        "is_ephemeral": False,
                    },
                    channel=self._channel_brief(conv),
                    message=self.state.message_json(msg),
                    response_url=response_url,
                )
            else:
                view = self._view_for(person, view_id)
                block, element = find_element(view.body.get("blocks", []), action_id, block_id)
                payload = block_actions_payload(
                    team,
                    user=person.brief(),
                    action=action_for(block, element, value, action_ts),
                    trigger_id=trigger_id,
                    container={"type": "view", "view_id": view.id},
                    view=self.state.view_json(view),
                )
        outbound = Outbound(
            kind="interactive",
            payload=payload,
            team_id=inst.team_id,
            meta={"trigger_id": trigger_id},
        )
        return self._deliverer.send(outbound)

    def _view_for(self, person: User, view_id: str | None) -> View:
        if view_id is not None:
            view = self.state.views.get(view_id)
            if view is None or not view.open or view.user_id != person.id:
                raise UserActionError(f"{person.name} has no open view {view_id}")
            return view
        stack = self.state.modal_stack(person.team_id, person.id)
        if not stack:
            raise UserActionError(f"{person.name} has no open modal")
        return stack[-1]

    def fill(
        self, user: Ref, values: Mapping[str, Any], *, view_id: str | None = None
    ) -> dict[str, Any]:
        """A person types into a modal without submitting; returns the view's state values."""
        person = self._person(user)
        with self.state.lock:
            view = self._view_for(person, view_id)
            view.state_values = build_state_values(
                view.body.get("blocks", []), values, view.state_values, enforce_required=False
            )
            return copy.deepcopy(view.state_values)

    def submit(
        self, user: Ref, values: Mapping[str, Any] | None = None, *, view_id: str | None = None
    ) -> Submission:
        """A person submits their top modal with `values` (keyed by action_id or block_id)."""
        person = self._person(user)
        with self.state.lock:
            inst = self._installed_team(person)
            stack = self.state.modal_stack(person.team_id, person.id)
            view = self._view_for(person, view_id)
            if not stack or view is not stack[-1]:
                raise UserActionError("only the top modal can be submitted")
            if not view.body.get("submit"):
                raise UserActionError("this modal has no submit button")
            view.state_values = build_state_values(
                view.body.get("blocks", []), values or {}, view.state_values
            )
            trigger_id = self.state.issue_trigger(inst.team_id, person.id)
            payload = view_submission_payload(
                self.state.team_info(inst.team_id),
                user=person.brief(),
                view=self.state.view_json(view),
                trigger_id=trigger_id,
            )
        outbound = Outbound(
            kind="interactive",
            payload=payload,
            team_id=inst.team_id,
            accepts_response_payload=True,
            meta={"trigger_id": trigger_id},
        )
        delivery = self._deliverer.send(outbound)
        return self._apply_response_action(delivery, person, view)

    def _apply_response_action(self, delivery: Delivery, person: User, view: View) -> Submission:
        def result(
            outcome: SubmitOutcome, errors: dict[str, str] | None = None, detail: str | None = None
        ) -> Submission:
            top = self.current_view(person)
            return Submission(delivery, outcome, errors or {}, top, detail)

        failure = _failure(delivery)
        if failure is not None:
            return result("failed", detail=failure)
        try:
            answer = delivery.json() or {}
        except json.JSONDecodeError:
            return result("failed", detail="the answer is not JSON")
        action = answer.get("response_action") if isinstance(answer, dict) else None
        team_id, user_id = person.team_id, person.id
        with self.state.lock:
            if action == "errors":
                errors = answer.get("errors")
                inputs = {
                    b.get("block_id")
                    for b in view.body.get("blocks", [])
                    if b.get("type") == "input"
                }
                if not isinstance(errors, dict) or not errors or not set(errors) <= inputs:
                    return result("failed", detail=f"errors must name input block_ids: {errors!r}")
                return result("errors", {str(k): str(v) for k, v in errors.items()})
            if action in ("update", "push"):
                try:
                    body = validate_view(answer.get("view"), allowed_types=("modal",))
                    if action == "update":
                        replace_view(self.state, view, body)
                        view.previous_view_id = None
                    else:
                        stack = self.state.modal_stacks.setdefault((team_id, user_id), [])
                        if len(stack) >= self.state.MODAL_STACK_MAX:
                            raise ApiError("push_limit_reached")
                        pushed = self.state.create_view(team_id, user_id, body, root=view)
                        pushed.previous_view_id = view.id
                        stack.append(pushed.id)
                except ApiError as exc:
                    detail = "; ".join(exc.messages) or exc.code
                    return result("failed", detail=detail)
                return result("updated" if action == "update" else "pushed")
            if action == "clear":
                self.state.close_modals(team_id, user_id)
                return result("cleared")
            stack_ids = self.state.modal_stacks.get((team_id, user_id), [])
            self.state.close_modals(team_id, user_id, keep=max(0, len(stack_ids) - 1))
            return result("closed")

    def close_view(self, user: Ref) -> Delivery | None:
        """A person closes their top modal; `view_closed` is sent if it asked for it."""
        person = self._person(user)
        with self.state.lock:
            inst = self._installed_team(person)
            stack = self.state.modal_stack(person.team_id, person.id)
            if not stack:
                raise UserActionError(f"{person.name} has no open modal")
            view = stack[-1]
            clear = bool(view.body.get("clear_on_close"))
            self.state.close_modals(person.team_id, person.id, keep=0 if clear else len(stack) - 1)
            if not view.body.get("notify_on_close"):
                return None
            payload = view_closed_payload(
                self.state.team_info(inst.team_id),
                user=person.brief(),
                view=self.state.view_json(view),
            )
        return self._deliverer.send(
            Outbound(kind="interactive", payload=payload, team_id=inst.team_id)
        )

    def global_shortcut(self, user: Ref, callback_id: str) -> Delivery:
        """A person uses a global shortcut."""
        person = self._person(user)
        with self.state.lock:
            inst = self._installed_team(person)
            trigger_id = self.state.issue_trigger(inst.team_id, person.id)
            payload = shortcut_payload(
                self.state.team_info(inst.team_id),
                user=person.brief(),
                callback_id=callback_id,
                trigger_id=trigger_id,
                action_ts=self.state.ts.next(),
            )
        outbound = Outbound(
            kind="interactive",
            payload=payload,
            team_id=inst.team_id,
            meta={"trigger_id": trigger_id},
        )
        return self._deliverer.send(outbound)

    def message_shortcut(self, user: Ref, channel: Ref, ts: str, callback_id: str) -> Delivery:
        """A person uses a message shortcut on a message."""
        person = self._person(user)
        with self.state.lock:
            inst = self._installed_team(person)
            conv = self._member_conv(person, channel)
            msg = self._existing(conv, ts)
            trigger_id = self.state.issue_trigger(inst.team_id, person.id)
            response_url = self.state.issue_response_url(
                self.url, "actions", team_id=inst.team_id, channel_id=conv.id, user_id=person.id
            )
            payload = message_action_payload(
                self.state.team_info(inst.team_id),
                user=person.brief(),
                callback_id=callback_id,
                trigger_id=trigger_id,
                action_ts=self.state.ts.next(),
                channel=self._channel_brief(conv),
                message=self.state.message_json(msg),
                response_url=response_url,
            )
        outbound = Outbound(
            kind="interactive",
            payload=payload,
            team_id=inst.team_id,
            meta={"trigger_id": trigger_id, "response_url": response_url},
        )
        return self._deliverer.send(outbound)

    # ---------------------------------------------------------------- queries

    def calls(
        self,
        method: str | None = None,
        *,
        team_id: str | None = None,
        ok: bool | None = None,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> list[ApiCall]:
        """Recorded Web API calls, e.g. `calls("chat.postMessage", ok=True)`."""
        return self._calls.select(method, team_id=team_id, ok=ok, where=where)

    def wait_for_call(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5.0,
        ok: bool | None = None,
        where: Callable[[ApiCall], bool] | None = None,
    ) -> ApiCall:
        """Block until the `count`-th matching call happened; return it."""
        return self._calls.wait_for(method, count=count, timeout=timeout, ok=ok, where=where)[
            count - 1
        ]

    def calls_after(self, seen: int, *, timeout: float = 5.0) -> list[ApiCall]:
        """Calls after the first `seen` since the last clear (follow the log without rescanning it).

        Waits up to `timeout` for one; [] if none came.
        """
        return self._calls.after(seen, timeout)

    def clear_calls(self) -> None:
        """Forget recorded calls (e.g. after setup)."""
        self._calls.clear()

    def clear_deliveries(self) -> None:
        """Forget recorded deliveries (long runs, to bound memory)."""
        self._deliveries.clear()

    def deliveries(self, label: str | None = None) -> list[Delivery]:
        """Everything sent to the app, e.g. `deliveries("event:message")`."""
        return self._deliveries.select(label)

    def wait_for_delivery(self, label: str, *, count: int = 1, timeout: float = 5.0) -> Delivery:
        """Block until the `count`-th delivery with `label` happened; return it."""
        return self._deliveries.wait_for(label, count=count, timeout=timeout)[count - 1]

    def messages(self, channel: Ref, *, include_metadata: bool = True) -> list[dict[str, Any]]:
        """A conversation's history as Slack shows it, oldest first (no thread replies)."""
        with self.state.lock:
            conv = self.state.conversation(_id(channel))
            msgs = reversed(self.state.history(conv))
            return [self.state.message_json(m, include_metadata=include_metadata) for m in msgs]

    def message(self, channel: Ref, ts: str) -> dict[str, Any] | None:
        """One message (metadata included), or None if it does not exist."""
        with self.state.lock:
            msg = self.state.message(_id(channel), ts)
            return None if msg is None else self.state.message_json(msg, include_metadata=True)

    def thread(self, channel: Ref, ts: str) -> list[dict[str, Any]]:
        """A thread, parent first."""
        with self.state.lock:
            conv = self.state.conversation(_id(channel))
            return [
                self.state.message_json(m, include_metadata=True)
                for m in self.state.thread(conv, ts)
            ]

    def pinned(self, channel: Ref) -> list[str]:
        """The ts of every pinned message in a conversation."""
        with self.state.lock:
            return sorted(self.state.pins.get(_id(channel), {}))

    def members(self, channel: Ref) -> set[str]:
        """Member user ids of a conversation."""
        with self.state.lock:
            return set(self.state.conversation(_id(channel)).members)

    def ephemerals(self, *, user: Ref | None = None, channel: Ref | None = None) -> list[Ephemeral]:
        """Ephemeral messages shown so far (from the API, response_urls and command answers)."""
        with self.state.lock:
            return [
                e
                for e in self.state.ephemerals
                if (user is None or e.user == _id(user))
                and (channel is None or e.channel == _id(channel))
            ]

    def modal_stack(self, user: Ref) -> list[dict[str, Any]]:
        """A person's open modals, root first."""
        person = self.state.user(_id(user))
        with self.state.lock:
            return [
                self.state.view_json(v) for v in self.state.modal_stack(person.team_id, person.id)
            ]

    def current_view(self, user: Ref) -> dict[str, Any] | None:
        """A person's top modal, or None."""
        stack = self.modal_stack(user)
        return stack[-1] if stack else None

    def home(self, user: Ref) -> dict[str, Any] | None:
        """A person's published Home tab, or None."""
        person = self.state.user(_id(user))
        with self.state.lock:
            view_id = self.state.home_views.get((person.team_id, person.id))
            return None if view_id is None else self.state.view_json(self.state.views[view_id])

    def response_url_posts(self) -> list[ResponseUrlPost]:
        """Every POST the app made to a response_url."""
        return self._hooks.snapshot()
