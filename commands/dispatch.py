"""Run one `/board` command: find it in the table, check who may, do it in one transaction."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from commands import describe, parsing
from commands.context import Context, Directory, Invocation, LookedUp
from commands.errors import (
    BoardError,
    NotAllowed,
    NotFound,
    Unavailable,
    UnknownWord,
    UsageError,
)
from commands.replies import Code, Message, Outcome, Span, line
from commands.subcommands import LISTED, Access, Subcommand, family, find
from storage import queries
from storage.database import Database, StorageUnavailable
from storage.models import DEFAULT_COMMAND

log = logging.getLogger(__name__)
T = TypeVar("T")


def run(invocation: Invocation, database: Database, directory: Directory) -> Outcome:
    """The outcome of a command; a refused command changes nothing and says why."""
    # Not typed (a button's): replies name the board's command, and it is not changed.
    command = invocation.command or DEFAULT_COMMAND
    invocation = replace(invocation, text=parsing.printable(invocation.text))
    sub, args = find(invocation.text if invocation.text.strip() else "help")
    reordered = len(sub.words) == 1 and _reordered(invocation.text.split()) if sub else False
    if sub is None or _slipped(sub, args) or reordered:
        return _refusal(_unknown(command, invocation.text))
    meant = _singular(sub, args) if args.strip() else None  # `members add`, `meetings cancel`
    if meant is not None and not sub.arguments:
        typed = f"I don't know “{command} {sub.name} {args.split()[0]}”."
        return _refusal(_did_you_mean(command, meant, typed))
    if args.strip() and not sub.arguments:
        error = UsageError(f"I don't understand “{args.strip()}” after {sub.name}.")
        error.usage = _usages(command, family(sub.words[0]))
        return _refusal(error)
    if sub.looks_up is not None:
        directory = LookedUp.ahead(directory, sub.looks_up(invocation, args))

    def handle(ctx: Context) -> Outcome:
        try:
            return sub.run(ctx, args)
        except UnknownWord as refused:  # a list that takes words, not these: `meetings cancel M1`
            if meant is None:
                raise
            raise _did_you_mean(command, meant, *refused.message) from None

    return execute(invocation, database, directory, sub.access, handle, usage=sub.usage(command))


def _did_you_mean(command: str, meant: Subcommand, *refusal: Span) -> UsageError:
    """The refusal of a list followed by another command's word, pointing at that command
    and showing its usage."""
    error = UsageError(*refusal, f" Did you mean “{command} {meant.name}”?")
    error.usage = meant.usage(command)
    return error


def _slipped(sub: Subcommand, args: str) -> bool:
    """Whether a one-word command is followed by a word rather than its argument: a second
    word of its family slipped (`agenda mve 6 1`, `minutes pubish`, `note rmove 2`) or,
    for one that takes no text, one it does not have (`agenda drop 1`); said as such
    with the family's usage, not as a bad M#. (`note Holiday …` has left out the item
    number instead.)"""
    words = args.split()
    if len(sub.words) > 1 or not words or not words[0].isalpha():
        return False
    seconds = {s.words[1] for s in family(sub.words[0]) if len(s.words) > 1}
    if "<text>" in sub.arguments:
        return _nearest(words[0], seconds) is not None
    return bool(seconds)


def _nearest(word: str, seconds: set[str]) -> str | None:
    """The second word a typed one was meant as: close (not `agenda rename` for `remove`),
    or the start of just one (`minutes pub`)."""
    near = difflib.get_close_matches(word.lower(), seconds, n=1, cutoff=0.75)
    starting = [s for s in seconds if len(word) > 1 and s.startswith(word.lower())]
    return near[0] if near else starting[0] if len(starting) == 1 else None


def _singular(sub: Subcommand, args: str) -> Subcommand | None:
    """The command meant by a list's name followed by a command's second word: the
    singular's (`members add @sam` for `member add @sam`)."""
    if len(sub.words) > 1 or not sub.words[0].endswith("s"):
        return None
    meant, _ = find(f"{sub.words[0].removesuffix('s')} {args}")
    return meant if meant is not None and len(meant.words) > 1 and meant.run != sub.run else None


def execute(
    invocation: Invocation,
    database: Database,
    directory: Directory,
    access: Access,
    work: Callable[[Context], T],
    *,
    usage: str | None = None,
    board_id: int | None = None,
) -> T | Outcome:
    """Do `work` in one transaction for the board of the channel (or `board_id`): what
    it returns, an Outcome for a command.

    Any refusal rolls the whole transaction back and comes back as a refused Outcome
    saying why, with `usage` where there is one.
    """
    try:
        with database.transaction() as session:
            ctx = Context(session=session, invocation=invocation, directory=directory)
            ctx.board, ctx.member = queries.board_and_membership(
                session,
                invocation.user_id,
                board_id=board_id,
                team_id=invocation.team_id,
                channel_id=invocation.channel_id,
            )
            if board_id is not None and ctx.board is None:
                raise NotFound("That board no longer exists.")
            if access is not Access.ANYONE:
                _check_access(access, ctx, usage)
            _remember_command(ctx)
            return work(ctx)
    except BoardError as error:
        if error.about_typing:
            error.usage = error.usage or usage
        return _refusal(error)
    except StorageUnavailable:
        log.warning("database unavailable for %r", invocation.text, exc_info=True)
        return _refusal(Unavailable())


