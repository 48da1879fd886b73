"""The App Home tab, published whenever a partner opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot import rendering
from bot.app import Services
from bot.listeners.apology import reported
from commands.home import home


def publish_home(client: WebClient, services: Services, team_id: str, user_id: str) -> None:
    """Publish the user's Home tab: their open actions on every board of the workspace."""
    message = home(services.database, team_id, user_id, services.clock())
    client.views_publish(user_id=user_id, view=View(type="home", blocks=rendering.blocks(message)))


def register(app: App, services: Services) -> None:
    """Publish the Home tab whenever a partner opens it."""

    def opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") == "home":
            publish_home(client, services, body.get("team_id", ""), event["user"])

    app.event("app_home_opened")(ack=lambda ack: ack(), lazy=[reported(opened)])
