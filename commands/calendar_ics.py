"""A board's calendar written out as RFC 5545 text, from its plain rows.

Kept apart from the commands and the database so that a separate process can
write a decade of meetings out (`bot/calendar_worker.py`) with only icalendar loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress, vDuration, vText

from commands.vtimezone import vtimezone
from storage.calendar_rows import FeedAction, FeedItem, FeedMeeting, FeedPerson, FeedRows

PRODID = "-//Board Bot//Board Bot calendar//EN"
# How often subscribers should fetch the feed again (RFC 7986, and Outlook's own property).
REFRESH = timedelta(hours=1)
SUMMARY_LENGTH = 80


def ics(rows: FeedRows, now: datetime) -> bytes:
    """The board's calendar as RFC 5545 text."""
    return _calendar(rows, now).to_ical()


def _calendar(rows: FeedRows, now: datetime) -> Calendar:
    """One VEVENT per meeting and one all-day VEVENT per open action with a due date."""
    board = rows.board
    zone = ZoneInfo(board.timezone)
    stamp = now.astimezone(UTC)
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    # Text, escaped as SUMMARY is: icalendar would write these names it does not know raw.
    cal.add("NAME", vText(board.name))
    cal.add("X-WR-CALNAME", vText(board.name))
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
    rows: FeedRows,
    meeting: FeedMeeting,
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
    # RFC 5545 3.8.4.3: attendees need an organizer, so without one we list neither.
    if organizer is not None:
        event.add("ORGANIZER", organizer)
        # Who is invited only matters for meetings still to come; leaving the list off
        # the decade of past meetings keeps the feed small and quick to write out.
        if meeting.ends_at > stamp:
            for attendee in attendees:
                event.add("ATTENDEE", attendee)
    if not cancelled:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(days=-1))
        alarm.add("DESCRIPTION", f"Tomorrow: {meeting.title}")
        event.add_component(alarm)
    return event


def _action_event(
    rows: FeedRows, action: FeedAction, stamp: datetime, meeting_numbers: dict[int, int]
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


def _participants(rows: FeedRows) -> tuple[vCalAddress | None, list[vCalAddress]]:
    """The organizer (the chair, else another officer) and every member, where emails are known."""
    with_email = [
        (member, person)
        for member in rows.members
        if (person := rows.people.get(member.user_id)) is not None and person.email
    ]
    officers = sorted(
        (pair for pair in with_email if pair[0].officer_rank is not None),
        key=lambda pair: pair[0].officer_rank or 0,
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


def _address(person: FeedPerson) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    return address


def _agenda(rows: FeedRows, meeting: FeedMeeting) -> str:
    lines = [f"{rows.board.name}, meeting M{meeting.number}."]
    if meeting.status == "cancelled":
        lines.append("This meeting has been cancelled.")
    lines += ["", "Agenda:"]
    lines += [_item(rows, item) for item in meeting.items] or ["No agenda items yet."]
    return "\n".join(lines)


def _item(rows: FeedRows, item: FeedItem) -> str:
    """`2. SSNP report — Paul Valentine (15 min)`."""
    presenter = f" — {_name(rows, item.presenter_id)}" if item.presenter_id else ""
    length = f" ({item.minutes} min)" if item.minutes else ""
    return f"{item.position}. {item.title}{presenter}{length}"


def _name(rows: FeedRows, user_id: str) -> str:
    person = rows.people.get(user_id)
    return person.name if person else user_id


def _uid(kind: str, rows: FeedRows, number: int) -> str:
    """Stable across requests and edits, and unique across boards and workspaces."""
    return f"{kind}-{rows.board.id}-{number}@{rows.board.team_id.lower()}.boardbot"


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY_LENGTH else flat[: SUMMARY_LENGTH - 1].rstrip() + "…"
