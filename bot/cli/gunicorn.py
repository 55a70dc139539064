"""gunicorn as a library: each worker builds its own store and Bolt app after the fork."""

from __future__ import annotations

import ctypes
from typing import Any, Final

from gunicorn.app.base import BaseApplication

from bot.config import Settings

M_ARENA_MAX: Final = -8  # glibc's mallopt() parameter behind MALLOC_ARENA_MAX
MALLOC_ARENAS: Final = 2


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
        What the worker built is then frozen out of the collector's way (bot/heap.py).
        """
        from bot.heap import settle  # noqa: PLC0415
        from bot.slack.app import create_app  # noqa: PLC0415
        from bot.slack.deps import Deps  # noqa: PLC0415
        from bot.slack.http import SlackWsgi  # noqa: PLC0415
        from bot.slack.recovery import start_recovery  # noqa: PLC0415
        from bot.store import open_store  # noqa: PLC0415

        store = open_store(self.settings.database_url)
        deps = Deps.of(store, lease_seconds=self.settings.lease_seconds)
        app = create_app(self.settings, store, deps=deps)
        start_recovery(self.settings, app, deps)  # a daemon thread: it ends with the worker
        wsgi = SlackWsgi(app, signing_secret=self.settings.signing_secret())
        settle()
        return wsgi


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> None:
    """Cap glibc's malloc arenas, as MALLOC_ARENA_MAX does; no-op on another C library.

    glibc gives threads their own arenas (up to 8 per core), each keeping the memory it freed:
    with dozens of threads the app held ~13 MB more (RSS, all processes) than with two, at the
    same CPU per request and latency (bench/app_bench.py).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_ARENA_MAX, arenas)


def _post_fork(_server: Any, _worker: Any) -> None:
    """In each new worker, before it starts any thread."""
    limit_malloc_arenas()


def server_options(
    settings: Settings,
    *,
    workers: int,
    threads: int,
    host: str = "0.0.0.0",  # noqa: S104 - a server binds all interfaces
) -> dict[str, Any]:
    """gunicorn's settings for HTTP mode (bench/ serves its baseline app with the same)."""
    return {
        "bind": f"{host}:{settings.port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 30,
        "graceful_timeout": 10,
        "loglevel": settings.log_level.lower(),
        "accesslog": None,
        "post_fork": _post_fork,
        # gunicorn >= 25.1 opens a control socket at one path per user ($HOME/.gunicorn):
        # unused here, and two instances on one machine would fight over it.
        "control_socket_disable": True,
    }


def serve(settings: Settings, *, workers: int, threads: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - a server binds all interfaces
    """Run gunicorn until it is stopped."""
    SlackServer(
        settings, server_options(settings, workers=workers, threads=threads, host=host)
    ).run()
