"""When the database cannot be reached the user is told so, and nothing breaks (SPEC §4)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from commands import dispatch
from commands.context import Invocation, PersonInfo
from storage.database import Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Everyone:
    def lookup(self, user_id: str) -> PersonInfo:
        return PersonInfo(user_id, user_id.lower())


def board_command(database: Database, text: str) -> str:
    invocation = Invocation("T1", "C1", "UCHAIR", text, NOW)
    return dispatch.run(invocation, database, Everyone()).reply.plain_text()


def test_an_unreachable_server_gets_the_unavailable_reply() -> None:
    nowhere = Database("postgresql+psycopg://postgres@127.0.0.1:9/none")
    assert "The board is unavailable, try again shortly." in board_command(nowhere, "members")


def test_a_locked_sqlite_file_gets_the_unavailable_reply_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    board_command(database, "setup Wellingborough CSP Board")

    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        assert "The board is unavailable" in board_command(database, "action add <@UCHAIR> Chase")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "Added A1" in board_command(database, "action add <@UCHAIR> Chase")
