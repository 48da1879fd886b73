"""Partners typing at the same moment get distinct numbers (actions, meetings, agenda
items), never a reused one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from storage.models import Action, AgendaItem, Meeting
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
