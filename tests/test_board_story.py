"""A Community Safety Partnership board's quarter, typed into Slack as its people would."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TypeVar

import pytest
from sqlalchemy import func, inspect, select

from bot.app import lookup_client
from bot.config import Settings
from bot.directory import SlackDirectory
from commands.boards import name_the_unnamed
from commands.home import MOST_BOARDS, home
from commands.reminders import due_reminders
from storage.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    AuditEntry,
    Base,
    Board,
    ItemRecord,
    Meeting,
    Member,
    Person,
)
from tests.conftest import CHANNEL, TEAM, Core, RunningApp
from tests.snapshots import dump

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
Row = TypeVar("Row", bound=Base)

BEFORE_THE_QUARTER = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
DURING_THE_MEETING = datetime(2027, 1, 14, 10, 45, tzinfo=UTC)


def rows(app: RunningApp, model: type[Row]) -> list[Row]:
    with app.database.transaction() as session:
        return list(session.scalars(select(model).order_by(*inspect(model).primary_key)))


def set_up_board(app: RunningApp) -> None:
    """The chief executive sets the board up and brings the partners on."""
    app.clock.fixed = BEFORE_THE_QUARTER
    app.command("UCHAIR", "setup Wellingborough CSP Board")
    app.command(
        "UCHAIR", "member add <@UGILL|gill> secretary org Borough Council of Wellingborough"
    )
    app.command("UCHAIR", "member add <@ULARA> vice-chair org Northamptonshire Police")
    app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    app.command("UCHAIR", "member add <@USAM> member org NHS Northamptonshire")


def test_setup_binds_the_channel_and_announces_the_board(running_app: RunningApp) -> None:
    running_app.clock.fixed = BEFORE_THE_QUARTER
    reply = running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    assert reply["response_type"] == "ephemeral"
    assert "Wellingborough CSP Board" in reply["text"] and "chair" in reply["text"]
    post = running_app.slack.wait_for("chat.postMessage")[0]
    assert post.params["channel"] == "CBOARD"
    assert "<@UCHAIR>" in post.params["text"]

    again = running_app.command("UGILL", "setup Another Board")
    assert "already home to Wellingborough CSP Board" in again["text"]
    [member] = rows(running_app, Member)
    assert (member.user_id, member.role) == ("UCHAIR", "chair")


def test_members_roles_and_organisations(running_app: RunningApp) -> None:
    set_up_board(running_app)
    listing = running_app.command("UPAUL", "members")["text"]
    assert listing.index("<@UCHAIR>") < listing.index("<@ULARA>") < listing.index("<@UGILL>")
    assert "Vice-chair, Northamptonshire Police" in listing
    assert "Secretary, Borough Council of Wellingborough" in listing

    changed = running_app.command("UGILL", "member add <@USAM>, org: Northamptonshire Healthcare.")
    assert (
        "Updated <@USAM>: Member, Northamptonshire Healthcare (was Member, NHS Northamptonshire)."
        in changed["text"]
    )
    promoted = running_app.command("UCHAIR", "member add <@UGILL> vice-chair")["text"]
    assert (
        "Updated <@UGILL>: Vice-chair, Borough Council of Wellingborough (was Secretary,"
        in promoted
    )
    removed = running_app.command("UGILL", "member remove <@USAM>.")
    assert "Removed <@USAM>" in removed["text"]
    assert "USAM" not in {m.user_id for m in rows(running_app, Member)}

    # The people directory comes from users.info.
    assert {c.params["user"] for c in running_app.slack.calls_to("users.info")} >= {
        "UGILL",
        "UPAUL",
    }


def sam(app: RunningApp) -> tuple[str, str | None] | None:
    """Sam's name and email as the bot keeps them for minutes and calendars."""
    with app.database.transaction() as session:
        person = session.get(Person, "USAM")
        return None if person is None else (person.name, person.email)


def test_a_name_slack_could_not_give_is_asked_for_again(
    running_app: RunningApp, settings: Settings
) -> None:
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.fail_next("users.info", status=200, error="internal_error")
    assert "Added <@USAM>" in running_app.command("UCHAIR", "member add <@USAM>")["text"]
    assert sam(running_app) is None  # only the id was known: no name kept as if it were his

    directory = SlackDirectory(lookup_client(settings))
    running_app.slack.fail_next("users.info", status=200, error="internal_error")
    assert name_the_unnamed(running_app.database, directory, SET_UP) == 0  # still failing
    assert name_the_unnamed(running_app.database, directory, SET_UP) == 1  # the next pass
    assert sam(running_app) == ("Sam Reid", "sam.reid@nhs.net")
    assert name_the_unnamed(running_app.database, directory, SET_UP) == 0

    # Before, a failed lookup was kept as the id itself: such a name is asked for too.
    running_app.command("UCHAIR", "member add <@ULARA>")
    with running_app.database.transaction() as session:
        lara = session.get(Person, "ULARA")
        assert lara is not None and lara.name == "Lara Stone"
        lara.name = "ULARA"
    assert name_the_unnamed(running_app.database, directory, SET_UP) == 1
    with running_app.database.transaction() as session:
        assert session.get(Person, "ULARA").name == "Lara Stone"  # type: ignore[union-attr]


def test_someone_slack_cannot_show_is_added_and_named_once_it_can(
    running_app: RunningApp, settings: Settings
) -> None:
    """A mention comes from Slack, so it is someone real even when users.info cannot
    show them (a guest from another organisation): they join, and are named later."""
    running_app.command("UNEW", "setup Wellingborough CSP Board")
    added = running_app.command("UNEW", "member add <@UGUEST> org Victim Support")["text"]
    assert added == "Added <@UGUEST>: Member, Victim Support."
    members = running_app.command("UGUEST", "members")["text"]
    assert "<@UNEW>" in members and "<@UGUEST>" in members

    running_app.slack.add_user("UGUEST", "amy", "Amy Guest")
    directory = SlackDirectory(lookup_client(settings))
    assert name_the_unnamed(running_app.database, directory, SET_UP) == 1
    with running_app.database.transaction() as session:
        assert session.get_one(Person, "UGUEST").name == "Amy Guest"


def test_a_rate_limited_lookup_is_not_waited_out_before_the_reply(running_app: RunningApp) -> None:
    """Slack wants the reply within 3 seconds; a Retry-After of 30 must not hold it."""
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.fail_next("users.info", status=429, retry_after=30)
    assert "Added <@USAM>" in running_app.command("UCHAIR", "member add <@USAM>")["text"]
    asked = [c for c in running_app.slack.calls_to("users.info") if c.params["user"] == "USAM"]
    assert len(asked) == 1  # once, not retried after the wait


def test_a_slow_lookup_is_given_up_before_slacks_deadline(running_app: RunningApp) -> None:
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.delays["users.info"] = 4
    assert "Added <@USAM>" in running_app.command("UCHAIR", "member add <@USAM>")["text"]
    assert sam(running_app) is None  # only the id was known


def test_while_slack_is_slow_to_name_someone_the_board_is_not_kept_waiting(
    running_app: RunningApp,
) -> None:
    """The lookup comes before the command's transaction: on SQLite, a transaction that
    writes holds the whole database, and everyone else's command would wait on Slack."""
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.delays["users.info"] = 4  # given up after a second
    answered: list[str] = []

    def command(text: str) -> None:
        running_app.command("UCHAIR", text)
        answered.append(text)

    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(command, "member add <@USAM>")
        time.sleep(0.5)  # the member add is waiting on Slack by now
        pool.submit(command, "action add <@UCHAIR> Brief the PCC").result()
        slow.result()
    assert answered == ["action add <@UCHAIR> Brief the PCC", "member add <@USAM>"]


def test_a_quarterly_series_is_four_meetings_three_months_apart(running_app: RunningApp) -> None:
    set_up_board(running_app)
    reply = running_app.command(
        "UGILL",
        "meeting add 14/01/2027 10:00 for 2h at Swanspool House quarterly 4 : CSP Board",
    )["text"]
    for number, day in [
        (1, "Thursday 14 January 2027, 10:00"),
        (2, "Wednesday 14 April 2027, 10:00"),
        (3, "Wednesday 14 July 2027, 10:00"),
        (4, "Thursday 14 October 2027, 10:00"),
    ]:
        assert f"*M{number}* {day}" in reply
    meetings = rows(running_app, Meeting)
    assert [m.number for m in meetings] == [1, 2, 3, 4]
    # Stored in UTC: 10:00 GMT in January, 10:00 BST (09:00 UTC) in April.
    assert meetings[0].starts_at == datetime(2027, 1, 14, 10, 0, tzinfo=UTC)
    assert meetings[1].starts_at == datetime(2027, 4, 14, 9, 0, tzinfo=UTC)
    assert all(
        m.ends_at - m.starts_at == meetings[0].ends_at - meetings[0].starts_at for m in meetings
    )
    assert {m.location for m in meetings} == {"Swanspool House"}
    assert {m.title for m in meetings} == {"CSP Board"}
    assert len({m.series for m in meetings}) == 1

    announcement = running_app.slack.wait_for("chat.postMessage", 2)[-1]
    assert "M4" in announcement.params["text"]

    upcoming = running_app.command("USAM", "meetings")["text"]
    assert all(f"M{n}" in upcoming for n in range(1, 5))


def test_month_end_series_moves_back_to_the_last_day(running_app: RunningApp) -> None:
    set_up_board(running_app)
    reply = running_app.command("UGILL", "meeting add 30/11/2027 14:00 quarterly 2")["text"]
    assert "Tuesday 30 November 2027" in reply and "Tuesday 29 February 2028" in reply


