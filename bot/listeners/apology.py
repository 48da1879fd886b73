"""Telling a person that something failed on our side, or why nothing happened: a
sentence only they see, never Slack's own "failed with error" nor silence."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

SORRY = "Sorry, something went wrong on the board bot's side. Please try again in a moment."
log = logging.getLogger(__name__)


def tell(respond: Respond, client: WebClient | None, user_id: str | None, text: str) -> None:
    """Say something to the person who clicked, and only them: beside the message they
    clicked, or in their DM with the bot when Slack gave no reply URL (the Home tab)."""
    try:
        if respond.response_url:
            respond(response_type="ephemeral", replace_original=False, text=text)
        elif client and user_id:
            client.chat_postMessage(channel=user_id, text=text)
    except (SlackApiError, OSError):
        log.warning("could not tell %s: %s", user_id, text, exc_info=True)


def reported(lazy: Callable[..., None]) -> Callable[..., None]:
    """A lazy listener whose failure is logged in full and, for a button, told to the
    clicker. Bolt itself would log one line, and the person would see nothing."""

    @functools.wraps(lazy)  # Bolt passes the arguments the wrapped function names
    def run(**kwargs: Any) -> None:
        try:
            lazy(**kwargs)
        except Exception:
            log.exception("%s failed", lazy.__name__)
            if "respond" in kwargs:
                user_id = kwargs.get("body", {}).get("user", {}).get("id")
                tell(kwargs["respond"], kwargs.get("client"), user_id, SORRY)

    return run
