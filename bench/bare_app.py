"""The bare Bolt baseline for bench/app_bench.py: one-field modal, one message, nothing else.

`python -m bench.bare_app` serves it exactly as `python -m bot run` serves the real app in HTTP
mode: the same gunicorn options (worker class, workers, threads), the same listener thread
pool, the same settings from the environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_API_URL, PORT), request verification on, and /healthz for readiness.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

if __package__ in (None, ""):  # run as a script: make `bot` and `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.cli.gunicorn import SlackServer, server_options
from bot.cli.run import HTTP_THREADS, HTTP_WORKERS
from bot.config import Settings
from bot.heap import settle

COMMAND: Final = "/relationship"
LISTENER_THREADS: Final = 64  # bot.slack.app.LISTENER_THREADS (a test keeps them equal)
VIEW: Final = "bare_check"
BLOCK: Final = "title"
ELEMENT: Final = "value"
StartResponse = Callable[..., Any]


def create_bare_app(settings: Settings) -> App:
    """Ack and open a one-field modal; on submission ack and post one message."""
    assert settings.slack_signing_secret is not None
    assert settings.slack_bot_token is not None
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=WebClient(  # Bolt takes the token from its client
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
        ),
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
    )

    @app.command(COMMAND)
    def open_modal(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """Ack, then open the modal with the command's channel in private_metadata."""
        ack()
        client.views_open(
            trigger_id=command["trigger_id"],
            view={
                "type": "modal",
                "callback_id": VIEW,
                "title": {"type": "plain_text", "text": "Bare check"},
                "submit": {"type": "plain_text", "text": "Save"},
                "private_metadata": str(command["channel_id"]),
                "blocks": [
                    {
                        "type": "input",
                        "block_id": BLOCK,
                        "label": {"type": "plain_text", "text": "Title"},
                        "element": {"type": "plain_text_input", "action_id": ELEMENT},
                    }
                ],
            },
        )

    @app.view(VIEW)
    def post_title(ack: Ack, view: dict[str, Any], client: WebClient) -> None:
        """Ack (closing the modal), then post the title in the command's channel."""
        ack()
        title = view["state"]["values"][BLOCK][ELEMENT]["value"]
        client.chat_postMessage(channel=view["private_metadata"], text=f"Saved: {title}")

    return app


class BareWsgi:
    """Bolt's WSGI adapter, plus /healthz so the bench can tell when the server is ready."""

    def __init__(self, app: App) -> None:
        self.bolt = SlackRequestHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one request."""
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return self.bolt(environ, start_response)


class BareServer(SlackServer):
    """The real app's gunicorn application, loading the bare app instead."""

    def load(self) -> Any:
        """Build the bare app inside the worker, and settle its heap, as the real one does."""
        wsgi = BareWsgi(create_bare_app(self.settings))
        settle()
        return wsgi


def main() -> None:
    """Serve the bare app with the real app's gunicorn options until stopped."""
    settings = Settings()
    options = server_options(settings, workers=HTTP_WORKERS, threads=HTTP_THREADS)
    BareServer(settings, options).run()


if __name__ == "__main__":
    main()
