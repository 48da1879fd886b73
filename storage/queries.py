"""The statements the commands share, named for what they return or change
(the minutes, summary, calendar, reminders and export have modules of their own).

The statements most commands run are built once, with bound parameters, rather than
per command: putting a statement together costs more than running it (about 150 µs
against 75 µs for the board lookup on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Literal

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from storage import audit
from storage.database import Database
from storage.models import (
    OFFICER_ROLES,
    ROLES,
    Action,
    AgendaItem,
    Attendance,
    AuditEntry,
    Board,
    ItemRecord,
    Meeting,
    Member,
    Person,
)


def board_for_channel(session: Session, team_id: str, channel_id: str) -> Board | None:
    """The board bound to this channel of the workspace, or None."""
    return session.scalars(
        select(Board).where(Board.team_id == team_id, Board.channel_id == channel_id)
    ).one_or_none()


def board_and_membership(
    session: Session,
    user_id: str,
    *,
    board_id: int | None = None,
    team_id: str = "",
    channel_id: str = "",
) -> tuple[Board | None, Member | None]:
    """A board (by id, or by its home channel) and the user's membership of it: one statement."""
    if board_id is not None:
        result = session.execute(_BOARD_BY_ID, {"user_id": user_id, "board_id": board_id})
    else:
        result = session.execute(
            _BOARD_IN_CHANNEL, {"user_id": user_id, "team_id": team_id, "channel_id": channel_id}
        )
    found = result.one_or_none()
    return (found[0], found[1]) if found else (None, None)


_WITH_MEMBERSHIP = select(Board, Member).outerjoin(
    Member, (Member.board_id == Board.id) & (Member.user_id == bindparam("user_id"))
)
_BOARD_BY_ID = _WITH_MEMBERSHIP.where(Board.id == bindparam("board_id"))
_BOARD_IN_CHANNEL = _WITH_MEMBERSHIP.where(
    Board.team_id == bindparam("team_id"), Board.channel_id == bindparam("channel_id")
)


def board(session: Session, board_id: int) -> Board | None:
    """The board with this id, or None."""
    return session.get(Board, board_id)


def boards_named(session: Session, team_id: str, name: str) -> list[Board]:
    """The workspace's boards of this name, in any case. Compared here, not in SQL:
    SQLite's lower() leaves letters outside ASCII as they are ("Ä" is not "ä")."""
    boards = session.scalars(select(Board).where(Board.team_id == team_id).order_by(Board.id))
    return [board for board in boards if same_name(board.name, name)]


def same_name(one: str, other: str) -> bool:
    """Whether two board names are the same, in any case."""
    return one.casefold() == other.casefold()


def sub_group_names(session: Session, board_id: int) -> list[str]:
    """The names of the board's sub-groups, in the order they were set up."""
    return list(
        session.scalars(select(Board.name).where(Board.parent_id == board_id).order_by(Board.id))
    )


def boards_of(session: Session, team_id: str, user_id: str) -> Sequence[Board]:
    """The workspace's boards the user is on, as they were set up."""
    return session.scalars(
        select(Board)
        .join(Member, Member.board_id == Board.id)
        .where(Board.team_id == team_id, Member.user_id == user_id)
        .order_by(Board.id)
    ).all()


def membership(session: Session, board_id: int, user_id: str) -> Member | None:
    """The user's membership of the board, or None if they are not on it."""
    return session.scalars(
        select(Member).where(Member.board_id == board_id, Member.user_id == user_id)
    ).one_or_none()


def members(session: Session, board_id: int) -> Sequence[Member]:
    """The board's members, in the order they were added."""
    return session.scalars(_MEMBERS, {"board_id": board_id}).all()


_MEMBERS = select(Member).where(Member.board_id == bindparam("board_id")).order_by(Member.id)


def officer_count(session: Session, board_id: int) -> int:
    """How many of the board's members are officers (chair, vice-chair, secretary).

    The board's row is held until the transaction ends (PostgreSQL; SQLite's
    transactions hold the whole database): two officers stepping down at once are
    counted one after the other, so the board keeps one."""
    # NO KEY UPDATE: rows inserted meanwhile that refer to the board (audit entries, say)
    # do not wait for it, as they would for a plain FOR UPDATE.
    session.execute(select(Board.id).where(Board.id == board_id).with_for_update(key_share=True))
    return (
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.board_id == board_id, Member.role.in_(OFFICER_ROLES))
        )
        or 0
    )


