"""Slack retries an event it thinks we missed; the retry must change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from bot.app import Services
from storage import events
from storage.database import StorageUnavailable


def drop_repeated_events(services: Services) -> Callable[..., Any]:
    """Global middleware: an Events API delivery whose event_id was seen is acknowledged only."""

    def middleware(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        try:
            repeated = bool(event_id) and not events.first_delivery(
                services.database, str(event_id), services.clock()
            )
        except StorageUnavailable:
            repeated = False  # handle it: better twice than never
        return BoltResponse(status=200, body="") if repeated else next()

    return middleware
