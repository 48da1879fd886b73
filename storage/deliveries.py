"""Reminder deliveries: what is due to be reminded of, and the claim/send/release protocol.

Exactly once rests on the unique key (kind, subject, recipient, occasion): a
pass posts only after it has inserted the row or re-claimed a failed or stale
one, each in a short transaction of its own, so two passes never both own a
reminder. The database does the arbitration, not an in-process lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from storage import audit
from storage.database import Database
from storage.models import Action, AuditEntry, Board, Meeting, ReminderDelivery, UTCDateTime
from storage.queries import OWNER_IS_MEMBER

MEETING_KINDS = ("agenda_call", "draft_agenda", "eve", "owner_update")
SCHEDULING_VERBS = (audit.MEETING_ADD, audit.MEETING_MOVE)  # start a reminder schedule
# A claim not marked sent or failed within this long belongs to a pass that died.
DEFAULT_CLAIM_TIMEOUT = timedelta(minutes=10)
# A failed post is tried again on the next pass, then every five minutes for about an
# hour (Slack's incidents mostly end by then); one still failing (a channel the bot may
# not post in, an owner whose account was deactivated) hourly.
RETRY_WAITS = ((1, timedelta(0)), (13, timedelta(minutes=5)))
LAST_RETRY_WAIT = timedelta(hours=1)
# Attempts made minutes apart (about an hour's worth); after them, hourly.
QUICK_RETRIES = RETRY_WAITS[-1][0]


@dataclass(frozen=True)
class DeliveryKey:
    """Which reminder a delivery row is: its kind, the meeting or action (`subject_id`), who
    gets it and the local day it belongs to."""

    kind: str
    subject_id: int
    recipient: str
    occasion: date


def meetings_ahead(
    session: Session, now: datetime, horizon: timedelta, board_id: int | None = None
) -> list[tuple[Meeting, datetime]]:
    """Scheduled meetings starting within the horizon, of boards with reminders on (or of
    the one board), each with when its reminder schedule began: when it was added or last
    moved, or when its board's reminders were last switched back on, whichever is later."""
    rows = session.execute(
        select(Meeting, func.coalesce(_SCHEDULED, Meeting.created_at), _SWITCHED_ON)
        .join(Board, Board.id == Meeting.board_id)
        .where(
            Board.reminders_enabled.is_(True),
            Meeting.status == "scheduled",
            Meeting.starts_at > now,
            Meeting.starts_at <= now + horizon,
            _of(board_id),
        )
        .options(contains_eager(Meeting.board))
        .order_by(Meeting.starts_at)
    )
    return [(meeting, max(scheduled, on or scheduled)) for meeting, scheduled, on in rows]


def _of(board_id: int | None) -> ColumnElement[bool]:
    """Every board, or the one."""
    return true() if board_id is None else Board.id == board_id


def _last_audited(
    row: type[Meeting] | type[Action], subject: ColumnElement[str], *verbs: str
) -> ScalarSelect[datetime]:
    """When the row's board last audited one of `verbs` about `subject`, or NULL."""
    return (
        select(func.max(AuditEntry.at))
        .where(
            AuditEntry.board_id == row.board_id,
            AuditEntry.subject == subject,
            AuditEntry.verb.in_(verbs),
        )
        .correlate(row)
        .scalar_subquery()
    )


# From the audit trail: a meeting's updated_at changes with its agenda too. A board
# imported without its audit trail has the meeting's creation.
_SCHEDULED = _last_audited(Meeting, literal("M") + cast(Meeting.number, String), *SCHEDULING_VERBS)
_SWITCHED_ON = _last_audited(
    Meeting, literal("board ") + cast(Meeting.board_id, String), audit.REMINDERS_ON
)


# When an action's owner was given it: its last reassignment, or its creation.
_GIVEN = func.coalesce(
    _last_audited(Action, literal("A") + cast(Action.number, String), audit.ACTION_REASSIGN),
    Action.created_at,
    type_=UTCDateTime,
)


