"""The example Community Safety Partnership's quarter, for the minutes and summary tests.

`hold_first_meeting` and `between_meetings` type it into Slack as its people
would; `build_board` writes a board of any size straight through the models,
for tests that need hundreds of rows quickly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from storage.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Board,
    ItemRecord,
    Meeting,
    Member,
    Person,
)
from tests.conftest import PEOPLE, RunningApp

BEFORE_THE_QUARTER = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
A_WEEK_BEFORE = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
DURING_THE_FIRST = datetime(2027, 1, 14, 10, 45, tzinfo=UTC)
AFTER_THE_FIRST = datetime(2027, 1, 14, 14, 0, tzinfo=UTC)
FEBRUARY = datetime(2027, 2, 11, 9, 0, tzinfo=UTC)
MARCH = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
MID_MARCH = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
DURING_THE_SECOND = datetime(2027, 4, 14, 9, 30, tzinfo=UTC)  # 10:30 BST

NOTE_WITH_MARKUP = "Refuge closure handled; tell <!channel> & <@U999|fake> about *referrals*"


def set_up_board(app: RunningApp) -> None:
    """The chief executive sets the board up, brings the partners on and schedules two meetings."""
    app.clock.fixed = BEFORE_THE_QUARTER
    app.command("UCHAIR", "setup Wellingborough CSP Board")
    app.command("UCHAIR", "member add <@UCHAIR> chair org Borough Council of Wellingborough")
    app.command("UCHAIR", "member add <@UGILL> secretary org Borough Council of Wellingborough")
    app.command("UCHAIR", "member add <@ULARA> vice-chair org Northamptonshire Police")
    app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    app.command("UCHAIR", "member add <@USAM> org NHS Northamptonshire")
    app.command(
        "UGILL", "meeting add 14/01/2027 10:00 for 2h at Swanspool House quarterly 2 : CSP Board"
    )


def hold_first_meeting(app: RunningApp) -> None:
    """M1: the agenda of the example report, attendance, notes, a resolution and actions.

    Before it, A1 and A2 are agreed; A2 is done before the meeting. An update
    on A1 is posted before the meeting too, so it belongs to no later minutes.
    """
    set_up_board(app)
    app.command("UCHAIR", "agenda add Partnership priorities and the CSP report <@UCHAIR> 20m")
    app.command("UPAUL", "agenda add SSNP report <@UPAUL> 15m")
    app.command("ULARA", "agenda add Domestic abuse in the local context <@ULARA> 15m")
    app.command("UPAUL", "action add <@UGILL> Circulate the SSNP strategy to partners by 7/1/2027")
    app.command("UPAUL", "action add <@UPAUL> Map ASB hotspots by 20/12/2026")
    app.command("UGILL", "action update A1 amber Draft with the SSNP management group")
    app.clock.fixed = A_WEEK_BEFORE
    app.command("UPAUL", "action done A2")

    app.clock.fixed = DURING_THE_FIRST
    app.command("UGILL", "present <@UCHAIR> <@UGILL> <@UPAUL> <@ULARA>")
    app.command("UGILL", "apologies <@USAM>")
    app.command("UGILL", "note 1 The partnership keeps the same broad priorities for two years")
    app.command("UGILL", "decision 1 to note the report")
    app.command("UGILL", "note 2 Hemmingwell and Queensway remain the hotspots")
    app.command("UGILL", f"note 3 {NOTE_WITH_MARKUP}")
    app.command("UGILL", "action add <@UPAUL> Share hotspot data with housing by 28/2/2027 item 2")
    app.command("UGILL", "action add <@ULARA> Report on referrals by 31/3/2027 item 3")
    app.clock.fixed = AFTER_THE_FIRST


def between_meetings(app: RunningApp) -> None:
    """Updates posted between M1 and M2, a new action, and A1 done in March."""
    hold_first_meeting(app)
    app.clock.fixed = FEBRUARY
    app.command("UGILL", "action update A1 green Strategy circulated to all partners")
    app.command("UPAUL", "action update A3 amber Data-sharing protocol awaiting sign-off")
    app.command("UGILL", "action add <@USAM> Share A&E assault data by 30/6/2027")
    app.clock.fixed = MARCH
    app.command("UGILL", "action done A1")
    app.clock.fixed = MID_MARCH


def build_board(session: Session, *, items: int, actions: int, channel: str) -> Meeting:
    """A board whose second meeting has `items` agenda items and whose `actions` actions
    all have updates, written straight through the models; returns that meeting."""
    start = datetime(2027, 1, 14, 10, 0, tzinfo=UTC)
    board = Board(
        team_id="TBIG",
        channel_id=channel,
        name=f"Board {channel}",
        timezone="Europe/London",
        last_meeting_number=3,
        last_action_number=actions,
        created_at=start,
    )
    session.add(board)
    session.flush()
    for user_id, (_, name, email) in PEOPLE.items():
        if session.get(Person, user_id) is None:
            session.add(Person(user_id=user_id, name=name, email=email, updated_at=start))
        role = "chair" if user_id == "UCHAIR" else "member"
        session.add(Member(board_id=board.id, user_id=user_id, role=role, organisation="CSP"))
    meetings = [
        Meeting(
            board_id=board.id,
            number=number,
            title="CSP Board",
            starts_at=start + timedelta(days=91 * (number - 1)),
            ends_at=start + timedelta(days=91 * (number - 1), hours=2),
            location="Swanspool House",
            status="scheduled",
            created_at=start,
            updated_at=start,
        )
        for number in (1, 2, 3)
    ]
    session.add_all(meetings)
    session.flush()
    previous, meeting, _ = meetings
    owners = list(PEOPLE)
    agenda = [
        AgendaItem(
            meeting_id=meeting.id,
            position=position,
            title=f"Item {position}",
            presenter_id=owners[position % len(owners)],
            proposed_by="UGILL",
            created_at=start,
            records=[
                ItemRecord(
                    kind="note",
                    text=f"Note {position} " + "word " * 400,
                    author_id="UGILL",
                    created_at=meeting.starts_at,
                ),
                ItemRecord(
                    kind="decision",
                    text=f"to note item {position}",
                    author_id="UGILL",
                    created_at=meeting.starts_at,
                ),
            ],
        )
        for position in range(1, items + 1)
    ]
    session.add_all(agenda)
    session.add_all(
        Attendance(
            meeting_id=meeting.id,
            user_id=user_id,
            status="present",
            role="chair" if user_id == "UCHAIR" else "member",
            organisation="CSP",
        )
        for user_id in owners
    )
    session.flush()
    for number in range(1, actions + 1):
        from_previous = number % 2 == 0
        created = previous.starts_at if from_previous else meeting.starts_at
        closed = number % 5 == 0
        session.add(
            Action(
                board_id=board.id,
                number=number,
                owner_id=owners[number % len(owners)],
                description=f"Action {number}",
                due_on=date(2027, 5, 1) + timedelta(days=number % 60),
                status="done" if closed else "open",
                meeting_id=previous.id if from_previous else meeting.id,
                item_id=None if from_previous else agenda[number % len(agenda)].id,
                created_by="UGILL",
                created_at=created,
                closed_at=meeting.starts_at if closed else None,
                updates=[
                    ActionUpdate(author_id="UGILL", rag=rag, text=f"Update {rag}", created_at=when)
                    for rag, when in (("amber", created), ("green", meeting.starts_at))
                ],
            )
        )
    session.flush()
    return meeting
