"""The audit trail: one row per change, with the row's state before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from storage.models import AuditEntry, Base

# Verbs the trail is read back by (a meeting's reminder schedule, an action's calendar
# item, the roles people attended in, the minutes' versions): one spelling for writing
# and reading.
MEETING_ADD = "meeting.add"
MEETING_MOVE = "meeting.move"
ACTION_DUE = "action.due"
ACTION_REASSIGN = "action.reassign"
MEMBER_ADD = "member.add"
MEMBER_UPDATE = "member.update"
MEMBER_REMOVE = "member.remove"
MINUTES_PUBLISH = "minutes.publish"  # the minutes' versions
MINUTES_WITHDRAW = "minutes.withdraw"  # a version Slack did not take
REMINDERS_ON = "reminders.on"  # a meeting's schedule restarts


def snapshot(row: Base | None) -> dict[str, Any] | None:
    """A row's column values as JSON-ready data (dates as ISO text)."""
    if row is None:
        return None
    values: dict[str, Any] = {}
    for column in inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def record(
    session: Session,
    *,
    board_id: int,
    actor_id: str,
    at: datetime,
    verb: str,
    subject: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an audit row: who (`actor_id`) did what (`verb`) to which thing (`subject`),
    with the row's state before and after."""
    session.add(
        AuditEntry(
            board_id=board_id,
            actor_id=actor_id,
            at=at,
            verb=verb,
            subject=subject,
            before=before,
            after=after,
        )
    )
