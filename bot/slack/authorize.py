"""Tokens reach Bolt only through an authorize function: one workspace's token, or OAuth."""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

Authorize = Callable[..., AuthorizeResult]


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
