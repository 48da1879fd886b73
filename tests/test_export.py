"""A board's quarter exported to a file and restored into another database, ids and all.

The county board is the parent of the Wellingborough CSP. The CSP's secretary
exports the CSP's quarter; it is restored into a second database whose county
board already holds more rows, so none of the file's ids are free there.
Exported again from there, it reads the same, internal ids apart.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from bot import cli
from commands import dispatch
from commands.board_export import (
    CSV_HEADER,
    VERSION,
    TransferError,
    export_board,
    import_board,
)
from commands.context import Invocation, PersonInfo
from storage import deliveries, export
from storage.database import Database
from storage.models import Base, Board, Meeting
from tests.conftest import CHANNEL, PEOPLE, POSTGRES_URL, TEAM
from tests.processes import environ, run
from tests.snapshots import dump

COUNTY = "CCOUNTY"
COUNTY_BOARD = "Northamptonshire Community Safety Board"
CSP = "Wellingborough CSP Board"
SET_UP = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
A_WEEK_BEFORE = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
DURING_M1 = datetime(2027, 1, 14, 10, 45, tzinfo=UTC)
FEBRUARY = datetime(2027, 2, 11, 9, 0, tzinfo=UTC)
MARCH = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
EXPORTED = datetime(2027, 3, 2, 17, 0, tzinfo=UTC)
NAMES = {user_id: real_name for user_id, (_, real_name, _) in PEOPLE.items()} | {
    "UPCC": "Danielle Stone",
    "UFIRE": "Mark Jones",
}


class Partners:
    """The workspace's people by their real names (the CSV shows them)."""

    def lookup(self, user_id: str) -> PersonInfo | None:
        name = NAMES.get(user_id)
        return PersonInfo(user_id, name) if name else None


def type_(database: Database, user: str, text: str, at: datetime, channel: str = CHANNEL) -> str:
    """`/board <text>` typed by `user` at `at`; the reply as text, which must not be a refusal."""
    outcome = dispatch.run(Invocation(TEAM, channel, user, text, at), database, Partners())
    assert not outcome.refused, (text, outcome.reply.plain_text())
    return outcome.reply.plain_text()


def county_board(database: Database, *, meetings: int) -> None:
    """The county board, parent of the CSP: its own members, meetings and an action."""
    type_(database, "UPCC", f"setup {COUNTY_BOARD}", SET_UP, COUNTY)
    type_(database, "UPCC", "member add <@UFIRE> org Northamptonshire Fire", SET_UP, COUNTY)
    type_(database, "UPCC", f"meeting add 20/01/2027 14:00 quarterly {meetings}", SET_UP, COUNTY)
    type_(database, "UFIRE", "action add <@UFIRE> Home fire safety visits", SET_UP, COUNTY)


