"""`/board history`: the audit trail read back, because minutes are an official record."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import Core

DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_an_actions_history_says_who_changed_what_and_when(core: Core) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", DAY)
    core.command("UCHAIR", "member add <@UGILL> secretary", DAY)
    core.command("UCHAIR", "member add <@UPAUL>", DAY)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 7/1/2027", DAY)
    core.command(
        "UPAUL",
        "action update A1 amber Waiting for housing",
        datetime(2026, 12, 8, 9, 15, tzinfo=UTC),
    )
    core.command("UGILL", "action due A1 31/1/2027", datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    core.command("UGILL", "action reassign A1 <@UGILL>", datetime(2026, 12, 10, 11, 0, tzinfo=UTC))
    core.command("UGILL", "action done A1", datetime(2027, 1, 5, 16, 30, tzinfo=UTC))

    shown = core.command("UPAUL", "history A1", datetime(2027, 1, 6, 9, 0, tzinfo=UTC))
    lines = shown.splitlines()
    assert lines[0] == "History of A1"
    assert lines[1:] == [
        "Tue 1 Dec 2026 10:00 @UGILL added the action: Share hotspot data",
        "Tue 8 Dec 2026 09:15 @UPAUL posted an update: [AMBER] Waiting for housing",
        "Wed 9 Dec 2026 14:00 @UGILL changed the due date: "
        "due Thursday 7 January 2027 → Sunday 31 January 2027",
        "Thu 10 Dec 2026 11:00 @UGILL reassigned it: owner @UPAUL → @UGILL",
        "Tue 5 Jan 2027 16:30 @UGILL marked it done",
    ]


def test_a_meetings_history_includes_what_happened_at_it(core: Core) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", DAY)
    core.command("UCHAIR", "meeting add 14/1/2027 10:00", DAY)
    core.command("UCHAIR", "agenda add SSNP report", DAY)
    during = datetime(2027, 1, 14, 10, 30, tzinfo=UTC)
    core.command("UCHAIR", "present <@UCHAIR>", during)
    core.command("UCHAIR", "decision 1 to note the report", during)
    core.command("UCHAIR", "meeting add 15/1/2027 10:00", DAY)
    core.command("UCHAIR", "meeting move M2 22/4/2027 14:00", DAY)
    moved = core.command("UCHAIR", "history M2", DAY)
    # In words and in the board's time: 14:00 in April is British Summer Time.
    assert "start Friday 15 January 2027, 10:00 → Thursday 22 April 2027, 14:00" in moved
    shown = core.command("UCHAIR", "history M1", during)
    assert "scheduled the meeting" in shown
    assert "added an agenda item (item 1): SSNP report" in shown
    assert "@UCHAIR recorded attendance (@UCHAIR)" in shown
    assert "recorded a decision (item 1): to note the report" in shown
    assert "There is no action A9 on this board." in core.command("UCHAIR", "history A9", during)
    assert "There is no meeting M9 on this board." in core.command("UCHAIR", "history M9", during)
    assert "Name an action (A3) or a meeting (M2)" in core.command("UCHAIR", "history 3", during)


def test_a_due_date_given_later_is_said_as_not_set_before(core: Core) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", DAY)
    core.command("UCHAIR", "action add <@UCHAIR> Write to the PCC", DAY)
    core.command("UCHAIR", "action due A1 7/1/2027", DAY)
    shown = core.command("UCHAIR", "history A1", DAY)
    assert "changed the due date: due not set → Thursday 7 January 2027" in shown
