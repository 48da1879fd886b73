"""The board's tables, as SQLAlchemy 2.0 declarative models.

Times are stored as naive UTC (see `UTCDateTime`) and shown in the board's
timezone by the core. People are kept by Slack user id, not by foreign key
to a membership, so an action's history survives its owner leaving the board.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("chair", "vice-chair", "secretary", "member")
OFFICER_ROLES = frozenset(ROLES[:3])
# The slash command, unless the app was installed under another name (SPEC §3).
DEFAULT_COMMAND = "/board"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the database.

    SQLite has no timezone type, so storing naive UTC everywhere keeps both
    databases identical and comparisons correct.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """The declarative base of every table, with the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Board(Base):
    """A board: one Slack channel's partnership board, with its reminder schedule and M#/A#
    counters."""

    __tablename__ = "boards"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id"),
        Index("ix_boards_parent", "parent_id"),  # a board's sub-groups (its summary)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id"))
    timezone: Mapped[str] = mapped_column(String(64))
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Per-board reminder schedule (SPEC §5 defaults).
    agenda_call_days: Mapped[int] = mapped_column(Integer, default=14)
    draft_agenda_days: Mapped[int] = mapped_column(Integer, default=7)
    eve_reminder_days: Mapped[int] = mapped_column(Integer, default=1)
    reminder_hour: Mapped[int] = mapped_column(Integer, default=9)
    # Counters behind M#/A#: bumped with one UPDATE … RETURNING so concurrent
    # commands never share or reuse a number.
    last_meeting_number: Mapped[int] = mapped_column(Integer, default=0)
    last_action_number: Mapped[int] = mapped_column(Integer, default=0)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The slash command its members type, as Slack last sent it: what reminders, buttons
    # and the Home tab tell them to type where no command was typed.
    command: Mapped[str] = mapped_column(
        String(32), default=DEFAULT_COMMAND, server_default=DEFAULT_COMMAND
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    members: Mapped[list[Member]] = relationship(back_populates="board", order_by="Member.id")


class Member(Base):
    """A board member: a Slack user with a role and organisation on one board."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("board_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str | None] = mapped_column(String(200))

    board: Mapped[Board] = relationship(back_populates="members")

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


class Person(Base):
    """What Slack told us about a user (users.info), cached for names in minutes."""

    __tablename__ = "people"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Meeting(Base):
    """A board meeting, numbered M# on its board: scheduled or cancelled."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("board_id", "number"),
        # Board first, status second: the planner picks it for a board's upcoming meetings
        # even on a SQLite file never analysed, rather than scanning every board's.
        Index("ix_meetings_board_status_starts", "board_id", "status", "starts_at"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    series: Mapped[str | None] = mapped_column(String(32))
    # Bumped on every change, for the calendar feed's SEQUENCE.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    board: Mapped[Board] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    def under_way(self, now: datetime) -> bool:
        """Started and not yet ended: the next meeting is the one after it."""
        return self.starts_at <= now < self.ends_at


class AgendaItem(Base):
    """An item on a meeting's agenda, at its position, with an optional presenter and minutes
    allotted."""

    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_meeting_position", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    presenter_id: Mapped[str | None] = mapped_column(String(32))
    minutes: Mapped[int | None] = mapped_column(Integer)
    proposed_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    records: Mapped[list[ItemRecord]] = relationship(
        back_populates="item", order_by="ItemRecord.id", cascade="all, delete-orphan"
    )


class ItemRecord(Base):
    """A minute note or a decision recorded against an agenda item."""

    __tablename__ = "item_records"
    __table_args__ = (Index("ix_item_records_item", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "note" | "decision"
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    item: Mapped[AgendaItem] = relationship(back_populates="records")


class Attendance(Base):
    """One person's attendance at a meeting: present, or sent apologies."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # "present" | "apologies"
    # The capacity they attended in, as the board had it when recorded: the minutes are
    # a record, and keep it after they change organisation or leave the board.
    role: Mapped[str | None] = mapped_column(String(16))
    organisation: Mapped[str | None] = mapped_column(String(200))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")


class Action(Base):
    """An action, numbered A# on its board: an owner, a description and an optional due date;
    open, done or dropped."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("board_id", "number"),
        Index("ix_actions_board_status_due", "board_id", "status", "due_on"),
        Index("ix_actions_owner_status", "owner_id", "status"),
        Index("ix_actions_status_due", "status", "due_on"),
        Index("ix_actions_item", "item_id"),
        Index("ix_actions_meeting", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done | dropped
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", order_by="ActionUpdate.id", cascade="all, delete-orphan"
    )


class ActionUpdate(Base):
    """An update posted on an action, with an optional RAG status."""

    __tablename__ = "action_updates"
    __table_args__ = (Index("ix_action_updates_action", "action_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(32))
    rag: Mapped[str | None] = mapped_column(String(8))  # red | amber | green
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    action: Mapped[Action] = relationship(back_populates="updates")


class AuditEntry(Base):
    """One row per change: who did what to which thing, with before and after."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_board_subject", "board_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    actor_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    verb: Mapped[str] = mapped_column(String(40))  # e.g. "action.add"
    subject: Mapped[str] = mapped_column(String(40))  # e.g. "A3", "M2", "member U123"
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReminderDelivery(Base):
    """One reminder to one recipient on one occasion: claimed, then sent (or failed and retried).

    The unique key is what makes a reminder exactly-once across restarts and
    concurrent passes: a pass must insert (or re-claim a failed or stale row)
    before it posts.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "recipient", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(
        String(24)
    )  # agenda_call | draft_agenda | eve | owner_update | overdue
    subject_id: Mapped[int] = mapped_column(Integer)  # the meeting's or the action's id
    recipient: Mapped[str] = mapped_column(String(32))  # channel id or user id
    occasion: Mapped[date] = mapped_column(Date)  # the local day the reminder belongs to
    # A meeting's reminder: the start it was sent for (a move makes a new schedule).
    meeting_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))  # claimed | sent | failed | skipped
    claim_id: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_error: Mapped[str | None] = mapped_column(String(200))
    message_ts: Mapped[str | None] = mapped_column(String(32))


class ProcessedEvent(Base):
    """An Events API delivery already handled: Slack retries carry the same event_id."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
