"""Posting what a command announces: to the board's channel and by DM."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import rendering
from commands import calendar_ics, documents
from commands.calendar_feed import Writer
from commands.replies import File, Message, Outcome
from storage.database import Database

log = logging.getLogger(__name__)


def deliver(
    client: WebClient,
    channel_id: str,
    outcome: Outcome,
    database: Database,
    now: datetime,
    write_ics: Writer = calendar_ics.ics,
) -> list[str]:
    """Post the announcement, DMs and files; return a sentence for each that failed."""
    failures: list[str] = []
    posts: list[tuple[str, Message]] = []
    if outcome.announcement:
        posts.append((channel_id, outcome.announcement))
    posts += [(dm.user_id, dm.message) for dm in outcome.direct]
    for target, message in posts:
        try:
            post(client, target, message)
        except SlackApiError as error:
            failures.append(_failed(target, error))
    for file in outcome.files:
        target = file.recipient or channel_id
        data = documents.content(database, file, now, write_ics)
        if data is None:
            continue
        try:
            upload(client, target, file, data)
        except SlackApiError as error:
            failures.append(_failed(target, error))
    return failures


def post(
    client: WebClient, target: str, message: Message, metadata: dict[str, Any] | None = None
) -> list[str]:
    """Post a message (split into several if Slack's limits need it); the posts' timestamps."""
    return [
        client.chat_postMessage(channel=target, metadata=metadata, **part)["ts"]
        for part in rendering.payloads(message)
    ]


def conversation(client: WebClient, target: str) -> str:
    """The channel itself, or for a person the bot's DM with them."""
    if target.startswith(("U", "W")):
        return str(client.conversations_open(users=target)["channel"]["id"])
    return target


def upload(client: WebClient, target: str, file: File, data: bytes) -> None:
    """Attach a file to a channel, or to a person's DM with the bot."""
    client.files_upload_v2(
        channel=conversation(client, target),
        content=data,
        filename=file.filename,
        title=file.title,
    )


def _failed(target: str, error: SlackApiError) -> str:
    reason = error.response.get("error", "unknown error")
    log.warning("delivering to %s failed: %s", target, reason)
    return _explain(target, reason)


def _explain(target: str, reason: str) -> str:
    if reason in {"not_in_channel", "channel_not_found"}:
        return "I couldn't post to this channel. Invite me with /invite and try again."
    return f"I couldn't deliver a message to {target} ({reason})."
