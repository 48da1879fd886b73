"""The chair asks for the action summary before the next meeting."""

from __future__ import annotations

from typing import Any

from tests.conftest import RunningApp
from tests.csp_quarter import DURING_THE_SECOND, FEBRUARY, MID_MARCH, between_meetings, set_up_board
from tests.snapshots import dump


def sections(reply: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in reply["blocks"] if b["type"] == "section"]


def test_open_actions_by_owner_overdue_first_with_rag_counts_and_what_was_done(
    running_app: RunningApp,
) -> None:
    between_meetings(running_app)
    running_app.command("USAM", "action update A5 red Data-sharing agreement not yet signed")
    running_app.command("ULARA", "action update A4 Figures requested from the refuge provider")
    running_app.command("UGILL", "action add <@UGILL> Book the venue for July")
    before = dump(running_app.database)

    reply = running_app.command("UCHAIR", "summary")

    assert reply["response_type"] == "ephemeral"
    assert reply["blocks"][0]["text"]["text"] == "Wellingborough CSP Board: action summary"
    overview, paul, gill, lara, sam, completed = sections(reply)
    assert overview.splitlines() == [
        "*4 open actions*: 1 overdue, 1 due before the next meeting.",
        "Needs attention: *A5* Sam Reid (RED), *A3* Paul Valentine (overdue).",
        "Next meeting: *M2* Wednesday 14 April 2027, 10:00, Swanspool House.",
        "By RAG status, as last given: 1 RED, 1 AMBER, 0 GREEN, 1 no update, 1 not rated.",
    ]
    assert paul.splitlines() == [
        "*Paul Valentine, Northamptonshire Police*",
        "*OVERDUE* *A3* Share hotspot data with housing · due Sun 28 Feb 2027 · latest: "
        "[AMBER] Data-sharing protocol awaiting sign-off (Thu 11 Feb 2027)",
    ]
    assert gill.splitlines() == [
        "*Gill Harris, Borough Council of Wellingborough*",
        "*A6* Book the venue for July · no update yet",
    ]
    assert lara.splitlines()[1] == (
        "*A4* Report on referrals · due Wed 31 Mar 2027 · *due before the next meeting* · "
        "latest: Figures requested from the refuge provider (Mon 15 Mar 2027)"
    )
    assert sam.startswith("*Sam Reid, NHS Northamptonshire*\n*A5* Share A&amp;E assault data")
    assert completed.splitlines() == [
        "*Done or dropped since the last meeting (M1, Thursday 14 January 2027, 10:00)*",
        "*A1* Circulate the SSNP strategy to partners — Gill Harris · done Mon 1 Mar 2027",
    ]
    assert "Map ASB hotspots" not in reply["text"]  # done before M1
    assert dump(running_app.database) == before

    assert running_app.command("USAM", "summary")["blocks"] == reply["blocks"]
    refused = running_app.command("UCHAIR", "summary M2")["text"]
    assert "I don't understand “M2” after summary" in refused


def test_before_any_meeting_everything_done_so_far_counts(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UPAUL", "action add <@UPAUL> Map ASB hotspots")
    running_app.command("UPAUL", "action done A1")

    reply = running_app.command("UCHAIR", "summary")

    overview, completed = sections(reply)
    assert overview.startswith("*0 open actions*: 0 overdue, 0 due before the next meeting.")
    assert completed.splitlines() == [
        "*Done or dropped so far*",
        "*A1* Map ASB hotspots — Paul Valentine · done Tue 1 Dec 2026",
    ]


def test_an_update_without_a_rag_keeps_the_last_rag_given_as_the_minutes_do(
    running_app: RunningApp,
) -> None:
    between_meetings(running_app)
    posted = running_app.command("UPAUL", "action update A3 Protocol signed by two of the partners")
    assert posted["text"].startswith(
        "Update posted on *A3* (Share hotspot data with housing); it stays AMBER, as last given:\n"
    )

    overview = sections(running_app.command("UCHAIR", "summary"))[0]

    assert overview.splitlines()[3] == (
        "By RAG status, as last given: 0 RED, 1 AMBER, 0 GREEN, 2 no update."
    )


def test_an_owner_who_has_left_the_board_is_marked_for_reassigning(running_app: RunningApp) -> None:
    set_up_board(running_app)
    running_app.command("UCHAIR", "action add <@USAM> Share A&E data")
    running_app.command("UCHAIR", "action add <@UPAUL> Map ASB hotspots")
    running_app.command("UCHAIR", "member remove <@USAM>")

    _, paul, sam, _ = sections(running_app.command("UCHAIR", "summary"))

    assert paul.startswith("*Paul Valentine, Northamptonshire Police*\n")
    assert sam.startswith("*Sam Reid (no longer on the board: reassign)*\n*A1* Share A&amp;E data")


def test_the_board_a_sub_group_reports_to_sees_how_it_stands(running_app: RunningApp) -> None:
    """The SSNP reports to the CSP board: its chair sees each sub-group's open and overdue
    actions and its next meeting, with a link to its channel."""
    between_meetings(running_app)
    ssnp, hate_crime = "CSSNP", "CHATE"
    running_app.clock.fixed = FEBRUARY
    running_app.command(
        "UPAUL", "setup SSNP Management Group parent Wellingborough CSP Board", ssnp
    )
    running_app.command("UPAUL", "action add <@UPAUL> Patrol plan for Queensway by 1/3/2027", ssnp)
    running_app.command("UPAUL", "action add <@UPAUL> Walkabout in Hemmingwell", ssnp)
    running_app.command("UPAUL", "meeting add 21/4/2027 14:00", ssnp)
    running_app.clock.fixed = MID_MARCH
    running_app.command(
        "USAM", "setup Hate Crime Task Group parent Wellingborough CSP Board", hate_crime
    )

    reply = running_app.command("UCHAIR", "summary")

    assert sections(reply)[-1].splitlines() == [
        "*Sub-groups*",
        f"*SSNP Management Group* (<#{ssnp}>) · 2 open actions, 1 overdue · next meeting "
        "Wed 21 Apr 2027",
        f"*Hate Crime Task Group* (<#{hate_crime}>) · 0 open actions · next meeting not scheduled",
    ]
    # A sub-group's own summary has none.
    assert "Sub-groups" not in running_app.command("UPAUL", "summary", ssnp)["text"]


def test_during_a_meeting_the_summary_counts_from_the_one_before(
    running_app: RunningApp,
) -> None:
    """Opened as the meeting starts, when a chair most wants it: what was done since the
    last meeting held, not since this one began a minute ago."""
    between_meetings(running_app)
    running_app.clock.fixed = DURING_THE_SECOND

    overview, *_, completed = sections(running_app.command("UCHAIR", "summary"))

    assert "*M2* is in progress: it began Wednesday 14 April 2027, 10:00." in overview
    assert completed.splitlines()[0] == (
        "*Done or dropped since the last meeting (M1, Thursday 14 January 2027, 10:00)*"
    )
    assert "*A1* Circulate the SSNP strategy to partners" in completed