def test_meetings_are_moved_and_cancelled_by_officers(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 quarterly 2")
    moved = running_app.command("ULARA", "meeting move M2 21/4/2027 2.30pm")["text"]
    assert "Wednesday 21 April 2027, 14:30" in moved
    cancelled = running_app.command("UCHAIR", "meeting cancel M1")["text"]
    assert "Cancelled" in cancelled
    first, second = rows(running_app, Meeting)
    assert first.status == "cancelled" and first.revision == 1
    assert second.starts_at == datetime(2027, 4, 21, 13, 30, tzinfo=UTC) and second.revision == 1
    assert "M1" not in running_app.command("UPAUL", "meetings")["text"]
    assert "M2" in running_app.command("UPAUL", "meeting next")["text"]


def test_a_meetings_place_length_and_title_are_changed_and_the_board_told(
    running_app: RunningApp,
) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 at Swanspool House : CSP Board")
    changed = running_app.command(
        "UGILL", "meeting edit M1 for 90m at Council Chamber, Swanspool House"
    )["text"]
    assert changed == (
        "*Meeting changed*\n"
        "Now *M1* Thursday 14 January 2027, 10:00–11:30 · CSP Board · "
        "Council Chamber, Swanspool House\n"
        "Was *M1* Thursday 14 January 2027, 10:00–12:00 · CSP Board · Swanspool House"
    )
    # Posted after the reply, on the delivery lane, after the earlier announcements.
    posts = running_app.slack.wait_for("chat.postMessage", 3)
    assert [p.params["text"].split(":")[0] for p in posts] == [
        "*Wellingborough CSP Board* now meets here. Chair",
        "*Wellingborough CSP Board",
        "Meeting changed",
    ]
    running_app.command("UGILL", "meeting edit M1 : Extraordinary CSP Board")
    meeting = rows(running_app, Meeting)[0]
    assert (meeting.title, meeting.location, meeting.revision) == (
        "Extraordinary CSP Board",
        "Council Chamber, Swanspool House",
        2,  # calendars see each change
    )
    renamed = running_app.command("UGILL", "meeting edit M1: CSP Board")["text"]
    assert renamed.startswith(
        "*Meeting changed*\nNow *M1* Thursday 14 January 2027, 10:00–11:30 · CSP Board"
    )
    running_app.command("UGILL", "meeting add 14/01/2027 14:00 : Safer Streets sub-group")
    longer = running_app.command("UGILL", "meeting edit M1 for 5h")["text"]
    assert "Overlapping (if one was typed twice" in longer and "*M2* Thursday 14 January" in longer
    running_app.command("UGILL", "meeting edit M1 for 90m : Extraordinary CSP Board")
    nothing = running_app.command("UGILL", "meeting edit M1")["text"]
    assert nothing.startswith(
        "Say what to change: the length (for 2h), the place (at …) or the title (: …).\nUsage:"
    )
    series = running_app.command("UGILL", "meeting edit M1 quarterly 4")["text"]
    assert series.startswith("A meeting's series is made when it is added; edit each meeting")
    same = running_app.command("UGILL", "meeting edit M1 at Council Chamber, Swanspool House")
    assert same["text"] == "*M1* is already so."
    when = running_app.command("UGILL", "meeting edit M1 15/1/2027 10:00")["text"]
    assert "the date and time, /board meeting move M1 &lt;date&gt; &lt;time&gt;." in when
    assert "Only the chair" in running_app.command("UPAUL", "meeting edit M1 at Home")["text"]
    history = running_app.command("UPAUL", "history M1")["text"]
    assert "changed the meeting: title CSP Board → Extraordinary CSP Board" in history


def test_agenda_from_a_member_and_an_officer(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 quarterly 2 : CSP Board")
    proposed = running_app.command(
        "UPAUL", "agenda add Drugs, supply and violent crime update <@UPAUL> 20m"
    )["text"]
    assert "*agenda item 1*" in proposed and "*M1*" in proposed
    running_app.command("UGILL", "agenda add SSNP report <@UPAUL> 15m")
    running_app.command("UGILL", "agenda add Domestic abuse in the local context <@ULARA> to M1")
    running_app.command("UGILL", "agenda add Partnership priorities 2027/28 to M2")
    running_app.command("UGILL", "agenda add ASB hotspots 1h to M2")
    running_app.command("UGILL", "agenda add Performance 1h 30m to M2")

    agenda = running_app.command("USAM", "agenda")["text"]
    assert (
        agenda.index("Drugs, supply") < agenda.index("SSNP report") < agenda.index("Domestic abuse")
    )
    assert "<@UPAUL> (20 min)" in agenda
    assert "Partnership priorities" not in agenda
    second = running_app.command("USAM", "agenda M2")["text"]
    assert "Partnership priorities" in second
    assert "ASB hotspots (60 min)" in second and "Performance (90 min)" in second

    removed = running_app.command("UGILL", "agenda remove 2")["text"]
    assert "SSNP report" in removed
    with running_app.database.transaction() as session:
        titles = [
            (i.position, i.title)
            for i in session.scalars(
                select(AgendaItem)
                .join(Meeting)
                .where(Meeting.number == 1)
                .order_by(AgendaItem.position)
            )
        ]
    assert titles == [
        (1, "Drugs, supply and violent crime update"),
        (2, "Domestic abuse in the local context"),
    ]


def test_iso_dates_am_pm_times_and_relative_due_dates_are_understood(
    running_app: RunningApp,
) -> None:
    set_up_board(running_app)  # on Tuesday 1 December 2026
    reply = running_app.command("UGILL", "meeting add 2027-01-14 10 a.m. for 90m quarterly")["text"]
    assert "*M1* Thursday 14 January 2027, 10:00" in reply
    assert "*M4* Thursday 14 October 2027, 10:00" in reply
    first = rows(running_app, Meeting)[0]
    assert first.ends_at - first.starts_at == timedelta(minutes=90)
    tomorrow = running_app.command("UPAUL", "action add <@UPAUL> Map hotspots by tomorrow")
    assert "Wednesday 2 December 2026" in tomorrow["text"]
    later = running_app.command("UPAUL", "action add <@UPAUL> Share the data by in 2 weeks")
    assert "Tuesday 15 December 2026" in later["text"]
    for typed, understood in [
        ("next thurs", "Thursday 3 December 2026"),
        ("Fri 18 Dec", "Friday 18 December 2026"),
        ("in 3 months", "Monday 1 March 2027"),
        ("2027/01/14", "Thursday 14 January 2027"),
        ("Thu 14 Jan", "Thursday 14 January 2027"),
        ("4th of February", "Thursday 4 February 2027"),
        ("Jan 14, 2027", "Thursday 14 January 2027"),
        ("2 months", "Monday 1 February 2027"),
        ("14-Jan-27", "Thursday 14 January 2027"),
        ("3 weeks from now", "Tuesday 22 December 2026"),
        ("a week today", "Tuesday 8 December 2026"),
        ("in two months", "Monday 1 February 2027"),
        ("next wed.", "Wednesday 2 December 2026"),
        ("this Friday", "Friday 4 December 2026"),
        ("the 14th of January", "Thursday 14 January 2027"),
        ("end of January", "Sunday 31 January 2027"),
        ("the end of the month", "Thursday 31 December 2026"),
        ("end of next quarter", "Wednesday 31 March 2027"),
        ("Thu 14.01", "Thursday 14 January 2027"),  # a date, though 14.01 could be a time
    ]:
        reply = running_app.command("UPAUL", f"action add <@UPAUL> Report by {typed}")["text"]
        assert f"Due {understood}." in reply.replace("*", ""), (typed, reply)
    # The board's own deadline: its next meeting's day.
    due = running_app.command("UPAUL", "action add <@UPAUL> Report by the next meeting")["text"]
    assert "Report\nDue Thursday 14 January 2027." in due
    # Otherwise `the` before anything but an ordinal is the description's, as board papers
    # say it.
    for idiom in ("end of play", "end of month figures"):
        kept = running_app.command("UPAUL", f"action add <@UPAUL> Report by {idiom}")["text"]
        assert f"Report by {idiom}\nNo due date, so no reminders" in kept


def test_a_meeting_time_may_follow_at_and_a_place_may_start_with_a_number(
    running_app: RunningApp,
) -> None:
    set_up_board(running_app)  # on Tuesday 1 December 2026
    for typed, scheduled in [
        (
            "14 Jan 2027 at 10:00",
            "Thursday 14 January 2027, 10:00–12:00 · Wellingborough CSP Board",
        ),
        (
            "Thu 14 Jan at 10am at Swanspool House",
            "10:00–12:00 · Wellingborough CSP Board · Swanspool",
        ),
        ("next Thursday at 2.30pm for 2h at 10 Downing Street", "3 December 2026, 14:30"),
        ("15/1/2027 noon at Council Chamber", "Friday 15 January 2027, 12:00"),
        ("Fri 27 Nov 10:00", "Friday 27 November 2026, 10:00"),  # just held, not next year's
        ("14/1/2027 10:00 at Swanspool House, for 3h.", "10:00–13:00 · Wellingborough CSP Board"),
        ("14/1/2027 23:00 for 2h", "23:00 to Friday 15 January 2027, 01:00"),
        ("14/1/2027 10:00 at Centre for a Safer Future", "· Centre for a Safer Future"),
        ("Thursday, 14 January 2027, 10am", "Thursday 14 January 2027, 10:00–12:00"),
    ]:
        reply = running_app.command("UGILL", f"meeting add {typed}")["text"]
        assert scheduled in reply.replace("*", ""), (typed, reply)
    places = [m.location for m in rows(running_app, Meeting)]
    assert places == [
        None,
        "Swanspool House",
        "10 Downing Street",
        "Council Chamber",
        None,
        "Swanspool House",
        None,
        "Centre for a Safer Future",
        None,
    ]
    moved = running_app.command("UGILL", "meeting move M2 21 January at 2pm.")["text"]
    assert "Thursday 21 January 2027, 14:00" in moved


def test_actions_with_uk_dates_updates_and_done(running_app: RunningApp) -> None:
    set_up_board(running_app)
    added = running_app.command(
        "UPAUL", "action add <@UGILL> Circulate the SSNP strategy to partners by 7/1/2027"
    )["text"]
    assert "*A1*" in added and "Thursday 7 January 2027" in added
    by_area = running_app.command("UPAUL", "action add <@UPAUL> Map ASB hotspots by area")["text"]
    assert "*A2*" in by_area and "Map ASB hotspots by area" in by_area and "No due date" in by_area
    running_app.command("UPAUL", "action add <@UPAUL> Report on knife crime by next Thursday")

    first, second, third = rows(running_app, Action)
    assert (first.owner_id, first.due_on, first.description) == (
        "UGILL",
        date(2027, 1, 7),
        "Circulate the SSNP strategy to partners",
    )
    assert second.due_on is None and second.description == "Map ASB hotspots by area"
    assert third.due_on == date(2026, 12, 3)

    updated = running_app.command(
        "UGILL", "action update A1 amber Draft circulated; comments due Friday"
    )
    assert "[AMBER] Draft circulated; comments due Friday" in updated["text"]
    [update] = rows(running_app, ActionUpdate)
    assert (update.author_id, update.rag, update.text) == (
        "UGILL",
        "amber",
        "Draft circulated; comments due Friday",
    )

    mine = running_app.command("UGILL", "actions mine")["text"]
    assert "A1" in mine and "A2" not in mine and "latest: [AMBER]" in mine
    running_app.command("UGILL", "action update A1 Red-team exercise booked")
    plain = rows(running_app, ActionUpdate)[-1]
    assert (plain.rag, plain.text) == (None, "Red-team exercise booked")  # a word, not a RAG
    for typed, rag in (("[RED] Slipped", "red"), ("(green) Back on track", "green")):
        running_app.command("UGILL", f"action update A1 {typed}")  # as the bot shows it
        assert rows(running_app, ActionUpdate)[-1].rag == rag
    running_app.command("UGILL", "action update A1 RAG amber Awaiting legal")
    shown = rows(running_app, ActionUpdate)[-1]
    assert (shown.rag, shown.text) == ("amber", "Awaiting legal")
    pauls = running_app.command("UGILL", "actions <@UPAUL>")["text"]
    assert pauls.startswith("*Open actions of Paul Valentine (2)*") and "A2" in pauls

    assert "Marked *A1* done" in running_app.command("UGILL", "action done A1")["text"]
    assert "A1" not in running_app.command("UPAUL", "actions")["text"]
    everything = running_app.command("UPAUL", "actions all")["text"]
    assert "A1" in everything and "done" in everything

    running_app.command("ULARA", "action reassign A2 <@USAM>")
    running_app.command("ULARA", "action due A2 31 Jan 2027")
    reassigned = rows(running_app, Action)[1]
    assert (reassigned.owner_id, reassigned.due_on) == ("USAM", date(2027, 1, 31))

    running_app.clock.fixed = datetime(2027, 2, 2, 9, 0, tzinfo=UTC)
    overdue = running_app.command("UCHAIR", "actions overdue")["text"]
    assert "A2" in overdue and "(overdue)" in overdue and "A3" in overdue


def test_the_meeting_itself_attendance_notes_decisions_and_actions(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 at Swanspool House : CSP Board")
    running_app.command("UGILL", "agenda add CSP report and priorities <@UCHAIR>")
    running_app.command("UGILL", "agenda add SSNP report <@UPAUL>")

    running_app.clock.fixed = DURING_THE_MEETING
    present = running_app.command("UGILL", "present <@UCHAIR> <@UGILL>, <@UPAUL|Paul V>")["text"]
    assert "*M1*" in present and "<@UPAUL>" in present
    running_app.command("UGILL", "present <@ULARA> <@USAM>")
    sent = running_app.command("UGILL", "apologies <@USAM> and <@USAM>")["text"]
    assert sent.endswith("as sent apologies: <@USAM>.\nNo longer recorded as present: <@USAM>.")
    running_app.command("UGILL", "note 2 Hemmingwell and Queensway remain the hotspots")
    decided = running_app.command("UGILL", "decision 1 to note the report")["text"]
    assert "RESOLVED: to note the report" in decided
    as_papers_say = running_app.command("UGILL", "decision 2 RESOLVE to note the SSNP update")
    assert "\nRESOLVED: to note the SSNP update" in as_papers_say["text"]
    plain = running_app.command("UGILL", "decision 2 Recommended reading list adopted")["text"]
    assert "\nRESOLVED: Recommended reading list adopted" in plain  # "Recommended" is a word
    arising = running_app.command(
        "UGILL", "action add <@UPAUL> Share hotspot data with housing by 28/2/2027 item 2"
    )
    assert "Arising from *agenda item 2* of *M1*" in arising["text"]
    # `item` comes last: before the due date it is part of the description.
    described = running_app.command(
        "UGILL", "action add <@UCHAIR> Write to the PCC about item 1 by 28/2/2027"
    )["text"]
    assert "Write to the PCC about item 1\nDue Sunday 28 February 2027." in described.replace(
        "*", ""
    )
    assert "Arising from" not in described

    attendance = {(a.user_id, a.status) for a in rows(running_app, Attendance)}
    assert attendance == {
        ("UCHAIR", "present"),
        ("UGILL", "present"),
        ("UPAUL", "present"),
        ("ULARA", "present"),
        ("USAM", "apologies"),
    }
    records = [(r.kind, r.text) for r in rows(running_app, ItemRecord)]
    assert records == [
        ("note", "Hemmingwell and Queensway remain the hotspots"),
        ("decision", "to note the report"),
        ("decision", "RESOLVE to note the SSNP update"),  # as typed; shown RESOLVED: to …
        ("decision", "Recommended reading list adopted"),
    ]
    linked, unlinked = rows(running_app, Action)
    assert linked.meeting_id is not None and linked.item_id is not None
    assert (unlinked.meeting_id, unlinked.item_id) == (None, None)

    # Changing one's mind about attendance updates the row rather than adding one.
    running_app.command("UGILL", "apologies <@ULARA>")
    assert ("ULARA", "apologies") in {(a.user_id, a.status) for a in rows(running_app, Attendance)}
    assert len(rows(running_app, Attendance)) == 5


def test_every_change_leaves_an_audit_row(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UPAUL", "action add <@UPAUL> Map ASB hotspots")
    running_app.command("UPAUL", "action update A1 green Done for Hemmingwell")
    verbs = [(e.verb, e.subject, e.actor_id) for e in rows(running_app, AuditEntry)]
    assert ("action.add", "A1", "UPAUL") in verbs
    assert ("action.update", "A1", "UPAUL") in verbs
    assert verbs[0] == ("board.setup", verbs[0][1], "UCHAIR")


def test_user_text_is_escaped_and_never_pings(running_app: RunningApp) -> None:
    set_up_board(running_app)
    reply = running_app.command(
        "UPAUL", "action add <@UPAUL> Tell <!channel> & <!here> about <@U999|fake> <b>now</b>"
    )["text"]
    assert "<!channel>" not in reply and "<!here>" not in reply
    assert "&lt;!channel&gt; &amp; &lt;!here&gt;" in reply
    [action] = rows(running_app, Action)
    assert action.description == "Tell <!channel> & <!here> about <@U999|fake> <b>now</b>"
    # The owner is a real mention the bot wrote.
    assert "<@UPAUL>" in reply


def test_a_mention_typed_out_as_text_names_no_one(running_app: RunningApp) -> None:
    """Slack sends a typed `<@UPAUL>` escaped; unescaped it looks like Slack's own
    mention, but it only ever stands as text: it makes no owner, presenter or member."""
    set_up_board(running_app)
    before = dump(running_app.database)
    for sent in (
        "action add &lt;@UPAUL&gt; Map ASB hotspots",
        "agenda add Hotspots &lt;@UPAUL&gt;",
        "member add &lt;@USAM&gt; org NHS",
        "present &lt;@UPAUL&gt;",
    ):
        reply = running_app.command("UGILL", sent)
        assert reply["response_type"] == "ephemeral"
        assert "“&lt;@U" in reply["text"] and "is typed out as text" in reply["text"], sent
        assert "Usage" in reply["text"]
    assert dump(running_app.database) == before

    # Picked from Slack's list as well, the same person is named.
    running_app.command("UGILL", "action add <@UPAUL> Tell &lt;@UPAUL&gt; the plan")
    [action] = rows(running_app, Action)
    assert (action.owner_id, action.description) == ("UPAUL", "Tell <@UPAUL> the plan")
    # An organisation may hold one typed out; one picked from Slack's list is a slip.
    added = running_app.command("UGILL", "member add <@USAM> org NHS &lt;@U999&gt; &amp; Co")
    assert added["text"] == (
        "Updated <@USAM>: Member, NHS &lt;@U999&gt; &amp; Co (was Member, NHS Northamptonshire)."
    )
    picked = running_app.command("UGILL", "member add <@USAM> org NHS <@ULARA>")["text"]
    assert picked.startswith("Add one person at a time: an organisation names no one.")


def test_a_link_slack_marked_up_is_stored_and_shown_as_typed(running_app: RunningApp) -> None:
    """Slack sends a typed address as `<https://…>`, and a labelled one with its words."""
    set_up_board(running_app)
    sent = (
        "action add <@UPAUL> Read <https://example.org/plan?a=1&amp;b=2>, "
        "<https://example.org/x|the draft> and mail <mailto:gill@example.org|gill@example.org>"
    )
    reply = running_app.command("UPAUL", sent)["text"]
    [action] = rows(running_app, Action)
    assert action.description == (
        "Read https://example.org/plan?a=1&b=2, the draft (https://example.org/x) "
        "and mail gill@example.org"
    )
    assert "Read https://example.org/plan?a=1&amp;b=2, the draft (https://" in reply


def test_what_slack_escaped_is_stored_as_typed_and_escaped_once_when_shown(
    running_app: RunningApp,
) -> None:
    """Slack sends a typed `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`."""
    set_up_board(running_app)
    sent = "action add <@UPAUL> Share A&amp;E data &lt;urgent&gt; with <@USAM> &amp; <@ULARA>"
    reply = running_app.command("UPAUL", sent)["text"]
    assert "Share A&amp;E data &lt;urgent&gt; with" in reply
    [action] = rows(running_app, Action)
    assert action.description == "Share A&E data <urgent> with <@USAM> & <@ULARA>"
    running_app.clock.fixed = DURING_THE_MEETING
    running_app.command("UGILL", "meeting add 14/01/2027 10:00")
    present = running_app.command("UGILL", "present <@UPAUL> &amp; <@USAM>")["text"]
    assert "<@UPAUL>" in present and "<@USAM>" in present


@pytest.mark.parametrize(
    ("user", "text", "says"),
    [
        ("UPAUL", "meeting add 14/01/2027 10:00", "Only the chair, vice-chair or secretary"),
        ("UOUT", "agenda add Something", "Only members of Wellingborough CSP Board"),
        ("UOUT", "action add <@UOUT> Something", "Only members"),
        ("USAM", "action update A1 Not mine", "Only the action's owner, <@UPAUL>, or a board"),
        ("USAM", "action done A1", "Only the action's owner, <@UPAUL>, or a board officer"),
        ("UPAUL", "action due A1 1/3/2027", "Only the chair, vice-chair or secretary"),
        ("UPAUL", "action reassign A1 <@UPAUL>", "Only the chair"),
        ("UPAUL", "member add <@USAM> chair", "Only the chair"),
        ("UPAUL", "present <@UPAUL>", "Only the chair"),
        ("UPAUL", "note 1 Hello", "Only the chair"),
        ("UPAUL", "meeting cancel M1", "Only the chair"),
        ("UCHAIR", "frobnicate", "I don't know “frobnicate”. The commands are help, setup"),
        ("UCHAIR", "action", "is incomplete"),
        ("UCHAIR", "action frobnicate A1", "I don't know “/board action frobnicate”"),
        ("UCHAIR", "reminders maybe", "I don't know “/board reminders maybe”"),
        ("UCHAIR", "meetings extra", "I don't understand “extra” after meetings"),
        ("UCHAIR", "reminders off please", "I don't understand “please” after reminders off"),
        ("UCHAIR", "meeting add", "date and time"),
        ("UCHAIR", "meeting add 14/01/2027", "date and time"),
        ("UCHAIR", "meeting add 1/14/2027 10:00", "Dates are day first"),
        ("UCHAIR", "meeting add 14/01/2027 25:00", "not a time"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for 25h", "at most 24 hours"),
        ("UCHAIR", "meeting add 28/3/2027 01:30", "does not happen: the clocks go forward"),
        ("UCHAIR", "meeting add 31/10/2027 01:30", "happens twice: the clocks go back"),
        ("UCHAIR", "member add <@USAM> org Council <@UPAUL>", "Add one person at a time"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for 0m", "must last at least a minute"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for 0.00001h", "must last at least a minute"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for 99999999999h", "at most 24 hours"),
        ("UCHAIR", "meeting add 14/01/2027 10", "“10” is ambiguous as a time"),
        ("UCHAIR", "meeting add 14/01/2027 2.30", "afternoon. Write 2.30pm or 14:30."),
        ("UCHAIR", "meeting add 14/01/2027 3:00 to 4:00", "afternoon. Write 3:00pm or 15:00."),
        ("UCHAIR", "action add <@UGILL> Report by yesterday", "due date, Monday 30 November 2026,"),
        ("UCHAIR", "meeting add 14 Jan 2027", "Give the time too, e.g. 14 Jan 2027 10:00."),
        ("UCHAIR", "meeting add 7 Jan 10", "“10” is ambiguous as a time"),
        ("UCHAIR", "meeting move M1 next Thursday", "Give the time too, e.g. next Thursday 10:00"),
        ("UCHAIR", "meeting add 14/01/2027 13pm", "with am/pm the hour is 1 to 12"),
        ("UCHAIR", "meeting add 1/11/2026 10:00", "more than 7 days ago"),
        ("UCHAIR", "meeting add next week 10:00", "not a single day"),
        ("UCHAIR", "meeting add soonish 10:00", "couldn't read “soonish” as a date"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 : " + "x" * 201, "the limit is 200"),
        ("UCHAIR", "meeting move M9 14/02/2027 10:00", "no meeting M9"),
        ("UCHAIR", "meeting move M1 1/11/2026 09:00", "more than 7 days ago"),
        ("UCHAIR", "meeting cancel X1", "not a meeting number"),
        ("UCHAIR", "agenda add " + "y" * 201, "the limit is 200"),
        ("UCHAIR", "agenda add Item <@UOUT>", "is not on this board"),
        ("UCHAIR", "agenda remove 9", "no agenda item 9"),
        ("UCHAIR", "agenda remove 99999", "no agenda item 99999"),
        ("UCHAIR", "agenda remove", "Give the item number"),
        ("UCHAIR", "agenda M7", "no meeting M7"),
        ("UCHAIR", "action add Gill to do things", "not a mention"),
        ("UCHAIR", "action add <@UOUT> Something", "is not on this board. Add them: /board member"),
        ("UPAUL", "action add <@UOUT> Something", "An officer can add them: /board member add"),
        ("UCHAIR", "note Opening remarks", "“Opening” is not an agenda item number"),
        ("UCHAIR", "action add <@UGILL> Report item 1.5", "“1.5” is not an agenda item"),
        ("UCHAIR", "meeting cancel M1.5", "“M1.5” is not a meeting number"),
        ("UCHAIR", "apologies <@UPAUL> to M1.5", "“M1.5” is not a meeting number"),
        ("UCHAIR", "agenda add Something to M9x", "“M9x” is not a meeting number"),
        ("UCHAIR", "agenda add Something <@UPAUL> <@USAM>", "Name one presenter only."),
        ("UCHAIR", "agenda add Something -5m", "An item can have 1 to 600 minutes."),
        ("UCHAIR", "agenda drop 1", "I don't know “/board agenda drop”"),
        ("UCHAIR", "meeting add 14/1/2027 12am", "“12am” could be midnight or midday."),
        ("UCHAIR", "action add <@UGILL> Report by 45/13/2027", "“45/13/2027” is not a date"),
        (
            "UCHAIR",
            "action add <@UGILL> Report by 45/13/2027 10am",
            "I couldn't read “45/13/2027 10am”",
        ),
        (
            "UCHAIR",
            "action add <@UGILL> Report by Friday 5pm",
            "A due date is a day, without a time: Friday, not “Friday 5pm”.",
        ),
        (
            "UCHAIR",
            "action due A1 7/1/2027 at 10:00",
            "A due date is a day, without a time: 7/1/2027, not “7/1/2027 at 10:00”.",
        ),
        ("UCHAIR", "action add <@UGILL> Report by 31/6/2027", "June 2027 has 30 days."),
        (
            "UCHAIR",
            "action add <@UGILL> Report by w/c 8/12/2026",
            "“8/12/2026” is a Tuesday: a week commences on its Monday (Monday 7 December 2026).",
        ),
        ("UCHAIR", "meeting add 31/6/0000 10:00", "“31/6/0000” is not a date. Dates are day"),
        ("UCHAIR", "action due A1 30 Feb", "“30 Feb” is not a date: February has 29 days."),
        ("UCHAIR", "action add <@UGILL> Report by 1/1/2027 item x", "“x” is not an agenda item"),
        ("UCHAIR", "actions <@UOUT>", "is not on this board"),
        ("UCHAIR", "action reassign A1 <@UPAUL>", "A1 is already <@UPAUL>'s"),
        ("UCHAIR", "action due A1 31/1/2027", "A1 is already due Sunday 31 January 2027"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 quarterly x", "After quarterly, give the number"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 quarterly 2 quarterly", "Give quarterly once"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for 2h at Hall for 3h", "Give for once only"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for two days at Hall", "“two days” as a dur"),
        ("UCHAIR", "meeting add 4 February at 10", "“at 10” reads as a place: give the time as"),
        (
            "UCHAIR",
            "meeting add 14/01/2027 10am, Swanspool House",
            "I don't understand “Swanspool House” after the time. A title goes after a colon",
        ),
        (
            "UCHAIR",
            "meeting add 14/01/2027 10am - CSP Board",
            "A title goes after a colon (14/01/2027 10am : CSP Board), a place after at",
        ),
        ("UCHAIR", "meeting add 14/01/2027 10:00 at Hall quarterly four", "After quarterly, give"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 at", "Say where, e.g. at Swanspool House"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 for", "Say how long, e.g. for 2h"),
        ("UCHAIR", "minuets", "Did you mean “/board minutes”?"),
        ("UCHAIR", "action updte A1 amber Fine", "Did you mean “/board action update”?"),
        ("UCHAIR", "agendas", "I don't know “/board agendas”. Did you mean “/board agenda”?"),
        ("UCHAIR", "agenda mve 1 2", "Did you mean “/board agenda move”?"),
        ("UCHAIR", "minutes pubish", "Did you mean “/board minutes publish”?"),
        ("UCHAIR", "next meeting", "I don't know “/board next meeting”. Did you mean “/board "),
        ("UCHAIR", "A1 done", "I don't know “/board A1 done”. Did you mean “/board action do"),
        ("UCHAIR", "mark a1 done", "Did you mean “/board action done A1”?"),
        ("UCHAIR", "action A1 update Sent", "Did you mean “/board action update A1 …”?"),
        (
            "UCHAIR",
            "present <@UPAUL> <@UOUT>",
            "<@UOUT> is not on this board, so nobody was recorded. Add them: /board member add "
            "<@UOUT>, or type it again without them.",
        ),
        ("UCHAIR", "apologies <@UOUT> <@UPAUL> <@UNEW>", "<@UOUT>, <@UNEW> are not on this"),
        ("UCHAIR", "publish minutes", "Did you mean “/board minutes publish”?"),
        ("UCHAIR", "minutes M1 publish", "Did you mean “/board minutes publish M1”?"),
        ("UCHAIR", "M1 cancel", "Did you mean “/board meeting cancel M1”?"),
        ("UCHAIR", "attendance <@UPAUL>", "Did you mean “/board present …”?"),
        ("UCHAIR", "resolved 9 To note", "`/board resolved &lt;item#&gt; &lt;text&gt;`"),
        ("UCHAIR", "action add <@UGILL> Report by next blursday", "end with the due date"),
        ("UCHAIR", "action add <@UGILL> Review CCTV by 14 Jan by area", "“14 Jan by area”"),
        ("UCHAIR", "action add <@UGILL> Report by 1/1/2026", "in the past"),
        ("UCHAIR", "action add <@UGILL> Report by March", "“March” is not a single day"),
        ("UCHAIR", "action add <@UGILL> Report by 2027", "“2027” is not a single day"),
        ("UCHAIR", "action add <@UGILL> Report by 2pm", "“2pm” is a time"),
        ("UCHAIR", "action add <@UGILL> Report by 14th", "needs a month too"),
        ("UCHAIR", "action add <@UGILL> Report by Fri 3 Dec 2026", "3 December 2026 is a Thursday"),
        ("UCHAIR", "meeting add Mar 10:00", "“Mar” is not a single day"),
        (
            "UCHAIR",
            "meeting add 14/03/2027 10 am CSP Board",
            "A title goes after a colon (14/03/2027 10 am : CSP Board)",
        ),
        ("UCHAIR", "meeting add Wed 14 Jan 10:00", "14 January 2027 is a Thursday"),
        ("UCHAIR", "action add <@UGILL> Report by Fri 4th", "needs a month too"),
        ("UCHAIR", "action add <@UGILL> Report by Fri 14 Jan 27", "2027 is a Thursday"),
        ("UCHAIR", "action add <@UGILL> Report by March of 2027", "Dates are day first"),
        ("UCHAIR", "action due A1 noon", "“noon” is a time"),
        ("UCHAIR", "action due A1 tomorrow, tomorrow", "couldn't read “tomorrow, tomorrow”"),
        ("UCHAIR", "action due A1 in 999999 weeks", "more than 20 years away"),
        (
            "UCHAIR",
            "action due A1 2 days ago",
            "The due date, Sunday 29 November 2026, is in the past",
        ),
        ("UCHAIR", "action add <@UGILL>", "description is missing"),
        ("UCHAIR", "action add <@UGILL> ...", "description is missing: “...” says nothing"),
        ("UCHAIR", "agenda add :", "title is missing: “:” says nothing"),
        ("UCHAIR", "action add <@UPAUL> <@UGILL> Joint visit by 7/1/2027", "one owner only"),
        ("UCHAIR", "action add <@UPAUL> and <@UGILL|gill> Joint visit", "one owner only"),
        ("UCHAIR", "action add <@UGILL> Something item 3", "no current meeting"),
        (
            "UCHAIR",
            "action due A1 1/11/2026",
            "The due date, Sunday 1 November 2026, is in the past",
        ),
        ("UCHAIR", "action update A99 green Fine", "no action A99"),
        ("UCHAIR", "action update A1", "update is missing"),
        ("USAM", "action update A1", "update is missing"),
        ("UCHAIR", "action done 1", "not an action number"),
        ("UCHAIR", "action reassign A1 <@UOUT>", "is not on this board"),
        ("UCHAIR", "actions Gill", "I don't know “Gill” here. Give an owner (@gill or mine)"),
        ("UCHAIR", "present", "at least one person"),
        ("UCHAIR", "present <@UGILL> and Paul", "“Paul” is not a mention"),
        ("UCHAIR", "present <@UGILL>", "no current meeting"),
        ("UCHAIR", "member add Gill", "Name the person with @"),
        ("UCHAIR", "member add <@UPAUL> chair vice-chair", "Give one role only"),
        ("UCHAIR", "member add <@UPAUL> chair, <@UGILL>", "Add one person at a time"),
        ("UCHAIR", "actions @gill", "“@gill” is plain text, so it names no one"),
        (
            "UCHAIR",
            "meeting add 14/01/2027 at 10:00 in the Chamber",
            "a place after at (14/01/2027 at 10:00 at in the Chamber)",
        ),
        (
            "UCHAIR",
            "meeting move M1 21/01/2027 10:00 at Swanspool",
            "A move changes the date and time only: /board meeting move M1 21/01/2027 10:00",
        ),
        ("UCHAIR", "member add <@UPAUL> vice chair Police", "put org before it: org Police"),
        ("UCHAIR", "member add <@UPAUL> secretary org", "Give the organisation after org"),
        ("UCHAIR", "member add <@USAM> boss", "“boss” is not a role"),
        ("UCHAIR", "member add <@USAM> <@UPAUL>", "Add one person at a time"),
        ("UCHAIR", "member add <@USAM> secretary NHS Trust", "put org before it: org NHS Trust"),
        ("UCHAIR", "member add <@USAM> org", "Give the organisation after org"),
        ("UCHAIR", "action reassign A1 for <@UPAUL>", "I don't understand “for” before <@UPAUL>"),
        ("UCHAIR", "member remove <@UPAUL> please", "I don't understand “please” after <@UPAUL>"),
        ("UCHAIR", "action reassign A1 <@UPAUL> <@USAM>", "Name one new owner only"),
        ("UCHAIR", "action reassign A1", "Name the new owner with @"),
        ("UCHAIR", "meeting add in March 10:00", "“in March” is not a single day"),
        ("UCHAIR", "meeting cancel", "Give the meeting's number"),
        ("UCHAIR", "action done", "Give the action's number"),
        ("UCHAIR", "note", "Give the agenda item's number"),
        ("UCHAIR", "decision 1 RESOLVED:", "Say what was resolved."),
        ("UCHAIR", "member remove <@UOUT>", "is not on this board"),
        ("UCHAIR", "member remove <@UCHAIR>", "only officer"),
        ("UCHAIR", "member add <@UCHAIR> member", "only officer"),
        ("UCHAIR", "meeting add 14/01/2027 10:00 quarterly 13", "1 to 12 meetings"),
        ("UCHAIR", "meeting add 14/01/2050 10:00", "more than 20 years ahead"),
        ("UCHAIR", "agenda add Everything 700m", "1 to 600 minutes"),
        ("UCHAIR", "agenda add Everything 11h", "1 to 600 minutes"),
        ("UCHAIR", "agenda add Everything 99999999999999999999m", "1 to 600 minutes"),
        ("UCHAIR", "agenda add Everything 99999999999999h", "1 to 600 minutes"),
        ("UCHAIR", "reminders set draft 0", "1 to 60 days before a meeting"),
        ("UCHAIR", "reminders set lunch 3", "Say which reminder"),
        ("UCHAIR", "reminders set call", "Say which reminder"),
        ("UCHAIR", "reminders set eve 61", "1 to 60 days before a meeting"),
        ("UCHAIR", "calendar please", "I don't know “/board calendar please”"),
    ],
)
def test_bad_and_refused_commands_say_why_show_usage_and_change_nothing(
    running_app: RunningApp, user: str, text: str, says: str
) -> None:
    running_app.clock.fixed = BEFORE_THE_QUARTER
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    running_app.command("UCHAIR", "member add <@USAM> org NHS")
    running_app.command("UCHAIR", "member add <@UGILL>")
    running_app.command("UCHAIR", "meeting add 14/01/2027 10:00")
    running_app.command("UCHAIR", "agenda add Opening")
    running_app.command("UCHAIR", "action add <@UPAUL> Map hotspots by 31/1/2027")
    before = dump(running_app.database)

    reply = running_app.command(user, text)

    assert reply["response_type"] == "ephemeral"
    assert says in reply["text"].replace("*", "")
    # Usage, but not once the command was read and refused for who typed it (another's
    # action), by the board's rules (its only officer stays) or as asking for what is so
    # already: it was typed right.
    read_and_refused = (
        says.startswith("Only the action's owner") or says == "only officer" or "already" in says
    )
    assert ("Usage" in reply["text"]) is not read_and_refused
    assert dump(running_app.database) == before


def test_a_closed_action_and_a_cancelled_meeting_refuse_changes(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board")
    running_app.command("UGILL", "action add <@UPAUL> Map hotspots")
    assert "Marked *A1* done" in running_app.command("UPAUL", "action done A1")["text"]
    running_app.command("UCHAIR", "meeting cancel M1")
    before = dump(running_app.database)
    for user, text, says in [
        ("UPAUL", "action done A1", "A1 is done; it can't be changed."),
        ("UGILL", "action due A1 1/3/2027", "A1 is done; it can't be changed."),
        ("UGILL", "meeting cancel M1", "M1 is already cancelled."),
        ("UGILL", "agenda add Opening to M1", "M1 is cancelled."),
    ]:
        reply = running_app.command(user, text)
        assert says in reply["text"].replace("*", ""), (text, reply["text"])
    assert dump(running_app.database) == before


def test_moving_or_cancelling_a_meeting_tells_the_channel(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board")
    posted = len(running_app.slack.wait_for("chat.postMessage", 2))  # set-up, scheduled
    same = running_app.command("UGILL", "meeting move M1 14/1/2027 10:00")["text"]
    assert "*M1* is already at that time." in same
    assert "Usage" not in same  # typed right: nothing to change
    moved = running_app.command("UGILL", "meeting move M1 20/1/2027 14:00")["text"]
    assert "Moved *M1* Wednesday 20 January 2027, 14:00" in moved
    assert moved.endswith(" (was Thursday 14 January 2027, 10:00–12:00)")
    running_app.command("UGILL", "meeting cancel M1")
    posts = running_app.slack.wait_for("chat.postMessage", posted + 2)[posted:]
    assert [post.params["channel"] for post in posts] == ["CBOARD", "CBOARD"]
    assert "Meeting moved: *M1* Wednesday 20 January 2027, 14:00" in posts[0].params["text"]
    assert "(was Thursday 14 January 2027, 10:00–12:00)" in posts[0].params["text"]
    assert "Meeting cancelled: *M1* Wednesday 20 January 2027" in posts[1].params["text"]
    assert "(cancelled)" not in posts[1].params["text"]  # it says so once


def test_a_meeting_just_held_can_be_entered_and_minuted(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.clock.fixed = datetime(2027, 1, 25, 9, 0, tzinfo=UTC)  # the Monday after
    held = running_app.command("UGILL", "meeting add 22/01/2027 10:00 : Extraordinary board")
    assert "*M1* Friday 22 January 2027, 10:00" in held["text"]
    running_app.command("UGILL", "agenda add Knife crime hotspots to M1")
    running_app.command("UGILL", "present <@UPAUL> <@UGILL>")
    running_app.command("UGILL", "note 1 Hotspot data shared with housing")
    running_app.command("UGILL", "decision 1 to note the report")
    minutes = running_app.command("UGILL", "minutes M1")["text"]
    assert "Minutes of the meeting held on Friday 22 January 2027, 10:00" in minutes
    assert "Hotspot data shared with housing" in minutes
    assert "RESOLVED: to note the report" in minutes
    assert "Paul Valentine" in minutes  # present


def test_a_meeting_typed_twice_is_pointed_out(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00")
    again = running_app.command("UGILL", "meeting add 14/1/2027 10am quarterly 2")["text"]
    assert "*M2* Thursday 14 January 2027" in again and "*M3* Wednesday 14 April" in again
    assert "*Overlapping (if one was typed twice: /board meeting cancel M#)*\n*M1*" in again
    running_app.command("UGILL", "meeting cancel M1")
    running_app.command("UGILL", "meeting cancel M2")
    assert "Overlapping" not in running_app.command("UGILL", "meeting add 14/01/2027 10:00")["text"]
    # Typed again at another hour within it, or moved onto it: overlapping is pointed out too.
    half_past = running_app.command("UGILL", "meeting add 14/1/2027 10.30am for 1h")["text"]
    assert "*Overlapping (if one was typed twice: /board meeting cancel M#)*\n*M4*" in half_past
    running_app.command("UGILL", "meeting cancel M5")
    assert "Overlapping" not in running_app.command("UGILL", "meeting add 14/1/2027 12pm")["text"]
    moved = running_app.command("UGILL", "meeting move M6 14/1/2027 11:00")["text"]
    assert "*Overlapping (if one was typed twice: /board meeting cancel M#)*\n*M4*" in moved
    # Posted in order: the set-up, five adds, three cancellations, the move.
    running_app.slack.wait_for("chat.postMessage", 10)
    # The copies cancelled in one go, and the channel told once, of both.
    running_app.slack.reset()
    running_app.command("UGILL", "meeting cancel M4 M6")
    [post] = running_app.slack.wait_for("chat.postMessage")
    told = post.params["text"]
    assert told.startswith("*Wellingborough CSP Board: 2 meetings cancelled*")
    assert "*M4* Thursday 14 January 2027, 10:00" in told and "*M6* Thursday 14 January" in told


def test_seven_days_ago_is_a_calendar_day_whatever_the_hour(running_app: RunningApp) -> None:
    """Friday's meeting, entered on the Friday after in the afternoon: within the week."""
    set_up_board(running_app)
    running_app.clock.fixed = datetime(2027, 1, 29, 16, 0, tzinfo=UTC)
    held = running_app.command("UGILL", "meeting add 22/01/2027 10:00")["text"]
    assert "*M1* Friday 22 January 2027, 10:00" in held
    present = running_app.command("UGILL", "present <@UPAUL>")["text"]
    assert "M1" in present
    earlier = running_app.command("UGILL", "meeting add 21/01/2027 23:00")["text"]
    assert "is more than 7 days ago" in earlier


def test_a_meeting_that_has_started_is_not_put_off_nor_cancelled_once_minuted(
    running_app: RunningApp,
) -> None:
    """One entered by mistake can be cancelled while nothing is minuted at it."""
    set_up_board(running_app)
    running_app.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board")
    running_app.command("UGILL", "meeting add 15/01/2027 10:00 : Typed the wrong day")
    running_app.command("UGILL", "agenda add SSNP report to M1")
    running_app.clock.fixed = datetime(2027, 1, 15, 16, 0, tzinfo=UTC)
    running_app.command("UGILL", "present <@UPAUL>")  # at M2, the current meeting
    before = dump(running_app.database)
    moved = running_app.command("UGILL", "meeting move M2 21/1/2027 10:00")["text"]
    assert (
        "M2 has started and its record (attendance, notes, decisions or actions) stands: "
        "it can be moved only to when it was held." in moved.replace("*", "")
    )
    held = running_app.command("UGILL", "meeting cancel M2")["text"].replace("*", "")
    assert "M2 has started and its record (attendance, notes, decisions, actions or " in held
    wrong_item = running_app.command("UGILL", "note 9 Hotspot data shared")["text"]
    assert "The current meeting, M2, has no agenda item 9." in wrong_item
    assert dump(running_app.database) == before
    assert "Minutes of the meeting held on" in running_app.command("UGILL", "minutes M1")["text"]

    cancelled = running_app.command("UGILL", "meeting cancel M1")["text"]
    assert "Cancelled *M1* Thursday 14 January 2027, 10:00" in cancelled
    assert (
        "was cancelled, so it has no minutes" in running_app.command("UGILL", "minutes M1")["text"]
    )


def board_set_up(core: Core, *typed: str) -> None:
    """The board set up by the chair at SET_UP, who then types each of `typed`."""
    for text in ("setup Wellingborough CSP Board", *typed):
        core.command("UCHAIR", text, SET_UP)


def refused_changing_nothing(core: Core, refusals: list[tuple[str, str]]) -> None:
    """The chair types each command at SET_UP: its reply starts with the refusal given,
    and none of them changes anything."""
    before = dump(core.database)
    for typed, refusal in refusals:
        assert core.command("UCHAIR", typed, SET_UP).startswith(refusal), typed
    assert dump(core.database) == before


def board_with_m1(core: Core) -> None:
    """The board with Paul on it and M1 on Thursday 14 January 2027, 10:00."""
    board_set_up(core, "member add <@UPAUL>", "meeting add 14/01/2027 10:00")


def test_recording_what_is_so_already_leaves_the_record_as_it_was(core: Core) -> None:
    """Attendance typed twice, or a reminder setting set to what it is: the audit trail
    (the official record of who changed what) gains nothing."""
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=DURING_THE_MEETING)
    chair("present <@UPAUL>")
    before = dump(core.database)
    assert chair("present <@UPAUL>").startswith("Recorded at M1 (Thursday 14 January 2027)")
    assert "7 days before, 09:00: draft agenda" in chair("reminders set draft 7")
    assert dump(core.database) == before


@pytest.mark.parametrize(
    "record",
    [
        "apologies <@UPAUL>",
        "note 1 Hotspot data shared",
        "decision 1 to note the report",
        "action add <@UPAUL> Share the data item 1",
        "minutes publish M1",
    ],
)
def test_a_started_meeting_with_anything_minuted_is_not_cancelled(core: Core, record: str) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    core.command("UGILL", "agenda add SSNP report", SET_UP)
    assert "M1" in core.command("UGILL", record, DURING_THE_MEETING)
    refused = core.command("UGILL", "meeting cancel M1", DURING_THE_MEETING)
    assert "M1 has started and its record" in refused


def test_a_mention_whose_label_has_a_space_names_the_owner(core: Core) -> None:
    board_set_up(core, "member add <@UPAUL|Paul V>")
    added = core.command("UCHAIR", "action add <@UPAUL|Paul V> Share the data by 7/1/2027", SET_UP)
    assert added.startswith("Added A1 for @UPAUL: Share the data\nDue Thursday 7 January 2027.")


def test_an_action_is_reassigned_with_a_new_due_date(core: Core) -> None:
    board_set_up(
        core,
        "member add <@UPAUL>",
        "member add <@USAM>",
        "action add <@UPAUL> Share hotspot data by 7/1/2027",
    )
    given = core.command("UCHAIR", "action reassign A1 <@USAM> by 31/3/2027", SET_UP)
    assert given == "A1 reassigned from @UPAUL to @USAM, now due Wednesday 31 March 2027."
    past = core.command("UCHAIR", "action reassign A1 <@UPAUL> by 1/1/2026", SET_UP)
    assert past.startswith("The due date, Thursday 1 January 2026, is in the past.")
    for typed, refusal in [
        ("action reassign A1 <@UPAUL> by 45/13/2027", "“45/13/2027” is not a date."),
        ("action reassign A1 <@UPAUL> by area", "I couldn't read “area” as a date."),
        ("action reassign A1 <@UPAUL> soon", "I don't understand “soon” after @UPAUL."),
        ("action reassign A1 <@UPAUL> by", "A date is missing."),
        ("action reassign A1 <@USAM> by 1/4/2027", "To change its due date: /board action due"),
    ]:
        assert refusal in core.command("UCHAIR", typed, SET_UP), typed
    labelled = core.command("UCHAIR", "action reassign A1 <@UPAUL|Paul by May> by 1/4/2027", SET_UP)
    assert labelled.startswith("A1 reassigned from @USAM to @UPAUL, now due Thursday 1 April")
    assert "UPAUL Share hotspot data · due Thu 1 Apr 2027" in core.command(
        "UCHAIR", "actions", SET_UP
    )


def test_an_overdue_action_given_away_asks_for_a_date_and_sends_no_overdue_notice_too(
    core: Core,
) -> None:
    """The DM giving it shows it overdue: a notice of the same the next morning is noise."""
    board_set_up(
        core,
        "member add <@UPAUL>",
        "member add <@USAM>",
        "action add <@UPAUL> Share hotspot data by 7/1/2027",
    )
    later = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)
    given = core.command("UCHAIR", "action reassign A1 <@USAM>", later)
    assert given == (
        "A1 reassigned from @UPAUL to @USAM.\nIt is overdue: it was due Thursday 7 January 2027."
        " To give @USAM a new date: /board action due A1 <date>."
    )
    next_morning = due_reminders(core.database, datetime(2027, 1, 13, 9, 0, tzinfo=UTC))
    assert [r.summary for r in next_morning if r.key.kind == "overdue"] == []


def test_a_series_typed_twice_is_cancelled_in_one_go(core: Core) -> None:
    board_set_up(
        core, "meeting add 14/01/2027 10:00 quarterly", "meeting add 14/1/2027 10am quarterly"
    )
    refused_changing_nothing(  # all of them or none
        core,
        [
            ("meeting cancel M5-M9", "There is no meeting M9 on this board."),
            ("meeting cancel M5-M5", "Give a range of 2 to 12 meetings, e.g. M5-M8."),
            ("meeting cancel M8-M5", "“M8-M5” runs backwards: give M5-M8."),
            ("meeting cancel M5 and X6", "“X6” is not a meeting number."),
        ],
    )
    cancelled = core.command("UCHAIR", "meeting cancel M5..M7, M8", SET_UP)
    assert cancelled.startswith("4 meetings cancelled\nM5 Thursday 14 January 2027, 10:00")
    assert "M8 Thursday 14 October 2027" in cancelled
    assert core.command("UCHAIR", "meeting cancel M1 M1", SET_UP).startswith("Meeting cancelled")
    left = core.command("UCHAIR", "meetings", SET_UP)
    assert "M2" in left and "M5" not in left and "M1 " not in left
    in_order = core.command("UCHAIR", "meeting cancel M4, M2-M3", SET_UP).split("\n")
    assert [said.split()[0] for said in in_order[1:]] == ["M4", "M2", "M3"]


def test_an_item_is_put_elsewhere_on_the_agenda_and_the_rest_move_along(core: Core) -> None:
    board_set_up(
        core,
        "member add <@UPAUL>",
        "meeting add 14/01/2027 10:00",
        "agenda add SSNP report",
        "agenda add Domestic abuse",
        "agenda add Apologies and minutes",
    )
    moved = core.command("UCHAIR", "agenda move 3 to 1", SET_UP)
    assert moved == (
        "M1: agenda reordered\n1. Apologies and minutes\n2. SSNP report\n3. Domestic abuse"
    )
    assert core.command("UCHAIR", "history M1", SET_UP).endswith(
        "reordered the agenda (item 3): order 1. SSNP report · 2. Domestic abuse · "
        "3. Apologies and minutes → 1. Apologies and minutes · 2. SSNP report · 3. Domestic abuse"
    )
    assert core.command("UCHAIR", "agenda move item 1 3 to M1", SET_UP).endswith(
        "1. SSNP report\n2. Domestic abuse\n3. Apologies and minutes"
    )
    assert core.command("UCHAIR", "agenda move M1 2 1", SET_UP).endswith(
        "1. Domestic abuse\n2. SSNP report\n3. Apologies and minutes"
    )
    refused_changing_nothing(
        core,
        [
            ("agenda move 3 to 3", "Agenda item 3 is already there."),
            ("agenda move 4 to 1", "M1 has no agenda item 4."),
            ("agenda move 1 to 9", "M1's agenda has 3 items: give 1 to 3."),
            ("agenda move 1", "Give the item number and where it goes, e.g. agenda move 6 to 1."),
            ("agenda move 1 to 2 M7", "There is no meeting M7 on this board."),
            ("agenda move M1 1 to 2 M1", "Name the meeting once, e.g. agenda move 6 to 1 M2."),
        ],
    )
    before = dump(core.database)
    assert core.command("UPAUL", "agenda move 1 to 2", SET_UP).startswith("Only the chair")
    assert dump(core.database) == before


def test_an_agenda_timed_beyond_the_meeting_says_so(core: Core) -> None:
    board_set_up(core, "meeting add 14/01/2027 10:00 for 1h", "agenda add Priorities 40m")
    within = core.command("UCHAIR", "agenda add SSNP report 20m", SET_UP)
    assert within == "Added agenda item 2 to M1:\n2. SSNP report (20 min)"
    beyond = core.command("UCHAIR", "agenda add Domestic abuse 15m", SET_UP)
    assert beyond.endswith("(15 min)\nThe timed items now come to 75 min; M1 lasts 60.")
    untimed = core.command("UCHAIR", "agenda add Any other business", SET_UP)
    assert "come to" not in untimed


def test_a_possessive_after_by_is_part_of_the_description(core: Core) -> None:
    """`Jan's team` or `Friday's panel` names no day: a description's, not a due date."""
    board_set_up(core, "member add <@UPAUL>")
    for whose in ("Jan's team", "yesterday's caller", "today's briefing", "Friday’s panel"):
        reply = core.command(
            "UCHAIR", f"action add <@UPAUL> Answer what was said by {whose}", SET_UP
        )
        assert f"Answer what was said by {whose}\nNo due date, so no reminders" in reply, whose


def test_a_possessive_after_the_owner_is_the_description(core: Core) -> None:
    """`@paul @gill's team …` names one owner: the second mention is whose team."""
    board_set_up(core, "member add <@UPAUL>")
    reply = core.command("UCHAIR", "action add <@UPAUL> <@UGILL>'s team to meet housing", SET_UP)
    assert reply.startswith("Added A1 for @UPAUL: <@UGILL>'s team to meet housing\n"), reply


def test_a_second_chair_makes_joint_chairs_and_says_so(core: Core) -> None:
    board_set_up(core, "member add <@UPAUL> org Northamptonshire Police")
    joint = core.command("UCHAIR", "member add <@UPAUL> chair", SET_UP)
    assert joint == (
        "Updated @UPAUL: Chair, Northamptonshire Police (was Member, Northamptonshire Police).\n"
        "The board now has joint chairs, with @UCHAIR. To hand the chair over instead, make "
        "the outgoing chair vice-chair or member: /board member add @name member."
    )
    again = core.command("UCHAIR", "member add <@UPAUL> chair org Northants Police", SET_UP)
    assert "joint" not in again
    handed_over = core.command("UPAUL", "member add <@UCHAIR> vice-chair", SET_UP)
    assert handed_over == "Updated @UCHAIR: Vice-chair (was Chair)."


def test_a_length_of_hours_and_minutes_needs_no_unit_after_the_minutes(core: Core) -> None:
    board_set_up(core)
    added = core.command("UCHAIR", "meeting add 14/01/2027 1pm for 1h30 : CSP Board", SET_UP)
    assert "Thursday 14 January 2027, 13:00–14:30" in added


def test_an_end_time_that_could_only_be_the_afternoon_is_read_so(core: Core) -> None:
    board_set_up(core)
    added = core.command("UCHAIR", "meeting add 14/01/2027 10am-4.30 : CSP Board", SET_UP)
    assert "Thursday 14 January 2027, 10:00–16:30" in added


def test_a_meeting_just_held_is_moved_to_when_it_was_held(core: Core) -> None:
    """Entered at the wrong hour, or put off while nothing is minuted; never once its
    minutes are published or after the week is out."""
    board_with_m1(core)
    the_day_after = datetime(2027, 1, 15, 16, 0, tzinfo=UTC)
    put_off = core.command("UCHAIR", "meeting move M1 21/1/2027 10:00", the_day_after)
    assert put_off.startswith("Meeting moved\nMoved M1 Thursday 21 January 2027, 10:00–12:00")
    core.command("UCHAIR", "meeting move M1 14/1/2027 10:00", the_day_after)
    core.command("UCHAIR", "present <@UPAUL>", the_day_after)
    put_right = core.command("UCHAIR", "meeting move M1 14/1/2027 11:00", the_day_after)
    assert "Moved M1 Thursday 14 January 2027, 11:00–13:00" in put_right
    before = dump(core.database)
    for typed, refusal in [
        ("meeting move M1 21/1/2027 10:00", "it can be moved only to when it was held."),
        ("meeting move M1 7/1/2027 10:00", "Thursday 7 January 2027, 10:00 is more than 7 days"),
    ]:
        assert refusal in core.command("UCHAIR", typed, the_day_after)
    week_out = datetime(2027, 1, 22, 9, 0, tzinfo=UTC)
    stands = core.command("UCHAIR", "meeting move M1 14/1/2027 10:00", week_out)
    assert stands.startswith("M1 was held more than 7 days ago: its time stands.")
    assert dump(core.database) == before
    core.command("UCHAIR", "minutes publish M1", the_day_after)
    published = core.command("UCHAIR", "meeting move M1 14/1/2027 10:00", the_day_after)
    assert published.startswith("M1's minutes are published: its time stands.")


@pytest.mark.parametrize(
    ("typed", "minuted"),
    [
        (
            "The committee is invited to RESOLVE to note this report",
            "RESOLVED: to note this report",
        ),
        ("The Board RESOLVED that the plan is adopted", "RESOLVED: that the plan is adopted"),
        ("AGREED: to fund the post", "RESOLVED: to fund the post"),
        ("Members RECOMMENDED that it goes to cabinet", "RECOMMENDED: that it goes to cabinet"),
        ("The Board AGREED to fund the post", "RESOLVED: to fund the post"),
        ("The police will RESOLVE the issue", "RESOLVED: The police will RESOLVE the issue"),
        (
            "The Board declined to RESOLVE to fund it",
            "RESOLVED: The Board declined to RESOLVE to fund it",
        ),
        (
            "Partners did not RECOMMEND that it goes to cabinet",
            "RESOLVED: Partners did not RECOMMEND that it goes to cabinet",
        ),
        # Words that only say a decision, in lower case, are the decision's own.
        ("Budget not agreed - return in April", "RESOLVED: Budget not agreed - return in April"),
        ("Police agreed to lead on the SSNP", "RESOLVED: Police agreed to lead on the SSNP"),
        ("Budget NOT AGREED - return in April", "RESOLVED: Budget NOT AGREED - return in April"),
        # Only the body that decided is left out: anyone else's part is kept.
        ("It was AGREED that the plan goes ahead", "RESOLVED: that the plan goes ahead"),
        ("Police AGREED to lead on the SSNP", "RESOLVED: Police AGREED to lead on the SSNP"),
        ("No members AGREED to it", "RESOLVED: No members AGREED to it"),
    ],
)
def test_a_decision_copied_from_a_paper_is_minuted_once_as_resolved(
    core: Core, typed: str, minuted: str
) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "agenda add SSNP report", SET_UP)
    decided = core.command("UCHAIR", f"decision 1 {typed}", DURING_THE_MEETING)
    assert decided.endswith(f"\n{minuted}")


def test_an_agenda_item_with_a_record_is_not_removed(core: Core) -> None:
    board_with_m1(core)
    for title in ("SSNP report", "Drugs and violent crime", "Any other business"):
        core.command("UCHAIR", f"agenda add {title}", SET_UP)
    core.command("UCHAIR", "note 1 Hotspots remain", DURING_THE_MEETING)
    core.command("UCHAIR", "action add <@UPAUL> Share the data item 2", DURING_THE_MEETING)
    for position in (1, 2):
        refused = core.command("UCHAIR", f"agenda remove {position} M1", DURING_THE_MEETING)
        assert f"Agenda item {position} of M1 has notes, decisions or actions" in refused
    removed = core.command("UCHAIR", "agenda remove 3 M1", DURING_THE_MEETING)
    assert removed.startswith("Removed agenda item 3 (Any other business) from M1.")
    agenda = core.command("UCHAIR", "agenda M1", DURING_THE_MEETING)
    assert "1. SSNP report" in agenda and "2. Drugs and violent crime" in agenda


@pytest.mark.parametrize(
    ("typed", "said", "scheduled"),
    [
        ("1/2/2027 10:00 to 12:30 at Swanspool House", "10:00–12:30 · Wellingborough", True),
        ("1/2/2027 10am-11.15am : SSNP", "Monday 1 February 2027, 10:00–11:15 · SSNP", True),
        ("1 Feb 2027 2.30pm until 4pm quarterly 2", "Saturday 1 May 2027, 14:30–16:00", True),
        ("1/2/2027 10 am to noon", "10:00–12:00", True),
        ("1/2/2027 14:00 to 12:00", "The end time, 12:00, is not after the start, 14:00", False),
        ("1/2/2027 10:00 to 12:00 for 2h", "Give the end time or the length (for 2h)", False),
    ],
)
def test_a_meeting_may_be_given_its_end_time_instead_of_its_length(
    core: Core, typed: str, said: str, scheduled: bool
) -> None:
    board_set_up(core)
    assert said in core.command("UCHAIR", f"meeting add {typed}", SET_UP)
    meetings = core.command("UCHAIR", "meetings", SET_UP)
    assert ("No meetings are scheduled" not in meetings) is scheduled


def test_a_meeting_more_than_a_week_past_is_written_up_by_naming_it(core: Core) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "meeting add 14/04/2027 10:00", SET_UP)
    core.command("UCHAIR", "agenda add SSNP report to M1", SET_UP)
    later = datetime(2027, 1, 29, 9, tzinfo=UTC)  # 15 days after M1

    refused = core.command("UCHAIR", "note 1 Hotspot data shared", later)
    assert refused.startswith(
        "There is no current meeting: none is in progress or started in the last 7 days. To "
        "record against the last, M1 on Thursday 14 January 2027, name it: "
        "/board note M1 <item#> <text>, /board present @name to M1."
    )
    assert core.command("UCHAIR", "note M1 1 Hotspot data shared", later).startswith(
        "Note recorded against agenda item 1 (SSNP report) of M1:\nHotspot data shared"
    )
    assert "RESOLVED: to note the report" in core.command(
        "UCHAIR", "decision m1 1 to note the report", later
    )
    assert core.command("UCHAIR", "note M2 1 Too soon", later).startswith(
        "M2 has not started: record notes and decisions once it has."
    )
    assert core.command("UCHAIR", "note M1 2 No such item", later).startswith(
        "M1 has no agenda item 2."
    )
    assert core.command("UPAUL", "note M1 1 A member", later).startswith("Only the chair")
    minutes = core.command("UCHAIR", "minutes M1", later)
    assert "1. SSNP report\nHotspot data shared\nRESOLVED: to note the report" in minutes
    assert core.command("UCHAIR", "note remove M1 1 Hotspot data", later).startswith(
        "Give only the agenda item's number, e.g. note remove 2."
    )
    assert core.command("UCHAIR", "note remove M1 1", later).startswith(
        "Removed the last note against agenda item 1 (SSNP report) of M1:"
    )
    assert "Hotspot data shared" not in core.command("UCHAIR", "minutes M1", later)


def test_attendance_typed_before_the_meeting_starts_says_when_it_starts(core: Core) -> None:
    board_with_m1(core)
    early = core.command("UCHAIR", "present <@UPAUL>", datetime(2027, 1, 14, 9, 50, tzinfo=UTC))
    assert early.startswith(
        "M1 starts at 10:00. To take attendance now, name it: /board present @name to M1 "
        "(record notes and decisions once it has started)."
    )
    sent = core.command("UCHAIR", "apologies <@UPAUL>", datetime(2027, 1, 14, 9, 50, tzinfo=UTC))
    assert "name it: /board apologies @name to M1 (" in sent
    core.command("UCHAIR", "agenda add SSNP report", datetime(2027, 1, 14, 9, 0, tzinfo=UTC))
    note = core.command("UCHAIR", "note 1 Early", datetime(2027, 1, 14, 9, 50, tzinfo=UTC))
    assert note.startswith(
        "M1 starts at 10:00: record notes and decisions once it has started. Attendance may be "
        "taken now, naming it: /board present @name to M1."
    )
    day_before = core.command(
        "UCHAIR", "present <@UPAUL>", datetime(2027, 1, 13, 9, 50, tzinfo=UTC)
    )
    assert day_before.startswith(
        "There is no current meeting: none is in progress or started in the last 7 days. "
        "The next, M1, is on Thursday 14 January 2027: attendance, notes and decisions are "
        "recorded once it has started.\nUsage:"
    )
    apologies = core.command(
        "UCHAIR", "apologies <@UPAUL>", datetime(2027, 1, 13, 9, 50, tzinfo=UTC)
    )
    assert apologies.startswith(
        "There is no current meeting: none is in progress or started in the last 7 days. "
        "Apologies sent ahead for the next, M1 on Thursday 14 January 2027, name it: "
        "/board apologies @name to M1.\nUsage:\n/board apologies <@user> [<@user> …] [to <M#>]"
    )


def test_on_the_day_an_item_added_to_the_next_meeting_says_how_to_add_to_this_one(
    core: Core,
) -> None:
    board_set_up(core, "meeting add 14/01/2027 10:00 quarterly 2")
    added = core.command("UCHAIR", "agenda add Any other business", DURING_THE_MEETING)
    assert added.startswith("Added agenda item 1 to M2:")
    assert added.endswith("M1 is in progress: to add an item to it, end with to M1.")
    named = core.command("UCHAIR", "agenda add Any other business to M1", DURING_THE_MEETING)
    assert named.startswith("Added agenda item 1 to M1:") and "in progress" not in named
    # Asked for the agenda then, the next meeting's is shown (SPEC) and the one under way named.
    shown = core.command("UCHAIR", "agenda", DURING_THE_MEETING)
    assert shown.startswith("M2: Wellingborough CSP Board\n")
    assert shown.endswith("M1 is in progress: its agenda is /board agenda M1.")
    following = core.command("UCHAIR", "meeting next", DURING_THE_MEETING)
    assert following.startswith("M2: ") and following.endswith("its agenda is /board agenda M1.")
    assert "in progress" not in core.command("UCHAIR", "agenda M2", DURING_THE_MEETING)
    assert "in progress" not in core.command(
        "UCHAIR", "agenda", DURING_THE_MEETING + timedelta(hours=3)
    )
    moved = core.command("UCHAIR", "meeting move M2 to 21/04/2027 14:00", DURING_THE_MEETING)
    assert "Moved M2 Wednesday 21 April 2027, 14:00" in moved


def test_once_a_meetings_minutes_are_out_only_officers_change_its_agenda(core: Core) -> None:
    board_set_up(
        core,
        "member add <@UGILL> secretary",
        "member add <@UPAUL>",
        "meeting add 14/01/2027 10:00 quarterly 2",
    )
    core.command("UGILL", "agenda add SSNP report", SET_UP)
    during = core.command("UPAUL", "agenda add Any other business to M1", DURING_THE_MEETING)
    assert during.startswith("Added agenda item 2 to M1:")  # a partner raises it at the table
    core.command("UGILL", "decision 1 to note the report", DURING_THE_MEETING)
    published = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    core.command("UGILL", "minutes publish M1", published)

    refused = core.command("UPAUL", "agenda add Something never discussed to M1", published)
    assert refused.startswith(
        "Only the chair, vice-chair or secretary of Wellingborough CSP Board can add to the "
        "agenda of M1: its minutes are published. Ask @UGILL, the secretary."
    )
    later = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    refused = core.command("UPAUL", "agenda add Something never discussed to M1", later)
    assert "can add to the agenda of M1, which has been held." in refused
    assert "Something never discussed" not in core.command("UPAUL", "agenda M1", later)
    upcoming = core.command("UPAUL", "agenda add Hotspots to M2", later)
    assert upcoming == "Added agenda item 1 to M2:\n1. Hotspots"

    corrected = core.command("UGILL", "agenda add Late paper to M1", later)
    assert corrected.startswith("Added agenda item 3 to M1:")
    assert corrected.endswith(
        "M1's minutes are published (version 1): /board minutes publish M1 posts this change "
        "as version 2."
    )
    removed = core.command("UGILL", "agenda remove 3 M1", later)
    assert removed.endswith("posts this change as version 2.")


def test_actions_done_and_dropped_list_only_those(core: Core) -> None:
    board_set_up(core, "member add <@UPAUL>")
    for what in ("Map hotspots", "Share data", "Brief the PCC"):
        core.command("UCHAIR", f"action add <@UPAUL> {what}", SET_UP)
    core.command("UCHAIR", "action done A1", SET_UP)
    core.command("UCHAIR", "action drop A2", SET_UP)
    assert (
        core.command("UCHAIR", "actions done", SET_UP) == "Done actions (1)\nA1 @UPAUL Map hotspots"
    )
    dropped = core.command("UCHAIR", "actions dropped", SET_UP)
    assert dropped == "Dropped actions (1)\nA2 @UPAUL Share data"
    assert core.command("UCHAIR", "actions open", SET_UP) == core.command(
        "UCHAIR", "actions", SET_UP
    )
    assert "Your open actions (1)\nA3 Brief the PCC" in core.command("UPAUL", "actions me", SET_UP)


def test_an_owner_and_a_list_combine(core: Core) -> None:
    board_set_up(
        core,
        "member add <@UPAUL>",
        "action add <@UPAUL> Map hotspots by 1/12/2026",
        "action add <@UPAUL> Share data",
        "action add <@UCHAIR> Brief the PCC by 1/12/2026",
        "action done A2",
    )
    later = SET_UP + timedelta(days=3)
    paul = core.command("UCHAIR", "actions <@UPAUL> overdue", later)
    assert paul.startswith("Overdue actions of upaul (1)\nA1 @UPAUL Map hotspots")
    assert core.command("UCHAIR", "actions <@UPAUL>.", later).startswith("Open actions of upaul")
    mine = core.command("UPAUL", "actions all mine", later)
    assert mine.startswith("All your actions (2)\n") and "Share data · done" in mine
    assert "Map hotspots · due Tue 1 Dec 2026 (overdue) · open" in mine
    assert "@UCHAIR" not in mine
    both = core.command("UCHAIR", "actions overdue all", later)
    assert both.startswith("Give at most one owner and one of open, overdue, all, done and dropped")


def test_help_on_roles_says_who_may_do_what(core: Core) -> None:
    board_set_up(core)
    shown = core.command("UPAUL", "help roles", SET_UP)
    assert core.command("UPAUL", "help permissions", SET_UP) == shown
    title, _, readers, _, members, own, agenda, _, officers, footnote = shown.splitlines()
    assert title == "Help: roles"
    assert "/board summary" in readers and "/board minutes publish" not in readers
    assert members.startswith("/board agenda add, /board action add, /board action update")
    assert own.startswith("A member updates and closes only their own actions")
    assert agenda.endswith("to the current one until its minutes are published.")
    assert "/board minutes publish" in officers and "/board action add" not in officers
    assert footnote.endswith("/board member add @lara vice-chair.")


def test_help_on_dates_shows_only_forms_that_are_read(core: Core) -> None:
    board_set_up(core)
    shown = core.command("UCHAIR", "help dates", SET_UP)
    assert shown.startswith("Help: dates and times\nDay first: 7/1/2027, 07.01.27,")
    lines = shown.splitlines()[1:]
    dates_line, words_line, times_line, lengths_line, ends_line, due_line, _ = lines
    for line_ in (dates_line, words_line):
        for typed in line_.split(": ")[1].rstrip(".").split(", "):
            said = core.command("UCHAIR", f"meeting add {typed} 10:00", SET_UP)
            assert said.startswith(("Meeting scheduled", "Meeting added")), (typed, said)
    for typed in times_line.split(": ")[1].rstrip(".").split(", "):
        said = core.command("UCHAIR", f"meeting add 20/1/2027 {typed}", SET_UP)
        assert said.startswith("Meeting scheduled"), (typed, said)
    for typed in lengths_line.split(": ")[1].rstrip(".").split(", "):
        said = core.command("UCHAIR", f"meeting add 21/1/2027 10:00 {typed}", SET_UP)
        assert said.startswith("Meeting scheduled"), (typed, said)
    for typed in ends_line.split(": ")[1].rstrip(".").split(", "):
        said = core.command("UCHAIR", f"meeting add 22/1/2027 {typed}", SET_UP)
        assert said.startswith("Meeting scheduled"), (typed, said)
    by_meeting, due_at_meeting = due_line.split(": ")[1].rstrip(".").split(", ")
    said = core.command("UCHAIR", f"action add <@UCHAIR> Report {by_meeting}", SET_UP)
    assert "\nDue " in said, said
    said = core.command("UCHAIR", due_at_meeting.replace("A3", "A1"), SET_UP)
    assert " is now due " in said, said
    assert core.command("UCHAIR", "help times", SET_UP) == shown


def test_aliases_an_officer_would_type(core: Core) -> None:
    board_with_m1(core)
    for number, typed in ((1, "complete"), (2, "close")):
        core.command("UCHAIR", f"action add <@UPAUL> Action {number}", SET_UP)
        done = core.command("UCHAIR", f"action {typed} A{number}", SET_UP)
        assert done == f"Marked A{number} done: Action {number}"
    assert core.command("UCHAIR", "members list", SET_UP) == core.command(
        "UCHAIR", "members", SET_UP
    )


def test_an_agenda_item_may_name_its_presenter_first(core: Core) -> None:
    board_with_m1(core)
    added = core.command("UCHAIR", "agenda add <@UPAUL> SSNP update 20m", SET_UP)
    assert added == "Added agenda item 1 to M1:\n1. SSNP update — @UPAUL (20 min)"
    refused = core.command("UCHAIR", "agenda add <@UOUT> Fire service update", SET_UP)
    assert "is not on this board" in refused


def test_a_bare_number_after_the_presenter_is_the_items_minutes(core: Core) -> None:
    board_with_m1(core)
    added = core.command("UCHAIR", "agenda add Drugs and violent crime <@UPAUL> 20", SET_UP)
    assert added == "Added agenda item 1 to M1:\n1. Drugs and violent crime — @UPAUL (20 min)"
    section = core.command("UCHAIR", "agenda add Section 20 notices", SET_UP)
    assert section.endswith("2. Section 20 notices")


def test_an_items_options_may_be_written_as_a_list(core: Core) -> None:
    board_with_m1(core)
    listed = core.command("UCHAIR", "agenda add Prevent update, 15m, <@UPAUL>", SET_UP)
    assert listed.endswith("1. Prevent update — @UPAUL (15 min)")
    money = core.command("UCHAIR", "agenda add Capital bid (2m)", SET_UP)  # £2m, not minutes
    assert money.endswith("2. Capital bid (2m)")
    slip = core.command("UCHAIR", "agenda add Prevent update <@UPAUL> 15m M2", SET_UP)
    assert slip.startswith("Name the meeting after “to”: … to M2.\nUsage:")
    assert "3." not in core.command("UCHAIR", "agenda", SET_UP)


def test_lengths_times_and_settings_said_in_words_are_read(core: Core) -> None:
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    spoken = chair("meeting add 14/2/2027 @ 10am for two hours at Swanspool House")
    assert "M2 Sunday 14 February 2027, 10:00–12:00" in spoken
    assert "10:00–11:30" in chair("meeting add 14/3/2027 10am for an hour and a half")
    assert "10:00–12:30" in chair("meeting add 14/4/2027 10am for two and a half hours")
    assert "10:00–12:00" in chair("meeting add 14/5/2027 10:00 — 12:00")
    assert "I couldn't read “fıve hours” as a duration" in chair(
        "meeting add 1/6/2027 10am for fıve hours"
    )
    # A bare hour after `at` is the place where a time was given, and the time where none was.
    assert "14:00–16:00 · Wellingborough CSP Board · 10" in chair("meeting add 1/6/2027 2pm at 10")
    assert chair("meeting add 4 February at 10").startswith(
        "“at 10” reads as a place: give the time as 10:00, 10am or 10pm, after the date."
    )
    assert "10:00–12:00 · Wellingborough CSP Board · 2" in chair("meeting edit M1 at 2")
    assert "\n10 days before, 09:00: draft agenda" in chair("reminders set draft 10 days")
    assert "14 days before a meeting, 08:00" in chair("reminders set hour 8am")
    assert chair("reminders set hour 9.30am").startswith(
        "Reminders go out on the hour: hour 9, not 09:30."
    )
    assert chair("reminders set hour ²").startswith("I couldn't read “²” as a time.")
    chair("action add <@UCHAIR> Write to the PCC")
    assert "A1 reassigned from @UCHAIR to @UPAUL." in chair("action reassign A1 to <@UPAUL>")
    saturday = datetime(2027, 2, 13, 12, 0, tzinfo=UTC)  # the week to come is this one
    weekend = core.command("UPAUL", "action add <@UPAUL> Report by end of the week", saturday)
    assert "Due Friday 19 February 2027." in weekend


def test_changing_an_action_says_what_changed(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "action add <@UPAUL> Map hotspots")
    due = running_app.command("UGILL", "action due A1 31/1/2027")["text"]
    assert "*A1* is now due Sunday 31 January 2027." in due
    undated = running_app.command("UGILL", "action due A1 none")["text"]
    assert undated == "*A1* now has no due date, so no reminders."
    again = running_app.command("UGILL", "action due A1 None")["text"]
    assert again == "*A1* has no due date."
    running_app.command("UGILL", "action due A1 31/1/2027")
    moved = running_app.command("UGILL", "action reassign A1 <@USAM>")["text"]
    assert "*A1* reassigned from <@UPAUL> to <@USAM>." in moved
    assert "Dropped *A1*: Map hotspots" in running_app.command("UGILL", "action drop A1")["text"]
    assert "due Sun 31 Jan 2027 · dropped" in running_app.command("UGILL", "actions all")["text"]


def test_attendance_recorded_in_error_is_taken_back(core: Core) -> None:
    """Someone ticked present who neither came nor sent apologies."""
    board_with_m1(core)
    core.command("UCHAIR", "member add <@USAM>", SET_UP)
    chair = partial(core.command, "UCHAIR", at=DURING_THE_MEETING)
    chair("present <@UPAUL> <@USAM>")
    assert chair("absent <@USAM>") == (
        "No longer recorded at M1 (Thursday 14 January 2027) as present or as sending "
        "apologies: @USAM."
    )
    minutes = chair("minutes")
    assert "Present\nupaul (Member)\nApologies\nNone recorded." in minutes
    assert "usam" not in minutes
    assert chair("history M1").endswith("@UCHAIR took back attendance recorded in error (@USAM)")
    refused_changing_nothing(
        core,
        [
            ("absent <@USAM>", "There is no current meeting"),
            ("absent", "Name at least one person with @."),
        ],
    )
    before = dump(core.database)
    assert chair("absent <@USAM> to M1") == (
        "Not recorded at M1 (Thursday 14 January 2027) anyway: @USAM."
    )
    assert dump(core.database) == before


def test_a_typo_in_a_title_or_description_is_put_right(core: Core) -> None:
    """The item keeps its number, presenter and time; the action its owner, due date and
    history; the audit trail has the words before and after."""
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    chair("agenda add SSNP updte <@UPAUL> 20m")
    chair("action add <@UPAUL> Circulte the strategy by 7/1/2027")
    assert chair("agenda rename 1 SSNP update") == (
        "Renamed agenda item 1 of M1:\n1. SSNP update — @UPAUL (20 min)"
    )
    assert chair("agenda edit M1 1 SSNP annual report").endswith(
        "1. SSNP annual report — @UPAUL (20 min)"
    )
    assert chair("agenda rename 1 M1 junction 15 roadworks").endswith(
        "1. M1 junction 15 roadworks — @UPAUL (20 min)"
    )
    chair("agenda rename 1 SSNP annual report")
    # Another speaker: the presenter, with or without a new title.
    chair("member add <@USAM>")
    presenter = chair("agenda rename 1 <@USAM>")
    assert presenter == (
        "Changed the presenter of agenda item 1 of M1:\n1. SSNP annual report — @USAM (20 min)"
    )
    assert chair("agenda rename M1 1 SSNP report <@UPAUL>").endswith(
        "1. SSNP report — @UPAUL (20 min)"
    )
    assert chair("history M1").endswith(
        "renamed an agenda item (item 1): title SSNP annual report → SSNP report; "
        "presenter @USAM → @UPAUL"
    )
    assert chair("agenda rename 1 <@UPAUL>").startswith("Agenda item 1 already has that presenter.")
    assert chair("agenda rename 1 <@UOUT>").startswith("@UOUT is not on this board.")
    chair("agenda rename 1 SSNP annual report")
    assert chair("action edit A1 Circulate the strategy") == "Reworded A1: Circulate the strategy"
    assert chair("action rename A1 Circulate the SSNP strategy").startswith("Reworded A1")
    assert chair("actions").endswith("A1 @UPAUL Circulate the SSNP strategy · due Thu 7 Jan 2027")
    assert chair("history A1").endswith(
        "reworded it: description Circulate the strategy → Circulate the SSNP strategy"
    )
    refused_changing_nothing(
        core,
        [
            ("agenda rename 1 SSNP annual report", "Agenda item 1 already has that title."),
            ("agenda rename 2 Anything", "M1 has no agenda item 2."),
            ("agenda rename 1", "The new title is missing."),
            ("agenda rename M9 1 Report", "There is no meeting M9 on this board."),
            ("agenda rename 1 " + "x" * 201, "The new title is 201 characters; the limit is 200."),
            ("action edit A1 Circulate the SSNP strategy", "A1 already reads so."),
            ("action edit A1", "The new description is missing."),
            ("action edit A9 Anything", "There is no action A9 on this board."),
        ],
    )
    member = core.command("UPAUL", "action edit A1 Mine now", SET_UP)
    assert member.startswith("Only the chair, vice-chair or secretary")
    # One arising from a meeting whose minutes are out: how to publish the change too.
    at_m1 = partial(core.command, "UCHAIR", at=DURING_THE_MEETING)
    at_m1("action add <@UPAUL> Map hotspts item 1")
    at_m1("minutes publish M1")
    assert at_m1("action edit A2 Map hotspots") == (
        "Reworded A2: Map hotspots\nM1's minutes are published (version 1): "
        "/board minutes publish M1 posts this change as version 2."
    )


def test_a_meeting_on_a_weekend_is_pointed_out(core: Core) -> None:
    """A slip of the date, or a quarterly series's same day of the month landing on one."""
    board_set_up(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    series = chair("meeting add 16/1/2027 10:00 quarterly 4")
    assert series.endswith(
        "On a weekend: M1 (Saturday), M4 (Saturday). If not meant: "
        "/board meeting move M1 <date> <time>.\nAdd agenda items with /board agenda add <title>."
    )
    assert "weekend" not in chair("meeting move M1 15/1/2027 10:00")
    assert "On a weekend: M2 (Sunday)." in chair("meeting move M2 18/4/2027 10:00")


def test_a_new_board_says_there_is_nothing_yet(running_app: RunningApp) -> None:
    set_up_board(running_app)
    assert "No meetings are scheduled" in running_app.command("UPAUL", "meetings")["text"]
    every = running_app.command("UPAUL", "meetings all")["text"]
    assert every == "*Wellingborough CSP Board: every meeting (0)*\nNone yet."
    assert running_app.command("UPAUL", "meeting next")["text"].startswith(
        "No meeting is scheduled. Add one with /board meeting add &lt;date&gt; &lt;time&gt;."
    )
    assert running_app.command("UPAUL", "agenda")["text"].startswith(
        "No meeting is scheduled. Add one with /board meeting add &lt;date&gt; &lt;time&gt;.\n"
    )
    assert "Open actions: none." in running_app.command("UPAUL", "actions")["text"]


def test_a_sub_group_finds_its_parent_board_by_name_in_any_case(running_app: RunningApp) -> None:
    running_app.command("UCHAIR", "setup Ärzte- und Pflegeforum")
    reply = running_app.command(
        "UCHAIR", "setup Safeguarding sub-group parent ÄRZTE- UND PFLEGEFORUM", channel="CSUB"
    )
    assert "a sub-group of *Ärzte- und Pflegeforum*" in reply["text"], reply["text"]
    refused = running_app.command("UCHAIR", "setup Another group parent Nowhere", channel="COTHER")
    assert "There is no board called “Nowhere” to be the parent." in refused["text"]
    # The word parent in a name: the first `parent` followed by a board's name, or quotes.
    running_app.command(
        "UCHAIR", "setup Early help and parent support parent Safeguarding sub-group", channel="C3"
    )
    running_app.command("UCHAIR", 'setup "Parent carers forum"', channel="C4")
    blank = running_app.command("UCHAIR", 'setup "  "', channel="C5")["text"]
    assert "board name is missing" in blank
    quoted = running_app.command("UCHAIR", 'setup "Parent panel" parent Nowhere', channel="C5")
    assert "There is no board called “Nowhere” to be the parent." in quoted["text"]
    running_app.command("UCHAIR", 'setup "Parent panel" parent Parent carers forum', channel="C5")
    running_app.command("UCHAIR", "setup Twin", channel="C6")
    running_app.command("UCHAIR", "setup twin", channel="C7")
    ambiguous = running_app.command("UCHAIR", "setup Kid parent TWIN", channel="C8")["text"]
    assert "More than one board is called TWIN: name the parent by its channel" in ambiguous
    by_channel = running_app.command("UCHAIR", "setup Kid parent <#C7|twin-board>", channel="C8")
    assert "a sub-group of *twin*" in by_channel["text"]
    quoted_parent = running_app.command("UCHAIR", 'setup Kin parent "Twin"', channel="C9")
    assert "More than one board is called Twin" in quoted_parent["text"]  # the quotes are not
    with running_app.database.transaction() as session:
        parents = dict(session.execute(select(Board.name, Board.parent_id)).all())
    assert parents["Safeguarding sub-group"] is not None
    assert parents["Early help and parent support"] is not None
    assert parents["Parent carers forum"] is None
    assert parents["Parent panel"] is not None


def test_a_channel_without_a_board_says_how_to_start(running_app: RunningApp) -> None:
    reply = running_app.command("UPAUL", "actions", channel="COTHER")
    assert "no board yet" in reply["text"] and "/board setup" in reply["text"]
    assert "You are on" not in reply["text"]


def test_members_name_sub_groups_and_a_dm_points_to_the_boards(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UCHAIR", "setup SSNP parent Wellingborough CSP Board", channel="CSSNP")
    running_app.command("UCHAIR", "member add <@UPAUL>", channel="CSSNP")
    assert running_app.command("UPAUL", "members", channel="CSSNP")["text"].endswith(
        "A sub-group of Wellingborough CSP Board."
    )
    assert running_app.command("UPAUL", "members")["text"].endswith("Its sub-groups: SSNP.")
    reply = running_app.command("UPAUL", "actions mine", channel="DPAUL")["text"]
    assert reply.startswith(
        "You are on Wellingborough CSP Board (<#CBOARD>) and SSNP (<#CSSNP>): type board "
        "commands in their channels. Your open actions on every board are on my Home tab."
    )
    elsewhere = running_app.command("UPAUL", "actions mine", channel="COTHER")["text"]
    assert elsewhere.startswith(
        "You are on Wellingborough CSP Board (<#CBOARD>) and SSNP (<#CSSNP>): type board "
        "commands in their channels. This channel has no board; /board setup &lt;board name&gt; "
        "would set one up here."
    )
    refused = running_app.command("UPAUL", "setup My board", channel="DPAUL")["text"]
    assert refused.startswith("Set a board up in the channel it will meet in")
    group = running_app.sender.command(
        "UPAUL", "setup My board", channel="C0GROUP", channel_name="mpdm-paul--gill-1"
    ).json()["text"]
    assert group.startswith("Set a board up in the channel it will meet in")
    with running_app.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Board)) == 2


def test_bare_command_and_help_topics(running_app: RunningApp) -> None:
    everything = running_app.command("UPAUL", "")["text"]
    assert "/board action add" in everything
    assert "/board action add @gill Circulate the SSNP strategy to partners by 7/1/2027" in (
        everything
    )
    topic = running_app.command("UPAUL", "help actions")["text"]
    assert "Help: action" in topic and "e.g." in topic
    assert "/board action update A3 amber" in topic and "/board meeting add" not in topic
    assert topic.endswith("in the message's menu (More actions), Record as an action.")
    on_the_agenda = running_app.command("UPAUL", "help agenda")["text"]
    assert on_the_agenda.endswith("in the message's menu (More actions), Add to the agenda.")
    assert running_app.command("UPAUL", "help apologies")["text"].startswith("*Help: apologies*")
    unknown = running_app.command("UPAUL", "help frobnicate")["text"]
    assert "I have no help on “frobnicate”" in unknown and "/board meeting add" in unknown
    at_the_meeting = everything.split("*At the meeting*")[1].split("*Minutes and summary*")[0]
    assert "/board absent" in at_the_meeting
    assert "What members use most" not in everything  # not on a board here

    set_up_board(running_app)  # Paul a member, Gill the secretary
    member = running_app.command("UPAUL", "help")["text"]
    first = member.split("*What members use most*\n")[1].split("\n*Board*")[0]
    assert [usage.split(" — ")[0] for usage in first.splitlines()] == [
        "`/board actions [mine | &lt;@user&gt; | overdue | all]`",
        "`/board action update &lt;A#&gt; [red | amber | green] &lt;text&gt;`",
        "`/board action done &lt;A#&gt; [&lt;update&gt;]`",
        "`/board agenda [&lt;M#&gt;]`",
        "`/board agenda add &lt;title&gt; [&lt;@presenter&gt;] [&lt;minutes&gt;m] [to &lt;M#&gt;]`",
    ]
    assert "What members use most" not in running_app.command("UGILL", "help")["text"]


def test_an_app_installed_under_another_command_name_says_that_name(
    running_app: RunningApp,
) -> None:
    def csp(user: str, text: str) -> str:
        response = running_app.sender.command(user, text, channel="CBOARD", command="/csp")
        return str(response.json()["text"])

    running_app.clock.fixed = BEFORE_THE_QUARTER
    assert "You are its chair" in csp("UCHAIR", "setup Wellingborough CSP Board")
    assert "/csp action add" in csp("UCHAIR", "help")
    schedule = csp("UCHAIR", "reminders")
    assert "Change with /csp reminders on|off" in schedule and "/board" not in schedule

    # Where nothing was typed, the board's name for the command all the same.
    csp("UCHAIR", "member add <@UPAUL>")
    csp("UCHAIR", "meeting add 14/01/2027 10:00")
    csp("UCHAIR", "action add <@UPAUL> Share the data by 7/1/2027")
    reference = json.dumps({"board": 1, "number": 1, "channel": "DUPAUL"})
    assert running_app.sender.submit_update("UPAUL", reference, "Data shared").status == 200
    due = due_reminders(running_app.database, datetime(2027, 1, 7, 9, 0, tzinfo=UTC))
    said = [reminder.message.plain_text() for reminder in due]
    # The call, the draft (its agenda empty: it asks for items again), Paul's DM.
    assert [s.count("/csp ") for s in said] == [1, 1, 1]
    tab = home(running_app.database, TEAM, "UPAUL", BEFORE_THE_QUARTER).plain_text()
    assert "Type /csp help in a board's channel" in tab
    owns_nothing = home(running_app.database, TEAM, "UCHAIR", BEFORE_THE_QUARTER).plain_text()
    assert owns_nothing.startswith(
        "Your open actions\nYou have no open actions on any board.\n"
        "Wellingborough CSP Board\nIn #CBOARD · next meeting M1, Thursday 14 January 2027, 10:00\n"
    )
    assert "/board" not in "".join(said) + tab + owns_nothing


def test_an_announcement_the_bot_cannot_post_is_explained_to_the_typist(
    running_app: RunningApp,
) -> None:
    running_app.slack.fail_next("chat.postMessage", status=200, error="not_in_channel")
    reply = running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    assert "You are its chair" in reply["text"]
    [told] = running_app.slack.wait_for("response_url")
    assert told.params["response_type"] == "ephemeral"
    assert told.params["text"] == (
        "I couldn't post to this channel: I'm not in it. Invite me with /invite. What you typed"
        " is saved: no need to type it again."
    )


def test_a_meeting_entered_after_it_was_held_is_added_to_be_minuted(core: Core) -> None:
    board_set_up(core)
    said = core.command("UCHAIR", "meeting add 27/11/2026 10:00", SET_UP)
    assert said.startswith("Meeting added\nM1 Friday 27 November 2026, 10:00")
    assert "Record who came with /board present @name" in said
    older = core.command("UCHAIR", "meeting add 26/11/2026 10:00", SET_UP)
    assert older.endswith("Add its agenda with /board agenda add <title> to M2.")  # M1 is current
    ahead = core.command("UCHAIR", "meeting add 14/1/2027 10:00", SET_UP)
    assert ahead.startswith("Meeting scheduled\nM3 Thursday 14 January 2027, 10:00")


def test_a_note_or_decision_recorded_in_error_is_taken_back_on_the_record(core: Core) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "agenda add SSNP report", SET_UP)
    core.command("UCHAIR", "note 1 Hotspots remain Hemmingwell", DURING_THE_MEETING)
    core.command("UCHAIR", "decision 1 RESOLVE to note the report", DURING_THE_MEETING)
    core.command("UCHAIR", "decision 1 delete", DURING_THE_MEETING)
    removed = core.command("UCHAIR", "decision remove 1", DURING_THE_MEETING)
    assert removed == (
        "Removed the last decision against agenda item 1 (SSNP report) of M1:\nRESOLVED: delete"
    )
    minutes = core.command("UCHAIR", "minutes", DURING_THE_MEETING)
    assert "RESOLVED: to note the report" in minutes and "RESOLVED: delete" not in minutes
    assert "Removed the last note" in core.command("UCHAIR", "note remove 1", DURING_THE_MEETING)
    refused = core.command("UCHAIR", "note remove 1", DURING_THE_MEETING)
    assert refused.startswith("Agenda item 1 (SSNP report) of M1 has no note to remove.")
    assert "/board note remove <item#>" in refused
    trail = core.command("UCHAIR", "history M1", DURING_THE_MEETING)
    assert "removed a decision (item 1): delete" in trail
    assert "removed a note (item 1): Hotspots remain Hemmingwell" in trail


def test_with_none_scheduled_the_agenda_names_the_meeting_under_way(core: Core) -> None:
    board_with_m1(core)
    refused = core.command("UCHAIR", "agenda add Any other business", DURING_THE_MEETING)
    assert refused.startswith(
        "No meeting is scheduled after M1. Add one with /board meeting add <date> <time>, "
        "or name a meeting: /board agenda add … to M1."
    )
    added = core.command("UCHAIR", "agenda add Any other business to M1", DURING_THE_MEETING)
    assert added.startswith("Added agenda item 1 to M1")


def test_a_member_refused_an_officers_command_is_told_whom_to_ask(core: Core) -> None:
    board_with_m1(core)
    refused = core.command("UPAUL", "action due A1 1/3/2027", SET_UP)
    assert "secretary of Wellingborough CSP Board can do that. Ask @UCHAIR, the chair." in refused
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    assert "Ask @UGILL, the secretary." in core.command("UPAUL", "meeting cancel M1", SET_UP)
    outsider = core.command("UOUT", "meeting cancel M1", SET_UP)
    assert "Only the chair" in outsider and "Ask @UGILL, the secretary." in outsider
    joining = core.command("UOUT", "agenda add Street lighting", SET_UP)
    assert joining.startswith(
        "Only members of Wellingborough CSP Board can do that. "
        "Ask @UGILL, the secretary, to add you."
    )


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("end of the month", "Sunday 28 February 2027"),
        ("end of next month", "Wednesday 31 March 2027"),
        ("end of the quarter", "Wednesday 31 March 2027"),
        ("end of next quarter", "Wednesday 30 June 2027"),
        ("end of January 2028", "Monday 31 January 2028"),
        ("end of the week", "Friday 12 February 2027"),  # 10 February is a Wednesday
        ("end of next week", "Friday 19 February 2027"),
        ("w/c 22 February", "Monday 22 February 2027"),
        ("week commencing 1/3/2027", "Monday 1 March 2027"),
    ],
)
def test_a_deadline_at_the_end_of_a_period_is_its_last_day(
    core: Core, typed: str, due: str
) -> None:
    board_with_m1(core)
    february = datetime(2027, 2, 10, 12, 0, tzinfo=UTC)
    added = core.command("UPAUL", f"action add <@UPAUL> Report by {typed}", february)
    assert f"Due {due}." in added


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            "action add <@UPAUL> Report by end of January",
            "“end of January” has just passed "
            "(Sunday 31 January 2027). For the next, give the year: end of January 2028.",
        ),
        (
            "action add <@UPAUL> Report by 3/2",
            "“3/2” has just passed "
            "(Wednesday 3 February 2027). For the next, give the year: 3/2/2028.",
        ),
        (
            "meeting add 20 Jan 10:00",
            "“20 Jan” has just passed "
            "(Wednesday 20 January 2027). For the next, give the year: 20/1/2028.",
        ),
    ],
)
def test_a_date_with_no_year_that_has_just_passed_is_asked_about_not_moved_a_year_on(
    core: Core, typed: str, said: str
) -> None:
    board_with_m1(core)
    february = datetime(2027, 2, 10, 12, 0, tzinfo=UTC)
    assert said in core.command("UCHAIR", typed, february)
    listed = core.command("UCHAIR", "actions all", february) + core.command(
        "UCHAIR", "meetings", february
    )
    assert "2028" not in listed
    # Long gone this year, it is next year's: January's dates, typed in the autumn.
    october = datetime(2027, 10, 20, 12, 0, tzinfo=UTC)
    added = core.command("UCHAIR", "action add <@UPAUL> Report by 14/1", october)
    assert "Due Friday 14 January 2028." in added
    # Across the new year too: December's day, typed in the first days of January.
    new_year = datetime(2028, 1, 5, 12, 0, tzinfo=UTC)
    late = core.command("UCHAIR", "action add <@UPAUL> Report by 20/12", new_year)
    assert "“20/12” has just passed (Monday 20 December 2027)." in late
    leap = core.command("UCHAIR", "action add <@UPAUL> Report by 29/2", new_year.replace(month=3))
    assert (
        "“29/2” has just passed (Tuesday 29 February 2028). For the next, give the year: " in leap
    )
    assert "29/2/2032." in leap


def test_a_change_to_published_minutes_says_how_to_publish_it_too(core: Core) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "agenda add SSNP report", SET_UP)
    core.command("UCHAIR", "note 1 Hotspots remain", DURING_THE_MEETING)
    assert "published" not in core.command("UCHAIR", "present <@UPAUL>", DURING_THE_MEETING)
    core.command("UCHAIR", "minutes publish M1", DURING_THE_MEETING)
    for typed in (
        "apologies <@UPAUL>",
        "decision 1 to note the report",
        "note remove 1",
        "action add <@UPAUL> Share the data item 1",
    ):
        said = core.command("UCHAIR", typed, DURING_THE_MEETING)
        assert said.endswith(
            "M1's minutes are published (version 1): /board minutes publish M1 posts this "
            "change as version 2."
        ), (typed, said)


