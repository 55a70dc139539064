"""Multi-workspace installs: Bolt's OAuth flow on the store's installation and state tables."""

from __future__ import annotations

import logging
from typing import Final
from urllib.parse import urljoin

from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.config import Settings
from bot.slack import ids
from bot.store import Store

INSTALL_PATH: Final = "/slack/install"
REDIRECT_PATH: Final = "/slack/oauth_redirect"
STATE_SECONDS: Final = 600


def authorize_url(api_url: str) -> str:
    """Slack's consent screen, served beside the Web API: `<host>/oauth/v2/authorize`."""
    base = api_url if api_url.endswith("/") else api_url + "/"
    return urljoin(base, "../oauth/v2/authorize")


def oauth_settings(settings: Settings, store: Store) -> OAuthSettings:
    """Install at /slack/install, finish at /slack/oauth_redirect, keep tokens in the store."""
    if settings.slack_client_id is None or settings.slack_client_secret is None:
        raise ValueError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(ids.BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorize_url(settings.slack_api_url),
        installation_store=store.installation_store(settings.slack_client_id),
        installation_store_bot_only=True,  # the app asks for no user scopes
        state_store=store.oauth_state_store(STATE_SECONDS),
        state_expiration_seconds=STATE_SECONDS,
        logger=logging.getLogger(__name__),
    )
