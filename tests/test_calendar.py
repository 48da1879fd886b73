"""The board's calendar: a private feed that calendars and a real CalDAV server accept.

The secretary schedules a quarterly series across the clocks changing, moves
one meeting and cancels another; partners take on actions; a member subscribes
and gets the file; the feed is read back the way a calendar client would read
it; a leaked link is replaced.
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar, Event
from sqlalchemy import event, select

from bot.app import lookup_client
from bot.config import Settings
from bot.directory import SlackDirectory
from commands import calendar_feed
from commands.boards import name_the_unnamed
from commands.vtimezone import vtimezone
from storage.models import AuditEntry
from tests.conftest import CHANNEL, RunningApp
from tests.slack_requests import Response, get
from tests.snapshots import dump

LONDON = ZoneInfo("Europe/London")
SET_UP = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LINK = re.compile(r"http://boardbot\.test(?P<path>/calendar/(?P<token>[A-Za-z0-9_-]+)\.ics)")


def set_up_the_year(app: RunningApp) -> None:
    """A board of five, a quarterly series over GMT and BST, one move, one cancellation."""
    app.clock.fixed = SET_UP
    app.command("UCHAIR", "setup Wellingborough CSP Board")
    app.command("UCHAIR", "member add <@UGILL> secretary org Borough Council of Wellingborough")
    app.command("UCHAIR", "member add <@ULARA> vice-chair org Northamptonshire Police")
    app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    app.command("UCHAIR", "member add <@USAM> org NHS Northamptonshire")
    app.command(
        "UGILL", "meeting add 14/01/2027 10:00 for 2h at Swanspool House quarterly 4 : CSP Board"
    )
    app.command("UPAUL", "agenda add Drugs, supply and violent crime update <@UPAUL> 20m")
    app.command("UGILL", "agenda add Domestic abuse in the local context <@ULARA> 15m")
    app.command("UGILL", "meeting move M3 21/7/2027 2.30pm")
    app.command("UCHAIR", "meeting cancel M4")
    app.command("UGILL", "action add <@UGILL> Circulate the SSNP strategy to partners by 7/1/2027")
    app.command("UGILL", "action add <@UPAUL> Report knife crime figures by 1/3/2027")
    app.command("UGILL", "action add <@USAM> Share the health data")
    app.command("UGILL", "action add <@ULARA> Book the venue by 2/2/2027")
    app.command("ULARA", "action done A4")
    app.command("UGILL", "action due A2 8/3/2027")


def subscribe(app: RunningApp, user: str = "USAM", channel: str = CHANNEL) -> re.Match[str]:
    """`/board calendar` as `user`; the link it gives, once the file it sends has gone."""
    uploads = len(app.slack.calls_to("files.completeUploadExternal"))
    reply = app.command(user, "calendar", channel)
    assert reply["response_type"] == "ephemeral"
    link = LINK.search(reply["text"])
    assert link, reply["text"]
    app.slack.wait_for("files.completeUploadExternal", uploads + 1)
    return link


def fetch(app: RunningApp, path: str) -> Response:
    return get(app.url + path)


def read_feed(app: RunningApp, path: str) -> Calendar:
    answer = fetch(app, path)
    assert answer.status == 200, answer
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(answer.body)


def by_uid(events: list[Event], kind: str) -> dict[str, Event]:
    """Meetings (`M1`…) or actions (`A1`…) by their number, from their UIDs."""
    found = {}
    for item in events:
        match = re.fullmatch(rf"{kind}-\d+-(\d+)@t0board\.boardbot", str(item["UID"]))
        if match:
            found[f"{kind[0].upper()}{match[1]}"] = item
    return found


def test_a_channel_post_never_overtakes_the_file_of_an_earlier_command(
    running_app: RunningApp,
) -> None:
    """Deliveries go out one at a time, in the order the commands came."""
    set_up_the_year(running_app)
    slack = running_app.slack
    slack.fail_next("files.getUploadURLExternal", status=429, retry_after=1)  # a slow upload
    running_app.command("USAM", "calendar")
    running_app.command("UGILL", "meeting add 14/04/2028 10:00 : Extra board")
    slack.wait_for("files.completeUploadExternal")
    deadline = time.monotonic() + 10
    while "Extra board" not in str([call.params for call in slack.calls_to("chat.postMessage")]):
        assert time.monotonic() < deadline, "the meeting was never announced"
        time.sleep(0.05)
    order = [
        "file" if call.method == "files.completeUploadExternal" else "post"
        for call in slack.calls
        if call.method == "files.completeUploadExternal"
        or (call.method == "chat.postMessage" and "Extra board" in str(call.params))
    ]
    assert order == ["file", "post"]


def test_a_member_gets_a_private_link_and_the_file(running_app: RunningApp) -> None:
    set_up_the_year(running_app)
    link = subscribe(running_app, "USAM")
    secret = link["token"].split("-", 1)[1]
    assert len(base64.urlsafe_b64decode(secret + "=")) * 8 >= 128

    # To the member's DM with the bot, with files_upload_v2's three steps.
    slack = running_app.slack
    [done] = slack.wait_for("files.completeUploadExternal")
    assert done.params["channel_id"] == "DUSAM"
    assert "USAM" in [call.params.get("users") for call in slack.calls_to("conversations.open")]
    [asked] = slack.calls_to("files.getUploadURLExternal")
    assert asked.params["filename"] == "wellingborough-csp-board.ics"
    [uploaded] = slack.uploads.values()
    as_file = Calendar.from_ical(uploaded)
    as_feed = read_feed(running_app, link["path"])
    assert [str(e["UID"]) for e in as_file.events] == [str(e["UID"]) for e in as_feed.events]

    # The same link every time, for anyone who can read the board.
    assert subscribe(running_app, "UCHAIR")["token"] == link["token"]
    created = [e for e in _audit(running_app) if e.verb == "calendar.create"]
    assert len(created) == 1 and created[0].actor_id == "USAM"


def test_every_meeting_at_its_local_time_across_the_clocks_changing(
    running_app: RunningApp,
) -> None:
    set_up_the_year(running_app)
    path = subscribe(running_app)["path"]
    cal = read_feed(running_app, path)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Wellingborough CSP Board"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/London"

    expanded = recurring_ical_events.of(cal).between(date(2027, 1, 1), date(2029, 1, 1))
    meetings = by_uid(expanded, "meeting")
    assert sorted(meetings) == ["M1", "M2", "M3", "M4"]
    starts = {number: item.start for number, item in meetings.items()}
    january, april = starts["M1"], starts["M2"]
    assert isinstance(january, datetime) and isinstance(april, datetime)  # not all-day
    # 10:00 on the clock in January (GMT) and in April (BST), 14:30 BST after the move.
    assert starts["M1"] == datetime(2027, 1, 14, 10, 0, tzinfo=LONDON)
    assert january.utcoffset() == timedelta(0)
    assert starts["M2"] == datetime(2027, 4, 14, 10, 0, tzinfo=LONDON)
    assert april.utcoffset() == timedelta(hours=1)
    assert starts["M3"] == datetime(2027, 7, 21, 14, 30, tzinfo=LONDON)
    assert starts["M4"] == datetime(2027, 10, 14, 10, 0, tzinfo=LONDON)
    assert all(str(item["DTSTART"].params["TZID"]) == "Europe/London" for item in cal.events[:4])
    assert meetings["M1"].end - meetings["M1"].start == timedelta(hours=2)

    # M1's agenda (in its DESCRIPTION) changed twice; M3 was moved and M4 cancelled.
    assert [meetings[n].decoded("SEQUENCE") for n in ("M1", "M2", "M3", "M4")] == [2, 0, 1, 1]
    assert [str(meetings[n]["STATUS"]) for n in ("M1", "M2", "M3", "M4")] == [
        "CONFIRMED",
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]
    first = meetings["M1"]
    assert str(first["LOCATION"]) == "Swanspool House"
    assert str(first["SUMMARY"]) == "CSP Board"
    agenda = str(first["DESCRIPTION"])
    assert "1. Drugs, supply and violent crime update — Paul Valentine (20 min)" in agenda
    assert "2. Domestic abuse in the local context — Lara Stone (15 min)" in agenda
    assert str(first["ORGANIZER"]) == "mailto:liz.elliott@wellingborough.gov.uk"
    assert {str(a) for a in first.get("ATTENDEE")} == {
        "mailto:liz.elliott@wellingborough.gov.uk",
        "mailto:gill.harris@wellingborough.gov.uk",
        "mailto:lara.stone@northants.police.uk",
        "mailto:paul.valentine@northants.police.uk",
        "mailto:sam.reid@nhs.net",
    }
    [alarm] = first.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == ("DISPLAY", timedelta(days=-1))
    assert meetings["M4"].walk("VALARM") == []

    # Open actions with a due date are all-day items; undated and done ones are not.
    actions = by_uid(expanded, "action")
    assert sorted(actions) == ["A1", "A2"]
    assert (actions["A1"].start, actions["A1"].end) == (date(2027, 1, 7), date(2027, 1, 8))
    assert actions["A2"].start == date(2027, 3, 8)
    assert actions["A2"].decoded("SEQUENCE") == 1  # its due date moved once
    assert "Report knife crime figures" in str(actions["A2"]["SUMMARY"])
    assert "Paul Valentine" in str(actions["A2"]["SUMMARY"])

    # Once held, a meeting keeps its organizer (iTIP's PUBLISH wants one) and its alarm,
    # but no longer lists who was invited.
    running_app.clock.fixed = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
    held = by_uid(read_feed(running_app, path).events, "meeting")["M1"]
    assert str(held["ORGANIZER"]) == "mailto:liz.elliott@wellingborough.gov.uk"
    assert "ATTENDEE" not in held
    assert [alarm.decoded("TRIGGER") for alarm in held.walk("VALARM")] == [timedelta(days=-1)]


def test_a_member_slack_names_later_is_invited_by_the_feed_already_built(
    running_app: RunningApp, settings: Settings
) -> None:
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.fail_next("users.info", status=200, error="internal_error")
    running_app.command("UCHAIR", "member add <@USAM> org NHS Northamptonshire")
    running_app.command("UCHAIR", "meeting add 14/01/2027 10:00 : CSP Board")
    path = subscribe(running_app, "UCHAIR")["path"]

    def invited() -> set[str]:
        [meeting] = read_feed(running_app, path).walk("VEVENT")
        attendees = meeting["ATTENDEE"]  # one, or a list of them
        return {str(a) for a in (attendees if isinstance(attendees, list) else [attendees])}

    assert invited() == {"mailto:liz.elliott@wellingborough.gov.uk"}
    name_the_unnamed(running_app.database, SlackDirectory(lookup_client(settings)), SET_UP)
    assert "mailto:sam.reid@nhs.net" in invited()


def test_the_timezone_is_the_yearly_rule_outlook_reads(running_app: RunningApp) -> None:
    set_up_the_year(running_app)
    cal = read_feed(running_app, subscribe(running_app)["path"])
    [zone] = cal.timezones
    assert str(zone["TZID"]) == "Europe/London"
    [summer] = zone.walk("DAYLIGHT")
    [winter] = zone.walk("STANDARD")
    assert summer["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert winter["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    # Read as its own definition, not by its name, it agrees with the zone database.
    defined = zone.to_tz(lookup_tzid=False)
    moment = datetime(2027, 1, 1, tzinfo=UTC)
    while moment < datetime(2029, 1, 1, tzinfo=UTC):
        assert moment.astimezone(defined).utcoffset() == moment.astimezone(LONDON).utcoffset()
        moment += timedelta(hours=5)
    # No floating times: every date-time carries its zone or is UTC.
    for item in cal.events:
        for name in ("DTSTART", "DTEND", "DTSTAMP"):
            value = item.decoded(name)
            assert not isinstance(value, datetime) or value.tzinfo is not None


@pytest.mark.parametrize(
    ("tzid", "form"),
    [
        ("America/New_York", b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ("Australia/Sydney", b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=10"),
        ("Asia/Kolkata", None),  # no changes: one STANDARD observance
        ("Africa/Casablanca", None),  # tied to Ramadan: each change listed as an RDATE
    ],
)
def test_other_zones_are_described_exactly(tzid: str, form: bytes | None) -> None:
    zone = vtimezone(tzid, 2027, 2028)
    rules = [observance["RRULE"].to_ical() for observance in zone.walk() if "RRULE" in observance]
    assert (form in rules) if form else not rules
    defined, known = zone.to_tz(lookup_tzid=False), ZoneInfo(tzid)
    moment = datetime(2027, 1, 1, tzinfo=UTC)
    while moment < datetime(2029, 1, 1, tzinfo=UTC):
        assert moment.astimezone(defined).utcoffset() == moment.astimezone(known).utcoffset()
        moment += timedelta(hours=5)


def test_a_calendar_file_that_cannot_be_sent_is_explained_to_the_caller(
    running_app: RunningApp,
) -> None:
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.fail_next("conversations.open", status=200, error="cannot_dm_bot")
    reply = running_app.command("UCHAIR", "calendar")
    assert LINK.search(reply["text"])  # the link itself still works
    [told] = running_app.slack.wait_for("response_url")
    assert told.params["response_type"] == "ephemeral"
    assert "I couldn't deliver a message to <@UCHAIR> (cannot_dm_bot)" in told.params["text"]
    assert not running_app.slack.calls_to("files.completeUploadExternal")


def test_a_board_without_meetings_still_has_a_valid_calendar(running_app: RunningApp) -> None:
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    cal = read_feed(running_app, subscribe(running_app, "UCHAIR")["path"])
    assert cal.events == [] and [str(zone["TZID"]) for zone in cal.timezones] == ["Europe/London"]


def test_the_calendar_is_named_after_the_board_in_escaped_text(running_app: RunningApp) -> None:
    """NAME and X-WR-CALNAME are TEXT: a comma or semicolon in the name is escaped."""
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough, Rushden; East CSP")
    body = fetch(running_app, subscribe(running_app, "UCHAIR")["path"]).body
    assert "\r\nNAME:Wellingborough\\, Rushden\\; East CSP\r\n" in body
    assert "\r\nX-WR-CALNAME:Wellingborough\\, Rushden\\; East CSP\r\n" in body


def test_an_agenda_change_is_a_new_revision_of_the_meeting(running_app: RunningApp) -> None:
    """The agenda is in the event's DESCRIPTION, so a calendar must take the change."""
    set_up_the_year(running_app)
    path = subscribe(running_app)["path"]
    before = by_uid(read_feed(running_app, path).events, "meeting")["M1"]
    running_app.clock.fixed = changed = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    running_app.command("UGILL", "agenda remove 1 M1")

    after = by_uid(read_feed(running_app, path).events, "meeting")["M1"]
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1
    assert after.decoded("LAST-MODIFIED") == changed
    assert "Drugs, supply" not in str(after["DESCRIPTION"])


