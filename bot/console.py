"""`boardbot console`: the real core and database, driven by lines of text.

Each input line is a slash command as typed in Slack (`/board help`).
`/as <name>` switches the acting user and `@name` stands for a mention; Slack's own
form, `<@U0123ABC>` or `<@U0123ABC|gill>`, is read too. Replies, channel posts and
DMs are printed as text, and so are the console board's reminders as they fall due;
files are named, with who gets them, and saved in FILES.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from commands import calendar_ics, dispatch, parsing
from commands.context import Invocation, PersonInfo
from commands.errors import Unavailable
from commands.reminders import Sent, run_pass
from commands.replies import File, Message
from storage import queries
from storage.database import Database, StorageUnavailable

TEAM = "TCONSOLE"
CHANNEL = "CCONSOLE"
MENTION = re.compile(r"(?<![<\w])@([A-Za-z](?:[\w.\-]*\w)?)")  # not a sentence's full stop
SLACK_MENTION = re.compile(rf"<@(?P<id>{parsing.USER_ID})(?:\|(?P<name>[^>]*))?>")
SLACK_ID = re.compile(r"[UW][0-9][A-Z0-9]+")  # a console name's id has a letter second
# A name Slack would take for a slash command (at most 32 characters, the slash
# included): the board remembers the one typed.
COMMAND_NAME = re.compile(r"/[\w.-]{1,31}")
AS = re.compile(rf"/as\s+(?:{SLACK_MENTION.pattern}|@?(?P<typed>[A-Za-z][\w.\-]*))")
DEFAULT_USER = "me"
# Where the files Slack would attach are put, in the working directory (the default
# database's too), so that the minutes can be opened in Word.
FILES = Path("boardbot-files")


def user_id_for(name: str) -> str:
    """A stable Slack-shaped id for a console name: `gill` → `UGILL`; a Slack id is itself."""
    if SLACK_ID.fullmatch(name):
        return name
    return "U" + re.sub(r"[^A-Z0-9]", "", name.upper())


class ConsoleDirectory:
    """Everyone named in the console exists; their name is what was typed, or the name
    a Slack-style mention carried."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    def remember(self, name: str) -> str:
        user_id = self.ids.get(name.lower()) or user_id_for(name)
        self.names.setdefault(user_id, name)
        self.ids.setdefault(name.lower(), user_id)
        return user_id

    def mentioned(self, user_id: str, name: str | None) -> str:
        """`<@U0123ABC|gill>`: U0123ABC is gill, and `@gill` or `/as gill` is U0123ABC
        from now on."""
        if name:
            self.names[user_id] = name
            self.ids[name.lower()] = user_id
        return user_id

    def name_of(self, user_id: str) -> str:
        known = self.names.get(user_id)
        if known is None:  # named in an earlier run: `UGILL` was gill, `U0123ABC` is itself
            known = user_id if SLACK_ID.fullmatch(user_id) else user_id[1:].lower()
        return known

    def lookup(self, user_id: str) -> PersonInfo | None:
        return PersonInfo(user_id=user_id, name=self.name_of(user_id))


class PrintedOutbox:
    """Reminders printed rather than sent: `[channel] …`, `[DM to @name] …`."""

    def __init__(self, show: Callable[[Message, str], str], name_of: Callable[[str], str]) -> None:
        self.printed: list[str] = []
        self._show = show
        self._name_of = name_of

    def send(self, recipient: str, message: Message, tag: str, *, look_first: bool) -> Sent:
        where = "[channel] " if recipient == CHANNEL else f"[DM to @{self._name_of(recipient)}] "
        self.printed.append(self._show(message, where))
        return Sent(None, posted=True)


class Console:
    """A console session: one acting user (`/as <name>`) typing slash commands, answered as text."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.clock = settings.clock()
        self.settings = settings
        self.directory = ConsoleDirectory()
        self.user = self.directory.remember(DEFAULT_USER)

    def run(self, lines: Iterable[str], out: TextIO) -> None:
        for raw in lines:
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            out.write(self.handle(text) + "\n")
            out.flush()

    def handle(self, text: str) -> str:
        if text.split()[0] == "/as":
            if match := AS.fullmatch(text):
                self.user = (
                    self.directory.mentioned(match["id"], match["name"])
                    if match["id"]
                    else self.directory.remember(match["typed"])
                )
                return f"(now acting as @{self.directory.name_of(self.user)})"
            return "Usage: /as <name>, e.g. /as gill"
        command, _, rest = text.partition(" ")
        if not COMMAND_NAME.fullmatch(command):
            return "Type a slash command such as /board help, or /as <name> to switch user."
        for mention in SLACK_MENTION.finditer(rest):
            self.directory.mentioned(mention["id"], mention["name"])
        rest = MENTION.sub(lambda m: f"<@{self.directory.remember(m[1])}>", rest)
        invocation = self.settings.invocation(self.clock(), TEAM, CHANNEL, self.user, rest, command)
        outcome = dispatch.run(invocation, self.database, self.directory)
        shown = [self._show(outcome.reply)]
        if outcome.announcement:
            shown.append(self._show(outcome.announcement, "[channel] "))
        shown += [
            self._show(notice.message, f"[DM to @{self.directory.name_of(notice.recipient)}] ")
            for notice in outcome.notices
        ]
        shown += [
            f"[file to @{self.directory.name_of(file.recipient)}] {self._saved(file, invocation)}"
            if file.recipient
            else f"[file in channel] {self._saved(file, invocation)}"
            for file in outcome.files
        ]
        # With the database out of reach, the command's reply has said so.
        with suppress(StorageUnavailable):
            shown += self.reminders(self.clock())
        return "\n".join(shown)

    def _saved(self, file: File, invocation: Invocation) -> str:
        """The file's name, and where it was saved (a later one of the same name replaces
        it), made as of the command as Slack's would be; or why it was not."""
        path = FILES / Path(file.filename).name
        try:
            data = file.made(self.database, invocation.now, calendar_ics.ics)
            if data is None:  # its source went before it was made (a calendar link reset)
                return file.filename
            FILES.mkdir(exist_ok=True)
            path.write_bytes(data)
        except (OSError, Unavailable) as error:
            return f"{file.filename} (not saved: {error})"
        return f"{file.filename} (saved as {path})"

    def has_board(self) -> bool:
        with self.database.transaction() as session:
            return queries.board_for_channel(session, TEAM, CHANNEL) is not None

    def reminders(self, now: datetime) -> list[str]:
        """The console board's reminders due as of `now`, printed and recorded as sent:
        serve's pass, run after each command (and by `reminders run` with no Slack).
        Other boards' are left to the bot that posts them."""
        outbox = PrintedOutbox(self._show, self.directory.name_of)
        run_pass(self.database, now, outbox, board_at=(TEAM, CHANNEL))
        return outbox.printed

    def _show(self, message: Message, prefix: str = "") -> str:
        """The message as text, after `prefix` (where it went)."""
        return prefix + message.plain_text(self.directory.name_of)
