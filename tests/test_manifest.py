"""The app manifest is valid against Slack's published schema and declares what the app uses."""

import json
from pathlib import Path

import jsonschema

from tests.fake_slack import find_specs_dir

ROOT = Path(__file__).parent.parent


def test_manifest_matches_slacks_schema_and_the_app() -> None:
    manifest = json.loads((ROOT / "manifest.json").read_text())
    schema = json.loads((find_specs_dir() / "manifest.schema.2.0.0.json").read_text())
    jsonschema.validate(manifest, schema)

    [board] = manifest["features"]["slash_commands"]
    assert board["command"] == "/board" and board["should_escape"] is True
    assert board["url"].endswith("/slack/events")
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "users:read", "users:read.email", "files:write"} <= scopes
