"""Whatever a partner types, the bot never pings anyone with it: not in the minutes
(Block Kit, Markdown, Word), not in reminders, not in the calendar."""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlalchemy import select

from bot.rendering import payloads
from commands import calendar_feed, minutes_docx, minutes_markdown
from commands.minutes import as_message, collate
from commands.reminders import due_reminders
from storage.models import Board, Meeting
from tests.conftest import Core

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DURING = datetime(2027, 1, 14, 10, 30, tzinfo=UTC)
HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123|@partners>",
    "<@U0FAKE>",
    "<@UGILL|gill>",
    "&",
    "<",
    ">",
    "*bold*",
    "_it_",
    "`code`",
    "| table |",
    "# heading",
]
# Live Slack markup: a special mention, a user group, or a user the text itself named.
LIVE = re.compile(r"<!(?:channel|here|everyone|subteam\^)|<@U0FAKE")
texts = (
    st.lists(
        st.one_of(
            st.sampled_from(HOSTILE),
            # Mentions come from HOSTILE only: below, the one of a member reads as their name.
            st.text(st.characters(exclude_categories=["Cs", "Cc", "Cn", "Co"]), max_size=12).filter(
                lambda t: "<@" not in t
            ),
        ),
        min_size=1,
        max_size=8,
    )
    .map(" ".join)
    # Punctuation alone (`&`, `[`) is refused as saying nothing.
    .filter(lambda t: any(unicodedata.category(c)[0] not in "PZ" for c in t))
)
boards = itertools.count(1)


def mrkdwn_of(message_payloads: list[dict[str, Any]]) -> str:
    """Every text Slack parses for mentions: the fallback text and each mrkdwn object.

    plain_text objects (headers, buttons) are shown literally and never ping.
    """
    found = [p["text"] for p in message_payloads]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk([p["blocks"] for p in message_payloads])
    return "\n".join(found)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
def test_typed_text_is_never_live_anywhere_the_bot_shows_it(core: Core, text: str) -> None:
    channel = f"CESC{next(boards)}"
    one_line = " ".join(text.split())[:150]
    title = "CSP <!here> & <@U0FAKE> board"

    def typed(user: str, command: str, at: datetime) -> None:
        core.command(user, command, at, channel=channel)

    typed("UCHAIR", "setup Escaping Board", SET_UP)
    typed("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    typed("UGILL", f"meeting add 14/01/2027 10:00 at <!channel> House : {title}", SET_UP)
    typed("UGILL", f"agenda add {one_line} <@UGILL> 10m", SET_UP)
    typed("UGILL", f"action add <@UGILL> {text} by 10/1/2027", SET_UP)
    typed("UGILL", f"action update A1 amber {text}", SET_UP)
    typed("UGILL", f"note 1 {text}", DURING)
    typed("UGILL", f"decision 1 {text}", DURING)

    with core.database.transaction() as session:
        board = session.scalars(select(Board).where(Board.channel_id == channel)).one()
        meeting = session.scalars(select(Meeting).where(Meeting.board_id == board.id)).one()
        minutes = collate(session, board, meeting, DURING)
        token = board.calendar_token

    # Slack surfaces: everything typed is escaped, so none of it is live.
    assert not LIVE.search(mrkdwn_of(payloads(as_message(minutes))))
    for reminder in due_reminders(core.database, datetime(2027, 1, 13, 9, 0, tzinfo=UTC)):
        assert not LIVE.search(mrkdwn_of(payloads(reminder.message))), reminder.summary
    # The Markdown copy is uploaded to Slack, so it is escaped the same way.
    assert not LIVE.search(minutes_markdown.render(minutes))
    # The Word copy and the calendar are read outside Slack: the text is kept as typed,
    # but for a member mentioned, who is named.
    document = Document(io.BytesIO(minutes_docx.render(minutes)))
    words = "\n".join(p.text for p in document.paragraphs)
    as_written = " ".join(text.split()).replace("<@UGILL|gill>", "@ugill")
    assert as_written in " ".join(words.split())
    typed("UGILL", "calendar", SET_UP)
    with core.database.transaction() as session:
        token = session.scalars(
            select(Board.calendar_token).where(Board.channel_id == channel)
        ).one()
    written = calendar_feed.feed(core.database, token or "", SET_UP)
    assert written is not None
    feed = Calendar.from_ical(written)
    [event] = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("meeting")]
    assert str(event["SUMMARY"]) == title
