"""A local stand-in for Slack: the Web API subset the bot calls, and signed delivery to it.

Start one with `with SlackStandIn() as slack: ...`, point a WebClient at `slack.api_url`,
set `slack.request_url` to the app's `/slack/events` (or `slack.socket_mode = True`), and
drive it as people would: `slack.post(...)`, `slack.slash_command(...)`, `slack.submit(...)`.
"""

from bot.sandbox.app_server import BoltAppServer
from bot.sandbox.calls import ApiCall
from bot.sandbox.delivery import Delivery, sign
from bot.sandbox.errors import ApiError, UserActionError
from bot.sandbox.faults import Fault, FaultPlan, Hold
from bot.sandbox.hooks import ResponseUrlPost
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
