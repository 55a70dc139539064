"""manifest.yml validates against Slack's official manifest JSON Schema (copied to tests/data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "tests" / "data" / "manifest_schema"  # see its SOURCE and LICENSE
REMOTE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


def load_manifest() -> dict[str, Any]:
    """The project's manifest as data."""
    data: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    return data


def test_manifest_validates_against_slack_schema() -> None:
    top = json.loads((SCHEMA_DIR / "manifest.schema.json").read_text(encoding="utf-8"))
    resources = [
        (REMOTE + path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in (SCHEMA_DIR / "schemas").glob("*.json")
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    validator = Draft7Validator(top, registry=registry)
    errors = sorted(validator.iter_errors(load_manifest()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_rejects_a_broken_manifest() -> None:
    top = json.loads((SCHEMA_DIR / "manifest.schema.json").read_text(encoding="utf-8"))
    resources = [
        (REMOTE + path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in (SCHEMA_DIR / "schemas").glob("*.json")
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    broken = load_manifest()
    broken["features"]["slash_commands"][0]["command"] = "relationship with spaces"
    assert list(Draft7Validator(top, registry=registry).iter_errors(broken))
