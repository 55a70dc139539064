"""Settings from the environment and `.env`, validated once at start; secrets stay SecretStr."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///relationship-bot.db"


class Settings(BaseSettings):
    """Every setting DESIGN.md names; `.env.example` documents each one."""

    # An empty value (as in a copied .env.example) means unset, not "": SLACK_APP_TOKEN= must
    # not pick Socket Mode, nor SLACK_CLIENT_ID= count as half of an OAuth setup.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, env_ignore_empty=True
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # After a crash, another process takes unfinished posts and replies over once the dead
    # one's lease (renewed while it lives) lapses; recovery looks for such work this often.
    lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    recovery_seconds: float = Field(default=30.0, ge=0.5, le=86400)

    @property
    def oauth(self) -> bool:
        """Whether multi-workspace OAuth is configured."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def signing_secret(self) -> str:
        """The signing secret every request is verified with; ValueError when it is unset."""
        if self.slack_signing_secret is None:
            raise ValueError("SLACK_SIGNING_SECRET is required")
        return self.slack_signing_secret.get_secret_value()

    def missing_for_run(self) -> list[str]:
        """The settings `python -m bot run` needs and does not have."""
        missing = []
        if not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        if self.slack_client_id and not self.slack_client_secret:
            missing.append("SLACK_CLIENT_SECRET (SLACK_CLIENT_ID is set, for OAuth installs)")
        elif self.slack_client_secret and not self.slack_client_id:
            missing.append("SLACK_CLIENT_ID (SLACK_CLIENT_SECRET is set, for OAuth installs)")
        elif not self.oauth and not self.slack_bot_token:
            missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
        return missing
