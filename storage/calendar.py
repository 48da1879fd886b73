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
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import Action, AuditEntry, Board, Meeting, Member, Person

SECRET_BYTES = 32  # 256 bits from the OS's CSPRNG; the spec asks for at least 128
TOKEN = re.compile(r"(?P<board_id>[1-9][0-9]{0,17})-[A-Za-z0-9_-]{43}")
# Changes to an action that move its calendar item, each one a new SEQUENCE.
RESCHEDULING_VERBS = ("action.due", "action.reassign")


@dataclass(frozen=True)
class FeedRows:
    """Everything one board's calendar shows."""

    board: Board
    meetings: Sequence[Meeting]  # every meeting, agenda items loaded, in number order
    actions: Sequence[Action]  # open actions with a due date
    action_changes: dict[str, int]  # "A3" → how often its due date or owner changed
    members: Sequence[Member]
    people: dict[str, Person]  # members, presenters and owners we know


def new_token(board_id: int) -> str:
    return f"{board_id}-{secrets.token_urlsafe(SECRET_BYTES)}"


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


def last_change(session: Session, board_id: int) -> int:
    """The id of the board's newest audit row: it changes whenever the board does."""
    return (
        session.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.board_id == board_id)) or 0
    )


def feed_rows(session: Session, board: Board) -> FeedRows:
    """One board's meetings, open dated actions and people: six statements, however many."""
    meetings = session.scalars(
        select(Meeting)
        .where(Meeting.board_id == board.id)
        .options(selectinload(Meeting.items))
        .order_by(Meeting.number)
    ).all()
    actions = session.scalars(
        select(Action)
        .where(Action.board_id == board.id, Action.status == "open", Action.due_on.is_not(None))
        .order_by(Action.due_on, Action.number)
    ).all()
    changes = session.execute(
        select(AuditEntry.subject, func.count())
        .where(AuditEntry.board_id == board.id, AuditEntry.verb.in_(RESCHEDULING_VERBS))
        .group_by(AuditEntry.subject)
    ).all()
    members = session.scalars(
        select(Member).where(Member.board_id == board.id).order_by(Member.id)
    ).all()
    wanted = (
        {member.user_id for member in members}
        | {item.presenter_id for meeting in meetings for item in meeting.items if item.presenter_id}
        | {action.owner_id for action in actions}
    )
    people = session.scalars(select(Person).where(Person.user_id.in_(wanted))).all()
    return FeedRows(
        board=board,
        meetings=meetings,
        actions=actions,
        action_changes={subject: count for subject, count in changes},
        members=members,
        people={person.user_id: person for person in people},
    )
