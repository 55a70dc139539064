"""Test databases: a PostgreSQL server's throwaway databases, and the backends to run on."""

from __future__ import annotations

import os
import secrets

import psycopg
import pytest
from psycopg import sql

PG_ADMIN_URL = os.environ.get("RB_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
TRUNCATE = (
    "TRUNCATE rb_revisions, rb_posts, rb_verdicts, rb_events, "
    "slack_installations, slack_bots, slack_oauth_states RESTART IDENTITY CASCADE"
)


class PostgresServer:
    """Creates throwaway databases on the test server and drops them all at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    def create_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = f"rb_test_{secrets.token_hex(6)}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.created.append(name)
        return self.url_of(name)

    def url_of(self, name: str) -> str:
        """The URL of a database on this server."""
        info = psycopg.conninfo.conninfo_to_dict(self.admin_url)
        user = info.get("user", "postgres")
        return f"postgresql://{user}@{info.get('host')}:{info.get('port', 5432)}/{name}"

    def drop_all(self) -> None:
        """Drop every database this run created, even with connections left open."""
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for name in self.created:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        self.created.clear()
