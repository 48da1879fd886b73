"""The Publish button under an officer's draft of the minutes: `minutes publish`, clicked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.app import Services
from bot.delivery import send_the_rest
from commands import dispatch

ACTION_ID = rendering.BUTTON_ACTIONS["publish_minutes"]


def register(app: App, services: Services) -> None:
    """Register the Publish button: run as the command typed where the draft was shown,
    by whoever clicked (so an officer's rights are checked again); the reply and the
    posts go out on the delivery lane, as the command's do."""

    def publish(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        invocation = services.invocation(
            body.get("team", {}).get("id", ""),
            body.get("channel", {}).get("id", ""),
            body["user"]["id"],
            f"minutes publish {action.get('value', '')}",
        )
        outcome = dispatch.run(invocation, services.database, services.directory)
        reply = rendering.payloads(outcome.reply)
        services.deliveries.submit(
            send_the_rest, services, client, respond, invocation, reply, outcome
        )

    app.action(ACTION_ID)(publish)
