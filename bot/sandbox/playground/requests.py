"""What the page may ask for: one frozen pydantic model per action, checked at the edge."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TEXT_MAX = 4000  # Slack's message text limit for what a person types


class Acting(BaseModel):
    """An action done by one of the playground's people."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str = Field(min_length=1, max_length=32)


class CommandRequest(Acting):
    """Run a slash command in a conversation (`/relationship ...`)."""

    channel: str = Field(min_length=1, max_length=32)
    command: str = Field(pattern=r"^/[a-z0-9_-]{1,32}$")
    text: str = Field(default="", max_length=TEXT_MAX)


class PostRequest(Acting):
    """Post a message, or a thread reply when `thread_ts` is given."""

    channel: str = Field(min_length=1, max_length=32)
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    thread_ts: str | None = Field(default=None, max_length=32)


class SubmitRequest(Acting):
    """Submit the top modal with values keyed by input block_id."""

    view_id: str = Field(min_length=1, max_length=32)
    values: dict[str, Any] = Field(default_factory=dict)


class CloseRequest(Acting):
    """Close the top modal (Cancel or the X)."""

    view_id: str | None = Field(default=None, max_length=32)


class ClickRequest(Acting):
    """Click a button or pick an option, in a message (`channel`, `ts`) or a view (`view_id`)."""

    action_id: str = Field(min_length=1, max_length=255)
    block_id: str | None = Field(default=None, max_length=255)
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    view_id: str | None = Field(default=None, max_length=32)
    value: str | None = Field(default=None, max_length=2000)


class PinRequest(Acting):
    """Pin or unpin a message by hand, from its menu."""

    channel: str = Field(min_length=1, max_length=32)
    ts: str = Field(min_length=1, max_length=32)
    pinned: bool


class HomeRequest(Acting):
    """Open the app's Home (or Messages) tab."""

    tab: Literal["home", "messages"] = "home"