def test_an_action_closed_in_error_is_reopened_on_the_record(core: Core) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "action add <@UPAUL> Map hotspots by 1/3/2027", SET_UP)
    core.command("UCHAIR", "action add <@UPAUL> Share data", SET_UP)
    core.command("UPAUL", "action done A1", SET_UP)
    reopened = core.command("UPAUL", "action reopen A1", SET_UP)
    assert reopened == "Reopened A1 (was done): Map hotspots"
    assert "Update posted" in core.command("UPAUL", "action update A1 amber Half done", SET_UP)
    assert core.command("UPAUL", "action reopen A1", SET_UP).startswith("A1 is open already.")
    core.command("UCHAIR", "action drop A2", SET_UP)
    refused = core.command("UPAUL", "action reopen A2", SET_UP)
    assert refused.startswith("Only the chair, vice-chair or secretary of Wellingborough CSP Board")
    assert refused.endswith("can reopen a dropped action. Ask @UCHAIR, the chair.")
    reopened = core.command("UCHAIR", "action reopen A2", SET_UP)
    assert reopened.startswith("Reopened A2 (was dropped)")
    assert "reopened it: status done → open" in core.command("UCHAIR", "history A1", SET_UP)
    core.command("UCHAIR", "action done A1", SET_UP)
    core.command("UCHAIR", "member remove <@UPAUL>", SET_UP)
    orphan = core.command("UCHAIR", "action reopen A1", SET_UP)
    assert orphan.endswith(
        "@UPAUL is no longer on the board: give it to someone who is with "
        "/board action reassign A1 @name."
    )


