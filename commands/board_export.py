"""A board as files: one JSON backup that `boardbot import` restores, and a CSV action log.

The JSON file holds every row of the board, table by table, each row with all
its columns (ids included, so rows can name each other), with a `format` and
`version` so a later Board Bot can tell what it is reading. Times are ISO-8601
UTC (`2027-01-14T10:00:00Z`), dates `YYYY-MM-DD`, keys sorted. The audit
trail is an official record and is restored verbatim: the snapshots in it
keep the ids the rows had when the change was made.

The CSV is the action log for a council officer's spreadsheet: one row per
action, UK dates, UTF-8 with a byte order mark so Excel reads the accents.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from commands import describe
from commands.errors import BoardError, Unavailable
from storage import export, queries
from storage.database import Database, StorageUnavailable

FORMAT = "boardbot-board"
# 2: a meeting reminder's record holds the start it was sent for; 3: a board its command;
# 4: attendance the role and organisation attended in.
VERSION = 4
CSV_HEADER = (
    "Action",
    "Owner",
    "Organisation",
    "Description",
    "Due date",
    "Status",
    "Latest update",
    "Latest RAG",
    "Raised at meeting",
    "Closed on",
)
# A cell starting with one of these is a formula to Excel (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TransferError(BoardError):
    """The board cannot be exported, or the file cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class ExportFile:
    """A file `boardbot export` writes: the JSON backup or the CSV action log."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Restored:
    """What an import put in the database."""

    name: str
    team_id: str
    channel_id: str
    counts: dict[str, int]  # rows restored, by table
    parent: str | None  # the parent board it was linked to
    missing_parent: str | None  # the parent named in the file but not found here


def export_board(database: Database, board: str, now: datetime) -> tuple[ExportFile, ExportFile]:
    """The JSON backup and the CSV action log of the board with this name (or channel id)."""
    try:
        with database.transaction() as session:
            found = export.boards_called(session, board)
            if not found:
                raise TransferError(f"There is no board called “{board}”.")
            if len(found) > 1:
                where = ", ".join(f"{b.channel_id} ({b.team_id})" for b in found)
                raise TransferError(
                    f"Several boards are called “{board}”; name one by its channel id: {where}."
                )
            tables = export.board_rows(session, found[0].id)
            parent = queries.board(session, p) if (p := found[0].parent_id) else None
    except StorageUnavailable as error:
        raise Unavailable() from error
    parent_ref = None
    if parent is not None:
        parent_ref = {
            "team_id": parent.team_id,
            "channel_id": parent.channel_id,
            "name": parent.name,
        }
    name = describe.file_stem(tables["boards"][0]["name"])
    return (
        ExportFile(f"{name}.json", board_json(tables, parent_ref, now)),
        ExportFile(f"{name}-actions.csv", action_log_csv(tables)),
    )


def board_json(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    parent: Mapping[str, str] | None,
    now: datetime,
) -> bytes:
    """The backup document: UTF-8 JSON, keys sorted, indented."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _instant(now),
        "parent": parent,
        "tables": {
            name: [{key: _encoded(value) for key, value in row.items()} for row in rows]
            for name, rows in tables.items()
        },
    }
    return (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def import_board(database: Database, content: bytes) -> Restored:
    """Restore an exported board under new ids, in one transaction.

    Refused, changing nothing, when the file is not a readable export or a
    board already lives on its channel. A parent board is linked again if one
    lives on the parent's channel; otherwise the board is restored without one.
    """
    document = _document(content)
    try:
        tables = export.decoded_tables(document["tables"])
    except export.BadRows as error:
        raise TransferError(str(error)) from None
    if len(tables["boards"]) != 1:
        raise TransferError("The file must hold exactly one board.")
    board = tables["boards"][0]
    parent_ref = document.get("parent")
    try:
        with database.transaction() as session:
            there = queries.board_for_channel(session, board["team_id"], board["channel_id"])
            if there is not None:
                raise TransferError(
                    f"Channel {board['channel_id']} is already home to {there.name}; "
                    "nothing was imported."
                )
            parent = None
            if isinstance(parent_ref, dict):
                parent = queries.board_for_channel(
                    session, str(parent_ref.get("team_id")), str(parent_ref.get("channel_id"))
                )
            board["parent_id"] = parent.id if parent else None
            try:
                export.restore_board(session, tables)
            except export.BrokenReference as error:
                raise TransferError(f"The file is inconsistent: {error}.") from None
    except StorageUnavailable as error:
        raise Unavailable() from error
    return Restored(
        name=board["name"],
        team_id=board["team_id"],
        channel_id=board["channel_id"],
        counts={name: len(rows) for name, rows in tables.items()},
        parent=parent.name if parent else None,
        missing_parent=(
            str(parent_ref.get("name")) if isinstance(parent_ref, dict) and not parent else None
        ),
    )


def action_log_csv(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """Every action by number: owner, organisation, due date, status and latest update.

    The latest RAG is the last one given: an update without one keeps it.
    """
    board = tables["boards"][0]
    zone = ZoneInfo(board["timezone"])
    names = {person["user_id"]: person["name"] for person in tables["people"]}
    organisations = {member["user_id"]: member["organisation"] for member in tables["members"]}
    meetings = {meeting["id"]: meeting["number"] for meeting in tables["meetings"]}
    updates: dict[int, list[Mapping[str, Any]]] = {}
    for update in tables["action_updates"]:
        updates.setdefault(update["action_id"], []).append(update)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for action in sorted(tables["actions"], key=lambda a: a["number"]):
        history = updates.get(action["id"], [])
        closed = action["closed_at"]
        writer.writerow(
            (
                f"A{action['number']}",
                _cell(names.get(action["owner_id"], action["owner_id"])),
                _cell(organisations.get(action["owner_id"]) or ""),
                _cell(action["description"]),
                _uk_date(action["due_on"]),
                action["status"].capitalize(),
                _cell(history[-1]["text"]) if history else "",
                (describe.current_rag(update["rag"] for update in history) or "").capitalize(),
                f"M{meetings[action['meeting_id']]}" if action["meeting_id"] in meetings else "",
                _uk_date(closed.astimezone(zone).date() if closed else None),
            )
        )
    return out.getvalue().encode("utf-8-sig")


def _document(content: bytes) -> dict[str, Any]:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TransferError(f"The file is not a Board Bot export (not JSON: {error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError("The file is not a Board Bot export (no “format”: “boardbot-board”).")
    version = document.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise TransferError(
            f"The file is version {version!r} of the export; "
            f"this Board Bot reads versions 1 to {VERSION}."
        )
    if not isinstance(document.get("tables"), dict):
        raise TransferError("The file has no tables.")
    if version == 1:
        export.add_reminder_starts(document["tables"])
    if version < 3:
        export.add_board_commands(document["tables"])
    if version < 4:
        export.add_attendance_capacity(document["tables"])
    return document


def _encoded(value: Any) -> Any:
    if isinstance(value, datetime):
        return _instant(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _uk_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _cell(text: str) -> str:
    """User text for a spreadsheet cell, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
