"""Tokens reach Bolt only through an authorize function: one workspace's token, or OAuth."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from bot.config import Settings
from bot.slack.oauth import oauth_settings
from bot.store import Store

Authorize = Callable[..., AuthorizeResult]
# A workspace's bot token for work outside any request (team id, enterprise id) -> token.
TokenFor = Callable[[str, str | None], str | None]


def authorization(
    settings: Settings, store: Store, client: WebClient
) -> tuple[OAuthSettings | None, Authorize]:
    """OAuth installs from the store when a client id and secret are set, else one bot token."""
    if settings.oauth:
        oauth = oauth_settings(settings, store)
        # Bolt takes an Authorize instance (None: not installed) but annotates plain functions.
        return oauth, installations(oauth, client)  # type: ignore[return-value]
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is required without SLACK_CLIENT_ID/SLACK_CLIENT_SECRET")
    return None, single_workspace(settings.slack_bot_token.get_secret_value(), client)


def single_workspace(token: str, client: WebClient) -> Authorize:
    """Authorize every request with one bot token, checked once with auth.test."""
    lock = threading.Lock()
    cached: list[AuthorizeResult] = []

    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        """The cached AuthorizeResult of the configured token."""
        with lock:
            if not cached:
                response = client.auth_test(token=token)
                cached.append(
                    AuthorizeResult.from_auth_test_response(
                        auth_test_response=response, bot_token=token, user_token=None
                    )
                )
            return cached[0]

    return authorize


def installations(oauth: OAuthSettings, client: WebClient) -> InstallationStoreAuthorize:
    """Authorize each request with its workspace's stored bot (one query, auth.test once)."""
    # Bolt's default runs auth.test on every request before the listener can ack; the cache
    # keeps it to once per token. An uninstalled workspace's rows are deleted, so its cached
    # token is never reached again (the lookup in the store comes first).
    return InstallationStoreAuthorize(
        logger=logging.getLogger("bot.slack.bolt"),
        installation_store=oauth.installation_store,
        bot_only=oauth.installation_store_bot_only,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        cache_enabled=True,
        client=client,
    )


def bot_tokens(
    settings: Settings, installations: InstallationStore | None, client: WebClient
) -> TokenFor:
    """Each workspace's bot token outside a request: from the installations, or the one token."""
    if installations is not None:
        return stored_token(installations)
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is required without SLACK_CLIENT_ID/SLACK_CLIENT_SECRET")
    return single_token(settings.slack_bot_token.get_secret_value(), client)


def single_token(token: str, client: WebClient) -> TokenFor:
    """The one bot token, for its own workspace only (learned once with auth.test)."""
    lock = threading.Lock()
    teams: list[str] = []

    def token_for(team_id: str, _enterprise_id: str | None) -> str | None:
        """The token if `team_id` is its workspace."""
        with lock:
            if not teams:
                teams.append(str(client.auth_test(token=token)["team_id"]))
            return token if teams[0] == team_id else None

    return token_for


def stored_token(installations: InstallationStore) -> TokenFor:
    """The latest bot token installed in a workspace (or its organization), if any."""

    def token_for(team_id: str, enterprise_id: str | None) -> str | None:
        """The bot token, looked up per call (a reinstall issues a new one)."""
        bot = installations.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None and enterprise_id is not None:
            bot = installations.find_bot(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        return None if bot is None else bot.bot_token

    return token_for
