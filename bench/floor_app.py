"""The floor for bench/app_bench.py: the product's Slack traffic and nothing else.

A Bolt app that sends and receives exactly what a check costs the real app on the Slack side
(the same requests in, the same Web API calls out, with the same payloads) but does none of
the product's own work: no store, no classification per check, no listener code beyond
reading the title. Its modal, verdict message and thread explanation are built once at start
with the real builders and reused. Whatever it cannot reach, no app that does the product's
flow on this stack can: its throughput against the bare app is the ceiling for the real app's.

Served by `python -m bench.floor_app` exactly as bench/bare_app.py serves the bare app.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

if __package__ in (None, ""):  # run as a script: make `bot` and `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bench.bare_app import LISTENER_THREADS, BareServer, BareWsgi
from bot.cli.gunicorn import server_options
from bot.cli.run import HTTP_THREADS, HTTP_WORKERS
from bot.config import Settings
from bot.core.classify import classify
from bot.core.interpret import interpret
from bot.core.models import Answers
from bot.heap import settle
from bot.slack import ids
from bot.slack.builders.modal import ModalState, check_modal_json
from bot.slack.builders.thread import build_explanation
from bot.slack.builders.verdict import Message, VerdictCard, build_verdict_message
from bot.slack.forms import read_submission
from bot.slack.posting import post_metadata

COMMAND: Final = "/relationship"
TODAY: Final = date(2026, 11, 27)
# The answers bench/app_bench.py fills in: the verdict the real app would post for them.
ANSWERS: Final = {
    "horizon": "short",
    "agreement": "informal",
    "aim": "shared_deliverable",
    "roles": "named_leads",
    "resources": "separate",
    "decisions": "advisory",
    "benefits": "access",
    "risk": "own",
    "authority": "co_branded",
}


@cache
def modal_json(channel_id: str, text: str) -> str:
    """The real check modal for a command's channel and text (built once per pair)."""
    answers = Answers()
    prefilled: tuple[str, ...] = ()
    if text:
        reading = interpret(text, answers, TODAY)
        answers = answers.model_copy(update={c.dimension: c.new for c in reading.changes})
        prefilled = tuple(c.dimension for c in reading.changes)
    return check_modal_json(answers, ModalState(channel_id=channel_id), prefilled=prefilled)


def verdict_messages() -> tuple[str, Message, list[Message]]:
    """The headline, parent message and thread explanation the real app posts for ANSWERS."""
    result = classify(Answers.model_validate(ANSWERS))
    card = VerdictCard(
        verdict_id="floor", revision=1, creator_id="U0FLOOR", pinned=False, result=result
    )
    return result.headline, build_verdict_message(card), build_explanation(result)


def create_floor_app(settings: Settings) -> App:
    """Ack and open the real modal; on submission ack, post the verdict and its explanation."""
    assert settings.slack_signing_secret is not None
    assert settings.slack_bot_token is not None
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=WebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
        ),
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
    )
    headline, parent, explanation = verdict_messages()

    @app.command(COMMAND)
    def open_modal(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """Ack, then open the modal as the real app does (a JSON string)."""
        ack()
        view = modal_json(str(command["channel_id"]), str(command.get("text") or ""))
        client.api_call("views.open", json={"trigger_id": command["trigger_id"], "view": view})

    @app.view(ids.VIEW_CHECK)
    def post_verdict(ack: Ack, view: dict[str, Any], client: WebClient) -> None:
        """Read the form and ack as the real app does, then post the parent and its thread."""
        form = read_submission(view["state"]["values"])
        if isinstance(form, dict):
            ack(response_action="errors", errors=form)
            return
        ack()
        state = ModalState.load(view.get("private_metadata"))
        channel = form.channel_id or state.channel_id
        title = form.answers.title or "This relationship"
        kwargs = parent.as_kwargs() | {"text": f"{headline}: {title}"}
        ts = client.chat_postMessage(channel=channel, **kwargs)["ts"]
        for index, reply in enumerate(explanation):
            client.chat_postMessage(
                channel=channel,
                thread_ts=ts,
                metadata=post_metadata("floor", "thread", str(index)),
                **reply.as_kwargs(),
            )

    return app


class FloorServer(BareServer):
    """The real app's gunicorn application, loading the floor app."""

    def load(self) -> Any:
        """Build the floor app inside the worker, and settle its heap, as the real one does."""
        wsgi = BareWsgi(create_floor_app(self.settings))
        settle()
        return wsgi


def main() -> None:
    """Serve the floor app with the real app's gunicorn options until stopped."""
    settings = Settings()
    options = server_options(settings, workers=HTTP_WORKERS, threads=HTTP_THREADS)
    FloorServer(settings, options).run()


if __name__ == "__main__":
    main()
