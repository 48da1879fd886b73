"""What the minutes of a meeting read, in a fixed number of statements whatever the board's size.

Each list comes with its children joined in the same statement: the agenda items
with their notes and decisions (`joinedload`, everything else `raiseload`), the
actions with their updates (as plain rows, `storage.rows`). Collating can never
fall back to a query per item or per action.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session, joinedload, raiseload

from storage import audit, queries
from storage.database import Database
from storage.models import (
    Action,
    AgendaItem,
    Attendance,
    AuditEntry,
    ItemRecord,
    Meeting,
    Member,
)
from storage.rows import ACTION_COLUMNS, ActionRow, actions_in, with_updates


@dataclass(frozen=True)
class LoadedAction:
    """An action with its updates, and whether it is a matter arising at the meeting."""

    action: ActionRow
    matter_arising: bool


@dataclass(frozen=True)
class MeetingRecord:
    """The rows behind one meeting's minutes."""

    meeting: Meeting
    previous: Meeting | None
    following: Meeting | None
    attendance: Sequence[Attendance]
    items: Sequence[AgendaItem]  # in order, with their notes and decisions
    actions: Sequence[LoadedAction]  # by number, with their updates
    members: Sequence[Member]
    names: dict[str, str]


def meeting_record(session: Session, meeting: Meeting) -> MeetingRecord:
    """Everything the minutes of `meeting` show, in six statements.

    The previous meeting is the latest non-cancelled meeting of the board that
    started before this one. The matters arising are the actions that arose at
    or before it (created no later than its end, so those agreed during it
    count, or entered later against one of its items) and were not closed
    before it began (still open, or closed at or after its start). With no
    previous meeting nothing is a matter arising.

    The actions loaded are those, the actions arising from this meeting's
    items (whatever their status) and every open action of the board.
    """
    this = {"board_id": meeting.board_id, "meeting_id": meeting.id, "starts_at": meeting.starts_at}
    neighbours = session.scalars(_NEIGHBOURS, this).all()
    previous = next((m for m in neighbours if m.starts_at < meeting.starts_at), None)
    following = next((m for m in neighbours if m.starts_at > meeting.starts_at), None)
    attendance = session.scalars(_ATTENDANCE, this).all()
    items = session.scalars(_ITEMS, this).unique().all()
    rows = session.execute(
        _ACTIONS,
        this
        | {
            "previous_id": previous.id if previous else None,
            "previous_starts_at": previous.starts_at if previous else None,
            "previous_ends_at": previous.ends_at if previous else None,
        },
    )
    actions = [LoadedAction(action, bool(arising)) for action, (arising,) in actions_in(rows)]
    members = queries.members(session, meeting.board_id)
    people = {member.user_id for member in members} | {row.user_id for row in attendance}
    people |= {item.presenter_id for item in items if item.presenter_id}
    for loaded in actions:
        people.add(loaded.action.owner_id)
        people |= {update.author_id for update in loaded.action.updates}
    return MeetingRecord(
        meeting=meeting,
        previous=previous,
        following=following,
        attendance=attendance,
        items=items,
        actions=actions,
        members=members,
        names=queries.names(session, people),
    )


