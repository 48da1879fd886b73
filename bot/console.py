"""`boardbot console`: the real core and database, driven by lines of text.

Each input line is a slash command as typed in Slack (`/board help`).
`/as <name>` switches the acting user and `@name` stands for a mention.
Replies and channel posts are printed as text; files are named, with who gets them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from bot.config import Settings
from commands import dispatch
from commands.context import PersonInfo
from commands.replies import Message
from storage.database import Database

TEAM = "TCONSOLE"
CHANNEL = "CCONSOLE"
MENTION = re.compile(r"(?<![<\w])@([A-Za-z](?:[\w.\-]*\w)?)")  # not a sentence's full stop
DEFAULT_USER = "me"


def user_id_for(name: str) -> str:
    """A stable Slack-shaped id for a console name: `gill` → `UGILL`."""
    return "U" + re.sub(r"[^A-Z0-9]", "", name.upper())


class ConsoleDirectory:
    """Everyone named in the console exists; their name is what was typed."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def remember(self, name: str) -> str:
        user_id = user_id_for(name)
        self.names.setdefault(user_id, name)
        return user_id

    def name_of(self, user_id: str) -> str:
        return self.names.get(user_id, user_id[1:].lower())

    def lookup(self, user_id: str) -> PersonInfo | None:
        return PersonInfo(user_id=user_id, name=self.name_of(user_id))


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
            if match := re.fullmatch(r"/as\s+@?(\S+)", text):
                self.user = self.directory.remember(match[1])
                return f"(now acting as @{match[1]})"
            return "Usage: /as <name>, e.g. /as gill"
        if not text.startswith("/"):
            return "Type a slash command such as /board help, or /as <name> to switch user."
        command, _, rest = text.partition(" ")
        rest = MENTION.sub(lambda m: f"<@{self.directory.remember(m[1])}>", rest)
        invocation = self.settings.invocation(self.clock(), TEAM, CHANNEL, self.user, rest, command)
        outcome = dispatch.run(invocation, self.database, self.directory)
        shown = [self._show(outcome.reply)]
        if outcome.announcement:
            shown.append(self._show(outcome.announcement, "[channel] "))
        shown += [
            f"[file to @{self.directory.name_of(file.recipient)}] {file.filename}"
            if file.recipient
            else f"[file in channel] {file.filename}"
            for file in outcome.files
        ]
        return "\n".join(shown)

    def _show(self, message: Message, prefix: str = "") -> str:
        return prefix + message.plain_text(self.directory.name_of)
