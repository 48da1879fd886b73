"""The forms a message's shortcut opens (Record an action, Add to the agenda), submitted:
done as the slash command would do it, or the refusal shown under the field it is about."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import rendering
from bot.apology import reported
from bot.app import Services
from bot.delivery import post
from commands import actions, agenda, dispatch
from commands.context import Context
from commands.replies import Message, Outcome
from commands.subcommands import Access

log = logging.getLogger(__name__)
Work = Callable[[Context], Outcome]


def _record(view: dict[str, Any]) -> Work:
    return lambda ctx: actions.record(
        ctx,
        rendering.submitted(view, "owner", "owner", "selected_user"),
        rendering.submitted(view, "description", "text", "value") or "",
        rendering.submitted(view, "due", "date", "selected_date"),
        rendering.submitted(view, "item", "item", "selected_option"),
    )


def _propose(view: dict[str, Any]) -> Work:
    return lambda ctx: agenda.propose(
        ctx,
        rendering.submitted(view, "title", "text", "value") or "",
        rendering.submitted(view, "presenter", "presenter", "selected_user"),
        rendering.submitted(view, "minutes", "minutes", "value"),
        rendering.submitted(view, "meeting", "meeting", "selected_option") or "",
    )


@dataclass(frozen=True)
class SubmittedForm:
    """A form's callback id, what submitting it does, and the field a refusal is shown
    under when it is about no field in particular (not being on the board, say)."""

    callback_id: str
    work: Callable[[dict[str, Any]], Work]
    fallback_field: str


FORMS = (
    SubmittedForm(rendering.RECORD_FORM, _record, "description"),
    SubmittedForm(rendering.AGENDA_FORM, _propose, "title"),
)


def register(app: App, services: Services) -> None:
    """Register each form: its work done in the acknowledgement, and the reply the slash
    command would give shown beside the message after it."""

    def confirm(context: BoltContext, body: dict[str, Any], client: WebClient) -> None:
        """Say what was done beside the message, as only the submitter sees it; in their
        DM with the bot when Slack no longer takes the reply there (after 30 minutes)."""
        outcome: Outcome = context["outcome"]
        url = context.get("response_url")
        if url and _taken_beside(url, outcome.reply):
            return
        log.warning("a shortcut's reply URL took no reply: answering in the DM")
        post(client, body["user"]["id"], outcome.reply)

    for form in FORMS:
        app.view(form.callback_id)(
            ack=_submitting(services, form), lazy=[reported(confirm, after_outcome=True)]
        )


def _submitting(services: Services, form: SubmittedForm) -> Callable[..., None]:
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        reference = json.loads(view.get("private_metadata") or "{}")
        invocation = services.invocation(
            body.get("team", {}).get("id", ""), reference.get("channel", ""), body["user"]["id"]
        )
        outcome = dispatch.execute(
            invocation, services.database, services.directory, Access.MEMBER, form.work(view)
        )
        if outcome.refused:
            said = rendering.plain(outcome.reply, 150, services.directory.name_of)
            ack(response_action="errors", errors={outcome.field or form.fallback_field: said})
            return
        ack()
        context["outcome"] = outcome
        context["response_url"] = reference.get("response_url")

    submit.__name__ = f"submit_{form.callback_id}"  # what Bolt's log names
    return submit


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