def test_apologies_sent_ahead_are_recorded_against_the_meeting_named(core: Core) -> None:
    board_with_m1(core)
    sent = core.command("UCHAIR", "apologies <@UPAUL> to M1", SET_UP)
    assert sent == "Recorded at M1 (Thursday 14 January 2027) as sent apologies: @UPAUL."
    early = core.command("UCHAIR", "present <@UPAUL> M1", SET_UP)
    assert early.startswith("M1 is on Thursday 14 January 2027: record who came on the day.")
    on_the_day = datetime(2027, 1, 14, 9, 50, tzinfo=UTC)
    came = core.command("UCHAIR", "present <@UPAUL> to M1", on_the_day)
    assert came.startswith(
        "Recorded at M1 (Thursday 14 January 2027) as present: @UPAUL.\nNo longer recorded as sent"
    )
    core.command("UCHAIR", "meeting add 14/04/2027 10:00", SET_UP)
    core.command("UCHAIR", "meeting cancel M2", SET_UP)
    assert "M2 is cancelled." in core.command("UCHAIR", "apologies <@UPAUL> to M2", SET_UP)
    assert "no meeting M7" in core.command("UCHAIR", "apologies <@UPAUL> to M7", SET_UP)


def test_a_day_and_month_typed_for_a_meeting_just_held_is_this_years(core: Core) -> None:
    board_set_up(core)
    held = core.command("UCHAIR", "meeting add 26/11 10:00 : CSP Board", SET_UP)  # 5 days ago
    assert held.startswith("Meeting added\nM1 Thursday 26 November 2026, 10:00")
    gone = core.command("UCHAIR", "meeting add 20 Nov 10:00", SET_UP)  # more than a week ago
    assert gone.startswith("“20 Nov” has just passed (Friday 20 November 2026).")
    ahead = core.command("UCHAIR", "meeting add 20/11/2027 10:00", SET_UP)
    assert ahead.startswith("Meeting scheduled\nM2 Saturday 20 November 2027, 10:00")
    moved = core.command("UCHAIR", "meeting move M2 27/11 10:00", SET_UP)
    assert "Friday 27 November 2026, 10:00" in moved


