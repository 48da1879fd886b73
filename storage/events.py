"""Idempotency for Slack's Events API: each event_id is handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.models import ProcessedEvent

# Slack retries an event for about an hour; a day of ids is ample.
KEEP = timedelta(days=1)


def first_delivery(database: Database, event_id: str, now: datetime) -> bool:
    """Record the event; False if it was recorded before (a retry)."""
    try:
        with database.transaction() as session:
            session.add(ProcessedEvent(event_id=event_id, received_at=now))
    except IntegrityError:
        return False
    return True


def forget_old(database: Database, now: datetime) -> None:
    """Forget the event ids kept longer than a day: Slack has stopped retrying them."""
    with database.transaction() as session:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - KEEP))
