"""Which reminders are due at an instant, what they say, and the board's reminder settings.

Everything is computed from the database as it is now — meetings, actions and
what has been sent — so moving or cancelling a meeting, closing or re-dating
an action, or switching reminders off takes effect with no job bookkeeping.
"""

from __future__ import annotations

import itertools
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands import dates, describe
from commands.context import Context
from commands.errors import UsageError
from commands.replies import Button, Code, Line, Message, Outcome, Section, Strong, line
from storage import audit, deliveries, queries
from storage.database import Database
from storage.deliveries import DeliveryKey
from storage.models import Action, Board, Meeting

log = logging.getLogger(__name__)
MAX_OFFSET_DAYS = 60
# `draft 7` (also `draft 10 days`, `… days before`), `hour 9` (also `hour 9am`, `hour 09:00`).
SETTINGS = re.compile(
    r"^(?:(?P<what>call|draft|eve)\s+(?P<days>\d{1,2})(?:\s+days?(?:\s+before)?)?"
    r"|hour\s+(?P<hour>\d{1,2}|\S.*))$",
    re.I,
)
KIND_NAMES = {
    "agenda_call": "call for agenda items",
    "draft_agenda": "draft agenda",
    "owner_update": "update request",
    "eve": "meeting reminder",
    "overdue": "overdue notice",
}


@dataclass(frozen=True)
class DueReminder:
    """A reminder whose time has come and that has not been sent."""

    key: DeliveryKey
    subject: str  # M3 or A3, as the board knows it
    board_id: int
    fire_at: datetime
    message: Message
    meeting_starts_at: datetime | None = None  # a meeting's: the start it is for

    @property
    def tag(self) -> str:
        """The delivery key as text, carried in the posted message's metadata."""
        key = self.key
        return f"{key.kind}:{key.subject_id}:{key.recipient}:{key.occasion.isoformat()}"

    @property
    def series(self) -> tuple[str, int, str]:
        """A meeting's reminders reach each recipient in order: the call for items before
        the draft agenda, even if the call's first post failed."""
        kind = "meeting" if self.meeting_starts_at is not None else self.key.kind
        return (kind, self.key.subject_id, self.key.recipient)

    @property
    def summary(self) -> str:
        """`draft agenda for M3 → C123 (due 2027-01-07 09:00 UTC)`, for logs and cron output."""
        return (
            f"{KIND_NAMES[self.key.kind]} for {self.subject} "
            f"→ {self.key.recipient} (due {self.fire_at:%Y-%m-%d %H:%M} UTC)"
        )


