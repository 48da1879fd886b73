"""The reminder pass over Slack: run once (cron) or every minute beside the server."""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import rendering
from bot.config import Settings
from bot.delivery import as_member, conversation, failure_reason, post_parts
from bot.directory import SlackDirectory
from commands.boards import name_the_unnamed
from commands.reminders import DeliveryFailed, DueReminder, Sent, run_pass
from commands.replies import Message
from storage import events
from storage.database import Database

log = logging.getLogger(__name__)
METADATA_EVENT = "board_reminder"
# A reminder that may already have gone out is looked for in the last 1,000 messages
# (a busy channel's day or more), in pages of Slack's recommended size.
LOOK_BACK_PAGE = 200
LOOK_BACK_PAGES = 5


class SlackOutbox:
    """Reminders posted with their delivery tag in message metadata, so a retry can look
    first. A reminder too long for one message goes as several, each tagged with its
    part, and a retry posts only the parts Slack does not have."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def send(self, recipient: str, message: Message, tag: str, *, look_first: bool) -> Sent:
        parts = rendering.payloads(message)
        with _failures_as_delivery_failed():
            there, whole = self._posted(recipient, tag, len(parts)) if look_first else ({}, False)
        if whole:
            return Sent(there.get(0), posted=False)

        def tagged(part: int) -> dict[str, Any]:
            payload = {"tag": tag, "part": part, "parts": len(parts)}
            return {"event_type": METADATA_EVENT, "event_payload": payload}

        with _failures_as_delivery_failed():
            sent, error = post_parts(self._client, recipient, parts, tagged, skip=there)
            if error is not None:
                raise error
        return Sent((there | sent).get(0), posted=bool(sent))

    def _posted(self, recipient: str, tag: str, parts: int) -> tuple[dict[int, str], bool]:
        """The parts of the reminder Slack has, by number, and whether an earlier attempt
        posted it whole (however it was split then: it may have changed since). Parts of
        an attempt split otherwise are not counted, so none of this one is missed.

        If Slack will not let the app look (an install without a scope it needs), nothing
        is counted: posting twice is then the risk taken, rather than never posting.
        """
        try:
            messages = self._recent(conversation(self._client, recipient))
        except SlackApiError as error:
            if not _not_permitted(error):
                raise
            log.warning("cannot look in %s (%s): posting", recipient, failure_reason(error))
            return {}, False
        by_split: dict[int, dict[int, str]] = defaultdict(dict)  # parts → part → ts
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("tag") == tag:
                split = by_split[int(payload.get("parts", 1))]
                split[int(payload.get("part", 0))] = str(message["ts"])
        for split_into, found in by_split.items():
            if len(found) == split_into:
                return found, True
        return by_split.get(parts, {}), False

    def _recent(self, channel: str) -> list[dict[str, Any]]:
        def history() -> list[dict[str, Any]]:
            pages = self._client.conversations_history(
                channel=channel, limit=LOOK_BACK_PAGE, include_all_metadata=True
            )  # slack-sdk follows the cursor as the pages are read
            return [
                message
                for page in itertools.islice(pages, LOOK_BACK_PAGES)
                for message in page.get("messages", [])
            ]

        # A public channel the bot posts to without being a member: it joins to look.
        return as_member(self._client, channel, history)


# Slack's answers that this app may not look (a scope not granted, a method, channel
# type or argument it does not offer), or, for a plain 404, that there is no such
# method at all.
NOT_PERMITTED = frozenset(
    {
        "missing_scope",
        "no_permission",
        "not_allowed_token_type",
        "unknown_method",
        "method_not_supported_for_channel_type",
        "restricted_action",
        "invalid_arg_name",
    }
)


def _not_permitted(error: SlackApiError) -> bool:
    """Whether Slack answered that this app may not make the call, so that trying again
    later would not help."""
    return error.response.status_code == 404 or error.response.get("error") in NOT_PERMITTED


@contextmanager
def _failures_as_delivery_failed() -> Iterator[None]:
    """Any refusal or network failure means: not delivered, try again next pass."""
    try:
        yield
    except (SlackApiError, OSError) as error:
        raise DeliveryFailed(failure_reason(error)) from error


def reminder_pass(
    database: Database, client: WebClient, now: datetime, settings: Settings
) -> list[DueReminder]:
    """One pass as of `now`, posting through Slack; the reminders it posted."""
    timeout = timedelta(seconds=settings.reminder_claim_timeout_seconds)
    return run_pass(database, now, SlackOutbox(client), claim_timeout=timeout)


def start_scheduler(
    database: Database,
    client: WebClient,
    directory: SlackDirectory,
    settings: Settings,
    clock: Callable[[], datetime],
) -> BackgroundScheduler:
    """A pass every minute (by default) in a background thread; never two at once here.
    Each also names members Slack did not name when they were added (looked up through
    `directory`, the commands' own, so that one cache serves both)."""

    def tick() -> None:
        try:
            now = clock()
            for reminder in reminder_pass(database, client, now, settings):
                log.info("reminder posted: %s", reminder.summary)
            events.forget_old(database, now)
        except Exception:
            # The next tick tries again; a pass must never take the server down.
            log.exception("reminder pass failed")
        try:
            if named := name_the_unnamed(database, directory, clock()):
                log.info("named %d member(s) Slack had not named when they were added", named)
        except Exception:
            log.exception("looking up unnamed members failed")

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=settings.reminder_interval_seconds,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),  # the first pass at once (real time, even in a rehearsal)
        id="reminders",
    )
    scheduler.start()
    return scheduler