# Built once, as queries' are. With no previous meeting its parameters are NULL, and
# nothing is a matter arising (a comparison with NULL is never true).
_BEFORE = (
    select(Meeting.id)
    .where(
        Meeting.board_id == bindparam("board_id"),
        Meeting.status != "cancelled",
        Meeting.starts_at < bindparam("starts_at"),
    )
    .order_by(Meeting.starts_at.desc(), Meeting.number.desc())
    .limit(1)
    .scalar_subquery()
)
_AFTER = queries.UPCOMING.with_only_columns(Meeting.id).limit(1).scalar_subquery()
_NEIGHBOURS = select(Meeting).where(Meeting.id.in_([_BEFORE, _AFTER]))
_ATTENDANCE = (
    select(Attendance)
    .where(Attendance.meeting_id == bindparam("meeting_id"))
    .order_by(Attendance.id)
)
_ITEMS = (
    select(AgendaItem)
    .where(AgendaItem.meeting_id == bindparam("meeting_id"))
    .order_by(AgendaItem.position)
    .options(joinedload(AgendaItem.records), raiseload("*"))
)
_ARISING = and_(
    # Agreed by its end, or minuted against one of its items afterwards.
    or_(
        Action.created_at <= bindparam("previous_ends_at"),
        Action.meeting_id == bindparam("previous_id"),
    ),
    or_(Action.status == "open", Action.closed_at >= bindparam("previous_starts_at")),
)
_FROM_ITEMS = Action.item_id.in_(
    select(AgendaItem.id).where(AgendaItem.meeting_id == bindparam("meeting_id"))
)
_ACTIONS = with_updates(
    select(*ACTION_COLUMNS, _ARISING.label("arising"))
    .where(
        Action.board_id == bindparam("board_id"),
        or_(Action.status == "open", _FROM_ITEMS, _ARISING),
    )
    .order_by(Action.number)
)


def has_record(session: Session, meeting: Meeting) -> bool:
    """Whether anything is minuted at the meeting: attendance, a note or decision, an
    action arising from it, or its minutes published."""
    items = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    minuted = session.scalar(
        select(
            or_(
                exists().where(Attendance.meeting_id == meeting.id),
                exists().where(Action.meeting_id == meeting.id),
                _minuted(items),
            )
        )
    )
    return bool(minuted) or bool(publications(session, meeting.board_id, meeting.number))


def item_has_record(session: Session, item_id: int) -> bool:
    """Whether a note, a decision or an action is recorded against the agenda item."""
    return bool(session.scalar(select(_minuted([item_id]))))


def _minuted(items: Select[int] | list[int]) -> ColumnElement[bool]:
    return or_(
        exists().where(ItemRecord.item_id.in_(items)), exists().where(Action.item_id.in_(items))
    )


def lock_meeting(session: Session, meeting_id: int) -> None:
    """Hold the meeting's row until the transaction ends (PostgreSQL; SQLite's transactions
    already hold the whole database)."""
    session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())


@dataclass(frozen=True)
class Publication:
    """One version of a meeting's minutes that reached the board."""

    version: int
    at: datetime


def next_version(published: list[Publication]) -> int:
    """The version the meeting's minutes would be published as next."""
    return published[-1].version + 1 if published else 1


def publications(session: Session, board_id: int, meeting_number: int) -> list[Publication]:
    """The versions of a meeting's minutes published so far, oldest first; those the chat
    service did not take (withdrawn) are left out."""
    rows = session.execute(_PUBLICATIONS, {"board_id": board_id, "subject": f"M{meeting_number}"})
    published: list[Publication] = []
    for verb, after, at in rows:
        if verb == audit.MINUTES_PUBLISH:
            published.append(Publication(after["version"], at))
        else:  # withdrawn: the latest publication of that version never reached the board
            same = [i for i, p in enumerate(published) if p.version == after["version"]]
            if same:
                del published[same[-1]]
    return published


_PUBLICATIONS = (
    select(AuditEntry.verb, AuditEntry.after, AuditEntry.at)
    .where(
        AuditEntry.board_id == bindparam("board_id"),
        AuditEntry.subject == bindparam("subject"),
        AuditEntry.verb.in_((audit.MINUTES_PUBLISH, audit.MINUTES_WITHDRAW)),
    )
    .order_by(AuditEntry.at, AuditEntry.id)
)


def withdraw(
    database: Database,
    now: datetime,
    *,
    board_id: int,
    meeting_number: int,
    version: int,
    actor_id: str,
) -> None:
    """A publication that never reached the channel: the next one takes its version."""
    with database.transaction() as session:
        audit.record(
            session,
            board_id=board_id,
            actor_id=actor_id,
            at=now,
            verb=audit.MINUTES_WITHDRAW,
            subject=f"M{meeting_number}",
            before=None,
            after={"version": version},
        )
