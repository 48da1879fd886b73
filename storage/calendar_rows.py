"""A board's calendar as plain rows: everything its feed shows, and nothing of SQLAlchemy.

Plain frozen dataclasses, so the rows can be handed to the separate process that
writes the .ics (`bot/calendar_worker.py`) without that process loading the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class FeedBoard:
    """The board a feed is for: its name and timezone, and the ids in its events' UIDs."""

    id: int
    team_id: str
    name: str
    timezone: str


@dataclass(frozen=True)
class FeedItem:
    """An agenda item, as the feed lists it in its meeting's description."""

    position: int
    title: str
    presenter_id: str | None
    minutes: int | None


@dataclass(frozen=True)
class FeedMeeting:
    """A meeting, as an event in the feed with its agenda; `revision` is its SEQUENCE."""

    id: int
    number: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    status: str
    revision: int
    created_at: datetime
    updated_at: datetime
    items: tuple[FeedItem, ...]


@dataclass(frozen=True)
class FeedAction:
    """An open action with a due date, as an all-day event on that date."""

    number: int
    owner_id: str
    description: str
    due_on: date | None  # always set: the feed shows only actions with a due date
    created_at: datetime
    meeting_id: int | None


@dataclass(frozen=True)
class FeedMember:
    """A board member, as an attendee of the feed's meetings (an officer may organise them)."""

    user_id: str
    role: str
    officer_rank: int | None  # 0 for the chair, then vice-chair, secretary; None for members


@dataclass(frozen=True)
class FeedPerson:
    """A person's name and email as Slack gave them, for the feed's attendees, owners and
    presenters."""

    user_id: str
    name: str
    email: str | None


@dataclass(frozen=True)
class FeedRows:
    """Everything one board's calendar shows."""

    board: FeedBoard
    meetings: tuple[FeedMeeting, ...]  # every meeting, in number order
    actions: tuple[FeedAction, ...]  # open actions with a due date
    action_changes: dict[str, int]  # "A3" → how often its due date or owner changed
    members: tuple[FeedMember, ...]
    people: dict[str, FeedPerson]  # members, presenters and owners we know