def load_agendas(session: Session, meeting_ids: Iterable[int]) -> None:
    """Load these meetings' agenda items into the session in one statement."""
    session.scalars(
        select(Meeting).where(Meeting.id.in_(set(meeting_ids))).options(selectinload(Meeting.items))
    ).all()


def owners_of_dated_actions(
    session: Session, board_ids: Iterable[int], due_by: date
) -> list[tuple[int, str, date, datetime]]:
    """(board, owner, due date, when the owner was given it) of open dated actions of
    members: enough to know whom to ask."""
    ids = set(board_ids)
    if not ids:
        return []
    rows = session.execute(
        select(Action.board_id, Action.owner_id, Action.due_on, _GIVEN).where(
            Action.board_id.in_(ids),
            Action.status == "open",
            Action.due_on.is_not(None),
            Action.due_on <= due_by,
            OWNER_IS_MEMBER,
        )
    )
    return [
        (board_id, owner, due, given) for board_id, owner, due, given in rows if due is not None
    ]


def open_dated_actions(
    session: Session, board_ids: Iterable[int], due_by: date
) -> Sequence[Action]:
    """Open actions of these boards due on or before a day, with their updates."""
    ids = set(board_ids)
    if not ids:
        return []
    return session.scalars(
        select(Action)
        .where(
            Action.board_id.in_(ids),
            Action.status == "open",
            Action.due_on.is_not(None),
            Action.due_on <= due_by,
        )
        .options(selectinload(Action.updates))
        .order_by(Action.due_on, Action.number)  # as the draft agenda lists them
    ).all()


def overdue_unreminded(
    session: Session, due_before: date, board_id: int | None = None
) -> list[tuple[Action, Board]]:
    """Members' open actions (of the one board) due before a day whose overdue notice for
    that due date is neither sent nor skipped."""
    # The whole delivery key, so the lookup is one probe of its unique index.
    sent = exists().where(
        ReminderDelivery.kind == "overdue",
        ReminderDelivery.subject_id == Action.id,
        ReminderDelivery.recipient == Action.owner_id,
        ReminderDelivery.occasion == Action.due_on,
        ReminderDelivery.state.in_(("sent", "skipped")),
    )
    rows = session.execute(
        select(Action, Board)
        .join(Board, Board.id == Action.board_id)
        .where(
            Board.reminders_enabled.is_(True),
            Action.status == "open",
            Action.due_on < due_before,
            ~sent,
            OWNER_IS_MEMBER,
            _of(board_id),
        )
        .options(selectinload(Action.updates))
        .order_by(Action.due_on, Action.id)
    ).all()
    return [(action, board) for action, board in rows]


def skip(session: Session, board_id: int, keys: Iterable[DeliveryKey], now: datetime) -> None:
    """Record these reminders as never to be sent: they fell due while the board's
    reminders were off."""
    for key in keys:
        row = session.scalars(select(ReminderDelivery).where(_is(key))).one_or_none()
        if row is None:
            row = ReminderDelivery(
                board_id=board_id,
                kind=key.kind,
                subject_id=key.subject_id,
                recipient=key.recipient,
                occasion=key.occasion,
                claim_id="",
                attempts=0,
            )
            session.add(row)
        row.state, row.claimed_at = "skipped", now


def sent_before(
    session: Session, meeting_ids: Iterable[int]
) -> dict[tuple[str, int, str], list[tuple[date, datetime | None, datetime | None]]]:
    """The meeting reminders sent for these meetings, by (kind, meeting id, recipient):
    the day each was for, the meeting start it was sent for, and when it was sent."""
    ids = set(meeting_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(
            ReminderDelivery.kind,
            ReminderDelivery.subject_id,
            ReminderDelivery.recipient,
            ReminderDelivery.occasion,
            ReminderDelivery.meeting_starts_at,
            ReminderDelivery.sent_at,
        ).where(
            ReminderDelivery.kind.in_(MEETING_KINDS),
            ReminderDelivery.subject_id.in_(ids),
            ReminderDelivery.state == "sent",
        )
    )
    sent: dict[tuple[str, int, str], list[tuple[date, datetime | None, datetime | None]]] = {}
    for kind, subject, recipient, occasion, starts_at, sent_at in rows:
        sent.setdefault((kind, subject, recipient), []).append((occasion, starts_at, sent_at))
    return sent


