"""The engine: URL rules, SQLite pragmas and transaction modes, and error translation."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Final

from sqlalchemy import URL, Connection, Engine, create_engine, event, exc, make_url

from bot.store.errors import InvalidUrlError, StoreUnavailableError
from bot.store.gate import WriteGate

logger = logging.getLogger(__name__)

DEFAULT_URL: Final = "sqlite:///relationship-bot.db"
BUSY_TIMEOUT_SECONDS: Final = 5.0
CONNECT_TIMEOUT_SECONDS: Final = 5
# Execution option of the store's write transactions: on SQLite they BEGIN IMMEDIATE (take the
# write lock up front) so two writers never deadlock upgrading a read lock. Everything else,
# slack-sdk's OAuth store reads included, begins deferred and takes no lock in WAL mode.
IMMEDIATE: Final = "rb_begin_immediate"
IDLE_PING_SECONDS: Final = 10.0
_IDLE_SINCE: Final = "rb_idle_since"

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
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "relationship-bot",
        },
    )
    event.listen(engine, "checkin", _stamp_idle)
    event.listen(engine, "checkout", _ping_if_idle(engine.dialect.loaded_dbapi.Error))
    return engine


def _stamp_idle(_dbapi_connection: Any, record: Any) -> None:
    """Note when a connection went back to the pool."""
    record.info[_IDLE_SINCE] = time.monotonic()


def _ping_if_idle(dbapi_error: type[Exception]) -> Callable[[Any, Any, Any], None]:
    """Like pool_pre_ping, but only for connections idle a while (a server restart, a timeout).

    A busy connection skips the round trip; should it be dead anyway, the error invalidates
    the pool and surfaces once as StoreUnavailableError.
    """

    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_connection.rollback()
        except dbapi_error as error:
            raise exc.DisconnectionError("stale pooled connection") from error

    return ping


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
    """BEGIN IMMEDIATE for the store's writes, a plain (deferred) BEGIN otherwise."""
    if connection.get_execution_options().get(IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


class Database:
    """An engine plus the two ways the store uses it: a read and a write transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url
        self.is_sqlite = engine.dialect.name == "sqlite"
        # SQLite has one writer at a time: queue for it (see gate.py). PostgreSQL locks rows.
        self._gate = WriteGate(str(self.url.database)) if self.is_sqlite else None
        self._write_gate: AbstractContextManager[Any] = self._gate or nullcontext()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any exception."""
        with (
            self.unavailable_as_error(),
            self._write_gate,
            self.engine.connect() as connection,
        ):
            connection.execution_options(**{IMMEDIATE: True})
            with connection.begin():
                yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (one snapshot on SQLite, no lock); it never writes."""
        with self.unavailable_as_error(), self.engine.connect() as connection, connection.begin():
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
        """Close every pooled connection (and SQLite's writer lock file)."""
        self.engine.dispose()
        if self._gate is not None:
            self._gate.close()