def test_words_typed_in_place_of_a_subcommand_are_answered_as_such(core: Core) -> None:
    board_set_up(core, "meeting add 14/01/2027 10:00", "agenda add Opening", "agenda add SSNP")
    removed = core.command("UCHAIR", "agenda delete 1", SET_UP)
    assert removed == "Removed agenda item 1 (Opening) from M1. Later items have moved up."
    assert core.command("UCHAIR", "agenda", SET_UP).endswith("1. SSNP")
    refused = core.command("UCHAIR", "minutes draft", SET_UP)
    assert refused == (
        "I don't know “/board minutes draft”.\nUsage:\n"
        "/board minutes [<M#>]\n/board minutes publish [<M#>] [version <n>]"
    )


def test_a_due_date_takes_the_comma_before_it_and_the_minutes_say_who_publishes(
    core: Core,
) -> None:
    board_with_m1(core)
    added = core.command(
        "UCHAIR", "action add <@UPAUL> Collate figures by ward, by 7/1/2027", SET_UP
    )
    assert added.startswith("Added A1 for @UPAUL: Collate figures by ward\nDue Thursday 7 January")
    after = datetime(2027, 1, 14, 12, 30, tzinfo=UTC)
    officer = core.command("UCHAIR", "minutes", after)
    assert officer.endswith(
        "Draft: only you can see this. /board minutes publish M1 posts it to the channel "
        "with Markdown and Word copies."
    )
    member = core.command("UPAUL", "minutes", after)
    assert member.endswith(
        "Draft: only you can see this. The chair, vice-chair or secretary can post it to the "
        "channel with Markdown and Word copies."
    )


