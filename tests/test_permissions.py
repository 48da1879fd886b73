"""Who may do what (SPEC §1): every writing subcommand, button and form, for every kind of
person, allowed or refused exactly as the spec says — and a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from commands import dispatch, follow_up
from commands.context import Invocation
from commands.replies import Outcome
from commands.subcommands import ALIASES, LISTED, TABLE, Access
from storage.database import Database
from storage.models import AuditEntry, Board
from tests.conftest import CHANNEL, TEAM, Core, Everyone
from tests.snapshots import dump

NOW = datetime(2027, 1, 14, 11, 0, tzinfo=UTC)  # an hour into M1
ROLES = {
    "not on the board": "UOUT",
    "member": "USAM",
    "the action's owner": "UPAUL",
    "secretary": "UGILL",
    "vice-chair": "ULARA",
    "chair": "UCHAIR",
}
OFFICERS = {"UGILL", "ULARA", "UCHAIR"}
OWNER = "UPAUL"

# One example of every subcommand that writes, each on objects of its own so that the
# commands run in this order do not get in each other's way.
WRITES: dict[str, str] = {
    "setup": "setup Safer Stronger Neighbourhood Partnership",
    "member add": "member add <@UNEW> org Wellingborough Homes",
    "meeting add": "meeting add 1/6/2027 10:00 : Extra meeting",
    "meeting move": "meeting move M2 21/4/2027 14:00",
    "meeting edit": "meeting edit M2 at Council Chamber",
    "agenda add": "agenda add Fire service update to M2",
    "agenda move": "agenda move 2 to 1 M2",
    "agenda rename": "agenda rename 1 M2 Fire and rescue service update",
    "agenda remove": "agenda remove 2 M2",
    "action add": "action add <@UPAUL> Share hotspot data by 1/3/2027",
    "action update": "action update A1 green On track",
    "action done": "action done A2",
    "action due": "action due A3 1/4/2027",
    "action reassign": "action reassign A4 <@USAM>",
    "action edit": "action edit A6 Share the hotspot data with housing",
    "action link": "action link A7 item 1",
    "action drop": "action drop A5",
    "action reopen": "action reopen A2",
    "present": "present <@UPAUL>",
    "apologies": "apologies <@USAM>",
    "absent": "absent <@USAM>",
    "note": "note 1 Hotspots remain Hemmingwell and Queensway",
    "decision": "decision 1 to note the report",
    "note remove": "note remove 1",
    "decision remove": "decision remove 1",
    "minutes publish": "minutes publish M1",
    "calendar reset": "calendar reset",
    "reminders set": "reminders set draft 10",
    "reminders off": "reminders off",
    "reminders on": "reminders on",
    "meeting cancel": "meeting cancel M3",
    "member remove": "member remove <@UEXTRA>",
}
# The DM buttons and the update form: the owner of A6/A7 or an officer.
BUTTONS: dict[str, Callable[..., Outcome]] = {
    "Mark done button": lambda ctx: follow_up.mark_done(ctx, 6),
    "Post update button": lambda ctx: follow_up.check_may_update(ctx, 7),
    "update form": lambda ctx: follow_up.post_update(ctx, 7, "Posted from the form", "amber"),
}


def allowed(name: str, user: str) -> bool:
    """SPEC §1, written out."""
    if name == "setup":
        return True  # anyone may set up a board in a channel that has none
    if name in ("action update", "action done", "action reopen") or name in BUTTONS:
        return user in OFFICERS or user == OWNER
    access = next(s.access for s in TABLE if s.name == name)
    if access is Access.OFFICER:
        return user in OFFICERS
    return user != "UOUT"  # members' commands


def board(core: Core) -> None:
    setup = NOW - timedelta(days=30)
    core.command("UCHAIR", "setup Wellingborough CSP Board", setup)
    for who, role in [
        ("UGILL", "secretary"),
        ("ULARA", "vice-chair"),
        ("USAM", "member"),
        ("UPAUL", "member"),
        ("UEXTRA", "member"),
    ]:
        core.command("UCHAIR", f"member add <@{who}> {role} org Partner", setup)
    core.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board", setup)
    core.command("UGILL", "meeting add 14/04/2027 10:00 quarterly 2", setup)
    core.command("UGILL", "agenda add CSP report to M1", setup)
    core.command("UGILL", "agenda add SSNP report to M2", setup)
    core.command("UGILL", "agenda add Domestic abuse to M2", setup)
    for n in range(1, 8):
        core.command("UGILL", f"action add <@UPAUL> Action {n} by 1/2/2027", setup)


def audit_rows(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_every_writing_subcommand_is_in_the_matrix() -> None:
    """Each listed one; an alias (`action complete`) runs a listed one's code, as strictly."""
    writes = (Access.MEMBER, Access.OFFICER)
    writing = {s.name for s in LISTED if s.access in writes}
    assert writing | {"setup"} == set(WRITES)
    aliases = (s for s in TABLE if s.name in ALIASES and s.access in writes)
    for alias in aliases:
        assert any(s.run is alias.run and s.access is alias.access for s in LISTED), alias.name


@pytest.mark.parametrize("role", ROLES)
def test_each_person_may_do_exactly_what_the_spec_allows(
    role: str, core: Core, database: Database
) -> None:
    user = ROLES[role]
    board(core)
    with database.transaction() as session:
        board_id = session.scalars(select(Board.id)).one()
    verdicts: dict[str, bool] = {}
    for name, text in WRITES.items():
        channel = "CNEW" if name == "setup" else CHANNEL
        before, audits = dump(database), audit_rows(database)
        outcome = dispatch.run(Invocation(TEAM, channel, user, text, NOW), database, Everyone())
        verdicts[name] = not outcome.refused
        if outcome.refused:
            assert dump(database) == before, (name, outcome.reply.plain_text())
        else:
            assert audit_rows(database) == audits + 1, (name, "one audit row per change")
    for name, work in BUTTONS.items():
        before = dump(database)
        invocation = Invocation(TEAM, "DUPAUL", user, "", NOW)
        outcome = dispatch.execute(
            invocation, database, Everyone(), Access.MEMBER, work, board_id=board_id
        )
        verdicts[name] = not outcome.refused
        if outcome.refused:
            assert dump(database) == before, name
    expected = {name: allowed(name, user) for name in verdicts}
    assert verdicts == expected
