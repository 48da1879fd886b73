"""Actions with their updates as plain rows, for the screens that show the most of them
at once (the minutes, the chair's summary).

They only read, so they need none of what an ORM object carries (identity map,
change tracking): a board's 18 actions that a meeting's minutes show, with their 54
updates, read in 0.8 ms this way against 1.7 ms as `Action` objects (SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select

from storage.models import Action, ActionUpdate


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """An update on an action, read only: its author, RAG status, text and when it was posted."""

    author_id: str
    rag: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An action, read only, with its updates in the order they were posted."""

    id: int
    number: int
    owner_id: str
    description: str
    due_on: date | None
    status: str
    item_id: int | None
    closed_at: datetime | None
    _: KW_ONLY
    updates: tuple[UpdateRow, ...]


ACTION_COLUMNS = (
    Action.id,
    Action.number,
    Action.owner_id,
    Action.description,
    Action.due_on,
    Action.status,
    Action.item_id,
    Action.closed_at,
)
_UPDATE_COLUMNS = (
    ActionUpdate.author_id,
    ActionUpdate.rag,
    ActionUpdate.text,
    ActionUpdate.created_at,
)


def with_updates(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """A statement over `ACTION_COLUMNS` (then any columns of its own), its rows repeated
    once per update of their action, oldest first; once, with no update, if it has none."""
    return (
        statement.add_columns(*_UPDATE_COLUMNS)
        .outerjoin(ActionUpdate, ActionUpdate.action_id == Action.id)
        .order_by(ActionUpdate.id)
    )


def actions_in(rows: Iterable[Row[Any]]) -> list[tuple[ActionRow, tuple[Any, ...]]]:
    """The actions in `with_updates` rows, in the statement's order, each with the columns
    it selected beyond `ACTION_COLUMNS`."""
    fields, extra = len(ACTION_COLUMNS), len(_UPDATE_COLUMNS)
    found: dict[int, tuple[tuple[Any, ...], tuple[Any, ...], list[UpdateRow]]] = {}
    for row in rows:
        action = found.setdefault(row[0], (row[:fields], row[fields:-extra], []))
        if row[-1] is not None:  # an update's created_at: it is never NULL
            action[2].append(UpdateRow(*row[-extra:]))
    return [
        (ActionRow(*own, updates=tuple(updates)), more) for own, more, updates in found.values()
    ]
