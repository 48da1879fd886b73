"""What a command runs with: who typed it, where, when, and the open transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands import describe
from commands.errors import NotAllowed, UsageError
from commands.replies import Channel, Mention, Span
from storage import audit, queries
from storage.audit import snapshot
from storage.models import DEFAULT_COMMAND, OFFICER_ROLES, ROLES, Board, Member

# Whom a member refused an officers' command is sent to first: the secretary keeps the
# board's business.
ASKING_ORDER = ("secretary", *(r for r in ROLES if r in OFFICER_ROLES and r != "secretary"))


@dataclass(frozen=True)
class PersonInfo:
    """A workspace user as the chat service describes them."""

    user_id: str
    name: str
    email: str | None = None
    # Only the id is known: the chat service did not answer, so store nothing of it.
    provisional: bool = False


class Directory(Protocol):
    """Looks people up (Slack's users.info, or the console's names)."""

    def lookup(self, user_id: str) -> PersonInfo | None:
        """The person with this id, or None if the workspace has no such user."""
        ...


@dataclass(frozen=True)
class LookedUp:
    """People looked up before a command's transaction opens: a slow chat service must
    not keep the database waiting (on SQLite a transaction that writes holds all of it)."""

    found: dict[str, PersonInfo | None]
    directory: Directory

    @classmethod
    def ahead(cls, directory: Directory, user_ids: Iterable[str]) -> LookedUp:
        return cls({user_id: directory.lookup(user_id) for user_id in user_ids}, directory)

    def lookup(self, user_id: str) -> PersonInfo | None:
        if user_id in self.found:
            return self.found[user_id]
        return self.directory.lookup(user_id)


@dataclass(frozen=True)
class Invocation:
    """One slash command as typed: `text` is everything after `/board`."""

    team_id: str
    channel_id: str
    user_id: str
    text: str
    now: datetime
    command: str | None = None  # the slash command typed; None for a button or form
    default_timezone: str = "Europe/London"
    public_url: str = "http://localhost:3000"  # base of links the app serves (calendar feed)
    in_direct_message: bool = False  # typed in a DM, where no board can meet
    # Users the text names only by a mention written out as text (`<@U…>` typed, which
    # Slack sends escaped), never picked from Slack's list: not a mention of them.
    typed_mentions: frozenset[str] = frozenset()


@dataclass
class Context:
    """Everything a subcommand's handler needs, inside one transaction."""

    session: Session
    invocation: Invocation
    directory: Directory
    board: Board | None = None
    member: Member | None = None
    _zone: ZoneInfo | None = field(default=None, repr=False)

    @property
    def now(self) -> datetime:
        return self.invocation.now

    @property
    def caller(self) -> str:
        return self.invocation.user_id

    @property
    def zone(self) -> ZoneInfo:
        if self._zone is None:
            name = self.board.timezone if self.board else self.invocation.default_timezone
            self._zone = ZoneInfo(name)
        return self._zone

    @property
    def command(self) -> str:
        """The slash command to tell the caller to type: the one typed, or the board's."""
        if self.invocation.command:
            return self.invocation.command
        return self.board.command if self.board else DEFAULT_COMMAND

    @property
    def today(self) -> date:
        return self.day_of(self.now)

    def day_of(self, moment: datetime) -> date:
        """The board's calendar day at an instant."""
        return moment.astimezone(self.zone).date()

    @property
    def is_officer(self) -> bool:
        return self.member is not None and self.member.is_officer

    def the_board(self) -> Board:
        if self.board is not None:
            return self.board
        boards = queries.boards_of(self.session, self.invocation.team_id, self.caller)
        setup = f"{self.command} setup <board name>"
        if not boards:
            if self.invocation.in_direct_message:
                raise UsageError(
                    "Board commands work in a board's channel, not in direct messages."
                )
            raise UsageError(f"This channel has no board yet. Set one up with {setup}.")
        # A member somewhere else most likely meant that board: said first.
        named = describe.listed([(f"{b.name} (", Channel(b.channel_id), ")") for b in boards])
        channels = "its channel" if len(boards) == 1 else "their channels"
        yours: list[Span] = ["You are on ", *named, f": type board commands in {channels}."]
        if self.invocation.in_direct_message:
            yours.append(" Your open actions on every board are on my Home tab.")
        else:
            yours.append(f" This channel has no board; {setup} would set one up here.")
        raise UsageError(*yours)

    def require_officer(self, what: str) -> None:
        """Officers only; a member is told whom to ask."""
        if self.is_officer:
            return
        raise NotAllowed(
            f"Only the chair, vice-chair or secretary of {self.the_board().name} can {what}.",
            *self.ask_an_officer(),
        )

    def ask_an_officer(self, to: str = "") -> tuple[Span, ...]:
        """` Ask @gill, the secretary.` (with what `to` do); nothing if the board has no
        officer."""
        officers = [m for m in queries.members(self.session, self.the_board().id) if m.is_officer]
        if not officers:
            return ()
        first = min(officers, key=lambda m: ASKING_ORDER.index(m.role))
        return (" Ask ", Mention(first.user_id), f", the {first.role}", f", {to}." if to else ".")

    def require_owner_or_officer(self, owner_id: str, what: str) -> None:
        """Members may change their own actions; officers any."""
        if self.is_officer or (self.member is not None and owner_id == self.caller):
            return
        raise NotAllowed(
            "Only the action's owner, ", Mention(owner_id), f", or a board officer can {what}."
        )

    def picked(self, user_id: str) -> str:
        """A user named in the command, unless only by a mention typed out as text."""
        if user_id in self.invocation.typed_mentions:
            raise UsageError(
                f"“<@{user_id}>” is typed out as text, so it names no one. "
                "Type @ and pick the person from Slack's list."
            )
        return user_id

    def board_member(self, user_id: str, *, suggest_adding: bool = True) -> Member:
        """The board's membership of a named user, or a clear refusal (saying how to add
        them, unless that is beside the point)."""
        found = queries.membership(self.session, self.the_board().id, self.picked(user_id))
        if found is None and suggest_adding:
            who = "Add them" if self.is_officer else "An officer can add them"
            raise UsageError(
                Mention(user_id),
                f" is not on this board. {who}: {self.command} member add ",
                Mention(user_id),
            )
        if found is None:
            raise UsageError(Mention(user_id), " is not on this board.")
        return found

    def change(self, row: Any, verb: str, subject: str, **values: object) -> None:
        """Set `values` on a stored row and leave an audit row of it, before and after
        (none if nothing changed)."""
        before = snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()
        if (after := snapshot(row)) != before:
            self.audit(verb, subject, before, after)

    def audit(
        self,
        verb: str,
        subject: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        audit.record(
            self.session,
            board_id=self.the_board().id,
            actor_id=self.caller,
            at=self.now,
            verb=verb,
            subject=subject,
            before=before,
            after=after,
        )
