"""People as records name them: name from Slack; organisation and role from the board, or
for attendance as recorded with it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from commands.boards import ROLE_TITLES
from commands.parsing import MENTION
from storage.models import ROLES, Attendance, Member


@dataclass(frozen=True)
class Person:
    """Someone named in minutes or a summary, with a role and organisation where known."""

    name: str
    organisation: str | None = None
    role: str | None = None

    @property
    def label(self) -> str:
        """`Paul Valentine, Northamptonshire Police`, or the name alone."""
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


class Roster:
    """Looks people up by Slack user id among the board's members and the people directory."""

    def __init__(self, members: Iterable[Member], names: Mapping[str, str]) -> None:
        self._members = {member.user_id: member for member in members}
        self._names = names

    def name(self, user_id: str) -> str:
        """Their name as Slack gave it when they were added to a board."""
        # A user the directory never saw is still named, if only by their id.
        return self._names.get(user_id, user_id)

    def written(self, text: str) -> str:
        """Stored text as the minutes show it: a person mentioned whose name is known is
        `@Name`, not a raw id; anyone else's mention stays as typed."""
        return MENTION.sub(lambda m: f"@{self._names[m[1]]}" if m[1] in self._names else m[0], text)

    def person(self, user_id: str) -> Person:
        """Their name, and their organisation and role if they are still on the board."""
        member = self._members.get(user_id)
        if member is None:
            return Person(self.name(user_id))
        return Person(self.name(user_id), member.organisation, ROLE_TITLES[member.role])

    def attending(self, rows: Iterable[Attendance]) -> tuple[Person, ...]:
        """Those at a meeting, each in the capacity recorded with them: chair, vice-chair,
        secretary, members, then anyone recorded with none; by name within each."""

        def rank(row: Attendance) -> tuple[int, str]:
            return (
                ROLES.index(row.role) if row.role else len(ROLES),
                self.name(row.user_id).lower(),
            )

        return tuple(
            Person(
                self.name(row.user_id),
                row.organisation,
                ROLE_TITLES[row.role] if row.role else None,
            )
            for row in sorted(rows, key=rank)
        )
