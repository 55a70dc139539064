"""The engine: URL rules, SQLite pragmas and transaction modes, and error translation."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Final

from sqlalchemy import URL, Connection, Engine, create_engine, event, exc, make_url

from bot.store.errors import InvalidUrlError, StoreUnavailableError

logger = logging.getLogger(__name__)

DEFAULT_URL: Final = "sqlite:///relationship-bot.db"
BUSY_TIMEOUT_SECONDS: Final = 5.0
CONNECT_TIMEOUT_SECONDS: Final = 5
READ_ONLY: Final = "rb_read_only"  # execution option: a SQLite read takes no write lock

_POSTGRES_DRIVERS: Final = frozenset({"postgres", "postgresql", "postgresql+psycopg"})
_SQLITE_DRIVERS: Final = frozenset({"sqlite", "sqlite+pysqlite"})


def normalize_url(url: str) -> URL:
    """Parse DATABASE_URL: `sqlite:///file` or PostgreSQL, the latter through psycopg 3."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise InvalidUrlError("DATABASE_URL is not a database URL (see .env.example)") from error
    if parsed.drivername in _POSTGRES_DRIVERS:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in _SQLITE_DRIVERS:
        if not parsed.database or parsed.database == ":memory:":
            raise InvalidUrlError("a SQLite DATABASE_URL must name a file, e.g. sqlite:///bot.db")
        return parsed.set(drivername="sqlite+pysqlite")
    raise InvalidUrlError(
        f"unsupported database {parsed.drivername!r}: use sqlite:///FILE or postgresql://..."
    )


def redact(url: URL) -> str:
    """The URL with its password hidden, safe for logs and error messages."""
    return url.render_as_string(hide_password=True)


def build_engine(url: URL, *, pool_size: int = 10, max_overflow: int = 20) -> Engine:
    """An engine for the URL, with the pragmas and transaction mode the store relies on."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS},
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "relationship-bot",
        },
    )


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Take BEGIN out of sqlite3's hands; WAL, foreign keys and a busy timeout on every link."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for writes, so writers queue for the lock instead of failing mid-way."""
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An engine plus the two ways the store uses it: a read and a write transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url
        self.is_sqlite = engine.dialect.name == "sqlite"
        # SQLite has one writer at a time. Threads of one process queue on this lock (woken at
        # once) rather than in SQLite's busy handler, which sleeps in growing steps; other
        # processes still wait in the busy handler.
        self._write_gate: AbstractContextManager[Any] = (
            threading.Lock() if self.is_sqlite else nullcontext()
        )

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with self.unavailable_as_error(), self._write_gate, self.engine.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (one snapshot on SQLite); it never writes."""
        with (
            self.unavailable_as_error(),
            self.engine.connect() as connection,
        ):
            connection.execution_options(**{READ_ONLY: True})
            with connection.begin():
                yield connection

    @contextmanager
    def unavailable_as_error(self) -> Iterator[None]:
        """Turn 'cannot reach the database' into StoreUnavailableError, without the password."""
        try:
            yield
        except (exc.OperationalError, exc.InterfaceError, exc.TimeoutError) as error:
            reason = getattr(error, "orig", None) or error
            message = f"database {redact(self.url)} unavailable: {type(reason).__name__}"
            raise StoreUnavailableError(message) from error

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