def claim(
    database: Database,
    key: DeliveryKey,
    board_id: int,
    claim_id: str,
    now: datetime,
    timeout: timedelta = DEFAULT_CLAIM_TIMEOUT,
    *,
    meeting_starts_at: datetime | None,
) -> int:
    """Take the reminder for this pass: its attempt number, or 0 if another pass has it
    or it was sent. A meeting's reminder records the start it is for."""
    try:
        with database.transaction() as session:
            session.add(
                ReminderDelivery(
                    board_id=board_id,
                    kind=key.kind,
                    subject_id=key.subject_id,
                    recipient=key.recipient,
                    occasion=key.occasion,
                    meeting_starts_at=meeting_starts_at,
                    state="claimed",
                    claim_id=claim_id,
                    claimed_at=now,
                    attempts=1,
                )
            )
        return 1
    except IntegrityError:
        pass
    with database.transaction() as session:
        attempt = session.execute(
            update(ReminderDelivery)
            .where(
                _is(key),
                or_(
                    and_(ReminderDelivery.state == "failed", _waited(now)),
                    and_(
                        ReminderDelivery.state == "claimed",
                        ReminderDelivery.claimed_at < now - timeout,
                    ),
                ),
            )
            .values(
                state="claimed",
                claim_id=claim_id,
                claimed_at=now,
                attempts=ReminderDelivery.attempts + 1,
                meeting_starts_at=meeting_starts_at,
            )
            .returning(ReminderDelivery.attempts)
        ).scalar_one_or_none()
        return attempt or 0


def _waited(now: datetime) -> ColumnElement[bool]:
    """A failed reminder has waited long enough, for as many attempts as it has had."""
    row = ReminderDelivery
    waits = [and_(row.attempts <= most, row.claimed_at <= now - wait) for most, wait in RETRY_WAITS]
    return or_(*waits, row.claimed_at <= now - LAST_RETRY_WAIT)


def retrying_soon(database: Database, key: DeliveryKey) -> bool:
    """Whether a reminder this pass could not claim is being posted by another pass, or
    failed and will be tried again within minutes: a later reminder of its series waits."""
    row = ReminderDelivery
    pending = or_(
        row.state == "claimed", and_(row.state == "failed", row.attempts <= QUICK_RETRIES)
    )
    with database.transaction() as session:
        return bool(session.scalar(select(exists().where(_is(key), pending))))


def mark_sent(
    database: Database, key: DeliveryKey, claim_id: str, now: datetime, message_ts: str | None
) -> None:
    """The post went out: mark the reminder sent, with the message's ts, if this pass's claim
    still holds it."""
    with database.transaction() as session:
        session.execute(
            update(ReminderDelivery)
            .where(_is(key), ReminderDelivery.claim_id == claim_id)
            .values(state="sent", sent_at=now, message_ts=message_ts, last_error=None)
        )


def release(database: Database, key: DeliveryKey, claim_id: str, error: str) -> None:
    """The post failed: leave the reminder for the next pass."""
    with database.transaction() as session:
        session.execute(
            update(ReminderDelivery)
            .where(_is(key), ReminderDelivery.claim_id == claim_id)
            .values(state="failed", last_error=error[:200])
        )


def _is(key: DeliveryKey):  # type: ignore[no-untyped-def]
    return and_(
        ReminderDelivery.kind == key.kind,
        ReminderDelivery.subject_id == key.subject_id,
        ReminderDelivery.recipient == key.recipient,
        ReminderDelivery.occasion == key.occasion,
    )
