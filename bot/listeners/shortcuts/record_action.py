"""Record as an action, on a message in a board's channel: a form filled in as the
message reads, which records the action as `/board action add` would."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.apology import reported, tell
from bot.app import Services
from bot.listeners.commands.board import in_direct_message
from commands import actions, dispatch
from commands.actions import Draft
from commands.replies import Outcome
from commands.subcommands import Access


def register(app: App, services: Services) -> None:
    """Register the shortcut: the message read in the acknowledgement, the form opened
    after it (or, for someone not on the board, why not)."""

    def read(ack: Ack, shortcut: dict[str, Any], context: BoltContext) -> None:
        ack()
        channel = shortcut.get("channel", {})
        said = shortcut.get("message", {}).get("text", "")
        invocation = replace(
            services.invocation(
                shortcut.get("team", {}).get("id", ""),
                channel.get("id", ""),
                shortcut["user"]["id"],
            ),
            in_direct_message=in_direct_message(channel.get("name", ""), channel.get("id", "")),
            typed_mentions=rendering.typed_mentions(said),
        )
        text = rendering.unescape(said)
        context["outcome"] = dispatch.execute(
            invocation,
            services.database,
            services.directory,
            Access.MEMBER,
            lambda ctx: actions.draft(ctx, text),
        )

    def open_form(
        context: BoltContext,
        shortcut: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        found: Draft | Outcome = context["outcome"]
        if isinstance(found, Outcome):
            tell(respond, client, shortcut["user"]["id"], rendering.text(found.reply))
            return
        reference = {
            "channel": shortcut.get("channel", {}).get("id", ""),
            "response_url": shortcut.get("response_url", ""),
        }
        # The board's stored names first: Slack is asked only for anyone else, as the
        # form must open within 3 seconds of the click.
        description = rendering.readable(
            found.description,
            lambda user_id: found.names.get(user_id) or services.directory.name_of(user_id),
        )
        client.views_open(
            trigger_id=shortcut["trigger_id"],
            view=rendering.record_form(found, description, json.dumps(reference)),
        )

    app.shortcut(rendering.RECORD_SHORTCUT)(
        ack=read, lazy=[reported(open_form, after_outcome=True)]
    )
