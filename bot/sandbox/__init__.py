"""A local stand-in for Slack: the Web API subset the bot calls, and signed delivery to it.

    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")                  # app installed, bot token issued
        alice = slack.add_user(acme, "alice")
        general = slack.add_channel(acme, "general", members=[alice], bot=True)
        app = App(signing_secret=slack.app.signing_secret, client=slack.client(acme))
        with BoltAppServer(app) as server:                  # or SocketModeHandler + socket_mode
            slack.request_url = server.events_url
            slack.slash_command(alice, general, "/relationship", "acme deal")
            slack.wait_for_call("views.open")
            slack.submit(alice, {"title_input": "Acme"})

Slack is replaced at the HTTP boundary only: the app's WebClient points at `slack.api_url`.
"""

from bot.sandbox.app_server import BoltAppServer
from bot.sandbox.calls import ApiCall
from bot.sandbox.delivery import Delivery, sign
from bot.sandbox.errors import ApiError, UserActionError
from bot.sandbox.faults import Fault, FaultPlan, Hold
from bot.sandbox.hooks import ResponseUrlPost
from bot.sandbox.server import HttpRequest, HttpResponse
from bot.sandbox.standin import Posted, SlackStandIn, Submission
from bot.sandbox.state import (
    DEFAULT_BOT_EVENTS,
    DEFAULT_BOT_SCOPES,
    AppIdentity,
    Conversation,
    Ephemeral,
    Installation,
    User,
    Workspace,
)

__all__ = [
    "DEFAULT_BOT_EVENTS",
    "DEFAULT_BOT_SCOPES",
    "ApiCall",
    "ApiError",
    "AppIdentity",
    "BoltAppServer",
    "Conversation",
    "Delivery",
    "Ephemeral",
    "Fault",
    "FaultPlan",
    "Hold",
    "HttpRequest",
    "HttpResponse",
    "Installation",
    "Posted",
    "ResponseUrlPost",
    "SlackStandIn",
    "Submission",
    "User",
    "UserActionError",
    "Workspace",
    "sign",
]
