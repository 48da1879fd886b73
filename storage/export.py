"""Every row of one board, read out for a backup and written back for a restore.

Rows travel as plain column → value mappings, table by table, in creation
(id) order. A restore never reuses the file's ids: each row is inserted
afresh, in that order, and every foreign key is mapped to the new id of the
row it pointed at, so a board can be restored into a database that already
holds other boards. The calendar link's token starts with the board's id, so
a restore keeps its secret under the new id: the old link still works when
the board gets its old id back (a restore into an empty database), and the
members' `/board calendar` shows the working one either way. The people
directory is shared by all boards; a restore adds the people it lacks and
leaves those it knows alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, insert, select, update
from sqlalchemy.orm import Session

from storage import calendar
from storage.deliveries import MEETING_KINDS, SCHEDULING_VERBS
from storage.models import (
    DEFAULT_COMMAND,
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    AuditEntry,
    Board,
    ItemRecord,
    Meeting,
    Member,
    Person,
    ReminderDelivery,
    UTCDateTime,
)
from storage.queries import same_name

Row = dict[str, Any]
Tables = dict[str, list[Row]]

# Every table, parents before children: the order rows are read and restored in.
TABLES: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[misc]
    for model in (
        Board,
        Person,
        Member,
        Meeting,
        AgendaItem,
        ItemRecord,
        Attendance,
        Action,
        ActionUpdate,
        AuditEntry,
        ReminderDelivery,
    )
)

# Tables that hold no board's data, and so are not exported.
NOT_BOARD_DATA = frozenset({"processed_events"})  # Slack event ids seen, to ignore retries

# Columns holding a Slack user id: the people a board's rows refer to.
USER_COLUMNS: dict[str, tuple[str, ...]] = {
    "members": ("user_id",),
    "agenda_items": ("presenter_id", "proposed_by"),
    "item_records": ("author_id",),
    "attendance": ("user_id",),
    "actions": ("owner_id", "created_by"),
    "action_updates": ("author_id",),
    "audit_entries": ("actor_id",),
    "reminder_deliveries": ("recipient",),  # a channel id or a user id
}


class BrokenReference(Exception):
    """A row points at a row the file does not hold."""

    def __init__(self, table: str, column: str, value: object) -> None:
        super().__init__(f"{table}.{column} = {value!r} names no row in the file")


class BadRows(Exception):
    """A file's rows that do not fit the tables they are for."""


def add_reminder_starts(tables: dict[str, Any]) -> None:
    """Bring version 1 of the file, whose reminders do not say which meeting start they
    were sent for, up to date as migration 0005 does: one that went out after its
    meeting was last added or moved was for the meeting's start in the file; of any
    other the start is not known. Anything malformed is left for `decoded_tables` to
    refuse."""
    meetings = {
        row["id"]: row for row in _dicts(tables.get("meetings")) if isinstance(row.get("id"), int)
    }
    scheduled: dict[object, datetime] = {}
    for entry in _dicts(tables.get("audit_entries")):
        at = _moment(entry.get("at"))
        if entry.get("verb") in SCHEDULING_VERBS and at is not None:
            subject = entry.get("subject")
            scheduled[subject] = max(at, scheduled.get(subject, at))
    for row in _dicts(tables.get("reminder_deliveries")):
        subject = row.get("subject_id")
        meeting = meetings.get(subject) if isinstance(subject, int) else None
        start = None
        if meeting is not None and row.get("kind") in MEETING_KINDS:
            since = scheduled.get(f"M{meeting.get('number')}") or _moment(meeting.get("created_at"))
            sent = _moment(row.get("sent_at"))
            if since is not None and sent is not None and sent >= since:
                start = meeting.get("starts_at")
        row["meeting_starts_at"] = start


def add_board_commands(tables: dict[str, Any]) -> None:
    """Bring a file of version 1 or 2, whose boards do not say their slash command, up to
    date as migration 0007 does: the default's."""
    for row in _dicts(tables.get("boards")):
        row["command"] = DEFAULT_COMMAND


def add_attendance_capacity(tables: dict[str, Any]) -> None:
    """Bring a file of version 1 to 3, whose attendance does not say the role and
    organisation each person attended in, up to date as migration 0008 does: those the
    board's members have in the file (nothing for former members). Anything malformed
    is left for `decoded_tables` to refuse."""

    def key(*values: Any) -> tuple[Any, ...] | None:
        return values if all(isinstance(v, int | str) for v in values) else None

    boards = {key(m.get("id")): m.get("board_id") for m in _dicts(tables.get("meetings"))}
    members = {key(m.get("board_id"), m.get("user_id")): m for m in _dicts(tables.get("members"))}
    for row in _dicts(tables.get("attendance")):
        board = boards.get(key(row.get("meeting_id")))
        member = members.get(key(board, row.get("user_id")), {})
        row["role"], row["organisation"] = member.get("role"), member.get("organisation")


def _dicts(rows: Any) -> list[dict[str, Any]]:
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _moment(text: Any) -> datetime | None:
    """An aware instant written in the file, or None."""
    try:
        moment = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def decoded_tables(tables: Mapping[str, Any]) -> Tables:
    """Rows read from JSON, checked against each table's columns and turned into the
    columns' Python values (times, dates); BadRows says what does not fit."""
    return {table.name: _rows(table, tables) for table in TABLES}


