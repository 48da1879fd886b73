"""The App Home tab, published whenever a partner opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.apology import reported
from bot.app import Services
from bot.delivery import publish_home


def register(app: App, services: Services) -> None:
    """Publish the Home tab whenever a partner opens it."""

    def opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") == "home":
            publish_home(client, services, body.get("team_id", ""), event["user"])

    app.event("app_home_opened")(ack=lambda ack: ack(), lazy=[reported(opened)])
