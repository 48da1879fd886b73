"""Posting what a command announces: to the board's channel and by DM."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import rendering
from commands.replies import Message, Outcome

log = logging.getLogger(__name__)


def deliver(client: WebClient, channel_id: str, outcome: Outcome) -> list[str]:
    """Post the announcement and DMs; return a sentence for each post that failed."""
    failures: list[str] = []
    posts: list[tuple[str, Message]] = []
    if outcome.announcement:
        posts.append((channel_id, outcome.announcement))
    posts += [(dm.user_id, dm.message) for dm in outcome.direct]
    for target, message in posts:
        try:
            client.chat_postMessage(channel=target, **rendering.payload(message))
        except SlackApiError as error:
            reason = error.response.get("error", "unknown error")
            log.warning("posting to %s failed: %s", target, reason)
            failures.append(_explain(target, reason))
    return failures


def _explain(target: str, reason: str) -> str:
    if reason in {"not_in_channel", "channel_not_found"}:
        return "I couldn't post to this channel. Invite me with /invite and try again."
    return f"I couldn't deliver a message to {target} ({reason})."