def _rows(table: Table, tables: Mapping[str, Any]) -> list[Row]:
    rows = tables.get(table.name)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise BadRows(f"The file's “{table.name}” is missing or not a list of rows.")
    columns = set(table.columns.keys())
    for index, row in enumerate(rows):
        if set(row) != columns:
            raise BadRows(
                f"Row {index + 1} of “{table.name}” has columns {sorted(row)}, "
                f"expected {sorted(columns)}."
            )
    decoded = [
        {column.name: _decoded(column, row[column.name], index) for column in table.columns}
        for index, row in enumerate(rows)
    ]
    key = table.primary_key.columns[0].name
    if len({row[key] for row in decoded}) != len(decoded):
        raise BadRows(f"Two rows of “{table.name}” have the same {key}.")
    return decoded


def _decoded(column: Column[Any], value: Any, index: int) -> Any:
    """A JSON value as the column's Python value, or a clear refusal."""
    where = f"row {index + 1} of “{column.table.name}”, {column.name}"
    if value is None:
        if not column.nullable:
            raise BadRows(f"{where} is empty.")
        return None
    # UTCDateTime and JSON are TypeDecorators, whose python_type is `object`.
    kind: type[Any] = datetime if isinstance(column.type, UTCDateTime) else column.type.python_type
    try:
        if kind is datetime:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("no timezone")
            return moment.astimezone(UTC)
        if kind is date:
            return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise BadRows(f"{where}: {value!r} is not a date or time ({error}).") from None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadRows(f"{where}: {value!r} is not a {kind.__name__}.")
    length = column.type.length if isinstance(column.type, String) else None
    if length is not None and len(value) > length:
        raise BadRows(f"{where} is longer than {length} characters.")
    return value


def boards_called(session: Session, name: str) -> Sequence[Board]:
    """Boards of any workspace with this name (any case), or bound to this channel id."""
    boards = session.scalars(select(Board).order_by(Board.id))
    return [board for board in boards if same_name(board.name, name) or board.channel_id == name]


def board_rows(session: Session, board_id: int) -> Tables:
    """The board's rows in every table, each in id order (people by user id)."""
    meetings = select(Meeting.id).where(Meeting.board_id == board_id)
    items = select(AgendaItem.id).where(AgendaItem.meeting_id.in_(meetings))
    actions = select(Action.id).where(Action.board_id == board_id)
    scopes: dict[str, ColumnElement[bool]] = {
        "boards": Board.id == board_id,
        "members": Member.board_id == board_id,
        "meetings": Meeting.board_id == board_id,
        "agenda_items": AgendaItem.meeting_id.in_(meetings),
        "item_records": ItemRecord.item_id.in_(items),
        "attendance": Attendance.meeting_id.in_(meetings),
        "actions": Action.board_id == board_id,
        "action_updates": ActionUpdate.action_id.in_(actions),
        "audit_entries": AuditEntry.board_id == board_id,
        "reminder_deliveries": ReminderDelivery.board_id == board_id,
    }
    tables: Tables = {}
    for table in TABLES:
        if table.name == "people":
            continue
        statement = select(table).where(scopes[table.name]).order_by(table.c.id)
        tables[table.name] = [dict(row) for row in session.execute(statement).mappings()]
    people = Person.__table__
    statement = (
        select(people).where(people.c.user_id.in_(_user_ids(tables))).order_by(people.c.user_id)
    )
    tables["people"] = [dict(row) for row in session.execute(statement).mappings()]
    return {table.name: tables[table.name] for table in TABLES}


def restore_board(session: Session, tables: Mapping[str, Sequence[Row]]) -> int:
    """Insert a board's rows under new ids; the new board's id.

    `tables` holds every table of `TABLES`, rows with every column, and one
    board row, whose `parent_id` must already name a board of this database (or be None).
    Raises BrokenReference if a row points outside the file.
    """
    new_ids: dict[str, dict[int, int]] = {}
    for table in TABLES:
        rows = list(tables[table.name])
        if table.name == "people":
            wanted = [row["user_id"] for row in rows]
            known = set(session.scalars(select(Person.user_id).where(Person.user_id.in_(wanted))))
            missing = [row for row in rows if row["user_id"] not in known]
            if missing:
                session.execute(insert(table), missing)
            continue
        fresh = [_mapped(table, row, new_ids) for row in rows]
        if table.name == "boards":
            fresh = [row | {"calendar_token": None} for row in fresh]
        ids: list[int] = []
        if fresh:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids = list(session.scalars(statement, fresh))
        new_ids[table.name] = {row["id"]: new for row, new in zip(rows, ids, strict=True)}
    [board] = tables["boards"]
    board_id = new_ids["boards"][board["id"]]
    token = board["calendar_token"] and calendar.rekeyed(board["calendar_token"], board_id)
    if token:
        session.execute(update(Board).where(Board.id == board_id).values(calendar_token=token))
    return board_id


def _mapped(table: Table, row: Row, new_ids: Mapping[str, Mapping[int, int]]) -> Row:
    """The row without its id, its references turned into the new rows' ids."""
    out = {key: value for key, value in row.items() if key != "id"}
    for column in table.columns:
        value = out.get(column.name)
        if value is None or column.name == "parent_id":  # the parent is not in the file
            continue
        referred = [fk.column.table.name for fk in column.foreign_keys]
        if table.name == "reminder_deliveries" and column.name == "subject_id":
            referred = ["meetings" if row["kind"] in MEETING_KINDS else "actions"]
        if referred:
            try:
                out[column.name] = new_ids[referred[0]][value]
            except KeyError:
                raise BrokenReference(table.name, column.name, value) from None
    return out


def _user_ids(tables: Mapping[str, Sequence[Row]]) -> set[str]:
    return {
        row[column]
        for table, columns in USER_COLUMNS.items()
        for row in tables[table]
        for column in columns
        if row[column] is not None
    }
