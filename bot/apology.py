"""Telling a person that something failed on our side, or why nothing happened: a
sentence only they see, never Slack's own "failed with error" nor silence."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

SORRY = "Sorry, something went wrong on the board bot's side. Please try again in a moment."
log = logging.getLogger(__name__)


def tell(respond: Respond, client: WebClient | None, user_id: str | None, text: str) -> None:
    """Say something to the person who clicked, and only them: beside the message they
    clicked, or in their DM with the bot when Slack gave no reply URL (the Home tab, a form)."""
    try:
        if respond.response_url:
            respond(response_type="ephemeral", replace_original=False, text=text)
        elif client and user_id:
            client.chat_postMessage(channel=user_id, text=text)
    except (SlackApiError, OSError):
        log.warning("could not tell %s: %s", user_id, text, exc_info=True)


@contextmanager
def apologising(
    respond: Respond | None, client: WebClient | None, user_id: str | None, what: str
) -> Iterator[None]:
    """Work done after Slack's 3 seconds, where Bolt would only log a line if it failed:
    log it in full, and tell the person, where there is a way to."""
    try:
        yield
    except Exception:
        log.exception("%s failed", what)
        if respond is not None:
            tell(respond, client, user_id, SORRY)


def reported(lazy: Callable[..., None], *, after_outcome: bool = False) -> Callable[..., None]:
    """A lazy listener, apologising for its failure to a button's clicker. With
    `after_outcome` (the listener must take `context`), it is skipped when the
    acknowledging step left no `outcome` there: that step refused or failed, and has
    said so."""

    @functools.wraps(lazy)  # Bolt passes the arguments the wrapped function names
    def run(**kwargs: Any) -> None:
        if after_outcome and kwargs["context"].get("outcome") is None:
            return
        user_id = kwargs.get("body", {}).get("user", {}).get("id")
        with apologising(kwargs.get("respond"), kwargs.get("client"), user_id, lazy.__name__):
            lazy(**kwargs)

    return run
