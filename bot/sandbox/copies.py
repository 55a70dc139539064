"""Copying JSON-shaped data (what Slack's API carries) quickly."""

from __future__ import annotations

import json
from typing import Any


def json_copy(value: Any) -> Any:
    """A deep copy of JSON data: dicts, lists, strings, numbers, booleans, None.

    A JSON round trip is several times faster than `copy.deepcopy` on a modal's 12 KB of
    blocks; tuples come back as lists, as they would from Slack.
    """
    return json.loads(json.dumps(value))