def test_a_wrong_link_is_an_ordinary_not_found(running_app: RunningApp) -> None:
    set_up_the_year(running_app)
    token = subscribe(running_app)["token"]
    board_id, secret = token.split("-", 1)
    unknown_page = fetch(running_app, "/no/such/page")
    assert unknown_page.status == 404
    for wrong in (
        f"{board_id}-{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        f"{int(board_id) + 1}-{secret}",
        secret,
        "nothing",
        f"{token}x",
    ):
        answer = fetch(running_app, f"/calendar/{wrong}.ics")
        assert (answer.status, answer.body) == (404, unknown_page.body)
        assert answer.headers["Content-Type"] == unknown_page.headers["Content-Type"]


def test_resetting_the_link_revokes_the_old_one(running_app: RunningApp) -> None:
    set_up_the_year(running_app)
    first = running_app.command("ULARA", "calendar reset")["text"]
    assert "The board had no link before." in first and "stopped working" not in first
    old = subscribe(running_app)

    # A member may not reset it: nothing changes, the link keeps working.
    before = dump(running_app.database)
    refused = running_app.command("USAM", "calendar reset")["text"]
    assert "Only the chair, vice-chair or secretary" in refused
    assert dump(running_app.database) == before
    assert fetch(running_app, old["path"]).status == 200

    reply = running_app.command("ULARA", "calendar reset")
    new = LINK.search(reply["text"])
    assert reply["response_type"] == "ephemeral" and new and new["token"] != old["token"]
    assert fetch(running_app, old["path"]).status == 404
    assert fetch(running_app, new["path"]).status == 200
    assert subscribe(running_app, "UPAUL")["token"] == new["token"]
    *_, reset = [e for e in _audit(running_app) if e.verb == "calendar.reset"]
    assert reset.actor_id == "ULARA"
    assert old["token"] not in repr((reset.before, reset.after))
    notice = _posted(running_app, "replaced the board's private calendar link")
    assert "<@ULARA>" in notice and new["token"] not in notice


