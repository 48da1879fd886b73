"""Which reminders are due when: the board's schedule over a quarter, in its own timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from commands.reminders import DueReminder, due_reminders
from storage.database import Database
from storage.deliveries import claim, mark_sent, release
from storage.models import Meeting, ReminderDelivery
from tests.conftest import Core, migrated_again

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def due(database: Database, now: datetime) -> list[tuple[str, str]]:
    return [(r.key.kind, r.key.recipient) for r in due_reminders(database, now)]


def send_all(database: Database, now: datetime) -> list[DueReminder]:
    """What a pass would post, recorded as sent (no chat service involved)."""
    posted = due_reminders(database, now)
    for reminder in posted:
        assert claim(
            database,
            reminder.key,
            reminder.board_id,
            "test",
            now,
            meeting_starts_at=reminder.meeting_starts_at,
        )
        mark_sent(database, reminder.key, "test", now, None)
    return posted


def board(core: Core, meeting: str = "14/01/2027 10:00") -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    core.command("UCHAIR", "member add <@UPAUL>", SET_UP)
    core.command("UGILL", f"meeting add {meeting} : CSP Board", SET_UP)


def test_a_quarter_call_draft_and_eve_each_once_at_nine(core: Core, database: Database) -> None:
    board(core)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 10/1/2027", SET_UP)
    core.command("UGILL", "action add <@UGILL> Circulate strategy by 14/1/2027", SET_UP)
    core.command("UGILL", "action add <@UGILL> Review the plan by 28/2/2027", SET_UP)

    assert due(database, at("2026-12-31T08:59")) == []
    assert due(database, at("2026-12-31T09:00")) == [("agenda_call", "CBOARD")]
    [call] = send_all(database, at("2026-12-31T09:00"))
    asked = call.message.plain_text()
    assert "propose items for M1 (Thursday 14 January 2027, 10:00) by Thursday 7 January" in asked
    assert "/board agenda add <title> [@presenter] [20m] to M1" in asked
    assert due(database, at("2027-01-06T12:00")) == []

    draft = due(database, at("2027-01-07T09:00"))
    assert draft == [
        ("draft_agenda", "CBOARD"),
        ("owner_update", "UGILL"),
        ("owner_update", "UPAUL"),
    ]
    posted = send_all(database, at("2027-01-07T09:00"))
    gill = next(r for r in posted if r.key.recipient == "UGILL").message.plain_text()
    assert "Circulate strategy" in gill and "Review the plan" not in gill
    channel = next(r for r in posted if r.key.kind == "draft_agenda").message.plain_text()
    assert "Actions due before the meeting" in channel
    assert "A1" in channel and "Share hotspot data" in channel and "@UPAUL" in channel
    assert "Circulate strategy" in channel and "Review the plan" not in channel  # due after
    assert channel.index("Share hotspot data") < channel.index("Circulate strategy")  # by date
    assert "Owners still on the board have been sent a message" in channel
    # An action given after the draft went out: its owner is not asked there and then.
    given = at("2027-01-09T15:00")
    core.command("UGILL", "action reassign A2 <@UCHAIR>", given)
    assert due(database, given + timedelta(minutes=1)) == []
    core.command("UGILL", "action add <@UCHAIR> Brief the PCC by 14/1/2027", given)
    assert due(database, given + timedelta(minutes=1)) == []

    # Paul's action fell due on the 10th: his overdue notice comes the morning after.
    assert due(database, at("2027-01-11T08:59")) == []
    assert due(database, at("2027-01-11T09:00")) == [("overdue", "UPAUL")]
    send_all(database, at("2027-01-11T09:00"))
    assert due(database, at("2027-01-13T08:59")) == []
    assert due(database, at("2027-01-13T09:00")) == [("eve", "CBOARD")]
    send_all(database, at("2027-01-13T09:00"))
    assert due(database, at("2027-01-14T10:00")) == []


def test_a_draft_agenda_with_no_actions_due_says_so(core: Core, database: Database) -> None:
    board(core)
    send_all(database, at("2026-12-31T09:00"))
    [draft] = send_all(database, at("2027-01-07T09:00"))
    assert "No open actions fall due before the meeting." in draft.message.plain_text()
    assert "have been sent a message" not in draft.message.plain_text()


def test_any_member_sees_the_schedule_and_off_stops_every_reminder(
    core: Core, database: Database
) -> None:
    board(core)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 10/1/2027", SET_UP)
    shown = core.command("UPAUL", "reminders", SET_UP)
    assert "Reminders for Wellingborough CSP Board are on" in shown
    assert "14 days before a meeting, 09:00: call for agenda items (channel)" in shown
    core.command("UGILL", "reminders off", SET_UP)
    assert due(database, at("2027-01-11T09:00")) == []  # not even Paul's overdue notice
    core.command("UGILL", "reminders set eve 2", SET_UP)
    core.command("UGILL", "reminders on", SET_UP)
    assert ("overdue", "UPAUL") in due(database, at("2027-01-11T09:00"))
    assert ("eve", "CBOARD") in due(database, at("2027-01-12T09:00"))


def test_times_follow_the_clocks_going_forward(core: Core, database: Database) -> None:
    # Clocks go forward on Sunday 28 March 2027; the meeting is the Monday after.
    board(core, "29/03/2027 10:00")
    [call] = due_reminders(database, at("2027-03-15T09:00"))
    assert call.fire_at == at("2027-03-15T09:00")  # GMT
    send_all(database, at("2027-03-15T09:00"))
    [draft] = due_reminders(database, at("2027-03-22T09:00"))
    assert draft.fire_at == at("2027-03-22T09:00")  # still GMT
    send_all(database, at("2027-03-22T09:00"))
    assert due(database, at("2027-03-28T07:59")) == []
    [eve] = due_reminders(database, at("2027-03-28T08:00"))
    assert eve.fire_at == at("2027-03-28T08:00")  # 09:00 BST


def test_a_board_keeps_the_timezone_it_was_set_up_in(database: Database) -> None:
    """BOARD_TIMEZONE names new boards' zone: New York's 10:00 is 15:00 UTC in winter."""
    board(Core(database, "America/New_York"))
    later = Core(database)  # the deployment's default changing does not move the board
    scheduled = later.command("UGILL", "meetings", SET_UP)
    assert "M1 Thursday 14 January 2027, 10:00" in scheduled
    with database.transaction() as session:
        assert session.scalars(select(Meeting.starts_at)).one() == at("2027-01-14T15:00")
    assert due(database, at("2026-12-31T13:59")) == []
    [call] = due_reminders(database, at("2026-12-31T14:00"))  # 09:00 in New York
    assert call.fire_at == at("2026-12-31T14:00")
    assert "Times are America/New_York" in later.command("UPAUL", "reminders", SET_UP)


def test_a_moved_meeting_reschedules_and_a_cancelled_one_drops(
    core: Core, database: Database
) -> None:
    board(core)
    core.command("UGILL", "meeting add 14/04/2027 10:00", SET_UP)
    send_all(database, at("2026-12-31T09:00"))
    core.command("UGILL", "meeting move M1 28/01/2027 10:00", at("2027-01-02T10:00"))
    # The old draft date passes quietly; the new schedule runs from the new date.
    assert due(database, at("2027-01-07T09:00")) == []
    assert due(database, at("2027-01-14T09:00")) == [("agenda_call", "CBOARD")]
    core.command("UGILL", "meeting cancel M2", at("2027-01-02T10:00"))
    assert due(database, at("2027-03-31T09:00")) == []


def test_a_move_reschedules_what_a_pass_run_ahead_of_the_clock_already_sent(
    core: Core, database: Database
) -> None:
    """Cron's `reminders run --at` may run as of a later instant than the move is typed:
    the call for items sent for the old date is sent again for the new one."""
    board(core)
    assert [r.key.kind for r in send_all(database, at("2026-12-31T09:00"))] == ["agenda_call"]
    core.command("UGILL", "meeting move M1 28/01/2027 10:00", SET_UP + timedelta(hours=1))
    assert due(database, at("2027-01-07T09:00")) == []
    [call] = send_all(database, at("2027-01-14T09:00"))
    assert call.key.kind == "agenda_call"
    assert "propose items for M1 (Thursday 28 January 2027, 10:00)" in call.message.plain_text()
    assert due(database, at("2027-01-14T09:01")) == []


def test_migration_0005_takes_a_reminder_as_for_the_present_start_unless_moved_since(
    core: Core, database: Database
) -> None:
    """Reminders sent before 0005: one sent since its meeting was last added or moved
    was for its present start; of one sent before a move, the start is not known."""
    board(core)  # M1 on 14 January
    core.command("UGILL", "meeting add 21/01/2027 10:00", SET_UP)  # M2
    send_all(database, at("2026-12-31T09:00"))  # M1's call for items
    core.command("UGILL", "meeting move M1 11/02/2027 10:00", at("2027-01-02T10:00"))
    send_all(database, at("2027-01-07T09:00"))  # M2's call for items

    migrated_again(database, "0004")
    with database.transaction() as session:
        starts = session.scalars(
            select(ReminderDelivery.meeting_starts_at).order_by(ReminderDelivery.id)
        ).all()
    assert starts == [None, at("2027-01-21T10:00")]
    core.command("UGILL", "reminders set call 15", at("2027-01-08T10:00"))
    assert due(database, at("2027-01-08T10:01")) == []  # M2's call stands at a new offset
    assert due(database, at("2027-01-27T09:00")) == [("agenda_call", "CBOARD")]  # M1's, again


def test_a_reminder_that_keeps_failing_is_tried_every_five_minutes_then_hourly(
    database: Database, core: Core
) -> None:
    board(core)
    [call] = due_reminders(database, at("2026-12-31T09:00"))

    def attempt(minutes: float) -> int:
        """Claim (timed by the clock, `minutes` after the first try) and fail to post."""
        when = call.fire_at + timedelta(minutes=minutes)
        taken = claim(database, call.key, call.board_id, "p", when, meeting_starts_at=None)
        if taken:
            release(database, call.key, "p", "channel_not_found")
        return taken

    assert [attempt(0), attempt(1)] == [1, 2]  # the next pass tries again at once
    assert [attempt(2), attempt(5.5)] == [0, 0]
    assert [attempt(6 + 5 * n) for n in range(12)] == list(range(3, 15))  # to minute 61
    assert [attempt(66), attempt(120)] == [0, 0]
    assert [attempt(121), attempt(181)] == [15, 16]


def test_a_reminder_claimed_again_after_a_failure_records_the_start_it_is_now_for(
    database: Database, core: Core
) -> None:
    board(core)
    [call] = due_reminders(database, at("2026-12-31T09:00"))
    old, new = at("2027-01-14T10:00"), at("2027-01-14T14:00")
    assert claim(database, call.key, call.board_id, "a", call.fire_at, meeting_starts_at=old)
    release(database, call.key, "a", "Slack answered 503")
    assert claim(database, call.key, call.board_id, "b", call.fire_at, meeting_starts_at=new)
    with database.transaction() as session:
        assert session.scalars(select(ReminderDelivery.meeting_starts_at)).all() == [new]


def test_what_went_out_is_not_sent_again_for_new_offsets_or_a_meeting_moved_a_day(
    core: Core, database: Database
) -> None:
    """New offsets and a move re-time the reminders still to come; those already posted
    stand, and a pass does not catch up on times that passed before the change."""
    board(core)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 12/1/2027", SET_UP)
    send_all(database, at("2026-12-31T09:00"))
    assert {r.key.kind for r in send_all(database, at("2027-01-07T09:00"))} == {
        "draft_agenda",
        "owner_update",
    }
    core.command("UGILL", "reminders set draft 10", at("2027-01-07T10:00"))
    core.command("UGILL", "reminders set call 21", at("2027-01-07T10:00"))
    assert due(database, at("2027-01-07T10:01")) == []
    core.command("UGILL", "meeting move M1 15/01/2027 10:00", at("2027-01-07T12:00"))
    assert due(database, at("2027-01-12T09:00")) == []
    assert due(database, at("2027-01-14T09:00")) == [("overdue", "UPAUL"), ("eve", "CBOARD")]


def test_an_agenda_change_is_not_a_move(core: Core, database: Database) -> None:
    """Only adding or moving a meeting sets its schedule: an item added after the draft
    went out neither sends the draft again at a new offset nor stops a failed retry."""
    board(core)
    send_all(database, at("2026-12-31T09:00"))
    send_all(database, at("2027-01-07T09:00"))
    core.command("UGILL", "agenda add Hotspots 20m", at("2027-01-07T10:00"))
    core.command("UGILL", "reminders set draft 3", at("2027-01-08T10:00"))
    assert due(database, at("2027-01-11T09:00")) == []

    core.command("UGILL", "meeting move M1 14/04/2027 10:00", at("2027-01-12T10:00"))
    [call] = due_reminders(database, at("2027-03-31T09:00"))
    now = at("2027-03-31T09:00")
    assert claim(
        database, call.key, call.board_id, "test", now, meeting_starts_at=call.meeting_starts_at
    )
    release(database, call.key, "test", "Slack answered 503")
    core.command("UGILL", "agenda add Knife crime", at("2027-03-31T09:30"))
    assert due(database, at("2027-03-31T09:31")) == [("agenda_call", "CBOARD")]


def test_the_schedule_says_when_the_next_meetings_reminders_go_out(core: Core) -> None:
    board(core)
    shown = core.command("UPAUL", "reminders", SET_UP)
    assert (
        "\nNext, for M1 (Thu 14 Jan 2027)\nCall for agenda items Thu 31 Dec 2026; draft agenda "
        "Thu 7 Jan 2027; meeting reminder Wed 13 Jan 2027.\n"
    ) in shown
    later = core.command("UPAUL", "reminders", at("2027-01-07T09:00"))
    assert "\nMeeting reminder Wed 13 Jan 2027.\n" in later
    assert "Next, for" not in core.command("UPAUL", "reminders", at("2027-01-13T09:00"))


def test_switching_reminders_off_and_on(core: Core, database: Database) -> None:
    board(core)
    off = core.command("UGILL", "reminders off", SET_UP)
    assert "are off\nNothing goes out while they are off. When on:\n14 days before" in off
    assert due(database, at("2026-12-31T09:00")) == []
    assert "are on" in core.command("UGILL", "reminders on", SET_UP)
    assert due(database, at("2026-12-31T09:00")) == [("agenda_call", "CBOARD")]
    refused = core.command("UPAUL", "reminders off", SET_UP)
    assert "Only the chair" in refused


def test_reminders_switched_back_on_resume_from_then(core: Core, database: Database) -> None:
    """What fell due while they were off is not posted in a burst: a meeting gets only
    its latest reminder, as one entered at short notice does, and an overdue notice that
    fell due then is not sent (the owner is asked for an update with the draft agenda)."""
    board(core)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 10/1/2027", SET_UP)
    core.command("UGILL", "action add <@UPAUL> Brief the sergeants by 12/1/2027", SET_UP)
    core.command("UGILL", "reminders off", SET_UP)
    assert due(database, at("2027-01-07T09:00")) == []
    core.command("UGILL", "reminders on", at("2027-01-12T10:00"))
    assert due(database, at("2027-01-12T10:01")) == [
        ("draft_agenda", "CBOARD"),
        ("owner_update", "UPAUL"),
    ]
    send_all(database, at("2027-01-12T10:01"))
    assert due(database, at("2027-01-13T09:00")) == [("eve", "CBOARD"), ("overdue", "UPAUL")]


def test_offsets_and_hour_are_per_board(core: Core, database: Database) -> None:
    board(core)
    shown = core.command("UGILL", "reminders set draft 10", SET_UP)
    assert "10 days before, 09:00: draft agenda" in shown
    core.command("UGILL", "reminders set hour 8", SET_UP)
    send_all(database, at("2026-12-31T08:00"))
    assert due(database, at("2027-01-04T07:59")) == []
    assert ("draft_agenda", "CBOARD") in due(database, at("2027-01-04T08:00"))
    assert "0 to 23" in core.command("UGILL", "reminders set hour 24", SET_UP)
    shown = core.command("UGILL", "reminders set call 21", SET_UP)
    assert "21 days before a meeting, 08:00: call for agenda items" in shown
    core.command("UGILL", "reminders set eve 2", SET_UP)
    shown = core.command("UPAUL", "reminders", SET_UP)
    assert "2 days before, 08:00: time, place and agenda" in shown
    core.command("UGILL", "meeting add 14/04/2027 10:00", SET_UP)
    assert due(database, at("2027-03-24T07:59")) == []
    assert due(database, at("2027-03-24T08:00")) == [("agenda_call", "CBOARD")]
    [eve] = [r for r in due_reminders(database, at("2027-01-12T08:00")) if r.key.kind == "eve"]
    assert eve.message.title == "In 2 days: M1: CSP Board"


def test_missed_reminders_are_posted_late_while_still_useful(
    core: Core, database: Database
) -> None:
    board(core)
    core.command("UGILL", "action add <@UPAUL> Share data by 2/1/2027", SET_UP)
    # Down from before the call until the day before the meeting: everything comes out.
    late = due(database, at("2027-01-13T09:30"))
    assert late == [
        ("agenda_call", "CBOARD"),
        ("overdue", "UPAUL"),
        ("draft_agenda", "CBOARD"),
        ("owner_update", "UPAUL"),
        ("eve", "CBOARD"),
    ]
    # Worded for the day they go out: the call's deadline has passed, the meeting is today.
    morning_of = {r.key.kind: r.message for r in due_reminders(database, at("2027-01-14T09:30"))}
    assert "(Thursday 14 January 2027, 10:00) as soon as you can" in (
        morning_of["agenda_call"].plain_text()
    )
    assert morning_of["eve"].title == "Today: M1: CSP Board"
    the_day_before = {
        r.key.kind: r.message for r in due_reminders(database, at("2027-01-13T09:30"))
    }
    assert the_day_before["eve"].title == "Tomorrow: M1: CSP Board"
    # Once the meeting has begun its reminders are no longer useful; the overdue one still is.
    assert due(database, at("2027-01-14T10:01")) == [("overdue", "UPAUL")]
    core.command("UPAUL", "action done A1", at("2027-01-14T10:05"))
    assert due(database, at("2027-01-14T10:06")) == []


def test_a_meeting_entered_at_short_notice_gets_the_latest_reminder_only(
    core: Core, database: Database
) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UPAUL>", SET_UP)
    entered = at("2027-01-11T15:00")
    core.command("UCHAIR", "meeting add 14/01/2027 10:00", entered)
    assert due(database, entered + timedelta(minutes=1)) == [("draft_agenda", "CBOARD")]
    # Given after the draft's 09:00 but before it went out: the owner is asked with it.
    core.command("UCHAIR", "action add <@UPAUL> Share data by 13/1/2027", entered)
    assert due(database, entered + timedelta(minutes=1)) == [
        ("draft_agenda", "CBOARD"),
        ("owner_update", "UPAUL"),
    ]


def test_overdue_once_per_due_date_and_again_when_redated(core: Core, database: Database) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UPAUL>", SET_UP)
    core.command("UCHAIR", "action add <@UPAUL> Share data by 7/1/2027", SET_UP)
    assert due(database, at("2027-01-08T08:59")) == []
    [notice] = send_all(database, at("2027-01-08T09:00"))
    assert "A1 was due on Thursday 7 January 2027 and is still open." in notice.message.plain_text()
    assert notice.message.footnote == (
        "Or type /board action update A1 <text> in the board's channel."
    )
    assert due(database, at("2027-01-20T09:00")) == []
    core.command("UCHAIR", "action due A1 21/1/2027", at("2027-01-20T10:00"))
    assert due(database, at("2027-01-22T09:00")) == [("overdue", "UPAUL")]


def test_someone_removed_from_the_board_is_not_asked_about_their_actions(
    core: Core, database: Database
) -> None:
    board(core)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 6/1/2027", SET_UP)
    core.command("UGILL", "action add <@UPAUL> Map the estates", SET_UP)
    core.command("UGILL", "action add <@UGILL> Circulate strategy by 10/1/2027", SET_UP)
    removed = core.command("UCHAIR", "member remove <@UPAUL>", SET_UP)
    assert "They still own A1 and A2; reminders no longer go to them." in removed
    assert "/board action reassign <A#> @name" in removed

    draft_day = due(database, at("2027-01-07T09:00"))
    assert ("owner_update", "UGILL") in draft_day
    assert [kind for kind, who in draft_day if who == "UPAUL"] == []
    core.command("UGILL", "action reassign A1 <@UGILL> by 8/1/2027", at("2027-01-07T10:00"))
    assert ("overdue", "UGILL") in due(database, at("2027-01-09T09:00"))
    core.command("UCHAIR", "member add <@USAM>", SET_UP)
    quiet = core.command("UCHAIR", "member remove <@USAM>", SET_UP)
    assert quiet.endswith("Their actions stay on the record under their name.")


def test_reminders_set_out_of_order_are_pointed_out(core: Core) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    said = core.command("UCHAIR", "reminders set draft 30", SET_UP)
    assert said.splitlines()[1] == (
        "Check: the draft agenda (30 days before) does not follow the call for agenda items "
        "(14 days before)."
    )
    in_order = core.command("UCHAIR", "reminders set call 35", SET_UP)
    assert "Check:" not in in_order
