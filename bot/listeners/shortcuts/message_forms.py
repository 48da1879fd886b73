"""Shortcuts on a message in a board's channel that turn it into the board's business
without retyping it: Record as an action, Add to the agenda. Each opens a form filled in
as the message reads; the form, submitted, does what the slash command would."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot import rendering
from bot.apology import reported, tell
from bot.app import Services
from bot.listeners.commands.board import in_direct_message
from commands import actions, agenda, dispatch
from commands.context import Context
from commands.replies import Outcome
from commands.subcommands import Access


class Drafted(Protocol):
    """What the core reads from a message: the stored names of people it mentions."""

    @property
    def names(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class MessageForm:
    """A shortcut (its callback id, as the manifest declares it), how the core reads the
    message (its text and author), and the form that reading opens."""

    shortcut: str
    draft: Callable[[Context, str, str], Drafted]
    form: Callable[[Any, Callable[[str], str], str], View]


FORMS = (
    MessageForm(
        rendering.RECORD_SHORTCUT,
        lambda ctx, text, _author: actions.draft(ctx, text),
        rendering.record_form,
    ),
    MessageForm(rendering.AGENDA_SHORTCUT, agenda.draft_item, rendering.agenda_form),
)


def register(app: App, services: Services) -> None:
    """Register each shortcut: the message read in the acknowledgement, the form opened
    after it (or, for someone not on the board, why not)."""
    for form in FORMS:
        _register(app, services, form)


def _register(app: App, services: Services, form: MessageForm) -> None:
    def read(ack: Ack, shortcut: dict[str, Any], context: BoltContext) -> None:
        ack()
        channel = shortcut.get("channel", {})
        message = shortcut.get("message", {})
        said = message.get("text", "")
        invocation = replace(
            services.invocation(
                shortcut.get("team", {}).get("id", ""),
                channel.get("id", ""),
                shortcut["user"]["id"],
            ),
            in_direct_message=in_direct_message(channel.get("name", ""), channel.get("id", "")),
            typed_mentions=rendering.typed_mentions(said),
        )
        text, author = rendering.unescape(said), message.get("user", "")
        context["outcome"] = dispatch.execute(
            invocation,
            services.database,
            services.directory,
            Access.MEMBER,
            lambda ctx: form.draft(ctx, text, author),
        )

    def open_form(
        context: BoltContext,
        shortcut: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        found: Drafted | Outcome = context["outcome"]
        if isinstance(found, Outcome):
            tell(respond, client, shortcut["user"]["id"], rendering.text(found.reply))
            return
        reference = {
            "channel": shortcut.get("channel", {}).get("id", ""),
            "response_url": shortcut.get("response_url", ""),
        }
        # The board's stored names first: Slack is asked only for anyone else, as the
        # form must open within 3 seconds of the click.
        client.views_open(
            trigger_id=shortcut["trigger_id"],
            view=form.form(
                found,
                lambda user_id: found.names.get(user_id) or services.directory.name_of(user_id),
                json.dumps(reference),
            ),
        )

    read.__name__ = f"read_for_{form.shortcut}"  # what Bolt's log names
    open_form.__name__ = f"open_{form.shortcut}_form"
    app.shortcut(form.shortcut)(ack=read, lazy=[reported(open_form, after_outcome=True)])
