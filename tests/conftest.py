"""Fixtures for every test package: the database backends (a SQLite file per test; on
PostgreSQL one migrated database per test session, so one per xdist worker), the `deal` and
`fleet` worlds, and the lock that lets modules marked `alone` run by themselves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bot.store import Store, open_store
from tests.support.alone import alone, beside_others
from tests.support.databases import BACKENDS, PG_ADMIN_URL, TRUNCATE, PostgresServer
from tests.support.worlds import Deal, Fleet, deal_world, fleet_world


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server; skipped with the reason when unreachable, unless CI=true."""
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {PG_ADMIN_URL} is unreachable ({type(error).__name__})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; with CI=true the PostgreSQL run is required")
        pytest.skip(f"{message}; set RB_TEST_POSTGRES or start it to run these tests")
    server = PostgresServer(PG_ADMIN_URL)
    yield server
    server.drop_all()


@pytest.fixture
def needs_greenlet() -> None:
    """slack-sdk's SQLAlchemy stores need greenlet on SQLAlchemy 2.1: skip, or fail in CI."""
    try:
        import greenlet  # noqa: F401, PLC0415 - only probing that it is installed
    except ModuleNotFoundError:
        message = (
            "slack-sdk's SQLAlchemy OAuth stores import sqlalchemy.ext.asyncio, which needs "
            "greenlet on SQLAlchemy 2.1: add SQLAlchemy[asyncio] to the dependencies"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def pg_session_url(pg_server: PostgresServer) -> Iterator[str]:
    """One migrated database shared by the PostgreSQL tests of this session."""
    url = pg_server.create_database()
    with open_store(url):
        pass
    return url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: sqlite or postgres."""
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A migrated, empty database of the backend, for this test only."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        with open_store(url):
            pass
        return url
    url = str(request.getfixturevalue("pg_session_url"))
    with psycopg.connect(url) as connection:
        connection.execute(TRUNCATE)
    return url


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database of the backend with no schema at all."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store on the test's database."""
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def deal(tmp_path: Path) -> Iterator[Deal]:
    """The app running over HTTP against a fresh stand-in and a fresh SQLite store."""
    with deal_world(f"sqlite:///{tmp_path / 'bot.db'}") as world:
        yield world


@pytest.fixture
def fleet(db_url: str) -> Iterator[Fleet]:
    """Two workspaces installed through OAuth into one app and one store (each backend)."""
    with fleet_world(db_url) as world:
        yield world


@pytest.fixture(scope="module", autouse=True)
def _module_alone(request: pytest.FixtureRequest) -> Iterator[None]:
    """A module marked `alone` runs with no other test running in any worker."""
    if request.node.get_closest_marker("alone") is None:
        yield
        return
    with alone():
        yield


@pytest.fixture(autouse=True)
def _test_beside_others(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every other test runs while no `alone` module does."""
    if request.node.get_closest_marker("alone") is not None:
        yield
        return
    with beside_others():
        yield