def test_slips_a_busy_officer_makes_are_read_or_answered_with_the_command_meant(
    core: Core,
) -> None:
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    assert chair("members add <@USAM>").startswith(
        "I don't know “/board members add”. Did you mean “/board member add”?\nUsage:\n"
        "/board member add <@user> [<role>] [org <organisation>]"
    )
    assert chair("member add <@USAM> Wellingborough Norse").startswith(
        "“Wellingborough” is not a role: chair, vice-chair, secretary, member. "
        "For an organisation, put org before it: org Wellingborough Norse."
    )
    assert chair("meetings cancel M1").startswith(
        "I don't understand “cancel M1” after meetings. Did you mean “/board meeting cancel”?"
    )
    assert chair("agenda swap 1 SSNP").startswith("I don't know “/board agenda swap”.\n")
    assert chair("note Holiday programme").startswith("“Holiday” is not an agenda item number.")
    assert chair("meeting cancel 1").startswith(
        "“1” is not a meeting number. Meetings are numbered M1, M2, … Did you mean M1?"
    )
    assert chair("agenda add Update <@UPAUL> for 15 mins").endswith("1. Update — @UPAUL (15 min)")
    item_typed_as_one_word = chair("action add <@UPAUL> Finalise it by end of February item1")
    assert item_typed_as_one_word.startswith("There is no current meeting")
    assert chair("action add <@UPAUL> Map the hotspots").endswith(
        "No due date, so no reminders: /board action due A1 <date> sets one."
    )
    member = core.command("UPAUL", "action add <@UPAUL> Brief the sergeants", SET_UP)
    assert member.endswith("an officer can set one with /board action due A2 <date>.")
    assert chair("actions for <@UPAUL>").startswith("Open actions of upaul (2)")
    assert chair("action delete A2") == "Dropped A2: Brief the sergeants"
    core.command("UCHAIR", "action add <@UPAUL> Brief the inspectors", SET_UP)
    assert core.command("UPAUL", "done A3 green Briefed at the tasking meeting", SET_UP) == (
        "Marked A3 done: Brief the inspectors\n"
        "Tue 1 Dec 2026 @UPAUL: [GREEN] Briefed at the tasking meeting"
    )
    core.command("UCHAIR", "action add <@UPAUL> Brief the PCSOs", SET_UP)
    core.command("UCHAIR", "action add <@UCHAIR> Brief the leader", SET_UP)
    before = dump(core.database)
    several = core.command("UPAUL", "action done A4 and A5", SET_UP)
    assert several.startswith("Only the action's owner, @UCHAIR, or a board officer")
    assert dump(core.database) == before  # all or none
    refused_changing_nothing(
        core,
        [
            ("done A4, A5 briefed", "To close several, list only their numbers, e.g. done A3, A5."),
            ("done A4 green", "Say how it was done after green, e.g. done A3 green Circulated."),
        ],
    )
    assert chair("action done A5, A4") == (
        "Marked A4 done: Brief the PCSOs\nMarked A5 done: Brief the leader"
    )
    paul = partial(core.command, "UPAUL", at=SET_UP)
    assert paul("my actions").startswith("Your open actions (1)\nA1 Map the hotspots")
    assert paul("update A1 amber Halfway").startswith("Update posted on A1 (Map the hotspots)")
    assert paul("done A1") == "Marked A1 done: Map the hotspots"
    assert paul("help done").startswith("Help: done\n/board action done <A#> [<update>]")
    assert paul("my actions please").endswith(
        "Usage:\n/board actions [mine | <@user> | overdue | all]"
    )


