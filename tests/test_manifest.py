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
    # What the calls it makes need: posting (to public channels it has not joined too),
    # looking back before posting a reminder again, opening DMs, names, uploads.
    assert scopes >= {
        "commands",
        "chat:write",
        "chat:write.public",
        "channels:history",
        "channels:join",
        "groups:history",
        "im:history",
        "im:write",
        "users:read",
        "files:write",
    }
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
