"""What the chair's action summary reads: open actions, recent completions, meetings around now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from storage import queries
from storage.models import Action, Meeting, Member
from storage.rows import ACTION_COLUMNS, ActionRow, actions_in, with_updates


@dataclass(frozen=True)
class SummaryRecord:
    """The rows behind one board's action summary."""

    open_actions: Sequence[ActionRow]  # soonest due first, undated last, with their updates
    completed: Sequence[Action]  # done since the last meeting started
    last_meeting: Meeting | None
    next_meeting: Meeting | None
    members: Sequence[Member]
    names: dict[str, str]


def summary_record(session: Session, board_id: int, now: datetime) -> SummaryRecord:
    """The board's open actions and what was done since the last meeting that started by `now`
    (the one in progress, if any).

    Without a meeting held yet, every action done so far counts as completed.
    """
    last = queries.current_meeting(session, board_id, now)
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
        next_meeting=session.scalars(_NEXT, {"board_id": board_id, "starts_at": now}).first(),
        members=members,
        names=queries.names(session, people),
    )


# Built once, with bound parameters, as storage.queries' are.
_DONE = (
    select(Action)
    .where(Action.board_id == bindparam("board_id"), Action.status == "done")
    .order_by(Action.closed_at, Action.number)
)
_DONE_SINCE = _DONE.where(Action.closed_at > bindparam("since"))
_NEXT = queries.UPCOMING.limit(1)  # without its agenda, which the summary does not show
_OPEN = with_updates(
    select(*ACTION_COLUMNS)
    .where(Action.board_id == bindparam("board_id"), Action.status == "open")
    .order_by(Action.due_on.is_(None), Action.due_on, Action.number)
)
