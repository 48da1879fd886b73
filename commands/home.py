"""The App Home tab: a partner's own open actions on every board, with their buttons."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from commands.dates import say_datetime
from commands.errors import Unavailable
from commands.reminders import action_section
from commands.replies import Channel, Line, Message, Section, line
from storage import queries
from storage.database import Database, StorageUnavailable
from storage.models import DEFAULT_COMMAND, Action, Board, Meeting

log = logging.getLogger(__name__)

# Slack's Home tab holds 100 blocks. Each action takes two, its line and its buttons,
# and each board's heading one, so 30 actions always fit. Two texts of 200 characters
# keep a line inside one block (3,000) even if every character is escaped (`&amp;`).
MOST_SHOWN = 30
# Someone with no open actions sees their boards instead, one block each.
MOST_BOARDS = 30
LONGEST_TEXT = 200
TITLE = "Your open actions"


def home(database: Database, team_id: str, user_id: str, now: datetime) -> Message:
    """Open actions owned by the user, board by board (with its channel and next
    meeting), soonest due first; long texts are cut (`/board actions mine` shows them
    whole). With none, the boards they are on. While the database is out of reach, a
    tab that says so."""
    try:
        with database.transaction() as session:
            owned = queries.actions_owned(session, team_id, user_id)
            by_board: dict[Board, list[Action]] = defaultdict(list)
            for action, board in owned[:MOST_SHOWN]:
                by_board[board].append(action)
            boards = list(by_board) or list(queries.boards_of(session, team_id, user_id))
            unshown = len(boards) - MOST_BOARDS
            boards = boards[:MOST_BOARDS]
            coming = queries.next_meetings(session, [board.id for board in boards], now)
            sections: list[Section] = (
                [] if owned else [Section((line("You have no open actions on any board."),))]
            )
            for board in boards:
                zone = ZoneInfo(board.timezone)
                sections.append(
                    Section((_where(board, coming.get(board.id), zone),), heading=board.name)
                )
                today = now.astimezone(zone).date()
                sections += [
                    action_section(action, today, LONGEST_TEXT) for action in by_board[board]
                ]
    except StorageUnavailable:
        log.warning("database unavailable for the Home tab", exc_info=True)
        return Message(title=TITLE, sections=(Section((line(str(Unavailable())),)),))
    # A board's own name for the command: it may be installed under another.
    command = boards[0].command if boards else DEFAULT_COMMAND
    if len(owned) > MOST_SHOWN:
        more = len(owned) - MOST_SHOWN
        sections.append(
            Section((line(f"…and {more} more. Type {command} actions mine in a board's channel."),))
        )
    elif unshown > 0:
        boards_word = "board" if unshown == 1 else "boards"
        sections.append(Section((line(f"…and {unshown} more {boards_word}."),)))
    return Message(
        title=TITLE,
        sections=tuple(sections),
        footnote=f"Type {command} help in a board's channel for everything else.",
    )


def _where(board: Board, coming: Meeting | None, zone: ZoneInfo) -> Line:
    """`In #csp-board · next meeting M2, Wednesday 14 April 2027, 10:00, Swanspool House`."""
    if coming is None:
        return line("In ", Channel(board.channel_id), " · no meeting scheduled")
    return line(
        "In ",
        Channel(board.channel_id),
        f" · next meeting M{coming.number}, {say_datetime(coming.starts_at, zone)}",
        f", {coming.location}" if coming.location else None,
    )
