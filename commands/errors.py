"""The one family of errors a user can cause, each with a message written for them."""

from __future__ import annotations

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
        super().__init__(render_plain(self.message))


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
