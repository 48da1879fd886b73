"""Partners typing at the same moment get distinct numbers (actions, meetings, agenda
items), never a reused one, and never both change a row as they each found it. (On
SQLite a writing transaction holds the whole database; the last two tests show the
row locks that do the same on PostgreSQL.)"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import select

from storage import queries
from storage.models import Action, AgendaItem, Board, Meeting, Member
from tests.conftest import RunningApp

PARTNERS = ["UCHAIR", "UGILL", "UPAUL", "ULARA", "USAM"]


def test_concurrent_commands_take_distinct_numbers(running_app: RunningApp) -> None:
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    for partner in PARTNERS[1:]:
        running_app.command("UCHAIR", f"member add <@{partner}> secretary")

    def add_action(index: int) -> str:
        who = PARTNERS[index % len(PARTNERS)]
        return running_app.command(who, f"action add <@{who}> Task {index}")["text"]

    def add_meeting(index: int) -> str:
        who = PARTNERS[index % len(PARTNERS)]
        return running_app.command(who, f"meeting add {index + 1}/3/2031 10:00")["text"]

    def add_item(index: int) -> str:
        who = PARTNERS[index % len(PARTNERS)]
        return running_app.command(who, f"agenda add Item {index} to M1")["text"]

    def remove_first_item(index: int) -> str:
        who = PARTNERS[index % len(PARTNERS)]
        return running_app.command(who, "agenda remove 1 M1")["text"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(add_action, range(24))) + list(pool.map(add_meeting, range(8)))
        list(pool.map(add_item, range(8)))
        removed = list(pool.map(remove_first_item, range(4)))

    assert all("Added *A" in r for r in replies[:24]), replies
    with running_app.database.transaction() as session:
        numbers = sorted(session.scalars(select(Action.number)))
        meetings = sorted(session.scalars(select(Meeting.number)))
        positions = sorted(session.scalars(select(AgendaItem.position)))
    assert numbers == list(range(1, 25))
    assert meetings == list(range(1, 9))
    assert all(r.startswith("Removed *agenda item 1*") for r in removed), removed
    assert positions == list(range(1, 5))

    # A dropped action's number is never handed out again.
    running_app.command("UCHAIR", "action drop A24")
    assert "*A25*" in running_app.command("UGILL", "action add <@UGILL> One more")["text"]


def test_an_action_being_changed_is_not_changed_underneath(running_app: RunningApp) -> None:
    """Paul marks A1 done while an officer's change to it is under way: his waits for
    it, and finds it dropped, rather than both acting on it open."""
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "member add <@UPAUL>")
    running_app.command("UCHAIR", "action add <@UPAUL> Map hotspots")
    with ThreadPoolExecutor(max_workers=1) as pool:
        with running_app.database.transaction() as session:
            board = session.scalars(select(Board)).one()
            action = queries.action_numbered(session, board.id, 1, to_change=True)
            assert action is not None
            done = pool.submit(running_app.command, "UPAUL", "action done A1")
            time.sleep(0.5)  # Paul's command is waiting for the action
            action.status, action.closed_at = "dropped", datetime.now(UTC)
        reply = done.result()["text"]
    assert reply.startswith("*A1* is dropped"), reply
    with running_app.database.transaction() as session:
        assert session.scalars(select(Action.status)).one() == "dropped"


def test_two_officers_stepping_down_at_once_leave_the_board_one(running_app: RunningApp) -> None:
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "member add <@UGILL> secretary")
    with ThreadPoolExecutor(max_workers=1) as pool:
        with running_app.database.transaction() as session:
            board = session.scalars(select(Board)).one()
            assert queries.officer_count(session, board.id) == 2
            gone = pool.submit(running_app.command, "UGILL", "member remove <@UGILL>")
            time.sleep(0.5)  # Gill's command is waiting for the board
            chair = session.scalars(select(Member).where(Member.user_id == "UCHAIR")).one()
            session.delete(chair)
        reply = gone.result()["text"]
    assert "only officer" in reply, reply
    with running_app.database.transaction() as session:
        assert session.scalars(select(Member.user_id)).all() == ["UGILL"]
