"""The App Home tab: a partner's own open actions on every board, with their buttons."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from commands.errors import Unavailable
from commands.reminders import action_section
from commands.replies import Channel, Message, Section, line
from storage import queries
from storage.database import Database, StorageUnavailable
from storage.models import DEFAULT_COMMAND, Action, Board

log = logging.getLogger(__name__)

# Slack's Home tab holds 100 blocks. Each action takes two, its line and its buttons,
# and each board's heading one, so 30 actions always fit. Two texts of 200 characters
# keep a line inside one block (3,000) even if every character is escaped (`&amp;`).
MOST_SHOWN = 30
LONGEST_TEXT = 200
TITLE = "Your open actions"


def home(database: Database, team_id: str, user_id: str, now: datetime) -> Message:
    """Open actions owned by the user, board by board, soonest due first; long texts
    are cut (`/board actions mine` shows them whole). While the database is out of
    reach, a tab that says so."""
    try:
        with database.transaction() as session:
            owned = queries.actions_owned(session, team_id, user_id)
            by_board: dict[Board, list[Action]] = defaultdict(list)
            for action, board in owned[:MOST_SHOWN]:
                by_board[board].append(action)
            sections: list[Section] = []
            for board, actions in by_board.items():
                today = now.astimezone(ZoneInfo(board.timezone)).date()
                sections.append(
                    Section((line("In ", Channel(board.channel_id)),), heading=board.name)
                )
                sections += [action_section(action, today, LONGEST_TEXT) for action in actions]
            # A board's own name for the command: it may be installed under another.
            boards = list(by_board) or queries.boards_of(session, team_id, user_id)
    except StorageUnavailable:
        log.warning("database unavailable for the Home tab", exc_info=True)
        return Message(title=TITLE, sections=(Section((line(str(Unavailable())),)),))
    command = boards[0].command if boards else DEFAULT_COMMAND
    if len(owned) > MOST_SHOWN:
        more = len(owned) - MOST_SHOWN
        sections.append(
            Section((line(f"…and {more} more. Type {command} actions mine in a board's channel."),))
        )
    if not sections:
        sections = [Section((line("You have no open actions on any board."),))]
    return Message(
        title=TITLE,
        sections=tuple(sections),
        footnote=f"Type {command} help in a board's channel for everything else.",
    )
