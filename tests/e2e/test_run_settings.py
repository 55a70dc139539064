"""`python -m bot run` refuses half an OAuth setup, and OAuth with Socket Mode, with exit 2."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pytest

from bot.cli.run import run
from bot.config import Settings
from bot.sandbox import SlackStandIn
from bot.slack.app import create_app
from bot.store import open_store

ENV_NAMES = [name.upper() for name in Settings.model_fields]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No settings from the environment and no .env file (run from an empty directory)."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing")
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_CLIENT_ID": "111.222"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_ID": "111.222", "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_SECRET": "s3cret"}, "SLACK_CLIENT_ID"),
    ],
)
def test_half_an_oauth_setup_is_reported_missing(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    named: str,
) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert run(argparse.Namespace()) == 2
    error = capsys.readouterr().err
    assert f"missing settings: {named}" in error
    assert ".env.example" in error
    assert "s3cret" not in error


def test_oauth_with_socket_mode_is_refused(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("SLACK_CLIENT_ID", "111.222")
    clean_env.setenv("SLACK_CLIENT_SECRET", "s3cret")
    clean_env.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert run(argparse.Namespace()) == 2
    error = capsys.readouterr().err
    assert "HTTP mode" in error
    assert "SLACK_APP_TOKEN" in error


def test_empty_values_as_in_a_copied_env_example_count_as_unset(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.delenv("SLACK_SIGNING_SECRET")
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=\nSLACK_SIGNING_SECRET=\nSLACK_APP_TOKEN=\nSLACK_CLIENT_ID=\n"
        "SLACK_CLIENT_SECRET=\nPORT=\n",
        encoding="utf-8",
    )
    settings = Settings()
    assert settings.slack_app_token is None
    assert settings.slack_client_id is None
    assert settings.port == 3000
    assert run(argparse.Namespace()) == 2
    error = capsys.readouterr().err
    assert "SLACK_SIGNING_SECRET" in error
    assert "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)" in error


def test_a_bot_token_from_the_environment_starts_the_app_without_warnings(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Bolt reads SLACK_BOT_TOKEN itself and used to warn on every start that it is unused."""
    with SlackStandIn() as slack:
        acme = slack.add_workspace("Acme")
        clean_env.setenv("SLACK_BOT_TOKEN", slack.bot_token(acme))
        clean_env.setenv("SLACK_SIGNING_SECRET", slack.app.signing_secret)
        clean_env.setenv("SLACK_API_URL", slack.api_url)
        clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
        with caplog.at_level(logging.INFO), open_store(Settings().database_url) as store:
            create_app(Settings(), store)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