def names(session: Session, user_ids: Iterable[str]) -> dict[str, str]:
    """The stored names of these users, by user id; anyone never stored is left out."""
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = session.execute(_NAMES, {"user_ids": list(wanted)})
    return {user_id: name for user_id, name in rows}


_NAMES = select(Person.user_id, Person.name).where(
    Person.user_id.in_(bindparam("user_ids", expanding=True))
)


def remember_person(
    session: Session, user_id: str, name: str, email: str | None, now: datetime
) -> None:
    """Store a person's name and email."""
    known = session.get(Person, user_id)
    if known is None:
        session.add(Person(user_id=user_id, name=name, email=email, updated_at=now))
    else:
        known.name, known.email, known.updated_at = name, email, now


def store_person(
    database: Database, user_id: str, name: str, email: str | None, now: datetime
) -> bool:
    """`remember_person` in a transaction of its own; False if someone else stored the
    person first (a command adding them at the same moment)."""
    try:
        with database.transaction() as session:
            remember_person(session, user_id, name, email, now)
    except IntegrityError:
        return False
    return True


def unnamed_members(session: Session, limit: int = 20) -> list[str]:
    """Members of any board whose name was never stored (or was stored as their id, as
    a failed lookup once was), at most `limit` of them, picked at random so that people
    Slack never names do not keep the rest waiting."""
    return list(
        session.scalars(
            select(Member.user_id)
            .outerjoin(Person, Person.user_id == Member.user_id)
            .where(or_(Person.user_id.is_(None), Person.name == Member.user_id))
            .group_by(Member.user_id)
            .order_by(func.random())
            .limit(limit)
        )
    )


def take_number(session: Session, board_id: int, kind: Literal["meeting", "action"]) -> int:
    """The board's next M# or A#: one atomic UPDATE … RETURNING, never reused."""
    column = Board.last_meeting_number if kind == "meeting" else Board.last_action_number
    number = session.execute(
        update(Board).where(Board.id == board_id).values({column: column + 1}).returning(column)
    ).scalar_one()
    return int(number)


def meeting_of(session: Session, action: Action) -> Meeting | None:
    """The meeting an action arose at, if any (from the session's identity map if loaded)."""
    return session.get(Meeting, action.meeting_id) if action.meeting_id else None


def meeting_numbered(session: Session, board_id: int, number: int) -> Meeting | None:
    """A meeting by its M#, with its agenda (joined: no second statement)."""
    found = session.scalars(_MEETING_NUMBERED, {"board_id": board_id, "number": number})
    return found.unique().one_or_none()


_MEETING_NUMBERED = (
    select(Meeting)
    .where(Meeting.board_id == bindparam("board_id"), Meeting.number == bindparam("number"))
    .options(joinedload(Meeting.items))
)


def meetings_overlapping(
    session: Session, board_id: int, spans: Iterable[tuple[datetime, datetime]]
) -> Sequence[Meeting]:
    """The board's meetings, but cancelled ones, that overlap one of these (start, end)."""
    return session.scalars(
        select(Meeting)
        .where(
            Meeting.board_id == board_id,
            Meeting.status != "cancelled",
            or_(*(and_(Meeting.starts_at < end, Meeting.ends_at > start) for start, end in spans)),
        )
        .order_by(Meeting.starts_at, Meeting.number)
    ).all()


# A board's scheduled meetings that have not started by `starts_at`, soonest first.
UPCOMING = (
    select(Meeting)
    .where(
        Meeting.board_id == bindparam("board_id"),
        Meeting.status == "scheduled",
        Meeting.starts_at > bindparam("starts_at"),
    )
    .order_by(Meeting.starts_at, Meeting.number)
)
_NEXT_MEETING = UPCOMING.limit(1).options(joinedload(Meeting.items))


def all_meetings(session: Session, board_id: int) -> Sequence[Meeting]:
    """Every meeting of the board, held, to come or cancelled, in order."""
    return session.scalars(
        select(Meeting)
        .where(Meeting.board_id == board_id)
        .order_by(Meeting.starts_at, Meeting.number)
    ).all()


def upcoming_meetings(session: Session, board_id: int, now: datetime) -> Sequence[Meeting]:
    """The board's scheduled meetings that have not started, soonest first."""
    return session.scalars(UPCOMING, {"board_id": board_id, "starts_at": now}).all()