def csp_quarter(database: Database) -> None:
    """The CSP's first quarter: members, two meetings, the first held and minuted, actions."""
    county_board(database, meetings=2)
    type_(database, "UCHAIR", f"setup {CSP} parent {COUNTY_BOARD}", SET_UP)
    for text in (
        "member add <@UGILL> secretary org Borough Council of Wellingborough",
        "member add <@ULARA> vice-chair org Northamptonshire Police",
        "member add <@UPAUL> org Northamptonshire Police",
        "member add <@USAM> org Northamptonshire Children’s Trust",
        "reminders set hour 8",
        "calendar",
    ):
        type_(database, "UCHAIR", text, SET_UP)
    meetings = "meeting add 14/01/2027 10:00 for 2h at Swanspool House quarterly 2 : CSP Board"
    type_(database, "UGILL", meetings, SET_UP)
    type_(database, "UCHAIR", "agenda add Partnership priorities <@UCHAIR> 20m", SET_UP)
    type_(database, "UPAUL", "agenda add SSNP report <@UPAUL> 15m", SET_UP)
    type_(database, "ULARA", "agenda add Domestic abuse in the local context <@ULARA>", SET_UP)
    type_(database, "UPAUL", "action add <@UGILL> Circulate the SSNP strategy by 7/1/2027", SET_UP)
    type_(database, "UPAUL", "action add <@UPAUL> Map ASB hotspots by 20/12/2026", SET_UP)
    type_(database, "UGILL", "action update A1 amber Draft with the SSNP group", SET_UP)
    type_(database, "UPAUL", "action done A2", A_WEEK_BEFORE)

    type_(database, "UGILL", "present <@UCHAIR> <@UGILL> <@UPAUL> <@ULARA>", DURING_M1)
    type_(database, "UGILL", "apologies <@USAM>", DURING_M1)
    type_(database, "UGILL", "note 1 Same broad priorities for two years", DURING_M1)
    type_(database, "UGILL", "decision 1 to note the report", DURING_M1)
    type_(database, "UGILL", "note 3 Tell <!channel> & <@U999|fake> about *referrals*", DURING_M1)
    type_(
        database, "UGILL", "action add <@UPAUL> Share hotspot data by 28/2/2027 item 2", DURING_M1
    )
    type_(database, "UGILL", "action add <@USAM> +44 helpline on the leaflet item 3", DURING_M1)

    type_(database, "UGILL", "action update A1 green Strategy circulated to all partners", FEBRUARY)
    type_(database, "UPAUL", "action update A3 red Data-sharing protocol not signed", FEBRUARY)
    type_(database, "UPAUL", "action update A3 Chased legal again", FEBRUARY)
    type_(database, "UGILL", "action add <@USAM> Share A&E assault data by 30/6/2027", FEBRUARY)
    type_(database, "UGILL", "action drop A5", FEBRUARY)
    type_(database, "UGILL", "action done A1", MARCH)
    with database.transaction() as session:
        board = session.scalars(select(Board).where(Board.channel_id == CHANNEL)).one()
        m2 = session.scalars(select(Meeting).where(Meeting.board_id == board.id)).all()[1]
        board_id, m2_id, m2_starts = board.id, m2.id, m2.starts_at
    key = deliveries.DeliveryKey("agenda_call", m2_id, CHANNEL, date(2027, 3, 31))
    deliveries.claim(database, key, board_id, "pass-1", MARCH, meeting_starts_at=m2_starts)
    deliveries.mark_sent(database, key, "pass-1", MARCH, "1700000000.000100")


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The export with each internal id replaced by its row's place in the file."""
    tables = document["tables"]
    place = {
        name: {row["id"]: index for index, row in enumerate(rows, 1)}
        for name, rows in tables.items()
        if name != "people"
    }
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        columns = Base.metadata.tables[name].columns
        out[name] = []
        for row in rows:
            row = dict(row)
            for column in columns:
                referred = [fk.column.table.name for fk in column.foreign_keys]
                if name == "reminder_deliveries" and column.name == "subject_id":
                    referred = ["actions" if row["kind"] == "overdue" else "meetings"]
                if column.name == "parent_id":  # a board outside the file: see document["parent"]
                    row["parent_id"] = row["parent_id"] is not None
                elif column.name == "calendar_token" and row["calendar_token"]:
                    row["calendar_token"] = row["calendar_token"].split("-", 1)[1]
                elif column.name == "id" and name in place:
                    row["id"] = place[name][row["id"]]
                elif referred and row[column.name] is not None:
                    row[column.name] = place[referred[0]][row[column.name]]
            out[name].append(row)
    return document | {"tables": out}


