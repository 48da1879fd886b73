"""The Record as an action form, submitted: the action recorded, or the refusal shown
under the field it is about."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.apology import reported
from bot.app import Services
from bot.delivery import post
from commands import actions, dispatch
from commands.replies import Message, Outcome
from commands.subcommands import Access

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    """Register the form: the action is recorded in the acknowledgement, and the reply
    `action add` would give is shown beside the message after it."""

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        reference = json.loads(view.get("private_metadata") or "{}")
        chosen = rendering.submitted(view, "item", "item", "selected_option")
        invocation = services.invocation(
            body.get("team", {}).get("id", ""), reference.get("channel", ""), body["user"]["id"]
        )
        outcome = dispatch.execute(
            invocation,
            services.database,
            services.directory,
            Access.MEMBER,
            lambda ctx: actions.record(
                ctx,
                rendering.submitted(view, "owner", "owner", "selected_user"),
                rendering.submitted(view, "description", "text", "value") or "",
                rendering.submitted(view, "due", "date", "selected_date"),
                chosen["value"] if chosen else None,
            ),
        )
        if outcome.refused:
            field = outcome.field or "description"
            ack(
                response_action="errors",
                errors={field: rendering.plain(outcome.reply, 150, services.directory.name_of)},
            )
            return
        ack()
        context["outcome"] = outcome
        context["response_url"] = reference.get("response_url")

    def confirm(context: BoltContext, body: dict[str, Any], client: WebClient) -> None:
        """Say what was recorded beside the message, as only the submitter sees it; in
        their DM with the bot when Slack no longer takes the reply there (after 30 minutes)."""
        outcome: Outcome = context["outcome"]
        url = context.get("response_url")
        if url and _taken_beside(url, outcome.reply):
            return
        log.warning("a shortcut's reply URL took no reply: answering in the DM")
        post(client, body["user"]["id"], outcome.reply)

    app.view(rendering.RECORD_FORM)(ack=submit, lazy=[reported(confirm, after_outcome=True)])


def _taken_beside(url: str, reply: Message) -> bool:
    """Whether Slack took the reply, every part of it, at a shortcut's reply URL."""
    respond = Respond(response_url=url)
    try:
        return all(
            respond(response_type="ephemeral", replace_original=False, **payload).status_code == 200
            for payload in rendering.payloads(reply)
        )
    except OSError:
        return False