def next_meeting(session: Session, board_id: int, now: datetime) -> Meeting | None:
    """The first scheduled meeting that has not started, with its agenda."""
    found = session.scalars(_NEXT_MEETING, {"board_id": board_id, "starts_at": now})
    return found.unique().first()


def next_meetings(session: Session, board_ids: Sequence[int], now: datetime) -> dict[int, Meeting]:
    """Each of these boards' first scheduled meeting that has not started (no agendas)."""
    found: dict[int, Meeting] = {}
    for meeting in session.scalars(
        select(Meeting)
        .where(
            Meeting.board_id.in_(board_ids),
            Meeting.status == "scheduled",
            Meeting.starts_at > now,
        )
        .order_by(Meeting.starts_at, Meeting.number)
    ):
        found.setdefault(meeting.board_id, meeting)
    return found


def current_meeting(
    session: Session, board_id: int, now: datetime, since: datetime | None = None
) -> Meeting | None:
    """The meeting in progress or, failing that, the latest that has started (at or
    after `since`, if given). Cancelled meetings never count."""
    statement = _CURRENT if since is None else _CURRENT.where(Meeting.starts_at >= since)
    return session.scalars(statement, {"board_id": board_id, "now": now}).first()


_CURRENT = (
    select(Meeting)
    .where(
        Meeting.board_id == bindparam("board_id"),
        Meeting.status != "cancelled",
        Meeting.starts_at <= bindparam("now"),
    )
    .order_by(
        (Meeting.ends_at >= bindparam("now")).desc(),
        Meeting.starts_at.desc(),
        Meeting.number.desc(),
    )
    .limit(1)
)


def agenda_item(session: Session, meeting_id: int, position: int) -> AgendaItem | None:
    """Item `position` on the meeting's agenda, or None."""
    return session.scalars(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting_id, AgendaItem.position == position
        )
    ).one_or_none()


def item_ref(session: Session, item_id: int) -> str | None:
    """`M1 item 2`: an agenda item as the board names it (None if it has gone)."""
    found = session.execute(
        select(Meeting.number, AgendaItem.position)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.id == item_id)
    ).first()
    return f"M{found.number} item {found.position}" if found else None


def latest_record(session: Session, item_id: int, kind: str) -> ItemRecord | None:
    """The note (or decision) recorded last against the agenda item."""
    return session.scalars(
        select(ItemRecord)
        .where(ItemRecord.item_id == item_id, ItemRecord.kind == kind)
        .order_by(ItemRecord.id.desc())
        .limit(1)
    ).first()


def agenda(session: Session, meeting_id: int) -> Sequence[AgendaItem]:
    """The meeting's agenda items, in order, as the database has them now: over any loaded
    before the meeting's row was locked (another command may have renumbered them since)."""
    return session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position)
        .execution_options(populate_existing=True)
    ).all()


def agenda_so_far(session: Session, meeting_id: int) -> tuple[int, int]:
    """The position of the meeting's last agenda item and the minutes its items are
    given, together; (0, 0) with none."""
    last, allotted = session.execute(
        select(func.max(AgendaItem.position), func.sum(AgendaItem.minutes)).where(
            AgendaItem.meeting_id == meeting_id
        )
    ).one()
    return last or 0, allotted or 0


def unrecorded(session: Session, meeting: Meeting) -> list[str]:
    """The board's members neither present nor sending apologies at the meeting, in the
    order they were added."""
    recorded = select(Attendance.user_id).where(Attendance.meeting_id == meeting.id)
    return list(
        session.scalars(
            select(Member.user_id)
            .where(Member.board_id == meeting.board_id, Member.user_id.not_in(recorded))
            .order_by(Member.id)
        )
    )


def attendance(session: Session, meeting_id: int, user_id: str) -> Attendance | None:
    """The person's attendance at the meeting (present or apologies), or None."""
    return session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.user_id == user_id)
    ).one_or_none()


