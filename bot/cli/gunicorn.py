"""gunicorn as a library: each worker builds its own store and Bolt app after the fork."""

from __future__ import annotations

from typing import Any, Final

from gunicorn.app.base import BaseApplication

from bot.config import Settings

# Options of newer gunicorn releases. The control socket (gunicornc) defaults to one path per
# user: replicas on one host would take it from each other, and nothing here uses it.
NEWER_OPTIONS: Final = {"control_socket_disable": True}


class SlackServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """A gunicorn application serving the Slack WSGI app."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply the options to gunicorn's config (and the newer ones it knows)."""
        for key, value in self.options.items():
            self.cfg.set(key, value)
        for key, value in NEWER_OPTIONS.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Any:
        """Build the WSGI app inside the worker (database connections are not shared)."""
        from bot.slack.app import create_app  # noqa: PLC0415
        from bot.slack.http import SlackWsgi  # noqa: PLC0415
        from bot.store import open_store  # noqa: PLC0415

        return SlackWsgi(create_app(self.settings, open_store(self.settings.database_url)))


def serve(settings: Settings, *, workers: int, threads: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - a server binds all interfaces
    """Run gunicorn until it is stopped."""
    SlackServer(
        settings,
        {
            "bind": f"{host}:{settings.port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "loglevel": settings.log_level.lower(),
            "accesslog": None,
        },
    ).run()
