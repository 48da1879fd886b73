"""Run one `/board` command: find it in the table, check who may, do it in one transaction."""

from __future__ import annotations

import logging

from commands.context import Context, Directory, Invocation
from commands.errors import BoardError, NotAllowed, Unavailable, UsageError
from commands.replies import Code, Message, Outcome, line
from commands.subcommands import Access, Subcommand, family, find
from storage import queries
from storage.database import Database, StorageUnavailable

log = logging.getLogger(__name__)


def run(invocation: Invocation, database: Database, directory: Directory) -> Outcome:
    """The outcome of a command; a refused command changes nothing and says why."""
    sub, args = find(invocation.text if invocation.text.strip() else "help")
    if sub is None:
        return _refusal(_unknown(invocation), invocation)
    try:
        with database.transaction() as session:
            ctx = Context(session=session, invocation=invocation, directory=directory)
            if sub.access is not Access.ANYONE or sub.words == ("setup",):
                ctx.board = queries.board_for_channel(
                    session, invocation.team_id, invocation.channel_id
                )
            if sub.access is not Access.ANYONE:
                board = ctx.the_board()
                ctx.member = queries.membership(session, board.id, invocation.user_id)
                _check_access(sub, ctx)
            return sub.run(ctx, args)
    except BoardError as error:
        error.usage = error.usage or sub.usage(invocation.command)
        return _refusal(error, invocation)
    except StorageUnavailable:
        log.warning("database unavailable for %r", invocation.text, exc_info=True)
        return _refusal(Unavailable(), invocation)


def _check_access(sub: Subcommand, ctx: Context) -> None:
    board = ctx.the_board()
    if sub.access is Access.MEMBER and ctx.member is None:
        raise NotAllowed(
            f"Only members of {board.name} can do that. An officer can add you "
            f"with {ctx.invocation.command} member add."
        )
    if sub.access is Access.OFFICER and not ctx.is_officer:
        raise NotAllowed(f"Only the chair, vice-chair or secretary of {board.name} can do that.")


def _unknown(invocation: Invocation) -> UsageError:
    command = invocation.command
    first = invocation.text.split()[0]
    related = family(first) or family(first.removesuffix("s"))
    if related:
        error = UsageError(f"“{command} {invocation.text.strip()}” is incomplete.")
        error.usage = "\n".join(sub.usage(command) for sub in related)
        return error
    return UsageError(f"I don't know “{first}”. Type {command} help for the list of commands.")


def _refusal(error: BoardError, invocation: Invocation) -> Outcome:
    lines = [error.message]
    if error.usage:
        lines.append(line("Usage:"))
        lines += [line(Code(usage)) for usage in error.usage.splitlines()]
    return Outcome(reply=Message.of(*lines))
