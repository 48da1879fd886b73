"""A board's calendar: the iCalendar feed of its meetings and action deadlines (SPEC §7).

`/board calendar` gives the private subscription link and the same calendar
as a file; `/board calendar reset` replaces the link. The feed itself is
served by `bot/server.py` and built here from the database on each request.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress, vDuration

from commands import describe
from commands.context import Context
from commands.errors import Unavailable, UsageError
from commands.replies import Code, File, Later, Mention, Message, Outcome, Strong, line
from commands.vtimezone import vtimezone
from storage import calendar as stored
from storage.database import Database, StorageUnavailable
from storage.models import ROLES, Action, AgendaItem, Meeting, Person

PRODID = "-//Board Bot//Board Bot calendar//EN"
# How often subscribers should fetch the feed again (RFC 7986, and Outlook's own property).
REFRESH = timedelta(hours=1)
SUMMARY_LENGTH = 80


def calendar(ctx: Context, args: str) -> Outcome:
    """The board's private subscription link, and the same calendar as a file to the caller."""
    _no_arguments(args)
    board = ctx.the_board()
    if stored.ensure_token(ctx.session, board):
        ctx.audit("calendar.create", "calendar")
    filename = f"{describe.file_stem(board.name)}.ics"
    command = ctx.invocation.command
    return Outcome(
        reply=Message.of(
            line(
                "Subscribe to the meetings and action deadlines of ",
                Strong(board.name),
                " in Google Calendar, Outlook or Apple Calendar with this private link:",
            ),
            line(Code(_link(ctx))),
            line(
                "Anyone who has the link can see the board's calendar, so keep it within the "
                "board. An officer can replace it with ",
                Code(f"{command} calendar reset"),
                ".",
            ),
            line(
                f"I've also sent you the calendar as a file, {filename}, to import once "
                "(an imported file does not update itself; a subscription does)."
            ),
            title=f"{board.name}: calendar",
        ),
        files=(
            # Made after the reply: a decade of meetings takes longer than a reply should.
            File(
                filename,
                Later("calendar", board.calendar_token or ""),
                f"{board.name} calendar",
                recipient=ctx.caller,
            ),
        ),
    )


def calendar_reset(ctx: Context, args: str) -> Outcome:
    """A new private link; the old one stops working as soon as this commits."""
    _no_arguments(args)
    board = ctx.the_board()
    replaced = board.calendar_token is not None
    stored.rotate_token(board)
    ctx.audit("calendar.reset", "calendar")
    command = ctx.invocation.command
    reply = Message.of(
        line("The new private calendar link of ", Strong(board.name), " is:"),
        line(Code(_link(ctx))),
        line(
            "The old link has stopped working: anyone subscribed with it must subscribe again. "
            "Members get the new link with ",
            Code(f"{command} calendar"),
            ".",
        ),
        title="Calendar link replaced",
    )
    announcement = Message.of(
        line(
            Mention(ctx.caller),
            " replaced the board's private calendar link; the old one no longer works. Type ",
            Code(f"{command} calendar"),
            " for the new link and subscribe again.",
        )
    )
    return Outcome(reply=reply, announcement=announcement if replaced else None)


def feed(database: Database, token: str, now: datetime) -> bytes | None:
    """The .ics a subscription link serves, or None for a token that opens nothing.

    Raises Unavailable when the database cannot be reached.
    """
    try:
        with database.transaction() as session:
            board = stored.board_for_token(session, token)
            if board is None:
                return None
            # Every change to a board leaves an audit row, so the newest row's id
            # says whether a feed built earlier is still the board as it is.
            # The day is in the key too: meetings pass, and lose their invitations.
            version = stored.last_change(session, board.id)
            key = (database.url, board.id, token, version, now.date())
            with _built_lock:
                cached = _built.get(key)
            if cached is not None:
                return cached
            rows = stored.feed_rows(session, board)
    except StorageUnavailable as error:
        raise Unavailable() from error
    # Written out after the transaction: on SQLite it holds the write lock.
    content = ics(rows, now)
    with _built_lock:
        _built[key] = content
        while len(_built) > FEEDS_KEPT:
            _built.pop(next(iter(_built)))
    return content


def forget_built_feeds() -> None:
    """Drop the feeds kept in memory (benchmarks and tests measure building them)."""
    with _built_lock:
        _built.clear()


# Feeds already built, newest last: a decade of meetings takes tens of milliseconds to
# write out, and calendar clients poll the same unchanged feed again and again.
FEEDS_KEPT = 256
_built: dict[tuple[str, int, str, int, date], bytes] = {}
_built_lock = threading.Lock()


def ics(rows: stored.FeedRows, now: datetime) -> bytes:
    """The board's calendar as RFC 5545 text."""
    return _calendar(rows, now).to_ical()


def _calendar(rows: stored.FeedRows, now: datetime) -> Calendar:
    """One VEVENT per meeting and one all-day VEVENT per open action with a due date."""
    board = rows.board
    zone = ZoneInfo(board.timezone)
    stamp = now.astimezone(UTC)
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("NAME", board.name)
    cal.add("X-WR-CALNAME", board.name)
    cal.add("X-WR-TIMEZONE", board.timezone)
    cal.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    years = [meeting.starts_at.astimezone(zone).year for meeting in rows.meetings]
    years += [action.due_on.year for action in rows.actions if action.due_on]
    years = years or [stamp.astimezone(zone).year]
    cal.add_component(vtimezone(board.timezone, min(years), max(years)))
    organizer, attendees = _participants(rows)
    for meeting in rows.meetings:
        cal.add_component(_meeting_event(rows, meeting, zone, stamp, organizer, attendees))
    numbers = {meeting.id: meeting.number for meeting in rows.meetings}
    for action in rows.actions:
        cal.add_component(_action_event(rows, action, stamp, numbers))
    return cal


