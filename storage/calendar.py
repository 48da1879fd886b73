"""The rows behind a board's calendar feed, and the feed's secret link.

The link's token is stored as it is, not hashed. `/board calendar` must show
every member the same working link whenever they ask, so the app has to be
able to read it back; and the token only guards a read-only view of rows that
sit in this same database, so someone able to read the column could read the
meetings themselves — hashing would protect nothing. Rotation
(`/board calendar reset`) is the remedy for a leaked link.

A token is `<board id>-<secret>`: the board is found by its primary key, then
the whole token is compared in constant time, so the database's own string
comparison (which stops at the first differing character) never sees the
secret.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.calendar_rows import (
    FeedAction,
    FeedBoard,
    FeedItem,
    FeedMeeting,
    FeedMember,
    FeedPerson,
    FeedRows,
)
from storage.models import (
    OFFICER_ROLES,
    ROLES,
    Action,
    AgendaItem,
    AuditEntry,
    Board,
    Meeting,
    Member,
    Person,
)

SECRET_BYTES = 32  # 256 bits from the OS's CSPRNG; the spec asks for at least 128
TOKEN = re.compile(r"(?P<board_id>[1-9][0-9]{0,17})-[A-Za-z0-9_-]{43}")
# Changes to an action that move its calendar item, each one a new SEQUENCE.
RESCHEDULING_VERBS = (audit.ACTION_DUE, audit.ACTION_REASSIGN)


def new_token(board_id: int) -> str:
    """A fresh calendar token for the board: `<board id>-<secret>`."""
    return _token(board_id, secrets.token_urlsafe(SECRET_BYTES))


def rekeyed(token: str, board_id: int) -> str | None:
    """The token's secret under another board id (a restored board's); None if `token`
    is not a calendar token."""
    if TOKEN.fullmatch(token) is None:
        return None
    return _token(board_id, token.split("-", 1)[1])


def _token(board_id: int, secret: str) -> str:
    return f"{board_id}-{secret}"


def ensure_token(session: Session, board: Board) -> bool:
    """Give the board a token if it has none; whether this call created it.

    A conditional UPDATE, so two members asking at once share one token rather
    than the second silently breaking the first one's link.
    """
    if board.calendar_token is not None:
        return False
    token = new_token(board.id)
    session.execute(
        update(Board)
        .where(Board.id == board.id, Board.calendar_token.is_(None))
        .values(calendar_token=token)
        .execution_options(synchronize_session=False)
    )
    session.refresh(board, ["calendar_token"])
    return board.calendar_token == token


def rotate_token(board: Board) -> None:
    """A new token: the old link stops working when this transaction commits."""
    board.calendar_token = new_token(board.id)


def board_for_token(session: Session, token: str) -> Board | None:
    """The board whose feed this token opens, or None (one statement at most)."""
    match = TOKEN.fullmatch(token)
    if match is None:
        return None
    board = session.get(Board, int(match["board_id"]))
    if board is None or board.calendar_token is None:
        return None
    if not hmac.compare_digest(board.calendar_token.encode(), token.encode()):
        return None
    return board


def last_change(session: Session, board_id: int) -> tuple[int, int, datetime | None]:
    """The id of the board's newest audit row, which changes whenever the board does;
    then how many members have names and when one last changed (Slack gives those, not
    the board)."""
    audited = select(func.max(AuditEntry.id)).where(AuditEntry.board_id == board_id)
    named = (
        select(func.count(), func.max(Person.updated_at))
        .join(Member, Member.user_id == Person.user_id)
        .where(Member.board_id == board_id)
        .subquery()
    )
    changed, count, renamed = session.execute(
        select(audited.scalar_subquery(), named.c[0], named.c[1])
    ).one()
    return changed or 0, count, renamed


def feed_rows(session: Session, board: Board) -> FeedRows:
    """One board's meetings, open dated actions and people: six statements, however many.

    Read as plain rows rather than ORM objects: quicker for a decade of meetings, and
    the rows can be handed to another process to write out.
    """
    items: dict[int, list[FeedItem]] = defaultdict(list)
    for meeting_id, position, title, presenter_id, minutes in session.execute(
        select(
            AgendaItem.meeting_id,
            AgendaItem.position,
            AgendaItem.title,
            AgendaItem.presenter_id,
            AgendaItem.minutes,
        )
        .join(Meeting)
        .where(Meeting.board_id == board.id)
        .order_by(AgendaItem.meeting_id, AgendaItem.position)
    ):
        items[meeting_id].append(FeedItem(position, title, presenter_id, minutes))
    meetings = tuple(
        FeedMeeting(**meeting._mapping, items=tuple(items[meeting.id]))
        for meeting in session.execute(
            select(
                Meeting.id,
                Meeting.number,
                Meeting.title,
                Meeting.starts_at,
                Meeting.ends_at,
                Meeting.location,
                Meeting.status,
                Meeting.revision,
                Meeting.created_at,
                Meeting.updated_at,
            )
            .where(Meeting.board_id == board.id)
            .order_by(Meeting.number)
        )
    )
    actions = tuple(
        FeedAction(number, owner, description, due_on, created_at, meeting_id)
        for number, owner, description, due_on, created_at, meeting_id in session.execute(
            select(
                Action.number,
                Action.owner_id,
                Action.description,
                Action.due_on,
                Action.created_at,
                Action.meeting_id,
            )
            .where(Action.board_id == board.id, Action.status == "open", Action.due_on.is_not(None))
            .order_by(Action.due_on, Action.number)
        )
    )
    changes = session.execute(
        select(AuditEntry.subject, func.count())
        .where(AuditEntry.board_id == board.id, AuditEntry.verb.in_(RESCHEDULING_VERBS))
        .group_by(AuditEntry.subject)
    ).all()
    members = tuple(
        FeedMember(user_id, role, ROLES.index(role) if role in OFFICER_ROLES else None)
        for user_id, role in session.execute(
            select(Member.user_id, Member.role)
            .where(Member.board_id == board.id)
            .order_by(Member.id)
        )
    )
    wanted = (
        {member.user_id for member in members}
        | {item.presenter_id for agenda in items.values() for item in agenda if item.presenter_id}
        | {action.owner_id for action in actions}
    )
    people = session.execute(
        select(Person.user_id, Person.name, Person.email).where(Person.user_id.in_(wanted))
    )
    return FeedRows(
        board=FeedBoard(board.id, board.team_id, board.name, board.timezone),
        meetings=meetings,
        actions=actions,
        action_changes={subject: count for subject, count in changes},
        members=members,
        people={person.user_id: FeedPerson(*person) for person in people},
    )


def next_revision(now: datetime) -> dict[str, object]:
    """A new revision of a meeting's calendar event: the next SEQUENCE, counted in the
    database so that changes made at once each count, and LAST-MODIFIED."""
    return {"revision": Meeting.revision + 1, "updated_at": now}
