"""What an action owner does from a reminder DM: mark the action done or post an update.

The buttons carry `<board id>:<action number>`; the rules are the same as the
slash commands', because these call the same functions.
"""

from __future__ import annotations

import re

from commands import actions, describe
from commands.context import Context
from commands.dates import say_short_date
from commands.errors import UsageError
from commands.reminders import action_section
from commands.replies import Message, Outcome, Strong, line
from storage.models import Action

# What the bot writes into a button; a number longer than it ever writes is not one.
REFERENCE = re.compile(r"(?P<board>[0-9]{1,9}):(?P<number>[0-9]{1,9})")


def parse_reference(value: str) -> tuple[int, int]:
    """`"3:12"` → board 3, action A12."""
    if not (match := REFERENCE.fullmatch(value)):
        raise UsageError("That button no longer points at an action.")
    return int(match["board"]), int(match["number"])


def mark_done(ctx: Context, number: int) -> Outcome:
    """Close the action; the reply is its refreshed section for the DM."""
    action = actions.find_action(ctx, f"A{number}")
    actions.mark_done(ctx, action)
    return _refreshed(ctx, action)


def if_closed(ctx: Context, number: int) -> Outcome:
    """For a DM whose buttons were clicked after the action was closed elsewhere: its
    section as it stands, without buttons; nothing if it is still open."""
    action = actions.find_action(ctx, f"A{number}", to_change=False)
    return _refreshed(ctx, action) if action.status != "open" else Outcome(reply=Message())


def check_may_update(ctx: Context, number: int) -> Outcome:
    """Whether the caller may post an update; the reply is what the form shows above it:
    the action, when it is due and the last update (the one to follow on from)."""
    action = actions.find_action(ctx, f"A{number}", to_change=False)
    actions.require_updatable(ctx, action)
    latest = action.updates[-1] if action.updates else None
    standing = line(
        f"Due {say_short_date(action.due_on)}" if action.due_on else "No due date",
        " (overdue)" if describe.is_overdue(action, ctx.today) else None,
        " · last update " if latest else " · no update yet",
        say_short_date(latest.created_at.astimezone(ctx.zone).date()) if latest else None,
        ": " if latest else None,
        describe.rag(latest.rag) if latest else None,
        describe.shortened(latest.text, describe.IN_A_LIST) if latest else None,
    )
    return Outcome(
        reply=Message.of(line(Strong(f"A{action.number}"), " ", action.description), standing)
    )


def post_update(ctx: Context, number: int, text: str, rag: str | None) -> Outcome:
    """Add the update to the action's history, exactly as `/board action update` does:
    with no status picked, a text that starts with one gives it."""
    action = actions.find_action(ctx, f"A{number}")
    if rag is not None and rag not in describe.RAG_LABELS:  # not what the form offers
        raise UsageError("Pick red, amber or green, or leave the status empty.")
    if rag is None:
        rag, text = actions.leading_rag(text)
    actions.post_update(ctx, action, text, rag)
    return _refreshed(ctx, action)


def _refreshed(ctx: Context, action: Action) -> Outcome:
    """The action's section of a DM, as it stands now: the reply to a button."""
    return Outcome(reply=Message(sections=(action_section(action, ctx.today),)))
