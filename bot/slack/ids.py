"""Every Slack identifier the app uses, in one place: commands, callbacks, actions, blocks."""

from __future__ import annotations

from typing import Final

COMMAND: Final = "/relationship"

# Shortcuts (declared in manifest.yml).
SHORTCUT_NEW_CHECK: Final = "relationship_new_check"
SHORTCUT_ASSESS_MESSAGE: Final = "relationship_assess_message"

# Views.
VIEW_CHECK: Final = "relationship_check"

# Verdict message buttons.
ACTION_EDIT: Final = "verdict_edit"
ACTION_PIN: Final = "verdict_pin"
ACTION_UNPIN: Final = "verdict_unpin"
ACTION_MORE: Final = "verdict_more"
MORE_DELETE: Final = "delete"
MORE_COPY: Final = "copy"
ACTION_START_CHECK: Final = "home_start_check"

# Modal blocks and their single element each; the block id is the answer key.
BLOCK_TITLE: Final = "title"
BLOCK_COUNTERPART: Final = "counterpart"
BLOCK_CHANNEL: Final = "post_to"
BLOCK_NOTES: Final = "notes"
BLOCK_PIN: Final = "pin"
ELEMENT: Final = "value"
PIN_CHOICE: Final = "pin"
NOT_SURE: Final = "unsure"

# Message metadata.
METADATA_EVENT: Final = "relationship_verdict"
PART_METADATA_EVENT: Final = "relationship_verdict_part"

# Bot scopes the OAuth install asks for; manifest.yml declares the same (a test compares them).
BOT_SCOPES: Final = (
    "commands",
    "chat:write",
    "channels:join",
    "channels:read",
    "groups:read",
    "im:read",
    "im:write",
    "mpim:read",
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
    "pins:read",
    "pins:write",
    "app_mentions:read",
)
