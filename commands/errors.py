"""The one family of errors a user can cause, each with a message written for them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from commands.replies import Line, Span, render_plain


class BoardError(Exception):
    """Something the user asked for cannot be done; `message` says why.

    The message is spans, so it can name people with real mentions. `usage` is
    filled in by the dispatcher with the subcommand's usage line, so every
    refusal of what was typed also shows how to type it correctly.
    """

    # A refusal of how the command was typed, which its usage helps with.
    about_typing = True

    def __init__(self, *message: Span, usage: str | None = None) -> None:
        self.message: Line = tuple(message)
        self.usage = usage
        self.field: str | None = None  # the field of a form it is about, if any
        super().__init__(render_plain(self.message))


@contextmanager
def about_field(field: str) -> Iterator[None]:
    """A refusal raised within is about `field` of the form being read, so that it can be
    shown under it."""
    try:
        yield
    except BoardError as error:
        error.field = error.field or field
        raise


class UsageError(BoardError):
    """The command was malformed, incomplete or unknown."""


class UnknownWord(UsageError):
    """A word a list does not take (`meetings cancel M1`): another command may be meant."""


class NotFound(BoardError):
    """A meeting, action, item or person named in the command does not exist."""


class NotAllowed(BoardError):
    """The caller's role on the board does not allow this: typed right, so no usage."""

    about_typing = False


class Unchanged(BoardError):
    """What was asked for is so already (due that day, at that time, cancelled): typed
    right, so no usage."""

    about_typing = False


class Unavailable(BoardError):
    """The database could not be reached; nothing was changed."""

    def __init__(self) -> None:
        super().__init__("Sorry, the board is unavailable, try again shortly.")