def _meeting_event(
    rows: stored.FeedRows,
    meeting: Meeting,
    zone: ZoneInfo,
    stamp: datetime,
    organizer: vCalAddress | None,
    attendees: list[vCalAddress],
) -> Event:
    # Each meeting is its own VEVENT, never an RRULE series: a quarterly series
    # moves back to the month's last day where needed, which no RRULE says,
    # and one meeting of a series can be moved or cancelled on its own.
    cancelled = meeting.status == "cancelled"
    event = Event()
    event.add("UID", _uid("meeting", rows, meeting.number))
    event.add("DTSTAMP", stamp)
    event.add("CREATED", meeting.created_at)
    event.add("LAST-MODIFIED", meeting.updated_at)
    event.add("SEQUENCE", meeting.revision)
    event.add("DTSTART", meeting.starts_at.astimezone(zone))
    event.add("DTEND", meeting.ends_at.astimezone(zone))
    # Some clients (Outlook among them) show a subscribed event whatever its STATUS.
    event.add("SUMMARY", f"Cancelled: {meeting.title}" if cancelled else meeting.title)
    event.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.location:
        event.add("LOCATION", meeting.location)
    event.add("DESCRIPTION", _agenda(rows, meeting))
    # Invitations and alarms only matter for meetings still to come; leaving them off
    # the decade of past meetings keeps the feed small and quick to write out.
    ahead = meeting.ends_at > stamp
    # RFC 5545 3.8.4.3: attendees need an organizer, so without one we list neither.
    if organizer is not None and ahead:
        event.add("ORGANIZER", organizer)
        for attendee in attendees:
            event.add("ATTENDEE", attendee)
    if ahead and not cancelled:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(days=-1))
        alarm.add("DESCRIPTION", f"Tomorrow: {meeting.title}")
        event.add_component(alarm)
    return event


def _action_event(
    rows: stored.FeedRows, action: Action, stamp: datetime, meeting_numbers: dict[int, int]
) -> Event:
    # An all-day VEVENT, not a VTODO: Google Calendar drops VTODOs from
    # subscribed and imported calendars, and Outlook's subscriptions show
    # events but not tasks; an all-day event on the due date shows in both.
    assert action.due_on is not None
    owner = _name(rows, action.owner_id)
    event = Event()
    event.add("UID", _uid("action", rows, action.number))
    event.add("DTSTAMP", stamp)
    event.add("CREATED", action.created_at)
    event.add("SEQUENCE", rows.action_changes.get(f"A{action.number}", 0))
    event.add("DTSTART", action.due_on)
    event.add("DTEND", action.due_on + timedelta(days=1))
    event.add("SUMMARY", f"A{action.number} due: {_shorten(action.description)} ({owner})")
    lines = [f"Action A{action.number} of {rows.board.name}, owned by {owner}."]
    if action.meeting_id in meeting_numbers:
        lines.append(f"Agreed at meeting M{meeting_numbers[action.meeting_id]}.")
    event.add("DESCRIPTION", "\n".join([*lines, "", action.description]))
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT")  # a deadline, not time spent: never "busy"
    return event


def _participants(rows: stored.FeedRows) -> tuple[vCalAddress | None, list[vCalAddress]]:
    """The organizer (the chair, else another officer) and every member, where emails are known."""
    with_email = [
        (member, person)
        for member in rows.members
        if (person := rows.people.get(member.user_id)) is not None and person.email
    ]
    officers = sorted(
        (pair for pair in with_email if pair[0].is_officer), key=lambda p: ROLES.index(p[0].role)
    )
    organizer = _address(officers[0][1]) if officers else None
    attendees = []
    for member, person in with_email:
        attendee = _address(person)
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "CHAIR" if member.role == "chair" else "REQ-PARTICIPANT"
        attendee.params["RSVP"] = "FALSE"  # a published calendar, not an invitation
        attendees.append(attendee)
    return organizer, attendees


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    return address


def _agenda(rows: stored.FeedRows, meeting: Meeting) -> str:
    lines = [f"{rows.board.name}, meeting M{meeting.number}."]
    if meeting.status == "cancelled":
        lines.append("This meeting has been cancelled.")
    lines += ["", "Agenda:"]
    lines += [_item(rows, item) for item in meeting.items] or ["No agenda items yet."]
    return "\n".join(lines)


def _item(rows: stored.FeedRows, item: AgendaItem) -> str:
    """`2. SSNP report — Paul Valentine (15 min)`."""
    presenter = f" — {_name(rows, item.presenter_id)}" if item.presenter_id else ""
    length = f" ({item.minutes} min)" if item.minutes else ""
    return f"{item.position}. {item.title}{presenter}{length}"


def _name(rows: stored.FeedRows, user_id: str) -> str:
    person = rows.people.get(user_id)
    return person.name if person else user_id


def _uid(kind: str, rows: stored.FeedRows, number: int) -> str:
    """Stable across requests and edits, and unique across boards and workspaces."""
    return f"{kind}-{rows.board.id}-{number}@{rows.board.team_id.lower()}.boardbot"


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY_LENGTH else flat[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _link(ctx: Context) -> str:
    token = ctx.the_board().calendar_token
    return f"{ctx.invocation.public_url.rstrip('/')}/calendar/{token}.ics"


def _no_arguments(args: str) -> None:
    if args.strip():
        raise UsageError(f"I don't understand “{args.strip()}” after calendar.")