def fire_time(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """A reminder's instant: `hour`:00 on `day` in the board's zone, as UTC."""
    return dates.local_to_utc(day, time(hour, 0), zone)


def due_reminders(
    database: Database, now: datetime, board_at: tuple[str, str] | None = None
) -> list[DueReminder]:
    """Everything due at `now` and not yet sent, still useful, in time order; with
    `board_at` (team, channel), only the board's at home there.

    Keys are worked out from light rows first; agendas and action histories are
    loaded only for the reminders that turn out to be unsent, so a pass with
    nothing to do stays cheap however much history the boards hold.
    """
    horizon = timedelta(days=MAX_OFFSET_DAYS + 1)
    with database.transaction() as session:
        only: int | None = None
        if board_at is not None:
            board = queries.board_for_channel(session, *board_at)
            if board is None:
                return []
            only = board.id
        ahead = deliveries.meetings_ahead(session, now, horizon, only)
        scheduled = {meeting.id: at for meeting, at in ahead}
        planned = [(m, at, kind) for m, since in ahead for at, kind in _fire_times(m, since, now)]
        drafting = {m.board_id for m, _, kind in planned if kind == "draft_agenda"}
        last_day = max((m.starts_at.date() for m, _ in ahead), default=now.date())
        owners = deliveries.owners_of_dated_actions(session, drafting, last_day + timedelta(days=1))
        sent = deliveries.sent_before(session, {meeting.id for meeting, _, _ in planned})
        wanted: list[tuple[DeliveryKey, Meeting, datetime]] = []
        for meeting, at, kind in planned:
            zone = ZoneInfo(meeting.board.timezone)
            occasion = at.astimezone(zone).date()
            wanted.append(
                (DeliveryKey(kind, meeting.id, meeting.board.channel_id, occasion), meeting, at)
            )
            if kind == "draft_agenda":
                # Owners of actions given after the draft went out are not asked: they
                # would be, at any hour, for what they were given a moment before.
                day = meeting.starts_at.astimezone(zone).date()
                drafts = sent.get((kind, meeting.id, meeting.board.channel_id), [])
                went_out = min((s for d, _, s in drafts if d == occasion and s), default=None)
                asked = {
                    owner
                    for board_id, owner, due, given in owners
                    if board_id == meeting.board_id
                    and due <= day
                    and (went_out is None or given <= went_out)
                }
                wanted += [
                    (DeliveryKey("owner_update", meeting.id, owner, occasion), meeting, at)
                    for owner in sorted(asked)
                ]
        unsent = [
            (key, meeting, at)
            for key, meeting, at in wanted
            if not _stands(
                sent.get((key.kind, key.subject_id, key.recipient), []),
                key.occasion,
                meeting.starts_at,
                scheduled[meeting.id],
                at,
            )
        ]
        due = _meeting_messages(session, unsent, last_day, now)
        # Overdue notices: the earliest UTC "today" anywhere bounds the candidates.
        for action, board in deliveries.overdue_unreminded(
            session, (now + timedelta(days=1)).date(), only
        ):
            reminder = _overdue(action, board, now)
            if reminder is not None:
                due.append(reminder)
    return sorted(due, key=lambda r: (r.fire_at, r.key.kind, r.key.subject_id, r.key.recipient))


def _meeting_messages(
    session: Session,
    unsent: list[tuple[DeliveryKey, Meeting, datetime]],
    last_day: date,
    now: datetime,
) -> list[DueReminder]:
    """The messages of the unsent meeting reminders, with their agendas and actions loaded,
    worded for the day they go out (which is later than planned after an outage)."""
    if not unsent:
        return []
    deliveries.load_agendas(session, {meeting.id for _, meeting, _ in unsent})
    owed: dict[int, list[Action]] = defaultdict(list)
    for action in deliveries.open_dated_actions(
        session, {meeting.board_id for _, meeting, _ in unsent}, last_day + timedelta(days=1)
    ):
        owed[action.board_id].append(action)
    out = []
    for key, meeting, at in unsent:
        zone = ZoneInfo(meeting.board.timezone)
        today = now.astimezone(zone).date()
        actions = owed[meeting.board_id]
        if key.kind == "owner_update":
            day = meeting.starts_at.astimezone(zone).date()
            mine = [a for a in actions if a.owner_id == key.recipient and describe.due_by(a, day)]
            message = owner_message(
                meeting.board,
                f"Please update your actions before M{meeting.number}",
                line(
                    f"M{meeting.number} {meeting.title} is on "
                    f"{dates.say_datetime(meeting.starts_at, zone)}. "
                    "Please post an update on your actions before then."
                ),
                mine,
                today,
            )
        else:
            message = _channel_message(key.kind, meeting, actions, zone, today)
        out.append(
            DueReminder(key, f"M{meeting.number}", meeting.board_id, at, message, meeting.starts_at)
        )
    return out


class DeliveryFailed(Exception):
    """The chat service did not take the message; the reminder stays due."""


@dataclass(frozen=True)
class Sent:
    """A reminder in the chat service: its (first) message, and whether this attempt
    posted any of it."""

    message_id: str | None
    posted: bool


class Outbox(Protocol):
    """Where reminders go: the chat service, or anything that can post and look back."""

    def send(self, recipient: str, message: Message, tag: str, *, look_first: bool) -> Sent:
        """Post the message with its tag; with `look_first` (an earlier attempt may have
        got through), only what the chat service does not already have under that tag.
        Raise DeliveryFailed if it was not taken."""
        ...


def run_pass(
    database: Database,
    now: datetime,
    outbox: Outbox,
    clock: Callable[[], datetime] = dates.utc_now,
    claim_timeout: timedelta = deliveries.DEFAULT_CLAIM_TIMEOUT,
    *,
    board_at: tuple[str, str] | None = None,
) -> list[DueReminder]:
    """One reminder pass as of `now`: claim each due reminder, post it, record it.

    `now` decides what is due (cron's `--at`, or a rehearsal); claims are timed
    by the real `clock`, because a claim goes stale when its process stops, not
    when the board's calendar moves on. A reminder claimed before (a failed
    post, or a pass that died mid-post) may already be in Slack, so it is looked
    up by its tag before being posted again. With `board_at` (team, channel), only
    the reminders of the board at home there: the console's, which leaves every
    other board's to the bot that posts them.
    """
    claim_id = uuid.uuid4().hex
    posted: list[DueReminder] = []
    held_back: set[tuple[str, int, str]] = set()  # series with an earlier reminder pending
    for reminder in due_reminders(database, now, board_at):
        if reminder.series in held_back:
            continue
        attempt = deliveries.claim(
            database,
            reminder.key,
            reminder.board_id,
            claim_id,
            clock(),
            claim_timeout,
            meeting_starts_at=reminder.meeting_starts_at,
        )
        if not attempt:
            if deliveries.retrying_soon(database, reminder.key):
                held_back.add(reminder.series)
            continue
        try:
            sent = outbox.send(
                reminder.key.recipient, reminder.message, reminder.tag, look_first=attempt > 1
            )
        except DeliveryFailed as error:
            log.warning("reminder not delivered, will retry: %s (%s)", reminder.summary, error)
            deliveries.release(database, reminder.key, claim_id, str(error))
            # Later ones of its series wait while it is retried minutes apart, so that the
            # channel reads in order; one that keeps failing then holds up no other.
            if attempt <= deliveries.QUICK_RETRIES:
                held_back.add(reminder.series)
            continue
        if sent.posted:
            posted.append(reminder)
        deliveries.mark_sent(database, reminder.key, claim_id, now, sent.message_id)
    return posted


def _stands(
    sent: list[tuple[date, datetime | None, datetime | None]],
    occasion: date,
    starts_at: datetime,
    scheduled: datetime,
    at: datetime,
) -> bool:
    """Whether the reminders already sent for this meeting (of this kind, to this
    recipient; each with its day and the start it was for) stand for the one due `at`
    on `occasion`. One does if it is the same day's, or was sent for the meeting's
    present start (the offsets changed since); any does if `at` passed before the
    meeting's schedule began (added or moved, or reminders back on): a move catches
    up on nothing already sent.

    What a reminder was for decides, never when it went out: a cron pass run as of
    another instant (`--at`) than the clock the board's commands keep would mistake
    one for the other."""
    return bool(sent) and (
        any(day == occasion or start == starts_at for day, start, _ in sent) or at < scheduled
    )


def _fire_times(meeting: Meeting, scheduled: datetime, now: datetime) -> list[tuple[datetime, str]]:
    """The meeting's reminders whose time has passed and that are still worth sending.

    A reminder whose time had already passed when the meeting's schedule began (it was
    added or moved, or its board's reminders switched back on) is skipped if a later
    one has passed too: a meeting entered three days ahead gets its draft agenda at
    once, not a stale call for items.
    """
    passed = [(at, kind) for at, kind in _times_of(meeting.board, meeting) if at <= now]
    return [
        (at, kind)
        for index, (at, kind) in enumerate(passed)
        if at >= scheduled or index == len(passed) - 1
    ]


def _times_of(board: Board, meeting: Meeting) -> list[tuple[datetime, str]]:
    """The meeting's reminders by the board's offsets and hour: (instant, kind), earliest
    first."""
    zone = ZoneInfo(board.timezone)
    day = meeting.starts_at.astimezone(zone).date()
    return sorted(
        (fire_time(day - timedelta(days=days), board.reminder_hour, zone), kind)
        for kind, days in _offsets(board)
    )


def _offsets(board: Board) -> tuple[tuple[str, int], ...]:
    """The meeting reminders and their days before it, in the order they should go out."""
    return (
        ("agenda_call", board.agenda_call_days),
        ("draft_agenda", board.draft_agenda_days),
        ("eve", board.eve_reminder_days),
    )


def _overdue(action: Action, board: Board, now: datetime) -> DueReminder | None:
    """The notice, once its time has come."""
    assert action.due_on is not None
    zone = ZoneInfo(board.timezone)
    at = fire_time(action.due_on + timedelta(days=1), board.reminder_hour, zone)
    if at > now:
        return None
    today = now.astimezone(zone).date()
    message = owner_message(
        board,
        f"Overdue: A{action.number}",
        line(
            f"A{action.number} was due on {dates.say_date(action.due_on)} and is still open. "
            "Post an update on where it stands; if it needs more time, say so, and an officer "
            "can give it a new date."
        ),
        [action],
        today,
    )
    return DueReminder(_overdue_key(action), f"A{action.number}", board.id, at, message)


def told_overdue(ctx: Context, action: Action) -> None:
    """Its owner has been told another way that the action is overdue: no overdue
    notice follows."""
    deliveries.skip(ctx.session, action.board_id, [_overdue_key(action)], ctx.now)


def _overdue_key(action: Action) -> DeliveryKey:
    """One overdue notice per owner and due date: given away, or given a new date, the
    action is noticed again."""
    assert action.due_on is not None
    return DeliveryKey("overdue", action.id, action.owner_id, action.due_on)


def owner_message(
    board: Board, title: str, intro: Line, actions: list[Action], today: date
) -> Message:
    """A DM to an action owner: `title` (what it is about, as a notification shows it,
    naming the board: someone may own actions on several), then each action with Mark
    done and Post update buttons."""
    ref = f"A{actions[0].number}" if len(actions) == 1 else "A#"
    return Message(
        title=f"{title} — {board.name}",
        sections=(Section((intro,)),) + tuple(action_section(action, today) for action in actions),
        footnote=f"Or type {board.command} action update {ref} <text> in the board's channel.",
    )


def action_section(action: Action, today: date, longest: int | None = None) -> Section:
    """One action with its buttons; the value says which board and which A#. Its texts
    are cut as `describe.action_line` cuts them."""
    value = f"{action.board_id}:{action.number}"
    # Asked for updates, the owner posts one; closing is asked about first (a slip on a
    # phone would take the action off every list).
    buttons = (
        (
            Button(
                "Mark done",
                "mark_done",
                value,
                confirm=f"A{action.number} will be closed and get no more reminders.",
            ),
            Button("Post update", "post_update", value, primary=True),
        )
        if action.status == "open"
        else ()
    )
    return Section(
        (
            describe.action_line(  # the owner's own: their name would only ping them
                action,
                today,
                show_status=action.status != "open",
                longest=longest,
                show_owner=False,
            ),
        ),
        buttons=buttons,
        key=f"action-{value}",
    )


def _channel_message(
    kind: str, meeting: Meeting, owed: list[Action], zone: ZoneInfo, today: date
) -> Message:
    when = dates.say_datetime(meeting.starts_at, zone)
    day = meeting.starts_at.astimezone(zone).date()
    details = describe.meeting_message(meeting, zone)
    if kind == "agenda_call":
        deadline = day - timedelta(days=meeting.board.draft_agenda_days)
        ref = f"M{meeting.number}"
        ask: Line = line(
            "Partners: propose items for ",
            Strong(ref),
            f" ({when}) ",
            f"by {dates.say_date(deadline)}" if deadline >= today else "as soon as you can",
            " with ",
            Code(f"{meeting.board.command} agenda add <title> [@presenter] [20m] to {ref}"),
            ".",
        )
        return Message(
            title=f"Call for agenda items: {meeting.title}",
            sections=(Section((ask,)), *details.sections[1:]),
        )
    if kind == "draft_agenda":
        due = [a for a in owed if describe.due_by(a, day)]
        actions = tuple(describe.action_line(a, today) for a in due) or (
            line("No open actions fall due before the meeting."),
        )
        # An empty draft asks again, as the call for items did.
        propose = line(
            "Nothing is on the agenda yet: propose items with ",
            Code(f"{meeting.board.command} agenda add <title> to M{meeting.number}"),
            ".",
        )
        return Message(
            title=f"Draft agenda: {meeting.title}, {when}",
            sections=(
                *details.sections,
                *([] if meeting.items else [Section((propose,))]),
                Section(actions, heading="Actions due before the meeting"),
            ),
            footnote="Owners still on the board have been sent a message asking for an update."
            if due
            else None,
        )
    return Message(title=f"{_days_away(day, today)}: {details.title}", sections=details.sections)


def _days_away(day: date, today: date) -> str:
    """`Tomorrow`, as the eve-of-meeting reminder is headed; `Today` when it goes out late."""
    days = (day - today).days
    return {0: "Today", 1: "Tomorrow"}.get(days, f"In {days} days")


def reminders(ctx: Context, args: str) -> Outcome:
    """Show the board's reminder schedule."""
    return Outcome(reply=_schedule(ctx))


def switch_on(ctx: Context, args: str) -> Outcome:
    """Reminders resume from now: of those that fell due while they were off, a meeting
    gets only its latest, as a meeting entered at short notice does, and overdue notices
    are skipped (a burst of DMs about old deadlines helps no one)."""
    board = ctx.the_board()
    if not board.reminders_enabled:
        ctx.change(board, audit.REMINDERS_ON, f"board {board.id}", reminders_enabled=True)
        tomorrow = (ctx.now + timedelta(days=1)).date()
        fell_due = [
            reminder.key
            for action, _ in deliveries.overdue_unreminded(ctx.session, tomorrow, board.id)
            if (reminder := _overdue(action, board, ctx.now)) is not None
        ]
        deliveries.skip(ctx.session, board.id, fell_due, ctx.now)
    return Outcome(reply=_schedule(ctx))


def switch_off(ctx: Context, args: str) -> Outcome:
    """Switch the board's reminders off; the reply shows the schedule."""
    board = ctx.the_board()
    if board.reminders_enabled:
        ctx.change(board, "reminders.off", f"board {board.id}", reminders_enabled=False)
    return Outcome(reply=_schedule(ctx))


def configure(ctx: Context, args: str) -> Outcome:
    """`call|draft|eve <days>` or `hour <0-23>`."""
    match = SETTINGS.match(args.strip())
    if not match:
        raise UsageError("Say which reminder and a number, e.g. draft 7 or hour 9.")
    what, value = (match["what"] or "hour").lower(), _days_or_hour(match)
    if what == "hour" and not 0 <= value <= 23:
        raise UsageError("The hour is 0 to 23 (9 means 09:00).")
    if what != "hour" and not 1 <= value <= MAX_OFFSET_DAYS:
        raise UsageError(f"Reminders can be 1 to {MAX_OFFSET_DAYS} days before a meeting.")
    column = {
        "call": "agenda_call_days",
        "draft": "draft_agenda_days",
        "eve": "eve_reminder_days",
        "hour": "reminder_hour",
    }[what]
    board = ctx.the_board()
    ctx.change(board, "reminders.settings", f"board {board.id}", **{column: value})
    schedule = _schedule(ctx)
    if slips := _out_of_order(board):
        schedule = replace(schedule, sections=(Section(slips), *schedule.sections))
    return Outcome(reply=schedule)


def _days_or_hour(match: re.Match[str]) -> int:
    """The number a setting is given: days, or the hour (`9`, or a time on the hour)."""
    if match["days"] or match["hour"].isdecimal():
        return int(match["days"] or match["hour"])
    at = dates.parse_time(match["hour"])
    if at.minute:
        raise UsageError(f"Reminders go out on the hour: hour {at.hour}, not {at:%H:%M}.")
    return at.hour


def _out_of_order(board: Board) -> tuple[Line, ...]:
    """A warning for each meeting reminder set to go out no later than the one before it
    (a draft agenda before the call for items)."""
    return tuple(
        line(
            f"Check: the {KIND_NAMES[later]} ({_days(after)} before) does not follow the "
            f"{KIND_NAMES[earlier]} ({_days(before)} before)."
        )
        for (earlier, before), (later, after) in itertools.combinations(_offsets(board), 2)
        if after >= before
    )


def _schedule(ctx: Context) -> Message:
    board = ctx.the_board()
    command = ctx.command
    at = f"{board.reminder_hour:02d}:00"
    state = "on" if board.reminders_enabled else "off"
    lines = (
        f"{_days(board.agenda_call_days)} before a meeting, {at}: call for agenda items (channel)",
        f"{_days(board.draft_agenda_days)} before, {at}: draft agenda (channel) and a request "
        "for updates to each action owner (DM)",
        f"{_days(board.eve_reminder_days)} before, {at}: time, place and agenda (channel)",
        f"The day after an action falls due, {at}: overdue notice to its owner (DM)",
    )
    heading = None if board.reminders_enabled else "Nothing goes out while they are off. When on:"
    sections = [Section(tuple(line(text) for text in lines), heading=heading)]
    if board.reminders_enabled and (coming := _coming(ctx)):
        sections.append(coming)
    return Message(
        title=f"Reminders for {board.name} are {state}",
        sections=tuple(sections),
        footnote=f"Change with {command} reminders on|off, {command} reminders set draft 7, "
        f"{command} reminders set hour 9. Times are {board.timezone}.",
    )


def _coming(ctx: Context) -> Section | None:
    """The next meeting's reminders still to go out, with their days."""
    board = ctx.the_board()
    meeting = queries.next_meeting(ctx.session, board.id, ctx.now)
    if meeting is None:
        return None
    ahead = [
        f"{KIND_NAMES[kind]} {dates.say_short_date(ctx.day_of(at))}"
        for at, kind in _times_of(board, meeting)
        if at > ctx.now
    ]
    if not ahead:
        return None
    said = "; ".join(ahead)
    day = ctx.day_of(meeting.starts_at)
    return Section(
        (line(f"{said[0].upper()}{said[1:]}."),),
        heading=f"Next, for M{meeting.number} ({dates.say_short_date(day)})",
    )


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
