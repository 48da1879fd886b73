"""The Post update form: an update's text and an optional RAG status."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import rendering
from bot.app import Services
from bot.delivery import post
from bot.listeners.apology import reported
from bot.listeners.events.app_home import publish_home
from commands import dispatch, follow_up
from commands.replies import Message, Outcome, line
from commands.subcommands import Access

CALLBACK_ID = "post_update"
TEXT_BLOCK = "update"
RAG_OPTIONS = (("green", "Green: on track"), ("amber", "Amber: at risk"), ("red", "Red: off track"))


def update_form(action_title: str, reference: str) -> View:
    """The modal; `reference` (JSON) says which board, action and DM it came from."""
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        private_metadata=reference,
        title="Post an update",
        submit="Post update",
        close="Cancel",
        blocks=[
            *rendering.blocks(Message.of(line(action_title))),  # split if long, never cut
            InputBlock(
                block_id=TEXT_BLOCK,
                label="Update",
                element=PlainTextInputElement(action_id="text", multiline=True, max_length=3000),
            ),
            InputBlock(
                block_id="rag",
                label="Status",
                optional=True,
                element=StaticSelectElement(
                    action_id="status",
                    placeholder="Red, amber or green",
                    options=[Option(value=value, text=label) for value, label in RAG_OPTIONS],
                ),
            ),
        ],
    )


def register(app: App, services: Services) -> None:
    """Register the Post update form: the update is posted in the acknowledgement (a
    refusal shown under the text field), and confirmed in the DM after it."""

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        reference = json.loads(view.get("private_metadata") or "{}")
        values = view["state"]["values"]
        text = values[TEXT_BLOCK]["text"].get("value") or ""
        chosen = (values.get("rag", {}).get("status", {}) or {}).get("selected_option")
        invocation = services.invocation(
            body.get("team", {}).get("id", ""), reference.get("channel", ""), body["user"]["id"]
        )
        outcome = dispatch.execute(
            invocation,
            services.database,
            services.directory,
            Access.MEMBER,
            lambda ctx: follow_up.post_update(
                ctx, int(reference["number"]), text, chosen["value"] if chosen else None
            ),
            board_id=int(reference["board"]),
        )
        if outcome.refused:
            ack(response_action="errors", errors={TEXT_BLOCK: rendering.plain(outcome.reply, 150)})
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

    app.view(CALLBACK_ID)(ack=submit, lazy=[reported(confirm, after_outcome=True)])