def roles_at(
    session: Session, board_id: int, user_ids: Iterable[str], at: datetime
) -> dict[str, str]:
    """The role each of these members held at `at`, for those whose membership has
    changed since (an election at a meeting): the role before the first change, or, for
    someone who joined since, the one they joined with."""
    subjects = [f"member {user_id}" for user_id in user_ids]
    rows = session.execute(
        select(AuditEntry.subject, AuditEntry.before, AuditEntry.after)
        .where(
            AuditEntry.board_id == board_id,
            AuditEntry.subject.in_(subjects),
            AuditEntry.verb.in_((audit.MEMBER_ADD, audit.MEMBER_UPDATE, audit.MEMBER_REMOVE)),
            AuditEntry.at >= at,
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    first: dict[str, object] = {}
    for subject, before, after in rows:
        first.setdefault(subject.removeprefix("member "), (before or after or {}).get("role"))
    return {
        user_id: role for user_id, role in first.items() if isinstance(role, str) and role in ROLES
    }


def recorded_capacity(session: Session, member: Member, now: datetime) -> None:
    """Give the member's role and organisation to their attendance (apologies sent ahead)
    at the board's meetings not yet started; a meeting held keeps what it recorded."""
    meetings = select(Meeting.id).where(
        Meeting.board_id == member.board_id, Meeting.starts_at > now
    )
    session.execute(
        update(Attendance)
        .where(Attendance.user_id == member.user_id, Attendance.meeting_id.in_(meetings))
        .values(role=member.role, organisation=member.organisation)
    )


# Only people still on the board are asked about their actions, in reminders or on the
# Home tab: a removed member's buttons would refuse them, and their actions wait to be
# reassigned.
OWNER_IS_MEMBER = (
    exists()
    .where(Member.board_id == Action.board_id, Member.user_id == Action.owner_id)
    .correlate(Action)
)


def actions_owned(session: Session, team_id: str, user_id: str) -> Sequence[tuple[Action, Board]]:
    """A person's open actions on every board of the workspace they are on, with updates."""
    rows = session.execute(
        select(Action, Board)
        .join(Board, Board.id == Action.board_id)
        .where(Board.team_id == team_id, Action.owner_id == user_id, Action.status == "open")
        .where(OWNER_IS_MEMBER)
        .options(selectinload(Action.updates))
        .order_by(Board.name, Board.id, Action.due_on.is_(None), Action.due_on, Action.number)
    ).all()
    return [(action, board) for action, board in rows]


def open_action_numbers(session: Session, board_id: int, owner_id: str) -> list[int]:
    """The numbers of someone's open actions on a board, in order."""
    return list(
        session.scalars(
            select(Action.number)
            .where(Action.board_id == board_id, Action.owner_id == owner_id)
            .where(Action.status == "open")
            .order_by(Action.number)
        )
    )


def audit_trail(session: Session, board_id: int, subject: str) -> Sequence[AuditEntry]:
    """Audit rows about a thing (`A3`), or a meeting and everything at it (`M2`, `M2 item 1`)."""
    return session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.board_id == board_id,
            (AuditEntry.subject == subject) | AuditEntry.subject.startswith(subject + " "),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()


def action_numbered(
    session: Session, board_id: int, number: int, *, to_change: bool = False
) -> Action | None:
    """An action by its A#, with its updates, or None. One looked up `to_change` is held
    until the transaction ends (PostgreSQL): one marking it done and another giving it
    away wait for each other rather than both acting on it open."""
    query = (
        select(Action)
        .where(Action.board_id == board_id, Action.number == number)
        .options(selectinload(Action.updates))
    )
    if to_change:
        query = query.with_for_update(key_share=True)
    return session.scalars(query).one_or_none()


def open_actions_due_on(session: Session, board_id: int, day: date) -> list[int]:
    """The numbers of the board's open actions due on that day."""
    return list(
        session.scalars(
            select(Action.number)
            .where(Action.board_id == board_id, Action.status == "open", Action.due_on == day)
            .order_by(Action.number)
        )
    )


def actions(
    session: Session,
    board_id: int,
    *,
    owner_id: str | None = None,
    statuses: Iterable[str] = ("open",),
    due_before: date | None = None,
) -> Sequence[Action]:
    """Actions of a board with their updates loaded, soonest due first, undated last."""
    statement = (
        select(Action)
        .where(Action.board_id == board_id, Action.status.in_(tuple(statuses)))
        .options(selectinload(Action.updates))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.number)
    )
    if owner_id is not None:
        statement = statement.where(Action.owner_id == owner_id)
    if due_before is not None:
        statement = statement.where(Action.due_on < due_before)
    return session.scalars(statement).all()