def test_the_feed_costs_the_same_statements_for_4_meetings_as_for_40(
    running_app: RunningApp,
) -> None:
    set_up_the_year(running_app)
    small = subscribe(running_app)["path"]
    running_app.command("UCHAIR", "setup SSNP", channel="CSSNP")
    running_app.command("UCHAIR", "member add <@UPAUL> secretary", channel="CSSNP")
    for day in (11, 12, 13, 14):
        running_app.command("UPAUL", f"meeting add {day}/01/2027 14:00 quarterly 10", "CSSNP")
    for number in range(1, 41, 4):
        running_app.command(
            "UPAUL", f"agenda add Hotspot review <@UPAUL> 10m to M{number}", "CSSNP"
        )
        running_app.command(
            "UPAUL", f"action add <@UPAUL> Patrol plan {number} by 1/2/2027", "CSSNP"
        )
    large = subscribe(running_app, "UPAUL", "CSSNP")["path"]

    calendar_feed.forget_built_feeds()  # built from the database, not from memory
    counts = [_statements(running_app, path) for path in (small, large)]
    assert len(by_uid(read_feed(running_app, large).events, "meeting")) == 40
    # The board, its last change, its meetings, their agenda items, dated actions,
    # their changes, members and people; SQLite also runs its BEGIN IMMEDIATE.
    expected = 8 + (running_app.database.dialect == "sqlite")
    assert counts == [expected, expected]
    # Unchanged since, the same feed is served from memory after two statements.
    assert _statements(running_app, large) == 2 + (running_app.database.dialect == "sqlite")
    running_app.command("UPAUL", "meeting move M5 20/04/2027 14:00", "CSSNP")
    assert _statements(running_app, large) == expected  # a change: built afresh