def test_a_partners_natural_phrasing_is_read_or_refused_clearly(core: Core) -> None:
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    paul = partial(core.command, "UPAUL", at=SET_UP)
    chair("action add <@UPAUL> Share hotspot data by 1/3/2027")
    chair("action add <@UPAUL> Brief the sergeants")
    # A colour starting a phrase is no RAG status; one set off by punctuation is.
    for typed, shown in [
        ("Red flag raised by the BID", "Red flag raised by the BID"),
        ("Green light from housing", "Green light from housing"),
        ("Red routes enforcement", "Red routes enforcement"),
        ("Red and amber cases triaged", "Red and amber cases triaged"),
        ("Green's statement taken", "Green's statement taken"),
        ("*amber* slipping", "[AMBER] slipping"),
        (":warning: slipping", ":warning: slipping"),
        ("amber/green four retailers", "amber/green four retailers"),
        ("AMBER. Analyst back", "[AMBER] Analyst back"),
        ("- amber - waiting on the DPIA", "[AMBER] waiting on the DPIA"),
    ]:
        assert paul(f"update A1: {typed}").endswith(f"@UPAUL: {shown}"), typed
    refused_changing_nothing(
        core,
        [
            ("update A1, A2 both progressing", "An update goes on one action: post it on each"),
            ("update A1 and A2 progressing", "An update goes on one action: post it on each"),
            ("update A1 amber", "Say what has happened after amber, e.g. update A3 amber DPIA"),
            ("done A1, A2 duplicates", "To close several, list only their numbers"),
            ("agenda add Hate crime <@UPAUL> 1/2 hour", "I couldn't read “1/2 hour” as the item's"),
            ("agenda add Knife crime <@UPAUL> half an hour to M1", "I couldn't read “half an"),
        ],
    )
    assert chair("agenda add Review with <@UPAUL> 2027 plan").endswith(
        "1. Review with <@UPAUL> 2027 plan"
    )
    for title in ("Community safety plan <@UPAUL> 2026/27", "Report <@UPAUL> 6.4"):
        assert chair(f"agenda add {title}").endswith(title), title
    assert chair("agenda add Budget <@UPAUL> 20 minutes.").endswith("Budget — @UPAUL (20 min)")
    # The board's most common deadline: its next meeting (or one named).
    assert chair("action add <@UPAUL> Present the SSNP report by the next meeting").endswith(
        "Present the SSNP report\nDue Thursday 14 January 2027."
    )
    assert chair("action due A3 by M1") == "A3 is already due Thursday 14 January 2027."
    # At the end of a description, `by M1` is as likely the motorway.
    assert chair("action add <@UPAUL> Signs by M6").endswith(
        "Signs by M6\nNo due date, so no reminders: /board action due A4 <date> sets one."
    )
    # A road or a paper size is not another action.
    assert paul("update A1 A45 closures confirmed").endswith("@UPAUL: A45 closures confirmed")
    assert paul("update A1 - DPIA signed") == (
        "Update posted on A1 (Share hotspot data); it stays AMBER, as last given:\n"
        "Tue 1 Dec 2026 @UPAUL: DPIA signed"
    )
    assert paul("done A2.") == "Marked A2 done: Brief the sergeants"
    assert paul("reopen A2") == "Reopened A2 (was done): Brief the sergeants"
    assert paul("my action").startswith("Your open actions (4)")
    assert paul("done A2-A4") == (
        "Marked A2 done: Brief the sergeants\nMarked A3 done: Present the SSNP report\n"
        "Marked A4 done: Signs by M6"
    )
    chair("meeting cancel M1")
    refused_changing_nothing(
        core,
        [
            ("action add <@UPAUL> Report by the next meeting", "No meeting is scheduled: give"),
            ("action reassign A1 <@UCHAIR> by M1", "M1 is cancelled."),
        ],
    )


def test_review_cases_of_presenters_meeting_numbers_weekdays_and_closed_actions(
    core: Core,
) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "member add <@USAM>", SET_UP)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    assert chair("agenda add <@UPAUL> SSNP update <@USAM>") == (
        "Name one presenter only.\nUsage:\n"
        "/board agenda add <title> [<@presenter>] [<minutes>m] [to <M#>]"
    )
    assert chair("agenda add Thanks to <@UOUT> <@USAM>").endswith("Thanks to <@UOUT> — @USAM")
    assert chair("agenda add Traffic diverted to M1.").startswith("Added agenda item 2 to M1")
    assert chair("agenda add Diversions via the A45 to M1/J15").endswith("to M1/J15")
    assert chair("meeting add Saturday 27 Nov 10:00").startswith(
        "Meeting scheduled\nM2 Saturday 27 November 2027, 10:00"
    )
    assert chair("meeting add Fri 27 Nov 10:00").startswith(
        "Meeting added\nM3 Friday 27 November 2026, 10:00"
    )
    assert chair("action add <@UPAUL> Brief partners by Fri 14 Jan").startswith(
        "“Fri 14 Jan” doesn't add up: 14 January 2027 is a Thursday."
    )
    for several in ("SSNP update to M1-M3", "SSNP update to M1, M2."):
        assert chair(f"agenda add {several}").startswith(
            "Add an item to one meeting at a time, e.g. … to M2."
        ), several
    assert chair("agenda add Lorry parking on the A14 to M1 M6").endswith("A14 to M1 M6")
    for meeting_left_out in (
        "SSNP update 10m to",
        "SSNP update <@UPAUL> to.",
        "SSNP <@UPAUL> 20 to,",
    ):
        assert chair(f"agenda add {meeting_left_out}").startswith(
            "Say which meeting the item is for after “to”, e.g. … to M2.\nUsage:"
        ), meeting_left_out
    assert chair("agenda add Things to look forward to").endswith("Things to look forward to")
    assert chair("agenda add Domestic abuse update <@UPAUL> 10m to M 1").endswith(
        "Domestic abuse update — @UPAUL (10 min)"
    )
    assert chair("agenda add Handovers over 30 minutes 15m").endswith("over 30 minutes (15 min)")
    before = dump(core.database)
    later = SET_UP + timedelta(days=1)
    again = core.command("UCHAIR", "member add <@USAM>", later)
    assert again == "@USAM is already on the board as Member."
    assert dump(core.database) == before  # not even the name looked up again
    assert chair("note rmove 2").startswith("I don't know “/board note rmove”. Did you mean")
    assert chair("meetings list").startswith("Wellingborough CSP Board: upcoming meetings")
    assert chair("member add <@USAM> secretery").startswith(
        "“secretery” is not a role: chair, vice-chair, secretary, member. Did you mean secretary?"
    )
    assert chair("actions <@UOUT>").startswith("@UOUT is not on this board.\nUsage:")
    core.command("UCHAIR", "action add <@UPAUL> Map the hotspots", SET_UP)
    core.command("UCHAIR", "action drop A1", SET_UP)
    assert core.command("UPAUL", "action done A1", SET_UP).startswith(
        "A1 is dropped; it can't be changed. If it was closed in error: an officer can reopen it"
    )


