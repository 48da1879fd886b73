"""What the chair's action summary reads: open actions, recent completions, meetings around now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from storage import queries
from storage.models import Action, Board, Meeting, Member
from storage.rows import ACTION_COLUMNS, ActionRow, actions_in, with_updates


@dataclass(frozen=True)
class SubGroupRow:
    """A sub-group as its parent board's summary shows it."""

    name: str
    channel_id: str
    timezone: str
    open_actions: int
    overdue: int
    next_meeting_at: datetime | None


@dataclass(frozen=True)
class SummaryRecord:
    """The rows behind one board's action summary."""

    open_actions: Sequence[ActionRow]  # soonest due first, undated last, with their updates
    completed: Sequence[Action]  # done or dropped since the last meeting started
    last_meeting: Meeting | None  # the last that has ended
    under_way: Meeting | None
    next_meeting: Meeting | None
    members: Sequence[Member]
    names: dict[str, str]
    sub_groups: Sequence[SubGroupRow]  # as they were set up


def summary_record(session: Session, board_id: int, now: datetime, today: date) -> SummaryRecord:
    """The board's open actions and what was done since the last meeting held by `now` (the
    one before a meeting in progress), and how its sub-groups stand (overdue: due before
    `today`, the board's day).

    Without a meeting held yet, every action done so far counts as completed.
    """
    last = queries.current_meeting(session, board_id, now)
    under_way = last if last is not None and last.under_way(now) else None
    if under_way is not None:  # what was done is counted from the meeting before it
        last = queries.current_meeting(
            session, board_id, under_way.starts_at - timedelta(microseconds=1)
        )
    open_actions = [
        action for action, _ in actions_in(session.execute(_OPEN, {"board_id": board_id}))
    ]
    if last is None:
        done = session.scalars(_DONE, {"board_id": board_id}).all()
    else:
        done = session.scalars(_DONE_SINCE, {"board_id": board_id, "since": last.starts_at}).all()
    members = queries.members(session, board_id)
    people = {member.user_id for member in members}
    people |= {action.owner_id for action in open_actions}
    people |= {action.owner_id for action in done}
    return SummaryRecord(
        open_actions=open_actions,
        completed=done,
        last_meeting=last,
        under_way=under_way,
        next_meeting=session.scalars(_NEXT, {"board_id": board_id, "starts_at": now}).first(),
        members=members,
        names=queries.names(session, people),
        sub_groups=[
            SubGroupRow(**row._mapping)
            for row in session.execute(
                SUB_GROUPS, {"board_id": board_id, "today": today, "now": now}
            )
        ],
    )


# Built once, with bound parameters, as storage.queries' are.
_DONE = (  # and dropped: closed either way
    select(Action)
    .where(Action.board_id == bindparam("board_id"), Action.status.in_(("done", "dropped")))
    .order_by(Action.closed_at, Action.number)
)
_DONE_SINCE = _DONE.where(Action.closed_at > bindparam("since"))
_NEXT = queries.UPCOMING.limit(1)  # without its agenda, which the summary does not show
_OPEN = with_updates(
    select(*ACTION_COLUMNS)
    .where(Action.board_id == bindparam("board_id"), Action.status == "open")
    .order_by(Action.due_on.is_(None), Action.due_on, Action.number)
)

_OPEN_OF_BOARD = (Action.board_id == Board.id, Action.status == "open")
SUB_GROUPS = (
    select(
        Board.name,
        Board.channel_id,
        Board.timezone,
        select(func.count()).where(*_OPEN_OF_BOARD).scalar_subquery().label("open_actions"),
        select(func.count())
        .where(*_OPEN_OF_BOARD, Action.due_on < bindparam("today"))
        .scalar_subquery()
        .label("overdue"),
        select(func.min(Meeting.starts_at))
        .where(
            Meeting.board_id == Board.id,
            Meeting.status == "scheduled",
            Meeting.starts_at > bindparam("now"),
        )
        .scalar_subquery()
        .label("next_meeting_at"),
    )
    .where(Board.parent_id == bindparam("board_id"))
    .order_by(Board.id)  # as they were set up, as `members` lists them
)