def _posted(app: RunningApp, words: str) -> str:
    """The text of the channel post saying `words`, once it arrives (posts come after replies)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for call in app.slack.calls_to("chat.postMessage"):
            if words in call.params["text"]:
                return str(call.params["text"])
        time.sleep(0.02)
    raise AssertionError(f"no post saying {words!r}")


def _statements(app: RunningApp, path: str) -> int:
    executed: list[str] = []
    lock = threading.Lock()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        with lock:
            executed.append(statement)

    event.listen(app.database.engine, "before_cursor_execute", count)
    try:
        assert fetch(app, path).status == 200
    finally:
        event.remove(app.database.engine, "before_cursor_execute", count)
    return len(executed)


def _audit(app: RunningApp) -> list[AuditEntry]:
    with app.database.transaction() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# -- a real CalDAV server ------------------------------------------------------


class CalDAV:
    """Just enough of a CalDAV client: http.client with basic auth, one user."""

    def __init__(self, base: str, user: str = "board") -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.user = user
        token = base64.b64encode(f"{user}:{user}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"}

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=self.headers | (headers or {}))
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[CalDAV]:
    """Radicale on a free loopback port with a store of its own; stopped afterwards."""
    port = _free_port()
    log = (tmp_path / "radicale.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--storage-filesystem-folder",
            str(tmp_path / "radicale-store"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = CalDAV(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"Radicale exited: {(tmp_path / 'radicale.log').read_text()}")
            try:
                client.request("OPTIONS", "/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("Radicale did not answer within 20 seconds")
                time.sleep(0.1)
        yield client
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


CALENDAR_QUERY = b"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter>
    <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>
  </C:filter>
</C:calendar-query>"""