def test_an_action_given_to_someone_else_is_sent_to_them(running_app: RunningApp) -> None:
    """Reassigned, an action reaches its new owner by DM, who may not have been there
    when it was agreed, and the owner it was taken from is told; given to oneself, there
    is no one to tell."""
    set_up_board(running_app)
    running_app.command("UGILL", "action add <@UPAUL> Map ASB hotspots by 31/1/2027")
    posted = len(running_app.slack.wait_for("chat.postMessage", 1))  # the set-up
    reply = running_app.command("UGILL", "action reassign A1 <@USAM> by 28/2/2027")
    assert reply["response_type"] == "ephemeral"
    dm = running_app.slack.wait_for("chat.postMessage", posted + 1)[
        posted
    ]  # the taken one may follow
    assert dm.params["channel"] == "USAM"
    assert dm.params["text"] == (
        "*A1 is yours now — Wellingborough CSP Board*\n<@UGILL> has given you this action.\n"
        "*A1* Map ASB hotspots · due Sun 28 Feb 2027\n"
        "Or type /board action update A1 &lt;text&gt; in the board's channel."
    )
    buttons = [
        element["text"]["text"]
        for block in dm.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == ["Mark done", "Post update"]
    taken = running_app.slack.wait_for("chat.postMessage", posted + 2)[posted + 1]
    assert (taken.params["channel"], taken.params["text"]) == (
        "UPAUL",
        "*Your actions on Wellingborough CSP Board*\n"
        "<@UGILL> has given *A1* (Map ASB hotspots) to <@USAM>, so it is off your list.",
    )
    running_app.command("UGILL", "action reassign A1 <@UGILL>")
    running_app.command("UGILL", "meeting add 14/01/2027 10:00")  # announced: the lane is idle
    posts = running_app.slack.wait_for("chat.postMessage", posted + 4)
    assert [p.params["channel"] for p in posts[posted:]] == ["USAM", "UPAUL", "USAM", CHANNEL]
    # Someone who has left the board is not told: their actions are being tidied up.
    running_app.command("UGILL", "action reassign A1 <@USAM>")
    running_app.command("UGILL", "member remove <@USAM>")
    running_app.command("UGILL", "action reassign A1 <@UPAUL>")
    running_app.command("UGILL", "meeting add 21/01/2027 10:00")
    posts = running_app.slack.wait_for("chat.postMessage", posted + 7)
    assert [p.params["channel"] for p in posts[posted + 4 :]] == ["USAM", "UPAUL", CHANNEL]


def test_a_dm_to_a_new_owner_that_fails_is_explained_to_the_caller(
    running_app: RunningApp,
) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "action add <@UPAUL> Map ASB hotspots by 31/1/2027")
    running_app.slack.wait_for("chat.postMessage", 1)  # the set-up, out of the way
    running_app.slack.fail_next("chat.postMessage", status=200, error="channel_not_found")
    running_app.command("UGILL", "action reassign A1 <@USAM>")
    [told] = running_app.slack.wait_for("response_url")
    assert told.params["response_type"] == "ephemeral"
    assert told.params["text"] == "I couldn't deliver a message to <@USAM> (channel_not_found)."


def test_commands_and_numbers_written_as_in_a_sentence_are_read(core: Core) -> None:
    board_set_up(
        core,
        "meeting add 14/01/2027 10:00",
        "agenda add Opening",
        "agenda add SSNP",
        "agenda add AOB",
    )
    listed = core.command("UCHAIR", "meetings", SET_UP)
    assert core.command("UCHAIR", "meetings.", SET_UP) == listed
    removed = core.command("UCHAIR", "agenda remove item 3", SET_UP)
    assert removed.startswith("Removed agenda item 3 (AOB) from M1.")
    for typed in ("note 2: Strategy agreed by partners", "note item 1 Welcome and introductions"):
        assert "I don't" not in core.command("UCHAIR", typed, DURING_THE_MEETING)
    core.command("UCHAIR", "note M1. 2 Hotspots remain", DURING_THE_MEETING)
    arising = core.command(
        "UCHAIR", "action add <@UCHAIR> Write to the PCC item 2.", DURING_THE_MEETING
    )
    assert "Arising from agenda item 2 of M1." in arising
    draft = core.command("UCHAIR", "minutes M1.", DURING_THE_MEETING)
    assert "Strategy agreed by partners" in draft and "Welcome and introductions" in draft
    assert "Hotspots remain" in draft


def test_a_long_update_is_cut_short_in_lists_and_shown_whole_in_the_history(core: Core) -> None:
    board_with_m1(core)
    core.command("UCHAIR", "action add <@UPAUL> Hotspot review by 7/1/2027", SET_UP)
    report = " ".join(
        f"Ward {n} patrols reviewed with housing and youth services." for n in range(50)
    )
    core.command("UPAUL", f"action update A1 amber {report}", SET_UP)
    for listing in ("actions", "summary"):
        shown = core.command("UCHAIR", listing, SET_UP)
        assert "Ward 0 patrols" in shown and "Ward 49" not in shown and "…" in shown
    long_title = "Hotspot review covering " + ", ".join(f"ward {n}" for n in range(60))
    core.command("UCHAIR", f"action add <@UPAUL> {long_title}", SET_UP)
    assert long_title in core.command("UCHAIR", "actions", SET_UP)  # only updates are cut
    assert report in core.command("UCHAIR", "history A1", SET_UP)


def test_a_due_date_in_brackets_or_after_a_colon_is_read_and_one_said_otherwise_is_offered(
    core: Core,
) -> None:
    board_with_m1(core)
    for typed in ("(by 7/1/2027)", "by: 7/1/2027"):
        added = core.command("UCHAIR", f"action add <@UPAUL> Circulate strategy {typed}", SET_UP)
        assert "Circulate strategy\nDue Thursday 7 January 2027." in added, typed
    said = core.command("UCHAIR", "action add <@UPAUL> Circulate strategy due 7/1/2027", SET_UP)
    assert said.endswith(
        "Circulate strategy due 7/1/2027\nNo due date, so no reminders: if it is due "
        "7/1/2027, /board action due A3 7/1/2027 sets it."
    )
    member = core.command("UPAUL", "action add <@UPAUL> Chase returns before 14 Jan 2027", SET_UP)
    assert member.endswith(
        "if it is due 14 Jan 2027, an officer can set it with /board action due A4 14 Jan 2027."
    )
    bracketed = core.command("UCHAIR", "action add <@UPAUL> Report (due 7/1/2027)", SET_UP)
    assert "if it is due 7/1/2027, /board action due A5 7/1/2027 sets it." in bracketed
    plain = core.command("UPAUL", "action add <@UPAUL> Chase reports due from partners", SET_UP)
    assert plain.endswith("an officer can set one with /board action due A6 <date>.")


def test_an_action_written_up_after_the_week_names_the_meeting_it_arose_at(core: Core) -> None:
    board_set_up(core, "meeting add 14/01/2027 10:00", "agenda add Opening", "agenda add SSNP")
    weeks_later = datetime(2027, 2, 10, 12, 0, tzinfo=UTC)
    arising = core.command(
        "UCHAIR", "action add <@UCHAIR> Write to the PCC by 1/3/2027 item M1 2", weeks_later
    )
    assert arising.endswith("Due Monday 1 March 2027.\nArising from agenda item 2 of M1.")
    unnamed = core.command("UCHAIR", "action add <@UCHAIR> Brief the PCC item 2", weeks_later)
    assert (
        "To record against the last, M1 on Thursday 14 January 2027, name it: "
        "/board action add <@owner> <description> item M1 2.\n"
    ) in unnamed
    for slip, said in (("item M1", "item M1 2"), ("item 2 M1", "item M1 2")):
        refused = core.command("UCHAIR", f"action add <@UCHAIR> Brief the PCC {slip}", weeks_later)
        assert refused.startswith(f"Name the meeting, then the item: … {said}."), slip
    minuted = core.command("UCHAIR", "minutes M1", weeks_later)
    assert "2. SSNP\nActions arising:\n    A1 Write to the PCC" in minuted
    missing = core.command("UCHAIR", "action add <@UCHAIR> Brief the PCC item M9 1", weeks_later)
    assert missing.startswith("There is no meeting M9 on this board.")
    core.command("UCHAIR", "meeting add 14/04/2027 10:00", weeks_later)
    ahead = core.command("UCHAIR", "action add <@UCHAIR> Brief the PCC item M2 1", weeks_later)
    assert ahead.startswith("M2 has not started: link actions to its items once it has.")
    odd = core.command("UCHAIR", "action add <@UCHAIR> Brief the PCC item M1 2.5", weeks_later)
    assert odd.startswith("“2.5” is not an agenda item number.")


def test_every_meeting_is_listed_with_all_held_and_cancelled_too(core: Core) -> None:
    board_set_up(core, "meeting add 14/01/2027 10:00 quarterly 3", "meeting cancel M2")
    spring = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)
    upcoming = core.command("UCHAIR", "meetings", spring)
    assert "M3" in upcoming and "M1" not in upcoming
    every = core.command("UCHAIR", "meetings all", spring)
    assert every.startswith("Wellingborough CSP Board: every meeting (3)\nM1 Thursday 14 January")
    assert "M2 Wednesday 14 April 2027, 10:00–12:00 · Wellingborough CSP Board (cancelled)" in every
    # A list refuses a word it does not take; one of the singular command's is pointed at it.
    meant = core.command("UCHAIR", "meetings cancel M3", spring)
    assert meant.startswith(
        "I don't understand “cancel M3” after meetings. Did you mean “/board meeting cancel”?"
    )
    done = core.command("UCHAIR", "actions done all", spring)
    assert done.startswith("Give at most one owner and one of")  # its own reason, not a guess
    refused = core.command("UCHAIR", "meetings soon", spring)
    assert refused.startswith(
        "I don't understand “soon” after meetings.\nUsage:\n/board meetings [all]"
    )


def test_words_an_officer_reaches_for_run_the_command_meant(core: Core) -> None:
    board_set_up(core, "meeting add 14/01/2027 10:00", "agenda add Opening")
    core.command("UCHAIR", "action add <@UCHAIR> Circulate the strategy by 7/1/2027", SET_UP)
    assert core.command("UCHAIR", "agenda next", SET_UP) == core.command("UCHAIR", "agenda", SET_UP)
    history = core.command("UCHAIR", "history A1", SET_UP)
    for typed in ("action show A1", "action history A1"):
        assert core.command("UCHAIR", typed, SET_UP) == history
    assert core.command("UCHAIR", "meeting history M1", SET_UP).startswith("History of M1")


def test_an_action_recorded_without_its_item_is_linked_to_it_afterwards(core: Core) -> None:
    """`… item 1 by 1/2/2027`: the item typed before the date is read as words (SPEC's
    order puts it last). The reply says so, and `action link` makes the link, for the
    minutes, without dropping the action and burning its number."""
    board_with_m1(core)
    core.command("UCHAIR", "agenda add SSNP report to M1", SET_UP)
    core.command("UCHAIR", "agenda add Housing to M1", SET_UP)
    chair = partial(core.command, "UCHAIR", at=DURING_THE_MEETING)
    added = chair("action add <@UPAUL> Circulate Op Sceptre dates item 1 by 1/2/2027")
    assert added.endswith(
        "Not linked to an agenda item (item comes last, after the date): "
        "/board action link A1 item 1."
    )
    member = core.command(
        "UPAUL", "action add <@UPAUL> Walk item 2 by 1/2/2027", DURING_THE_MEETING
    )
    assert member.endswith("an officer can link it with /board action link A2 item 2.")
    assert "Not linked" not in chair("action add <@UPAUL> Review item 9 by 1/2/2027")  # no item 9

    before = dump(core.database)
    for typed, refusal in [
        ("action link A1", "Give the agenda item, e.g. action link A3 item 2 (or item M1 2)."),
        ("action link A1 item 5", "The current meeting, M1, has no agenda item 5."),
        ("action link A9 item 1", "There is no action A9 on this board."),
    ]:
        assert chair(typed).startswith(refusal + "\nUsage:\n/board action link <A#> item <item#>")
    assert core.command("UPAUL", "action link A1 item 1", DURING_THE_MEETING).startswith(
        "Only the chair, vice-chair or secretary"
    )
    assert dump(core.database) == before

    assert chair("action link A1 item 1") == (
        "A1 now arises from agenda item 1 (SSNP report) of M1: the minutes show it under that "
        "item.\nIts description now reads: Circulate Op Sceptre dates"
    )
    assert chair("action link A1 item 1") == "A1 already arises from M1 item 1."
    assert chair("action link A1 to item M1 2").startswith("A1 now arises from agenda item 2")
    minutes = chair("minutes")
    assert "2. Housing\nActions arising:\n    A1 Circulate Op Sceptre dates — " in minutes
    assert chair("history A1").endswith(
        "@UCHAIR linked it to an agenda item: arising from no item → M1 item 1\n"
        "Thu 14 Jan 2027 10:45 @UCHAIR reworded it: description Circulate Op Sceptre dates "
        "item 1 → Circulate Op Sceptre dates\n"
        "Thu 14 Jan 2027 10:45 @UCHAIR linked it to an agenda item: arising from M1 item 1 → "
        "M1 item 2"
    )


def test_someone_on_more_boards_than_the_home_tab_holds_is_told_how_many_more(
    core: Core,
) -> None:
    for n in range(1, MOST_BOARDS + 2):
        core.command("UCHAIR", f"setup Board {n}", SET_UP, channel=f"CB{n}")
    tab = home(core.database, TEAM, "UCHAIR", SET_UP).plain_text()
    assert tab.count("no meeting scheduled") == MOST_BOARDS
    assert tab.endswith(
        "…and 1 more board.\nType /board help in a board's channel for everything else."
    )


def test_taking_the_register_says_who_is_yet_to_be_marked(core: Core) -> None:
    """On the meeting's day each attendance reply names those marked neither way; a
    record put right afterwards does not."""
    board_with_m1(core)
    core.command("UCHAIR", "member add <@USAM>", SET_UP)
    chair = partial(core.command, "UCHAIR", at=DURING_THE_MEETING)
    assert chair("present <@UPAUL>").endswith(
        "as present: @UPAUL.\nNot yet recorded: @UCHAIR, @USAM."
    )
    assert chair("apologies <@USAM>").endswith("Not yet recorded: @UCHAIR.")
    assert "Not yet recorded" not in chair("present <@UCHAIR>")
    assert chair("meeting next").startswith(
        "No meeting is scheduled. Add one with /board meeting add <date> <time>. M1 is in "
        "progress: its agenda is /board agenda M1."
    )
    later = core.command("UCHAIR", "absent <@USAM>", DURING_THE_MEETING + timedelta(days=2))
    assert "Not yet recorded" not in later
    assert "Not yet recorded" not in core.command(
        "UCHAIR", "apologies <@USAM>", DURING_THE_MEETING + timedelta(days=2)
    )


def test_an_action_dropped_with_a_reason_says_why_where_the_board_reads(core: Core) -> None:
    """The reason is its last update (as `action done`'s is), so history and minutes say
    why; the chair's summary lists it beside the actions done."""
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    chair("action add <@UPAUL> Licensing review of the Hemmingwell shops")
    chair("action add <@UPAUL> Map the hotspots")
    before = dump(core.database)
    for several in ("A1 A2", "A1 and A2", "A1, A2 gone"):
        assert chair(f"action drop {several}").startswith(
            "Drop one action at a time, giving why after its number if you like.\nUsage:\n"
            "/board action drop <A#> [<reason>]"
        ), several
    assert dump(core.database) == before
    dropped = chair("action drop A1 - Superseded by the county licensing review")
    assert dropped == (
        "Dropped A1: Licensing review of the Hemmingwell shops\n"
        "Tue 1 Dec 2026 @UCHAIR: Superseded by the county licensing review"
    )
    assert chair("action drop A2") == "Dropped A2: Map the hotspots"
    summary = chair("summary")
    assert summary.endswith(
        "Done or dropped so far\n"
        "A1 Licensing review of the Hemmingwell shops — upaul · dropped Tue 1 Dec 2026\n"
        "A2 Map the hotspots — upaul · dropped Tue 1 Dec 2026"
    )


def test_moving_a_meeting_says_which_actions_were_due_on_its_old_day(core: Core) -> None:
    """`by the next meeting` is the meeting's day: moved later, those actions would fall
    overdue before the meeting they were for."""
    board_with_m1(core)
    chair = partial(core.command, "UCHAIR", at=SET_UP)
    chair("action add <@UPAUL> Bring the county lines profile by the next meeting")
    chair("action add <@UPAUL> Map the hotspots by 13/1/2027")
    chair("action add <@UPAUL> Bring the hotspot maps by 14/1/2027")
    moved = chair("meeting move M1 28/1/2027 10:00")
    assert moved.endswith(
        "A1 and A3 were due on its old day, Thursday 14 January 2027. To keep each due at the "
        "meeting:\n/board action due A1 M1\n/board action due A3 M1"
    )
    assert chair("action due A1 M1") == "A1 is now due Thursday 28 January 2027."
    assert "due on its old day" not in chair("meeting move M1 28/1/2027 14:00")  # same day
