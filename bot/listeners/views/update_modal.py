"""The Post update form, submitted: the update posted, or refused under its text."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import rendering
from bot.apology import reported
from bot.app import Services
from bot.delivery import post, publish_home
from commands import dispatch, follow_up
from commands.replies import Message, Outcome
from commands.subcommands import Access


def register(app: App, services: Services) -> None:
    """Register the Post update form: the update is posted in the acknowledgement (a
    refusal shown under the text field), and confirmed in the DM after it."""

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        reference = json.loads(view.get("private_metadata") or "{}")
        text = rendering.submitted(view, rendering.FORM_TEXT_BLOCK, "text", "value") or ""
        rag = rendering.submitted(view, "rag", "status", "selected_option")
        invocation = services.invocation(
            body.get("team", {}).get("id", ""), reference.get("channel", ""), body["user"]["id"]
        )
        outcome = dispatch.execute(
            invocation,
            services.database,
            services.directory,
            Access.MEMBER,
            lambda ctx: follow_up.post_update(ctx, int(reference["number"]), text, rag),
            board_id=int(reference["board"]),
        )
        if outcome.refused:
            ack(
                response_action="errors",
                errors={
                    rendering.FORM_TEXT_BLOCK: rendering.plain(
                        outcome.reply, 150, services.directory.name_of
                    )
                },
            )
            return
        ack()
        context["channel"] = reference.get("channel") or body["user"]["id"]
        context["home"] = bool(reference.get("home"))
        context["outcome"] = outcome

    def confirm(context: BoltContext, body: dict[str, Any], client: WebClient) -> None:
        """Say in the DM that the update landed, showing the action as it now stands;
        refresh the Home tab too if that is where the button was."""
        outcome: Outcome = context["outcome"]
        confirmation = Message(title="Update posted", sections=outcome.reply.sections)
        post(client, context["channel"], confirmation)
        if context["home"]:
            publish_home(client, services, body.get("team", {}).get("id", ""), body["user"]["id"])

    app.view(rendering.FORM_CALLBACK_ID)(ack=submit, lazy=[reported(confirm, after_outcome=True)])
