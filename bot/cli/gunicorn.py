"""gunicorn as a library: each worker builds its own store and Bolt app after the fork."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import Settings


class SlackServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """A gunicorn application serving the Slack WSGI app."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply the options to gunicorn's config (those this gunicorn version knows)."""
        for key, value in self.options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Any:
        """Build the WSGI app inside the worker (database connections are not shared).

        Each worker also sweeps for work a crash left; leases keep the sweeps from colliding.
        """
        from bot.slack.app import create_app  # noqa: PLC0415
        from bot.slack.deps import Deps  # noqa: PLC0415
        from bot.slack.http import SlackWsgi  # noqa: PLC0415
        from bot.slack.recovery import start_recovery  # noqa: PLC0415
        from bot.store import open_store  # noqa: PLC0415

        store = open_store(self.settings.database_url)
        deps = Deps.of(store, lease_seconds=self.settings.lease_seconds)
        app = create_app(self.settings, store, deps=deps)
        start_recovery(self.settings, app, deps)  # a daemon thread: it ends with the worker
        return SlackWsgi(app)


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
            # gunicorn >= 25.1 opens a control socket at one path per user ($HOME/.gunicorn):
            # unused here, and two instances on one machine would fight over it.
            "control_socket_disable": True,
        },
    ).run()
