"""The reminder pass over Slack: run once (cron) or every minute beside the server."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import rendering
from bot.config import Settings
from bot.delivery import conversation, failure_reason
from commands.reminders import DeliveryFailed, DueReminder, run_pass
from commands.replies import Message
from storage import events
from storage.database import Database

log = logging.getLogger(__name__)
METADATA_EVENT = "board_reminder"
LOOK_BACK = 100  # messages searched for a reminder that may already have gone out


class SlackOutbox:
    """Reminders posted with their delivery tag in message metadata, so a retry can look
    first. A reminder too long for one message goes as several, each tagged with its
    part, and a retry posts only the parts Slack does not have."""

    def __init__(self, client: WebClient) -> None:
        self._client = client
        # The parts a look found of a reminder partly posted, for the post that follows.
        self._found: dict[tuple[str, str], set[int]] = {}

    def post(self, recipient: str, message: Message, tag: str) -> str | None:
        parts = rendering.payloads(message)
        posted = self._found.pop((recipient, tag), set())
        sent = []
        with _failures_as_delivery_failed():
            for index, part in enumerate(parts):
                if index not in posted:
                    payload = {"tag": tag, "part": index, "parts": len(parts)}
                    metadata = {"event_type": METADATA_EVENT, "event_payload": payload}
                    answer = self._client.chat_postMessage(
                        channel=recipient, metadata=metadata, **part
                    )
                    sent.append(answer["ts"])
        return sent[0] if sent else None

    def find(self, recipient: str, tag: str) -> str | None:
        """The first message of the reminder if Slack has all of it."""
        try:
            channel = conversation(self._client, recipient)
            history = self._client.conversations_history(
                channel=channel, limit=LOOK_BACK, include_all_metadata=True
            )
        except SlackApiError as error:
            if error.response.get("error") != "not_in_channel":
                raise DeliveryFailed(failure_reason(error)) from error
            # A public channel the bot posts to without joining: it cannot look, and a
            # reminder never sent would be lost for good; posting risks a repeat only if
            # Slack kept a post it answered with an error.
            log.warning("cannot look in %s before posting %s again", recipient, tag)
            return None
        except OSError as error:
            raise DeliveryFailed(failure_reason(error)) from error
        messages: list[dict[str, Any]] = history.get("messages", [])
        found: dict[int, str] = {}
        parts = 1
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("tag") == tag:
                found[int(payload.get("part", 0))] = str(message["ts"])
                parts = int(payload.get("parts", 1))
        if found and len(found) == parts:
            return found[0]
        self._found[(recipient, tag)] = set(found)
        return None


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
    timeout = timedelta(seconds=settings.reminder_claim_timeout_seconds)
    return run_pass(database, now, SlackOutbox(client), claim_timeout=timeout)


def start_scheduler(
    database: Database, client: WebClient, settings: Settings, clock: Callable[[], datetime]
) -> BackgroundScheduler:
    """A pass every minute (by default) in a background thread; never two at once here."""

    def tick() -> None:
        try:
            now = clock()
            for reminder in reminder_pass(database, client, now, settings):
                log.info("reminder posted: %s", reminder.summary)
            events.forget_old(database, now)
        except Exception:
            # The next tick tries again; a pass must never take the server down.
            log.exception("reminder pass failed")

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
