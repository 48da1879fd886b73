"""The slash command (`/board`, or whatever name the app is installed with)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.app import Services
from bot.delivery import send_the_rest
from commands import dispatch

ANY_COMMAND = re.compile(r"^/")


def in_direct_message(name: str, channel: str) -> bool:
    """In a DM or a group DM: Slack names those `directmessage` and `mpdm-…`, and a DM's
    id starts with D."""
    return name == "directmessage" or name.startswith("mpdm-") or channel.startswith("D")


def register(app: App, services: Services) -> None:
    """Register the slash command: the reply in the acknowledgement, the rest on the
    delivery lane."""

    def answer(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Run the command and put the reply in the acknowledgement itself; the rest
        goes out afterwards on the delivery lane."""
        invocation = replace(
            services.invocation(
                command.get("team_id", ""),
                command.get("channel_id", ""),
                command.get("user_id", ""),
                rendering.unescape(command.get("text", "")),
                command.get("command", "/board"),
            ),
            in_direct_message=in_direct_message(
                str(command.get("channel_name", "")), str(command.get("channel_id", ""))
            ),
            typed_mentions=rendering.typed_mentions(command.get("text", "")),
        )
        outcome = dispatch.run(invocation, services.database, services.directory)
        first, *rest = rendering.payloads(outcome.reply)
        ack(response_type="ephemeral", **first)
        if rest or outcome.has_deliveries:
            services.deliveries.submit(
                send_the_rest, services, client, respond, invocation, rest, outcome
            )

    app.command(ANY_COMMAND)(answer)
