"""manifest.yml declares exactly what the code registers, with the scopes it needs (both ways)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from bot.config import Settings
from bot.slack.app import create_app
from bot.store import open_store

ROOT = Path(__file__).resolve().parents[2]
API_REF = ROOT / "bot" / "sandbox" / "data" / "api_ref"  # the stand-in's copy of the reference
# The subscription names a `message` listener needs, one per kind of conversation.
MESSAGE_SUBSCRIPTIONS = {"message.channels", "message.groups", "message.im", "message.mpim"}
# Scopes every Slack app with these features needs whatever the listeners do.
BASE_SCOPES = {"commands"}
# Events the api-ref copy has no file for, with the scopes docs.slack.dev/reference/events lists.
EVENT_SCOPES_ELSEWHERE = {"pin_added": {"pins:read"}, "pin_removed": {"pins:read"}}
# Methods the api-ref copy has no file for, with the bot scopes docs.slack.dev lists.
METHOD_SCOPES_ELSEWHERE = {
    "conversations.open": {"channels:manage", "groups:write", "im:write", "mpim:write"}
}


def manifest() -> dict[str, Any]:
    """The manifest as data."""
    data: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    return data


def registered(tmp_path: Path) -> dict[str, set[str]]:
    """Commands, shortcut callback ids and event types the real app registers."""
    settings = Settings(
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr("secret"),
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
    )
    store = open_store(settings.database_url)
    try:
        app = create_app(settings, store)
    finally:
        store.close()
    found: dict[str, set[str]] = {
        "command": set(),
        "callback_id": set(),
        "shortcut": set(),
        "event": set(),
    }
    for listener in app._listeners:  # Bolt keeps its listeners here; no public accessor
        for matcher in listener.matchers:
            func = getattr(matcher, "func", None)
            if func is None or func.__closure__ is None:
                continue
            cells = dict(zip(func.__code__.co_freevars, func.__closure__, strict=True))
            if "command" in cells:
                found["command"].add(cells["command"].cell_contents)
            elif "event_type" in cells:
                found["event"].add(cells["event_type"].cell_contents)
            elif "constraints" in cells and isinstance(cells["constraints"].cell_contents, dict):
                constraint = cells["constraints"].cell_contents
                if "type" in constraint and "callback_id" not in constraint:
                    found["event"].add(constraint["type"])
            elif "callback_id" in cells and (kind := listener_kind(listener)) != "other":
                callback_id = cells["callback_id"].cell_contents
                found["callback_id"].add(callback_id)
                found["shortcut"].add(f"{kind}:{callback_id}")
    return found


def listener_kind(listener: Any) -> str:
    """Which kind of request a listener handles, from its matcher's name.

    `global` and `message` for app.global_shortcut / app.message_shortcut, `shortcut` for
    app.shortcut (either kind), `other` for everything else.
    """
    names = {
        getattr(m, "func", None).__qualname__ for m in listener.matchers if getattr(m, "func", None)
    }
    for kind in ("global", "message"):
        if any(name.startswith(f"{kind}_shortcut.") for name in names):
            return kind
    return "shortcut" if any("shortcut" in name for name in names) else "other"


def subscriptions_for(events: set[str]) -> set[str]:
    """The manifest's bot_events entries that a set of listened-to events needs."""
    needed: set[str] = set()
    for event in events:
        needed |= MESSAGE_SUBSCRIPTIONS if event == "message" else {event}
    return needed


def test_commands_match(tmp_path: Path) -> None:
    declared = {c["command"] for c in manifest()["features"].get("slash_commands", [])}
    assert registered(tmp_path)["command"] == declared


def test_shortcuts_match(tmp_path: Path) -> None:
    declared = {s["callback_id"] for s in manifest()["features"].get("shortcuts", [])}
    assert registered(tmp_path)["callback_id"] == declared


def test_shortcut_types_match(tmp_path: Path) -> None:
    declared = {f"{s['type']}:{s['callback_id']}" for s in manifest()["features"]["shortcuts"]}
    registered_kinds = registered(tmp_path)["shortcut"]
    either = {
        entry.partition(":")[2] for entry in registered_kinds if entry.startswith("shortcut:")
    }
    typed = {entry for entry in registered_kinds if not entry.startswith("shortcut:")}
    # app.shortcut("id") answers both kinds: whichever type the manifest declares is right.
    assert typed | {d for d in declared if d.partition(":")[2] in either} == declared


def test_events_match(tmp_path: Path) -> None:
    declared = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert subscriptions_for(registered(tmp_path)["event"]) == declared


def test_scopes_cover_every_event_and_method_and_nothing_more(tmp_path: Path) -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    needed: set[str] = set(BASE_SCOPES)
    for event in registered(tmp_path)["event"]:
        if event in EVENT_SCOPES_ELSEWHERE:
            wanted = EVENT_SCOPES_ELSEWHERE[event]
        else:
            spec = json.loads((API_REF / "events" / f"{event}.json").read_text(encoding="utf-8"))
            wanted = {
                scope.replace("app_mentions.read", "app_mentions:read") for scope in spec["scopes"]
            }
        if not wanted:
            continue  # e.g. app_home_opened: no scope needed (also app_uninstalled)
        assert wanted & scopes, f"{event} needs one of {wanted}"
        needed |= wanted & scopes
    for method in called_methods():
        if method in METHOD_SCOPES_ELSEWHERE:
            bot_scopes = METHOD_SCOPES_ELSEWHERE[method]
        else:
            path = API_REF / "methods" / f"{method}.json"
            spec = json.loads(path.read_text(encoding="utf-8"))
            bot_scopes = set((spec.get("scope") or {}).get("bot", []))
        if not bot_scopes:
            continue
        assert bot_scopes & scopes, f"{method} needs one of {bot_scopes}"
        needed |= bot_scopes & scopes
    assert scopes == needed, f"declared but not needed: {scopes - needed}"


def called_methods() -> set[str]:
    """Web API methods the app's code calls through a WebClient."""
    calls: set[str] = set()
    for path in (ROOT / "bot" / "slack").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for name in re.findall(r"client\.([a-z]+_[A-Za-z]+)\(", source):
            family, _, method = name.partition("_")
            if name != "api_call":
                calls.add(f"{family}.{method}")
        calls.update(re.findall(r"\.api_call\(\s*\"([a-z]+\.[A-Za-z]+)\"", source))
    return calls
