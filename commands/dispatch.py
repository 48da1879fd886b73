"""Run one `/board` command: find it in the table, check who may, do it in one transaction."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from dataclasses import replace

from commands import describe, parsing
from commands.context import Context, Directory, Invocation, LookedUp
from commands.errors import BoardError, NotAllowed, NotFound, Unavailable, UsageError
from commands.replies import Code, Message, Outcome, line
from commands.subcommands import LISTED, Access, Subcommand, family, find
from storage import queries
from storage.database import Database, StorageUnavailable

log = logging.getLogger(__name__)


def run(invocation: Invocation, database: Database, directory: Directory) -> Outcome:
    """The outcome of a command; a refused command changes nothing and says why."""
    invocation = replace(invocation, text=parsing.printable(invocation.text))
    sub, args = find(invocation.text if invocation.text.strip() else "help")
    if sub is None:
        return _refusal(_unknown(invocation))
    if args.strip() and not sub.arguments:
        error = UsageError(f"I don't understand “{args.strip()}” after {sub.name}.")
        error.usage = _usages(invocation.command, family(sub.words[0]))
        return _refusal(error)
    if sub.looks_up is not None:
        directory = LookedUp.ahead(directory, sub.looks_up(invocation, args))
    return execute(
        invocation,
        database,
        directory,
        sub.access,
        lambda ctx: sub.run(ctx, args),
        usage=sub.usage(invocation.command),
    )


def execute(
    invocation: Invocation,
    database: Database,
    directory: Directory,
    access: Access,
    work: Callable[[Context], Outcome],
    *,
    usage: str | None = None,
    board_id: int | None = None,
) -> Outcome:
    """Do `work` in one transaction for the board of the channel (or `board_id`).

    Any refusal rolls the whole transaction back and comes back as a reply
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
            if ctx.board and not invocation.clicked and ctx.board.command != invocation.command:
                ctx.board.command = invocation.command  # installed under another name
            if access is not Access.ANYONE:
                _check_access(access, ctx)
            return work(ctx)
    except BoardError as error:
        error.usage = error.usage or usage
        return _refusal(error)
    except StorageUnavailable:
        log.warning("database unavailable for %r", invocation.text, exc_info=True)
        return _refusal(Unavailable())


def _check_access(access: Access, ctx: Context) -> None:
    board = ctx.the_board()
    if access is Access.MEMBER and ctx.member is None:
        raise NotAllowed(
            f"Only members of {board.name} can do that. An officer can add you "
            f"with {ctx.command} member add."
        )
    if access is Access.OFFICER:
        ctx.require_officer("do that")


def _unknown(invocation: Invocation) -> UsageError:
    command = invocation.command
    first, *more = invocation.text.split()
    related = family(first) or family(first.removesuffix("s"))
    if not related:
        near = difflib.get_close_matches(first.lower(), {sub.words[0] for sub in LISTED}, n=1)
        if near:
            error = UsageError(f"I don't know “{first}”. Did you mean “{command} {near[0]}”?")
            error.usage = _usages(command, family(near[0]))
            return error
        words = list(dict.fromkeys(sub.words[0] for sub in LISTED))
        error = UsageError(f"I don't know “{first}”. The commands are {describe.in_words(words)}.")
        error.usage = _usages(command, family("help"))
        return error
    if more:
        error = UsageError(f"I don't know “{command} {first} {more[0]}”.")
    else:
        error = UsageError(f"“{command} {first}” is incomplete.")
    error.usage = _usages(command, related)
    return error


def _usages(command: str, subcommands: list[Subcommand]) -> str:
    return "\n".join(sub.usage(command) for sub in subcommands)


def _refusal(error: BoardError) -> Outcome:
    lines = [error.message]
    if error.usage:
        lines.append(line("Usage:"))
        lines += [line(Code(usage)) for usage in error.usage.splitlines()]
    return Outcome(reply=Message.of(*lines), refused=True)
