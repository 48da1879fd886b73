"""What a command answers, as plain typed data.

The core never writes Slack markup: a reply is lines of spans, and `bot/`
turns a `Mention` into a real Slack mention and escapes every plain string.
The console renders the same spans as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commands.calendar_feed import Writer
    from storage.database import Database


@dataclass(frozen=True)
class Mention:
    """A user the bot names on purpose (a real mention in Slack)."""

    user_id: str


@dataclass(frozen=True)
class Strong:
    """Text shown in bold: numbers like A3, headings inside a line."""

    text: str


@dataclass(frozen=True)
class Code:
    """Something to type, shown in code style: `/board agenda add …`."""

    text: str


@dataclass(frozen=True)
class Channel:
    """A board's channel, linked (in Slack, its name, a click away)."""

    channel_id: str


Span = str | Mention | Strong | Code | Channel
Line = tuple[Span, ...]


def line(*spans: Span | None) -> Line:
    """A line from spans, dropping the None ones (optional parts)."""
    return tuple(span for span in spans if span is not None and span != "")


@dataclass(frozen=True)
class Button:
    """A button under a section: `intent` names what it does, `value` what it acts on."""

    label: str
    intent: str  # "mark_done" | "post_update" | "publish_minutes"
    value: str
    primary: bool = False
    confirm: str | None = None  # asked first, for what everyone will see


@dataclass(frozen=True)
class Section:
    """A group of lines, optionally headed (e.g. one owner's actions), optionally with buttons."""

    lines: tuple[Line, ...]
    heading: str | None = None
    buttons: tuple[Button, ...] = ()
    key: str | None = None  # names the section so a later reply can replace it in place


@dataclass(frozen=True)
class Message:
    """A reply, channel post or DM: a title, sections and a quiet footnote."""

    title: str | None = None
    sections: tuple[Section, ...] = ()
    footnote: str | None = None

    @classmethod
    def of(cls, *lines: Line, title: str | None = None, footnote: str | None = None) -> Message:
        return cls(
            title=title, sections=(Section(tuple(lines)),) if lines else (), footnote=footnote
        )

    def plain_text(self, name_of: Callable[[str], str] = str) -> str:
        """The message as text, mentions as @name (console, logs, error strings)."""
        out: list[str] = []
        if self.title:
            out.append(self.title)
        for section in self.sections:
            if section.heading:
                out.append(section.heading)
            out.extend(render_plain(spans, name_of) for spans in section.lines)
            if section.buttons:
                out.append("  ".join(f"[{button.label}]" for button in section.buttons))
        if self.footnote:
            out.append(self.footnote)
        return "\n".join(out)


def render_plain(spans: Line, name_of: Callable[[str], str] = str) -> str:
    """A line as plain text, mentions as @name (`name_of` gives a user id's name)."""
    parts: list[str] = []
    for span in spans:
        if isinstance(span, Mention):
            parts.append("@" + name_of(span.user_id))
        elif isinstance(span, Strong | Code):
            parts.append(span.text)
        elif isinstance(span, Channel):
            parts.append(f"#{span.channel_id}")
        else:
            parts.append(span)
    return "".join(parts)


@dataclass(frozen=True)
class Later:
    """A document made when it is sent rather than with the reply, because it takes a
    while: from the database as it is then, written out by the given calendar writer."""

    make: Callable[[Database, datetime, Writer], bytes | None]


@dataclass(frozen=True)
class File:
    """A document to attach: to the board's channel, or to one person when `recipient` is
    set. Its content may be made after the reply: from the database (`Later`), or from
    what the command collated (a function, run then)."""

    filename: str
    content: bytes | Later | Callable[[], bytes]
    title: str
    recipient: str | None = None

    def made(self, database: Database, now: datetime, write_ics: Writer) -> bytes | None:
        """The file's bytes: as given, or made now; None if what it is made from has gone
        (a calendar link reset in the meantime)."""
        if isinstance(self.content, Later):
            return self.content.make(database, now, write_ics)
        return self.content() if callable(self.content) else self.content


@dataclass(frozen=True)
class Notice:
    """A direct message to one person about what the command did that concerns them."""

    recipient: str
    message: Message


@dataclass(frozen=True)
class Undo:
    """What a command recorded on the understanding that its announcement would reach
    the channel: undone, and the caller told, if it does not."""

    run: Callable[[Database, datetime], None]
    explanation: str


@dataclass(frozen=True)
class Outcome:
    """The result of one command: the caller's ephemeral reply, and what to announce."""

    reply: Message
    announcement: Message | None = None  # posted to the board's channel
    notices: tuple[Notice, ...] = field(default=())  # DMs to the people it concerns
    files: tuple[File, ...] = field(default=())
    refused: bool = False  # the reply says why nothing was done
    field: str | None = None  # of a refused form, the field the refusal is about
    if_not_announced: Undo | None = None

    @property
    def has_deliveries(self) -> bool:
        return bool(self.announcement or self.notices or self.files)
