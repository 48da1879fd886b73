"""The Mark done and Post update buttons on a reminder DM."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import rendering
from bot.apology import reported, tell
from bot.app import Services
from bot.delivery import publish_home
from commands import dispatch, follow_up
from commands.context import Context
from commands.errors import BoardError
from commands.replies import Message, Outcome, Section, line
from commands.subcommands import Access

log = logging.getLogger(__name__)


def on_home_tab(body: dict[str, Any]) -> bool:
    """Whether the button was clicked on the App Home tab rather than in a DM."""
    return bool(body.get("container", {}).get("type") == "view")


def refuse(respond: Respond, client: WebClient, body: dict[str, Any], outcome: Outcome) -> None:
    """Tell only the person who clicked why nothing happened."""
    tell(respond, client, body["user"]["id"], rendering.text(outcome.reply))


def refresh(client: WebClient, body: dict[str, Any], section: Section) -> None:
    """Replace the action's section of the DM clicked, in place."""
    message = body["message"]
    blocks = rendering.replace_section(message.get("blocks", []), section)
    client.chat_update(
        channel=body["channel"]["id"],
        ts=message["ts"],
        text=rendering.text_of(blocks),  # what notifications and screen readers say
        blocks=blocks,
    )


def register(app: App, services: Services) -> None:
    """Register the Mark done and Post update buttons: each click is run in the
    acknowledgement, and the DM (or Home tab) updated or the form opened after it."""

    def on_action(
        body: dict[str, Any], action: dict[str, Any], work: Callable[[Context, int], Outcome]
    ) -> Outcome:
        """Run `work` on the action the button names, for the member who clicked it."""
        try:
            board_id, number = follow_up.parse_reference(action.get("value", ""))
        except BoardError as error:
            return Outcome(reply=Message.of(line(str(error))), refused=True)
        invocation = services.invocation(
            body.get("team", {}).get("id", ""),
            body.get("channel", {}).get("id", ""),
            body["user"]["id"],
        )
        return dispatch.execute(
            invocation,
            services.database,
            services.directory,
            Access.MEMBER,
            lambda ctx: work(ctx, number),
            board_id=board_id,
        )

    def acknowledging(work: Callable[[Context, int], Outcome]) -> Callable[..., None]:
        """The ack half: run `work` on the click now and keep its outcome for the lazy half."""

        def acknowledge(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
        ) -> None:
            ack()
            context["outcome"] = on_action(body, action, work)

        acknowledge.__name__ = f"acknowledge_{work.__name__}"  # what Bolt's log names
        return acknowledge

    def unless_refused(
        then: Callable[[Outcome, dict[str, Any], dict[str, Any], WebClient], None],
    ) -> Callable[..., None]:
        """The lazy half: tell only the clicker why a refused click did nothing (showing an
        action closed elsewhere as closed), else go on with `then`."""

        def go_on(
            context: BoltContext,
            body: dict[str, Any],
            action: dict[str, Any],
            client: WebClient,
            respond: Respond,
        ) -> None:
            outcome: Outcome = context["outcome"]
            if outcome.refused:
                refuse(respond, client, body, outcome)
                drop_stale_buttons(body, action, client)
                return
            then(outcome, body, action, client)

        # Bolt names a lazy listener by __name__ (in its log, and to route it on FaaS)
        # and injects arguments by the parameters it finds: functools.wraps(then) would
        # hand it `then`'s parameters, which are not Bolt's.
        go_on.__name__ = then.__name__
        return go_on

    def show_done(
        outcome: Outcome, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """Refresh the DM in place (or the Home tab)."""
        if on_home_tab(body):
            publish_home(client, services, body.get("team", {}).get("id", ""), body["user"]["id"])
            return
        refresh(client, body, outcome.reply.sections[0])

    def drop_stale_buttons(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """A click refused because the action was closed elsewhere: show it closed."""
        if on_home_tab(body):
            return
        closed = on_action(body, action, follow_up.if_closed)
        if not closed.refused and closed.reply.sections:
            try:
                refresh(client, body, closed.reply.sections[0])
            except SlackApiError:  # too old or gone: the clicker has been told already
                log.warning("could not refresh a DM's stale buttons", exc_info=True)

    def open_form(
        outcome: Outcome, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        board_id, number = follow_up.parse_reference(action["value"])
        channel = body.get("channel", {}).get("id") or body["user"]["id"]
        reference = {
            "board": board_id,
            "number": number,
            "channel": channel,
            "home": on_home_tab(body),
        }
        client.views_open(
            trigger_id=body["trigger_id"],
            view=rendering.update_form(outcome.reply, json.dumps(reference)),
        )

    app.action(rendering.BUTTON_ACTIONS["mark_done"])(
        ack=acknowledging(follow_up.mark_done),
        lazy=[reported(unless_refused(show_done), after_outcome=True)],
    )
    app.action(rendering.BUTTON_ACTIONS["post_update"])(
        ack=acknowledging(follow_up.check_may_update),
        lazy=[reported(unless_refused(open_form), after_outcome=True)],
    )
