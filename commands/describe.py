"""How meetings, agenda items and actions read in replies, posts and DMs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from commands.dates import say_datetime, say_short_date
from commands.replies import Line, Mention, Message, Section, Span, Strong, line, render_plain
from storage.models import Action, ActionUpdate, AgendaItem, Meeting
from storage.rows import ActionRow

RAG_LABELS = {"red": "RED", "amber": "AMBER", "green": "GREEN"}


def meeting_ref(meeting: Meeting) -> Strong:
    """`M3`, in bold."""
    return Strong(f"M{meeting.number}")


def action_ref(action: Action) -> Strong:
    """`A3`, in bold."""
    return Strong(f"A{action.number}")


CANCELLED = " (cancelled)"
# Characters of an update shown in a list of actions (`history A3` shows it whole): one
# long update would otherwise make the list many messages long.
IN_A_LIST = 300


def meeting_line(meeting: Meeting, zone: ZoneInfo) -> Line:
    """`M3 Thursday 14 January 2027, 10:00–12:00 · CSP Board · Swanspool House`."""
    return line(
        meeting_ref(meeting),
        " ",
        say_hours(meeting, zone),
        " · ",
        meeting.title,
        f" · {meeting.location}" if meeting.location else None,
        CANCELLED if meeting.status == "cancelled" else None,
    )


def say_hours(meeting: Meeting, zone: ZoneInfo) -> str:
    """`Thursday 14 January 2027, 10:00–12:00`: when it starts, and until when (with the
    day too, if it ends on another)."""
    starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    if ends.date() == starts.date():
        return f"{say_datetime(starts, zone)}–{ends:%H:%M}"
    return f"{say_datetime(starts, zone)} to {say_datetime(ends, zone)}"


def meeting_message(meeting: Meeting, zone: ZoneInfo) -> Message:
    """A meeting with its time, place and agenda (replies and the eve-of-meeting reminder)."""
    when = line(
        say_hours(meeting, zone),
        f", {meeting.location}" if meeting.location else None,
        CANCELLED if meeting.status == "cancelled" else None,
    )
    agenda = tuple(item_line(item) for item in meeting.items) or (line("No agenda items yet."),)
    return Message(
        title=f"M{meeting.number}: {meeting.title}",
        sections=(Section((when,)), Section(agenda, heading="Agenda")),
    )


def item_line(item: AgendaItem) -> Line:
    """`2. Drugs, supply and violent crime update — @paul (20 min)`."""
    return line(
        Strong(f"{item.position}."),
        " ",
        item.title,
        " — " if item.presenter_id else None,
        Mention(item.presenter_id) if item.presenter_id else None,
        f" ({item.minutes} min)" if item.minutes else None,
    )


def rag(status: str | None) -> str | None:
    """`[AMBER] `, put before an update's text; nothing for an update without a status."""
    return f"[{RAG_LABELS[status]}] " if status else None


def update_line(update: ActionUpdate, zone: ZoneInfo) -> Line:
    """`Thu 7 Jan 2027 @gill: [AMBER] Draft circulated`, dated in the board's zone."""
    when = update.created_at.astimezone(zone).date()
    return line(
        say_short_date(when), " ", Mention(update.author_id), ": ", rag(update.rag), update.text
    )


def is_overdue(action: Action | ActionRow, today: date) -> bool:
    """Whether the action is open and its due date is before `today`."""
    return action.status == "open" and action.due_on is not None and action.due_on < today


def due_by(action: Action | ActionRow, day: date) -> bool:
    """Whether the action falls due on or before `day` (a meeting's, say)."""
    return action.due_on is not None and action.due_on <= day


def current_rag(rags: Iterable[str | None]) -> str | None:
    """An action's RAG status now: the last one an update gave (an update may give none)."""
    given = [rag for rag in rags if rag]
    return given[-1] if given else None


def due_text(action: Action, today: date) -> str | None:
    """` · due Thu 7 Jan 2027 (overdue)`, after an action's description; None with no due date."""
    if action.due_on is None:
        return None
    overdue = " (overdue)" if is_overdue(action, today) else ""
    return f" · due {say_short_date(action.due_on)}{overdue}"


