"""Documents attached after the reply (`Later`), made when the chat side is ready to upload."""

from __future__ import annotations

from datetime import datetime

from commands import calendar_feed, calendar_ics
from commands.replies import File, Later
from storage.database import Database


def content(
    database: Database,
    file: File,
    now: datetime,
    write_ics: calendar_feed.Writer = calendar_ics.ics,
) -> bytes | None:
    """The file's bytes: as given, or made now; None if its source has gone (a reset token)."""
    if callable(file.content):
        return file.content()
    if not isinstance(file.content, Later):
        return file.content
    if file.content.document == "calendar":
        return calendar_feed.feed(database, file.content.key, now, write_ics)
    raise ValueError(f"no such document: {file.content.document}")
