"""create_app(settings, store) -> App: the Bolt app with its client, authorization and listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.slack.authorize import authorization
from bot.slack.deps import Deps
from bot.slack.listeners import register
from bot.slack.notify import acting_person, tell_user
from bot.store import Store

logger = logging.getLogger(__name__)

# Work after ack() holds a listener thread; Bolt's default of 5 cannot keep 3-second acks
# at 20 concurrent requests against a slow Web API.
LISTENER_THREADS: Final = 32
FAILURE_TEXT: Final = (
    "Sorry, something went wrong on my side and that didn't go through. Please try again in a "
    "moment; if it keeps happening, ask an admin to check the app's logs."
)


def web_client(settings: Settings) -> WebClient:
    """A WebClient for the configured Web API that retries rate limits, 5xx and drops."""
    return WebClient(
        base_url=settings.slack_api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(settings: Settings, store: Store) -> App:
    """The Bolt app: signed requests only, tokens through authorize (OAuth or one token)."""
    if settings.slack_signing_secret is None:
        raise ValueError("SLACK_SIGNING_SECRET is required")
    client = web_client(settings)
    oauth, authorize = authorization(settings, store, client)
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=client,
        authorize=authorize,
        oauth_settings=oauth,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
        logger=logging.getLogger("bot.slack.bolt"),
    )
    register(app, Deps.of(store))

    @app.error
    def handle_errors(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Log every listener failure and tell the person who was acting, if any."""
        logger.error("listener failed: %s", type(error).__name__, exc_info=error)
        user, channel = acting_person(body)
        if user and user != context.bot_user_id:
            tell_user(client, str(user), FAILURE_TEXT, channel)

    return app
