"""The slash command (`/board`, or whatever name the app is installed with)."""

from __future__ import annotations

import logging
import re
from concurrent.futures import Future
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.app import Services
from bot.delivery import deliver
from commands import dispatch
from commands.context import Invocation

log = logging.getLogger(__name__)
ANY_COMMAND = re.compile(r"^/")
SORRY = "Sorry, something went wrong on the board bot's side. Please try again in a moment."


def register(app: App, services: Services) -> None:
    def answer(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """Run the command and put the reply in the acknowledgement itself."""
        invocation = Invocation(
            team_id=command.get("team_id", ""),
            channel_id=command.get("channel_id", ""),
            user_id=command.get("user_id", ""),
            text=command.get("text", ""),
            now=services.clock(),
            command=command.get("command", "/board"),
            default_timezone=services.settings.board_timezone,
            public_url=services.settings.public_url,
        )
        try:
            outcome = dispatch.run(invocation, services.database, services.directory)
        except Exception:
            log.exception("command failed: %s %s", invocation.command, invocation.text)
            ack(response_type="ephemeral", text=SORRY)
            return
        first, *rest = rendering.payloads(outcome.reply)
        ack(response_type="ephemeral", **first)
        if rest or outcome.has_deliveries:
            context["outcome"] = outcome
            context["more_reply"] = rest

    def announce(
        context: BoltContext, client: WebClient, command: dict[str, Any], respond: Respond
    ) -> None:
        """After the reply: the rest of a long reply, then, on the deliveries lane,
        channel posts, DMs and files.

        A lazy listener, so none of this is on the 3-second path.
        """
        outcome = context.get("outcome")
        if outcome is None:
            return
        for part in context.get("more_reply", []):
            respond(response_type="ephemeral", replace_original=False, **part)
        channel = command["channel_id"]

        def send() -> None:
            failures = deliver(
                client, channel, outcome, services.database, services.clock(), services.write_ics
            )
            for failure in failures:
                respond(response_type="ephemeral", text=failure, replace_original=False)

        # A lane's executor keeps what a job raises to itself: log it, as Bolt would.
        services.deliveries.submit(send).add_done_callback(_log_failure)

    app.command(ANY_COMMAND)(ack=answer, lazy=[announce])


def _log_failure(done: Future[None]) -> None:
    if error := done.exception():
        log.error("delivery failed", exc_info=error)