def action_line(
    action: Action,
    today: date,
    *,
    show_status: bool = False,
    longest: int | None = None,
    show_owner: bool = True,
) -> Line:
    """`A3 @gill Circulate the strategy · due Thu 7 Jan 2027 · latest: [AMBER] Draft sent`,
    the update cut to IN_A_LIST characters; with `longest`, it and the description each
    cut to that. `show_owner=False` for the reader's own actions, whose heading says so."""
    latest = action.updates[-1] if action.updates else None
    return line(
        action_ref(action),
        " ",
        Mention(action.owner_id) if show_owner else None,
        " " if show_owner else None,
        shortened(action.description, longest),
        due_text(action, today),
        f" · {action.status}" if show_status else None,
        " · latest: " if latest else None,
        rag(latest.rag) if latest else None,
        shortened(latest.text, longest or IN_A_LIST) if latest else None,
    )


def shortened(text: str, longest: int | None) -> str:
    """The text, or its first words up to `longest` characters and an ellipsis."""
    if longest is None or len(text) <= longest:
        return text
    cut = text.rfind(" ", 0, longest)
    return text[: cut if cut > 0 else longest].rstrip() + "…"


def mentions(user_ids: Sequence[str]) -> Line:
    """`@gill, @paul`."""
    spans: list[Mention | str] = []
    for index, user_id in enumerate(user_ids):
        spans += [", "] if index else []
        spans.append(Mention(user_id))
    return tuple(spans)


def in_words(items: Sequence[str]) -> str:
    """`A1, A2 and A3`."""
    return render_plain(listed([(item,) for item in items]))


def listed(items: Sequence[Line]) -> Line:
    """Lines of spans as one, `a, b and c`."""
    out: list[Span] = []
    for index, item in enumerate(items):
        out += [", " if index < len(items) - 1 else " and "] if index else []
        out += item
    return tuple(out)


def file_stem(name: str) -> str:
    """`Wellingborough CSP Board` → `wellingborough-csp-board`, for file names (accents dropped)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "board"


# How a decision is minuted: RESOLVED, unless it is a recommendation to another body
# ("RECOMMEND that the report goes to the policy committee"). Typed as board papers
# word it, the word itself leads ("RESOLVED: that …", "RESOLVE to note …", "AGREED:
# …"). Only as a label: followed by `:`, `,`, `-`, `that` or `to` ("Resolved issues …"
# is not).
RESOLUTION = re.compile(
    r"(?:(?P<resolved>resolved?|agreed)|recommend(?:ed|s)?)(?:\s*[:,-]\s*|\s+(?=(?:that|to)\b))",
    re.I,
)
# Or as a paper puts it, with words of its own before the label in capitals: the
# recommendation ("The committee is invited to RESOLVE to note this report") or the
# body that decided ("The Board RESOLVED that …", "Members AGREED to …", "It was AGREED
# that …"). Words before it that name anyone else stay, so nothing a sentence says is
# lost, turned round or made the board's ("Police AGREED to lead", "No members AGREED").
NOT = r"(?!(?:not|no|nothing|never|none|nobody|neither)\b)"
DECIDER = (
    rf"(?:it[ \t]+was|(?:the[ \t]+)?(?:{NOT}\w+[ \t]+)?"
    r"(?:board|committee|partnership|panel|group|forum|meeting|members|partners)"
    r"(?:[ \t]+unanimously)?)"
)
PREAMBLE = re.compile(
    r"(?:(?i:[^\n.:;]{0,60}?\b(?:is|are)[ \t]+(?:invited|asked|recommended)[ \t]+to)"
    rf"|(?i:{DECIDER})(?=[ \t]+(?:RESOLVED|AGREED|RECOMMENDED)\b))"
    r"[ \t]+(?=(?i:RESOLVED?|AGREED|RECOMMEND(?:ED|S)?)\b)"
)


@dataclass(frozen=True)
class Decision:
    """A decision as the minutes say it: `RESOLVED: to note the report`."""

    label: str  # RESOLVED or RECOMMENDED
    text: str

    @classmethod
    def of(cls, typed: str) -> Decision:
        """The decision as typed (and stored), with any leading RESOLVE, AGREED or
        RECOMMEND read as its label (and any words of a paper's before it dropped)."""
        preamble = PREAMBLE.match(typed)
        match = RESOLUTION.match(typed) or (
            RESOLUTION.match(typed, preamble.end()) if preamble else None
        )
        if match is None:
            return cls("RESOLVED", typed)
        label = "RESOLVED" if match["resolved"] else "RECOMMENDED"
        return cls(label, typed[match.end() :])

    def said(self) -> Line:
        """`RESOLVED: to note the report`."""
        return line(f"{self.label}: ", self.text)