def _check_access(access: Access, ctx: Context, usage: str | None) -> None:
    """Refused before the command is read, which may be typed wrong too: with its usage."""
    board = ctx.the_board()
    try:
        if access is Access.MEMBER and ctx.member is None:
            raise NotAllowed(
                f"Only members of {board.name} can do that.",
                *(
                    ctx.ask_an_officer("to add you")
                    or (f" An officer can add you with {ctx.command} member add.",)
                ),
            )
        if access is Access.OFFICER:
            ctx.require_officer("do that")
    except NotAllowed as refusal:
        refusal.usage = usage
        raise


def _remember_command(ctx: Context) -> None:
    """The slash command a member typed, if the board knew it by another name (the app
    installed under a new one): what reminders, buttons and the Home tab then name."""
    typed, board = ctx.invocation.command, ctx.board
    if board is None or ctx.member is None or typed is None or board.command == typed:
        return
    before = {"command": board.command}
    board.command = typed
    ctx.audit("board.command", f"board {board.id}", before, {"command": typed})


def _unknown(command: str, text: str) -> UsageError:
    typed = text.split()
    if reordered := _reordered(typed):
        shown, meant = reordered
        sub = find(meant)[0]
        more = " …" if sub and sub.arguments and len(typed) > len(shown.split()) else ""
        error = UsageError(
            f"I don't know “{command} {shown}”. Did you mean “{command} {meant}{more}”?"
        )
        error.usage = _usages(command, [sub] if sub else [])
        return error
    first = typed[0].lower()
    if not family(first) and family(first.removesuffix("s")):
        first = first.removesuffix("s")  # `agendas`
    related = family(first)
    if not related:
        near = difflib.get_close_matches(first, {sub.words[0] for sub in LISTED}, n=1)
        if near:
            error = UsageError(f"I don't know “{typed[0]}”. Did you mean “{command} {near[0]}”?")
            error.usage = _usages(command, family(near[0]))
            return error
        words = list(dict.fromkeys(sub.words[0] for sub in LISTED))
        listed = describe.in_words(words)
        error = UsageError(f"I don't know “{typed[0]}”. The commands are {listed}.")
        error.usage = _usages(command, family("help"))
        return error
    # A slip in the second word (`action updte`): the nearest of the family's.
    guess = first if first != typed[0].lower() else None
    seconds = {sub.words[1] for sub in related if len(sub.words) > 1}
    if len(typed) > 1 and (second := _nearest(typed[1], seconds)):
        guess = f"{first} {second}"
        related = [sub for sub in related if sub.words[1:2] == (second,)]
    shown = " ".join(typed[:2])
    if guess:
        error = UsageError(f"I don't know “{command} {shown}”. Did you mean “{command} {guess}”?")
    elif len(typed) > 1:
        error = UsageError(f"I don't know “{command} {shown}”.")
    else:
        error = UsageError(f"“{command} {typed[0]}” is incomplete.")
    error.usage = _usages(command, related)
    return error


# Words said around a number (`mark A4 done`), not part of the command meant.
AROUND_A_NUMBER = {"mark", "please"}
# Words for a command that read as another one's (`attendance @paul`: `present @paul`).
OTHER_WORDS = {"attendance": "present", "register": "present", "next": "meeting next"}
# The commands whose number comes straight after what is done (`action done A4`), and
# which a number alone implies.
NUMBER_AFTER = {"action", "meeting", "minutes"}
IMPLIED_BY = {"a": "action", "m": "meeting"}
NUMBERED = re.compile(r"^[am]\d{1,9}$")


def _reordered(typed: list[str]) -> tuple[str, str] | None:
    """A command typed in another order or other words, as (the words typed, the command
    meant, its text left out): `publish minutes` for `minutes publish`; a number before
    what is done to it (`A4 done`, `mark A4 done`, `minutes M1 publish`: `action done
    A4`, `minutes publish M1`); `next meeting` for `meeting next`."""
    words = [word.lower() for word in typed]
    if not words:
        return None
    swapped = find(f"{words[1]} {words[0]}")[0] if len(words) > 1 else None
    if swapped is not None and swapped.words == (words[1], words[0]):
        return " ".join(typed[:2]), swapped.name
    if words[:2] == ["next", "meeting"]:
        return " ".join(typed[:2]), "meeting next"
    if words[0] in OTHER_WORDS:
        return typed[0], OTHER_WORDS[words[0]]
    number = next((i for i, word in enumerate(words[:3]) if NUMBERED.match(word)), None)
    if number is None:
        return None
    root = words[0] if number > 0 and family(words[0]) else IMPLIED_BY[words[number][0]]
    if root not in NUMBER_AFTER:
        return None
    verbs = {sub.words[1] for sub in family(root) if len(sub.words) > 1}
    verb = next((i for i in range(number + 1, min(len(words), 4)) if words[i] in verbs), None)
    said = {word for i, word in enumerate(words[:verb]) if i != number} - {root}
    if verb is None or not said <= AROUND_A_NUMBER:
        return None
    return " ".join(typed[: verb + 1]), f"{root} {words[verb]} {typed[number].upper()}"


def _usages(command: str, subcommands: list[Subcommand]) -> str:
    return "\n".join(sub.usage(command) for sub in subcommands)


def _refusal(error: BoardError) -> Outcome:
    lines = [error.message]
    if error.usage:
        lines.append(line("Usage:"))
        lines += [line(Code(usage)) for usage in error.usage.splitlines()]
    return Outcome(reply=Message.of(*lines), refused=True, field=error.field)
