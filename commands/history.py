"""`/board history A#|M#`: who changed what and when, from the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from commands.actions import find_action
from commands.context import Context
from commands.dates import say_date, say_datetime, say_short_date
from commands.describe import rag
from commands.errors import NotFound, UsageError
from commands.meetings import find_meeting
from commands.replies import Line, Mention, Message, Outcome, Section, Span, line
from storage import audit, queries
from storage.models import AuditEntry

VERBS = {
    "action.add": "added the action",
    "action.update": "posted an update",
    "action.done": "marked it done",
    "action.drop": "dropped it",
    "action.reopen": "reopened it",
    audit.ACTION_DUE: "changed the due date",
    audit.ACTION_REASSIGN: "reassigned it",
    "action.link": "linked it to an agenda item",
    "action.edit": "reworded it",
    audit.MEETING_ADD: "scheduled the meeting",
    audit.MEETING_MOVE: "moved the meeting",
    "meeting.edit": "changed the meeting",
    "meeting.cancel": "cancelled the meeting",
    "agenda.add": "added an agenda item",
    "agenda.remove": "removed an agenda item",
    "agenda.move": "reordered the agenda",
    "agenda.rename": "renamed an agenda item",
    "attendance.present": "recorded attendance",
    "attendance.apologies": "recorded apologies",
    "attendance.remove": "took back attendance recorded in error",
    "item.note": "recorded a note",
    "item.decision": "recorded a decision",
    "item.note.remove": "removed a note",
    "item.decision.remove": "removed a decision",
    audit.MINUTES_PUBLISH: "published the minutes",
    audit.MINUTES_WITHDRAW: "published the minutes, but they could not be posted",
}
# Changes whose verb says the new status already: "marked it done", not "…: status open → done".
SAYS_ITS_STATUS = {"action.done", "action.drop", "meeting.cancel"}
# Columns shown under a plainer name.
FIELDS = {
    "due_on": "due",
    "owner_id": "owner",
    "presenter_id": "presenter",
    "starts_at": "start",
    "ends_at": "end",
}
# Bookkeeping columns that say nothing to a reader of the history.
QUIET = {
    "id",
    "board_id",
    "meeting_id",
    "item_id",
    "action_id",
    "revision",
    "updated_at",
    "created_at",
    "closed_at",
    "created_by",
    "author_id",
    "proposed_by",
}


def history(ctx: Context, args: str) -> Outcome:
    """`<A#|M#>`: who changed an action, or a meeting and everything at it, and when."""
    board = ctx.the_board()
    token = args.strip().upper()
    if token.startswith("A"):
        subject = f"A{find_action(ctx, token, to_change=False).number}"
    elif token.startswith("M"):
        subject = f"M{find_meeting(ctx, token).number}"
    else:
        raise UsageError("Name an action (A3) or a meeting (M2).")
    entries = queries.audit_trail(ctx.session, board.id, subject)
    if not entries:
        raise NotFound(f"There is no history for {subject} on this board.")
    lines = tuple(_entry(entry, ctx) for entry in entries)
    return Outcome(reply=Message(title=f"History of {subject}", sections=(Section(lines),)))


def _entry(entry: AuditEntry, ctx: Context) -> Line:
    local: datetime = entry.at.astimezone(ctx.zone)
    what = VERBS.get(entry.verb, entry.verb)
    where = entry.subject.partition(" ")[2]  # "item 2", or an attendee's id
    attendee = (entry.after or entry.before or {}).get("user_id")
    about: Span = Mention(attendee) if attendee and where == attendee else where
    return line(
        f"{say_short_date(local.date())} {local:%H:%M} ",
        Mention(entry.actor_id),
        f" {what}",
        *((" (", about, ")") if about else ()),
        *_changes(entry.before, entry.after, ctx.zone, said=entry.verb in SAYS_ITS_STATUS),
    )


def _changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None, zone: ZoneInfo, *, said: bool
) -> Line:
    """`: due Thursday 7 January 2027 → Sunday 31 January 2027`, or the new row's words
    when something was added; the status not again where the verb `said` it."""
    quiet = QUIET | {"status"} if said else QUIET
    if before and after:
        spans: list[Span] = []
        for key, value in after.items():
            if key in quiet or before.get(key) == value:
                continue
            spans += ["; " if spans else ": ", f"{FIELDS.get(key, key)} "]
            spans += [_value(key, before.get(key), zone), " → ", _value(key, value, zone)]
        return tuple(spans)
    row = after or before or {}
    version = f"version {row['version']}" if "version" in row else None  # the minutes'
    words = row.get("text") or row.get("description") or row.get("title") or version
    return (": ", rag(row.get("rag")) or "", words) if words else ()


def _value(key: str, value: Any, zone: ZoneInfo) -> Span:
    """A stored value as the rest of the bot says it: people, dates and times in words."""
    if value is None:
        return "not set"
    if key.endswith("_id") and isinstance(value, str):
        return Mention(value)
    if key.endswith("_at"):
        return say_datetime(datetime.fromisoformat(value), zone)
    if key.endswith("_on"):
        return say_date(date.fromisoformat(value))
    if isinstance(value, list):  # an agenda's order: `1. Apologies · 2. SSNP report`
        return " · ".join(f"{number}. {entry}" for number, entry in enumerate(value, start=1))
    return str(value)
