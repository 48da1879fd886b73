"""A board's calendar: the iCalendar feed of its meetings and action deadlines (SPEC §7).

`/board calendar` gives the private subscription link and the same calendar
as a file; `/board calendar reset` replaces the link. The feed itself is
served by `bot/server.py` and built here from the database, and kept in memory
until the board or its members' names change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

from commands import calendar_ics, describe
from commands.context import Context
from commands.errors import Unavailable
from commands.replies import Code, File, Later, Mention, Message, Outcome, Strong, line
from storage import calendar as stored
from storage.calendar_rows import FeedRows
from storage.database import Database, StorageUnavailable

# Writes a board's rows out as .ics: in this process, or handed to another (bot/calendar_worker.py).
Writer = Callable[[FeedRows, datetime], bytes]


def calendar(ctx: Context, args: str) -> Outcome:
    """The board's private subscription link, and the same calendar as a file to the caller."""
    board = ctx.the_board()
    if stored.ensure_token(ctx.session, board):
        ctx.audit("calendar.create", "calendar")
    filename = f"{describe.file_stem(board.name)}.ics"
    token, command = board.calendar_token or "", ctx.command
    return Outcome(
        reply=Message.of(
            line(
                "Subscribe to the meetings and action deadlines of ",
                Strong(board.name),
                " in Google Calendar, Outlook or Apple Calendar with this private link:",
            ),
            line(Code(_link(ctx))),
            line(
                "Anyone who has the link can see the board's calendar, so keep it within the "
                "board. An officer can replace it with ",
                Code(f"{command} calendar reset"),
                ".",
            ),
            line(
                f"I've also sent you the calendar as a file, {filename}, to import once "
                "(an imported file does not update itself; a subscription does)."
            ),
            title=f"{board.name}: calendar",
        ),
        files=(
            # Made after the reply: a decade of meetings takes longer than a reply should.
            File(
                filename,
                Later(lambda database, now, write: feed(database, token, now, write)),
                f"{board.name} calendar",
                recipient=ctx.caller,
            ),
        ),
    )


def calendar_reset(ctx: Context, args: str) -> Outcome:
    """A new private link; the old one stops working as soon as this commits."""
    board = ctx.the_board()
    replaced = board.calendar_token is not None
    stored.rotate_token(board)
    ctx.audit("calendar.reset", "calendar")
    command = ctx.command
    reply = Message.of(
        line("The new private calendar link of ", Strong(board.name), " is:"),
        line(Code(_link(ctx))),
        line(
            "The old link has stopped working: anyone subscribed with it must subscribe again. "
            if replaced
            else "The board had no link before. ",
            "Members get the link with ",
            Code(f"{command} calendar"),
            ".",
        ),
        title="Calendar link replaced" if replaced else "Calendar link made",
    )
    announcement = Message.of(
        line(
            Mention(ctx.caller),
            " replaced the board's private calendar link; the old one no longer works. Type ",
            Code(f"{command} calendar"),
            " for the new link and subscribe again.",
        )
    )
    return Outcome(reply=reply, announcement=announcement if replaced else None)


def feed(
    database: Database, token: str, now: datetime, write: Writer = calendar_ics.ics
) -> bytes | None:
    """The .ics a subscription link serves, or None for a token that opens nothing.

    Raises Unavailable when the database cannot be reached.
    """
    try:
        with database.transaction() as session:
            board = stored.board_for_token(session, token)
            if board is None:
                return None
            # Every change to a board leaves an audit row, so the newest row's id (and
            # when members' names last changed) says whether a feed built earlier is
            # still the board as it is. The day is in the key too: meetings pass, and
            # lose their invitations.
            version = stored.last_change(session, board.id)
            key = (database.url, board.id, token, version, now.date())
            with _built_lock:
                cached = _built.get(key)
            if cached is not None:
                return cached
            rows = stored.feed_rows(session, board)
    except StorageUnavailable as error:
        raise Unavailable() from error
    # Written out after the transaction: on SQLite it holds the write lock.
    content = write(rows, now)
    with _built_lock:
        _built[key] = content
        while len(_built) > FEEDS_KEPT:
            _built.pop(next(iter(_built)))
    return content


def forget_built_feeds() -> None:
    """Drop the feeds kept in memory (benchmarks and tests measure building them)."""
    with _built_lock:
        _built.clear()


# Feeds already built, newest last: a decade of meetings takes tens of milliseconds to
# write out, and calendar clients poll the same unchanged feed again and again.
FEEDS_KEPT = 256
_built: dict[tuple[str, int, str, tuple[int, int, datetime | None], date], bytes] = {}
_built_lock = threading.Lock()


def _link(ctx: Context) -> str:
    token = ctx.the_board().calendar_token
    return f"{ctx.invocation.public_url.rstrip('/')}/calendar/{token}.ics"