@pytest.fixture
def target(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A second empty database of the same kind: another SQLite file or PostgreSQL schema."""
    schema = None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    database = Database(url)
    database.upgrade()
    yield database
    database.dispose()
    if schema is not None:
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_a_quarter_exported_and_restored_reads_the_same(
    database: Database, target: Database
) -> None:
    csp_quarter(database)
    exported, action_log = export_board(database, CSP, EXPORTED)
    assert (exported.filename, action_log.filename) == (
        "wellingborough-csp-board.json",
        "wellingborough-csp-board-actions.csv",
    )
    document = json.loads(exported.content)
    assert (document["format"], document["version"]) == ("boardbot-board", 4)
    assert all(document["tables"].values()), "the quarter should fill every table"
    assert document["tables"]["meetings"][0]["starts_at"] == "2027-01-14T10:00:00Z"
    assert document["tables"]["actions"][0]["due_on"] == "2027-01-07"
    assert "UPCC" not in {person["user_id"] for person in document["tables"]["people"]}

    county_board(target, meetings=4)  # so the ids in the file are taken in the target
    restored = import_board(target, exported.content)
    assert (restored.name, restored.parent, restored.missing_parent) == (CSP, COUNTY_BOARD, None)
    assert restored.counts["actions"] == 5

    again, again_log = export_board(target, CSP, EXPORTED)
    assert canonical(json.loads(again.content)) == canonical(document)
    assert again_log.content == action_log.content
    source_ids = [meeting["id"] for meeting in document["tables"]["meetings"]]
    target_ids = [meeting["id"] for meeting in json.loads(again.content)["tables"]["meetings"]]
    assert source_ids != target_ids

    # The restored board carries on where it left off: numbers, minutes, calendar link.
    assert "Added A6 " in type_(target, "UGILL", "action add <@UPAUL> Next steps", MARCH)
    assert "M3 " in type_(target, "UGILL", "meeting add 14/7/2027 10:00", MARCH)
    assert "RESOLVED: to note the report" in type_(target, "UGILL", "minutes M1", MARCH)
    with target.transaction() as session:
        board = session.scalars(select(Board).where(Board.channel_id == CHANNEL)).one()
        token, board_id = board.calendar_token, board.id
    assert token is not None and token.startswith(f"{board_id}-")
    assert (
        token.split("-", 1)[1] == document["tables"]["boards"][0]["calendar_token"].split("-", 1)[1]
    )


def test_a_version_1_file_restores_its_reminders_as_sent_for_their_meetings_starts(
    database: Database, target: Database
) -> None:
    """Version 1 did not record which start a meeting's reminder was sent for."""
    csp_quarter(database)
    exported, _ = export_board(database, CSP, EXPORTED)
    document = json.loads(exported.content)
    [reminder] = document["tables"]["reminder_deliveries"]
    assert reminder["meeting_starts_at"] == "2027-04-14T09:00:00Z"
    del reminder["meeting_starts_at"]
    del document["tables"]["boards"][0]["command"]
    for row in document["tables"]["attendance"]:
        del row["role"], row["organisation"]
    document["version"] = 1

    import_board(target, json.dumps(document).encode())
    again = json.loads(export_board(target, CSP, EXPORTED)[0].content)["tables"]
    [restored] = again["reminder_deliveries"]
    assert restored["meeting_starts_at"] == "2027-04-14T09:00:00Z"
    assert again["boards"][0]["command"] == "/board"


def test_a_version_2_file_restores_its_boards_as_typing_board(
    database: Database, target: Database
) -> None:
    """Version 2 did not record a board's slash command: the default's is the board's."""
    csp_quarter(database)
    document = json.loads(export_board(database, CSP, EXPORTED)[0].content)
    del document["tables"]["boards"][0]["command"]
    for row in document["tables"]["attendance"]:
        del row["role"], row["organisation"]
    document["version"] = 2

    import_board(target, json.dumps(document).encode())
    with target.transaction() as session:
        assert session.scalars(select(Board.command)).one() == "/board"


def test_a_file_before_version_4_gives_attendance_the_capacity_its_members_have(
    database: Database, target: Database
) -> None:
    """Versions 1 to 3 did not record the role and organisation someone attended in: a
    member's are taken, and a former member has none."""
    csp_quarter(database)
    document = json.loads(export_board(database, CSP, EXPORTED)[0].content)
    tables = document["tables"]
    capacity = {row["id"]: (row["role"], row["organisation"]) for row in tables["attendance"]}
    assert ("member", "Northamptonshire Police") in capacity.values()
    former = tables["attendance"][0]
    tables["members"] = [m for m in tables["members"] if m["user_id"] != former["user_id"]]
    capacity[former["id"]] = (None, None)
    for row in tables["attendance"]:
        del row["role"], row["organisation"]
    document["version"] = 3

    import_board(target, json.dumps(document).encode())
    again = json.loads(export_board(target, CSP, EXPORTED)[0].content)["tables"]
    restored = [(row["role"], row["organisation"]) for row in again["attendance"]]
    assert restored == [capacity[row["id"]] for row in tables["attendance"]]


def test_the_action_log_opens_in_a_spreadsheet(database: Database) -> None:
    csp_quarter(database)
    _, action_log = export_board(database, CSP, EXPORTED)
    assert action_log.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    header, *rows = list(csv.reader(io.StringIO(action_log.content.decode("utf-8-sig"))))
    assert tuple(header) == CSV_HEADER
    assert rows == [
        ["A1", "Gill Harris", "Borough Council of Wellingborough", "Circulate the SSNP strategy",
         "07/01/2027", "Done", "Strategy circulated to all partners", "Green", "", "01/03/2027"],
        ["A2", "Paul Valentine", "Northamptonshire Police", "Map ASB hotspots",
         "20/12/2026", "Done", "", "", "", "10/01/2027"],
        ["A3", "Paul Valentine", "Northamptonshire Police", "Share hotspot data",
         "28/02/2027", "Open", "Chased legal again", "Red", "M1", ""],
        ["A4", "Sam Reid", "Northamptonshire Children’s Trust", "'+44 helpline on the leaflet",
         "", "Open", "", "", "M1", ""],
        ["A5", "Sam Reid", "Northamptonshire Children’s Trust", "Share A&E assault data",
         "30/06/2027", "Dropped", "", "", "", "11/02/2027"],
    ]  # fmt: skip


def test_a_restore_onto_a_taken_channel_or_from_a_bad_file_changes_nothing(
    database: Database, target: Database
) -> None:
    csp_quarter(database)
    exported, _ = export_board(database, CSP, EXPORTED)
    before = dump(database)
    with pytest.raises(TransferError, match=f"already home to {CSP}"):
        import_board(database, exported.content)
    assert dump(database) == before

    document = json.loads(exported.content)
    document["tables"]["actions"][2]["item_id"] = (
        999_999  # late in the file: rows before it went in
    )
    broken = json.dumps(document).encode()
    document["tables"]["meetings"].append(document["tables"]["meetings"][0])
    twice = json.dumps(document).encode()
    newer = exported.content.replace(b'"version": 4', b'"version": 5')
    old = json.loads(exported.content)
    old["version"] = 1
    old["tables"]["meetings"][0]["id"] = [1]
    malformed_old = json.dumps(old).encode()
    empty = dump(target)
    for content, says in [
        (broken, "actions.item_id = 999999 names no row"),
        (twice, "Two rows of “meetings” have the same id"),
        (newer, "this Board Bot reads versions 1 to 4"),
        (malformed_old, "row 1 of “meetings”, id: \\[1\\] is not a int"),
        (b"board,actions\n", "not JSON"),
    ]:
        with pytest.raises(TransferError, match=says):
            import_board(target, content)
        assert dump(target) == empty

    with pytest.raises(TransferError, match="no board called “Nowhere”"):
        export_board(database, "Nowhere", EXPORTED)


def test_boardbot_export_and_import_from_the_shell(
    database: Database,
    target: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    csp_quarter(database)
    result = run(
        ["-m", "bot", "export", "--board", CSP, "--out", str(tmp_path / "out")],
        environ(DATABASE_URL=database.url),
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / "out" / "wellingborough-csp-board.json"
    assert f"wrote {written}" in result.stdout
    assert (tmp_path / "out" / "wellingborough-csp-board-actions.csv").exists()

    # Restored where the county board is not: the CSP comes back without its parent.
    monkeypatch.setenv("DATABASE_URL", target.url)
    assert cli.main(["import", str(written)]) == 0
    assert cli.main(["import", str(written)]) == 1
    assert cli.main(["import", str(tmp_path / "missing.json")]) == 1
    out, err = capsys.readouterr()
    assert f"restored {CSP} to channel {CHANNEL}" in out
    assert f"parent board {COUNTY_BOARD} is not in this database" in out
    assert "already home to" in err
    assert f"cannot read {tmp_path / 'missing.json'}: No such file or directory" in err


# What version 4 of the file holds. A schema change that alters this must bump
# VERSION (and teach import to read the versions before), or old backups stop restoring.
VERSION_4 = {
    "boards": (
        "id team_id channel_id name parent_id timezone reminders_enabled agenda_call_days "
        "draft_agenda_days eve_reminder_days reminder_hour last_meeting_number "
        "last_action_number calendar_token command created_at"
    ),
    "people": "user_id name email updated_at",
    "members": "id board_id user_id role organisation",
    "meetings": (
        "id board_id number title starts_at ends_at location status series revision "
        "created_at updated_at"
    ),
    "agenda_items": "id meeting_id position title presenter_id minutes proposed_by created_at",
    "item_records": "id item_id kind text author_id created_at",
    "attendance": "id meeting_id user_id status role organisation",
    "actions": (
        "id board_id number owner_id description due_on status meeting_id item_id created_by "
        "created_at closed_at"
    ),
    "action_updates": "id action_id author_id rag text created_at",
    "audit_entries": "id board_id actor_id at verb subject before after",
    "reminder_deliveries": (
        "id board_id kind subject_id recipient occasion meeting_starts_at state claim_id "
        "claimed_at sent_at attempts last_error message_ts"
    ),
}


def test_every_table_is_exported_and_the_format_changes_only_with_its_version() -> None:
    exported = {table.name for table in export.TABLES}
    assert exported | export.NOT_BOARD_DATA == set(Base.metadata.tables)
    assert VERSION == 4
    assert {table.name: " ".join(table.columns.keys()) for table in export.TABLES} == VERSION_4
