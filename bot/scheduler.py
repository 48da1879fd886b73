"""The reminder pass over Slack: run once (cron) or every minute beside the server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery import post
from commands.reminders import DeliveryFailed, DueReminder, Post, run_pass
from commands.replies import Message
from storage.database import Database

log = logging.getLogger(__name__)
PASS_INTERVAL_SECONDS = 60


def slack_poster(client: WebClient) -> Post:
    """Post through the Web API; anything but success leaves the reminder due."""

    def send(recipient: str, message: Message) -> str | None:
        try:
            return post(client, recipient, message)[0]
        except SlackApiError as error:
            raise DeliveryFailed(
                error.response.get("error") or str(error.response.status_code)
            ) from error
        except OSError as error:  # connection refused, reset, timed out
            raise DeliveryFailed(str(error)) from error

    return send


def reminder_pass(database: Database, client: WebClient, now: datetime) -> list[DueReminder]:
    return run_pass(database, now, slack_poster(client))


def start_scheduler(
    database: Database, client: WebClient, clock: Callable[[], datetime]
) -> BackgroundScheduler:
    """A pass every minute in a background thread; never two at once in this process."""

    def tick() -> None:
        try:
            for reminder in reminder_pass(database, client, clock()):
                log.info("reminder posted: %s", reminder.summary)
        except Exception:
            # The next tick tries again; a pass must never take the server down.
            log.exception("reminder pass failed")

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=PASS_INTERVAL_SECONDS,
        max_instances=1,
        coalesce=True,
        next_run_time=clock(),
        id="reminders",
    )
    scheduler.start()
    return scheduler
