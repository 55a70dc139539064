"""create_app(settings, store) -> App: the Bolt app with its client, authorization and listeners."""

from __future__ import annotations

import logging
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
from bot.slack.failures import FAILURE_TEXT, report_failure
from bot.slack.listeners import register
from bot.slack.pool import ListenerPool
from bot.store import Store

__all__ = ["FAILURE_TEXT", "LISTENER_THREADS", "create_app", "web_client"]

logger = logging.getLogger(__name__)

# Work after ack() holds a listener thread, and a request waits for a free one before it can
# ack: Bolt's default of 5 cannot keep 3-second acks at 20 concurrent requests against a slow
# Web API, and with 32 a worker's acks waited ~1 s (p99) at 50 people acting at once
# (bench/app_bench.py); 64 brought that to ~0.2 s.
LISTENER_THREADS: Final = 64
BOLT_LOGGER: Final = "bot.slack.bolt"


class WithoutTokenNotice(logging.Filter):
    """Drops Bolt's notice that SLACK_BOT_TOKEN is unused next to our client.

    Bolt reads SLACK_BOT_TOKEN from the environment even when it is given a client, and then
    warns on every start that the token will be unused. Here that is by design: the token
    reaches Slack through `authorize` (authorize.py), so the warning was noise in every log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for that one notice."""
        return "`token` will be unused" not in record.getMessage()


WITHOUT_TOKEN_NOTICE: Final = WithoutTokenNotice()


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


def create_app(settings: Settings, store: Store, *, deps: Deps | None = None) -> App:
    """The Bolt app: signed requests only, tokens through authorize (OAuth or one token).

    Pass `deps` to share them with recovery (see recovery.py); else they are made here.
    """
    client = web_client(settings)
    oauth, authorize = authorization(settings, store, client)
    bolt_logger = logging.getLogger(BOLT_LOGGER)
    bolt_logger.addFilter(WITHOUT_TOKEN_NOTICE)  # once: a filter already there is not added
    app = App(
        signing_secret=settings.signing_secret(),
        client=client,
        authorize=authorize,
        oauth_settings=oauth,
        listener_executor=ListenerPool(max_workers=LISTENER_THREADS),
        logger=bolt_logger,
    )
    register(app, deps or Deps.of(store, lease_seconds=settings.lease_seconds))

    @app.error
    def handle_errors(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Log every listener failure and tell the person who was acting, if any."""
        report_failure(error, body, client, bot_user_id=context.bot_user_id)

    return app
