"""The slash command (`/board`, or whatever name the app is installed with)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.app import Services
from bot.delivery import as_member, deliver
from bot.listeners.apology import apologising
from commands import dispatch
from commands.context import Invocation
from commands.replies import Outcome

ANY_COMMAND = re.compile(r"^/")
# Slack takes five posts to a command's response_url: of a reply longer than the first
# part and three more (two posts are kept for what the deliveries after it may have to
# say), the rest goes as ephemeral messages in the channel instead, still private.
FOLLOW_UPS = 3


def in_direct_message(command: dict[str, Any]) -> bool:
    """Typed in a DM or a group DM: Slack names those `directmessage` and `mpdm-…`, and a
    DM's id starts with D."""
    name = str(command.get("channel_name", ""))
    channel = str(command.get("channel_id", ""))
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
            in_direct_message=in_direct_message(command),
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


def send_the_rest(
    services: Services,
    client: WebClient,
    respond: Respond,
    invocation: Invocation,
    rest: list[dict[str, Any]],
    outcome: Outcome,
) -> None:
    """The rest of a long reply, then channel posts, DMs and files (made as of the
    command, as its reply was); a sentence to the caller for each that failed."""
    what = f"after {invocation.command or 'a click:'} {invocation.text}"  # for the log
    say = partial(respond, response_type="ephemeral", replace_original=False)
    with apologising(respond, client, invocation.user_id, what):  # the reply's rest
        for part in rest:
            if len(rest) <= FOLLOW_UPS:
                say(**part)
                continue
            # Slack posts an ephemeral message only where the bot is: a public channel
            # it posts in without joining (chat:write.public), it joins.
            privately = partial(
                client.chat_postEphemeral,
                channel=invocation.channel_id,
                user=invocation.user_id,
                **part,
            )
            as_member(client, invocation.channel_id, privately)
    with apologising(respond, client, invocation.user_id, what):  # whatever befalls it
        failures = deliver(
            client,
            invocation.channel_id,
            outcome,
            services.database,
            invocation.now,
            services.write_ics,
        )
        for failure in failures:
            say(text=failure)