def test_a_caldav_server_accepts_every_event(running_app: RunningApp, radicale: CalDAV) -> None:
    set_up_the_year(running_app)
    feed = read_feed(running_app, subscribe(running_app)["path"])
    collection = f"/{radicale.user}/csp-board/"
    assert radicale.request("MKCALENDAR", collection)[0] == 201

    # The validator is on: a malformed calendar is refused.
    broken = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n"
    calendar_type = {"Content-Type": "text/calendar; charset=utf-8"}
    assert radicale.request("PUT", collection + "broken.ics", broken, calendar_type)[0] == 400

    # One resource per event, as a CalDAV client stores them (RFC 4791: no METHOD there).
    for item in feed.events:
        resource = Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            resource.add(name, feed[name])
        resource.add_component(feed.timezones[0])
        resource.add_component(item)
        name = re.sub(r"[^A-Za-z0-9-]", "-", str(item["UID"]))
        status, body = radicale.request(
            "PUT", f"{collection}{name}.ics", resource.to_ical(), calendar_type
        )
        assert status == 201, body

    status, body = radicale.request(
        "REPORT", collection, CALENDAR_QUERY, {"Depth": "1", "Content-Type": "application/xml"}
    )
    assert status == 207, body
    stored = [
        Calendar.from_ical(data.replace("&#13;", "\r"))
        for data in re.findall(
            r"<C:calendar-data[^>]*>(.*?)</C:calendar-data>", body.decode(), re.S
        )
    ]
    events = {str(e["UID"]): e for cal in stored for e in cal.events}
    assert set(events) == {str(e["UID"]) for e in feed.events}
    moved = by_uid(list(events.values()), "meeting")["M3"]
    assert moved.start == datetime(2027, 7, 21, 14, 30, tzinfo=LONDON)
    assert moved.decoded("SEQUENCE") == 1

    # The whole feed in one PUT to a collection, as a calendar import does.
    status, body = radicale.request(
        "PUT", f"/{radicale.user}/imported/", feed.to_ical(), calendar_type
    )
    assert status in (201, 204), body
    status, body = radicale.request("GET", f"/{radicale.user}/imported/")
    assert status == 200
    assert {str(e["UID"]) for e in Calendar.from_ical(body).events} == set(events)
