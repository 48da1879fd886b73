"""A county's worth of board history, written straight through the storage layer.

Each board: 12 members, ten years of quarterly meetings (40, the last one still
ahead), 8 agenda items a meeting, and for each meeting held a note and a decision
per item, attendance, and 6 actions with 3 updates each. Actions from the last two
meetings held are still open; older ones were done.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from commands.dates import add_months
from storage.calendar import rotate_token
from storage.database import Database
from storage.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Board,
    ItemRecord,
    Meeting,
    Member,
    Person,
)

MEMBERS = 12
MEETINGS = 40
HELD = MEETINGS - 1  # the last one is still ahead
ITEMS = 8
ACTIONS = 6
UPDATES = 3
ROLES = ["chair", "vice-chair", "secretary"] + ["member"] * (MEMBERS - 3)
ORGANISATIONS = [
    "Borough Council",
    "Northamptonshire Police",
    "Fire and Rescue",
    "Probation Service",
    "NHS Northamptonshire",
    "Wellingborough Homes",
    "Voluntary Impact",
    "County Council",
]
TITLES = [
    "Drugs, supply and violent crime update",
    "SSNP report",
    "Domestic abuse in the local context",
    "Anti-social behaviour hotspots",
    "Partnership priorities",
    "Performance report",
    "Prevent and safeguarding",
    "Any other business",
]
RAG = ["green", "amber", "red", None]


@dataclass(frozen=True)
class Dataset:
    boards: int
    team_id: str = "TBENCH"

    def channel(self, board: int) -> str:
        return f"C{board:06d}"

    def user(self, board: int, member: int) -> str:
        return f"U{board:05d}{member:02d}"


def generate(
    database: Database, boards: int, now: datetime, seed: int = 7, first: int = 0
) -> Dataset:
    """Write `boards` boards of history ending at `now` (numbered from `first`);
    returns how to address every board so far."""
    dataset = Dataset(first + boards)
    rng = random.Random(seed)
    # 40 quarterly meetings span 117 months; the last is about six weeks ahead.
    first_meeting = (add_months(now.date(), -(MEETINGS - 1) * 3) + timedelta(days=45)).replace(
        day=14
    )
    for board_index in range(first, first + boards):
        with database.transaction() as session:
            _board(session, dataset, board_index, first_meeting, now, rng)
    return dataset


def _board(
    session: Any, dataset: Dataset, index: int, first: date, now: datetime, rng: random.Random
) -> None:
    users = [dataset.user(index, m) for m in range(MEMBERS)]
    board = Board(
        team_id=dataset.team_id,
        channel_id=dataset.channel(index),
        name=f"Community Safety Board {index}",
        timezone="Europe/London",
        last_meeting_number=MEETINGS,
        last_action_number=HELD * ACTIONS,
        created_at=now - timedelta(days=3660),
    )
    session.add(board)
    session.flush()
    rotate_token(board)
    session.execute(
        insert(Member),
        [
            {
                "board_id": board.id,
                "user_id": u,
                "role": ROLES[m],
                "organisation": ORGANISATIONS[m % 8],
            }
            for m, u in enumerate(users)
        ],
    )
    session.execute(
        insert(Person),
        [
            {
                "user_id": u,
                "name": f"Partner {u}",
                "email": f"{u.lower()}@example.org",
                "updated_at": now,
            }
            for u in users
        ],
    )

    starts = [
        datetime.combine(add_months(first, 3 * n), datetime.min.time(), UTC).replace(hour=10)
        for n in range(MEETINGS)
    ]
    meeting_ids = (
        session.execute(
            insert(Meeting).returning(Meeting.id),
            [
                {
                    "board_id": board.id,
                    "number": n + 1,
                    "title": "CSP Board",
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=2),
                    "location": "Swanspool House",
                    "status": "scheduled",
                    "series": None,
                    "revision": 0,
                    "created_at": start - timedelta(days=30),
                    "updated_at": start - timedelta(days=30),
                }
                for n, start in enumerate(starts)
            ],
        )
        .scalars()
        .all()
    )

    item_rows = [
        {
            "meeting_id": mid,
            "position": p + 1,
            "title": TITLES[p],
            "presenter_id": users[(p + n) % MEMBERS],
            "minutes": 15,
            "proposed_by": users[2],
            "created_at": starts[n] - timedelta(days=10),
        }
        for n, mid in enumerate(meeting_ids)
        for p in range(ITEMS)
    ]
    item_ids = (
        session.execute(insert(AgendaItem).returning(AgendaItem.id), item_rows).scalars().all()
    )
    held = range(HELD)  # every meeting but the last, which is still ahead
    session.execute(
        insert(ItemRecord),
        [
            {
                "item_id": item_ids[n * ITEMS + p],
                "kind": kind,
                "text": text,
                "author_id": users[2],
                "created_at": starts[n] + timedelta(minutes=10 * p),
            }
            for n in held
            for p in range(ITEMS)
            for kind, text in (
                ("note", "Partners discussed progress and risks."),
                ("decision", "to note the report"),
            )
        ],
    )
    session.execute(
        insert(Attendance),
        [
            {
                "meeting_id": meeting_ids[n],
                "user_id": u,
                "status": "apologies" if rng.random() < 0.15 else "present",
                "role": ROLES[m],
                "organisation": ORGANISATIONS[m % 8],
            }
            for n in held
            for m, u in enumerate(users)
        ],
    )

    action_rows = []
    for n in held:
        for a in range(ACTIONS):
            raised = starts[n] + timedelta(minutes=30 + a)
            still_open = n >= HELD - 2
            action_rows.append(
                {
                    "board_id": board.id,
                    "number": n * ACTIONS + a + 1,
                    "owner_id": users[(a + n) % MEMBERS],
                    "description": f"Follow up {TITLES[a % ITEMS].lower()} with partners",
                    "due_on": (raised + timedelta(days=60)).date(),
                    "status": "open" if still_open else "done",
                    "meeting_id": meeting_ids[n],
                    "item_id": item_ids[n * ITEMS + a % ITEMS],
                    "created_by": users[2],
                    "created_at": raised,
                    "closed_at": None if still_open else raised + timedelta(days=50),
                }
            )
    action_ids = session.execute(insert(Action).returning(Action.id), action_rows).scalars().all()
    session.execute(
        insert(ActionUpdate),
        [
            {
                "action_id": action_id,
                "author_id": row["owner_id"],
                "rag": RAG[u % 4],
                "text": f"Update {u + 1}: work in progress.",
                "created_at": row["created_at"] + timedelta(days=10 * (u + 1)),
            }
            for action_id, row in zip(action_ids, action_rows, strict=True)
            for u in range(UPDATES)
        ],
    )
