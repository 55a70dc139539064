"""The playground's world: the stand-in, one workspace with two people, and the real app."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

from pydantic import SecretStr

from bot.config import Settings
from bot.sandbox import BoltAppServer, Conversation, SlackStandIn, User, Workspace
from bot.sandbox.playground.api import API_PREFIX, PlaygroundApi
from bot.sandbox.playground.pages import serve_page
from bot.sandbox.running import Running
from bot.slack.app import create_app
from bot.slack.http import SlackWsgi
from bot.store import Store, open_store

HOST = "127.0.0.1"


class Playground(Running):
    """A small Slack ("Acme": you, a teammate, #deals and #general) running the real app.

    The app runs in HTTP mode with its own SQLite file; the stand-in signs and delivers
    every command, click and message to it, exactly as Slack would.
    """

    def __init__(self, *, port: int = 0) -> None:
        self.slack = SlackStandIn(host=HOST, port=port)
        self.slack.route("/", serve_page)
        self.slack.route(API_PREFIX, PlaygroundApi(self).handle)
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        self._store: Store | None = None
        self._server: BoltAppServer | None = None
        self._workspace: Workspace | None = None
        self._people: tuple[User, User] | None = None
        self._channels: tuple[Conversation, Conversation, Conversation] | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Start Slack first (a busy port fails before anything else starts), then the app."""
        self.slack.start()
        try:
            self._populate()
            self._temp = tempfile.TemporaryDirectory(prefix="relationship-playground-")
            database_url = f"sqlite:///{self.database}"
            self._store = open_store(database_url)
            settings = Settings(
                _env_file=None,  # the playground never uses a real workspace's .env
                slack_bot_token=SecretStr(self.slack.bot_token(self.workspace)),
                slack_signing_secret=SecretStr(self.slack.app.signing_secret),
                slack_api_url=self.slack.api_url,
                database_url=database_url,
            )
            app = create_app(settings, self._store)
            self._server = BoltAppServer(
                app, handler=SlackWsgi(app, signing_secret=settings.signing_secret()), host=HOST
            ).start()
            self.slack.request_url = self._server.events_url
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the app, let its pending work finish, stop Slack, close the store."""
        self.slack.echo_app_events = False  # nothing new is queued for an app going away
        if self._server is not None:
            self._server.stop()
            executor = self._server.app.listener_runner.listener_executor
            if isinstance(executor, ThreadPoolExecutor):
                executor.shutdown(wait=True)
            self._server = None
        self.slack.stop()
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    def _populate(self) -> None:
        slack = self.slack
        acme = slack.add_workspace("Acme")
        you = slack.add_user(acme, "you", real_name="You")
        teammate = slack.add_user(acme, "maria", real_name="Maria Lopez")
        people = [you, teammate]
        deals = slack.add_channel(acme, "deals", members=people, bot=True)
        general = slack.add_channel(acme, "general", members=people)
        direct = slack.add_dm(you, teammate)
        slack.bot_dm(you)
        slack.bot_dm(teammate)
        self._workspace = acme
        self._people = (you, teammate)
        self._channels = (deals, general, direct)

    # ------------------------------------------------------------ the world

    @property
    def url(self) -> str:
        """The page's address, e.g. http://127.0.0.1:3000."""
        return self.slack.url

    @property
    def database(self) -> Path:
        """The app's SQLite file, in a temporary folder removed at stop."""
        if self._temp is None:
            raise RuntimeError("the playground is not running")
        return Path(self._temp.name) / "playground.db"

    @property
    def store(self) -> Store:
        """The app's store (tests read what the app recorded)."""
        if self._store is None:
            raise RuntimeError("the playground is not running")
        return self._store

    @property
    def workspace(self) -> Workspace:
        """The workspace, "Acme"."""
        if self._workspace is None:
            raise RuntimeError("the playground is not running")
        return self._workspace

    @property
    def you(self) -> User:
        """The person at the keyboard."""
        return self._populated()[0][0]

    @property
    def teammate(self) -> User:
        """A teammate to act as (replies from someone else)."""
        return self._populated()[0][1]

    @property
    def people(self) -> tuple[User, User]:
        """Everyone who can act in the page."""
        return self._populated()[0]

    @property
    def deals(self) -> Conversation:
        """#deals: public, the bot is a member."""
        return self._populated()[1][0]

    @property
    def general(self) -> Conversation:
        """#general: public, the bot is not a member (it joins when it posts)."""
        return self._populated()[1][1]

    @property
    def direct(self) -> Conversation:
        """The direct message between you and the teammate (the bot is not in it)."""
        return self._populated()[1][2]

    @property
    def bot_user_id(self) -> str:
        """The app's bot user."""
        return self.slack.bot_user_id(self.workspace)

    def _populated(
        self,
    ) -> tuple[tuple[User, User], tuple[Conversation, Conversation, Conversation]]:
        if self._people is None or self._channels is None:
            raise RuntimeError("the playground is not running")
        return self._people, self._channels
