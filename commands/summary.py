"""The chair's action summary (`/board summary`): what needs attention (RED or overdue),
open actions by owner, overdue first, those due by the next meeting, counts by RAG status,
and what was done since the last meeting."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.context import Context
from commands.dates import say_short_date
from commands.describe import IN_A_LIST, RAG_LABELS, current_rag, due_by, is_overdue, shortened
from commands.minutes import MeetingRef, Update
from commands.replies import Channel, Line, Message, Outcome, Section, Strong, line
from commands.roster import Person, Roster
from storage.models import Board
from storage.rows import ActionRow
from storage.summary import SubGroupRow, summary_record

NOT_RATED = "not rated"  # no update gave a RAG status
NO_UPDATE = "no update"


@dataclass(frozen=True)
class OpenAction:
    """An open action as the chair sees it."""

    number: int
    description: str
    due_on: date | None
    overdue: bool
    before_next_meeting: bool  # due by the next meeting's day, and not yet overdue
    latest: Update | None
    rag: str | None  # the last RAG status an update gave, as in the minutes

    @property
    def standing(self) -> str:
        """The action's RAG status, or why it has none."""
        if self.latest is None:
            return NO_UPDATE
        return self.rag or NOT_RATED


@dataclass(frozen=True)
class OwnerSummary:
    """One owner's open actions, overdue first."""

    owner: Person
    actions: tuple[OpenAction, ...]


@dataclass(frozen=True)
class Completed:
    """An action closed since the last meeting: done, or dropped (the chair should know)."""

    number: int
    description: str
    owner: str
    status: str  # done | dropped
    closed_on: date


@dataclass(frozen=True)
class Summary:
    """A board's actions as of one moment."""

    board: str
    owners: tuple[OwnerSummary, ...]  # owners with overdue actions first
    last_meeting: MeetingRef | None
    under_way: MeetingRef | None
    next_meeting: MeetingRef | None
    completed: tuple[Completed, ...]
    sub_groups: tuple[SubGroupRow, ...]  # with their open and overdue actions counted

    @property
    def open_actions(self) -> tuple[OpenAction, ...]:
        return tuple(action for owner in self.owners for action in owner.actions)

    def standings(self) -> list[tuple[str, int]]:
        """Counts by RAG status of each open action's latest update; unrated only if any."""
        counts = Counter(action.standing for action in self.open_actions)
        shown = [*RAG_LABELS, NO_UPDATE] + ([NOT_RATED] if counts[NOT_RATED] else [])
        return [(standing, counts[standing]) for standing in shown]


def summarise(session: Session, board: Board, now: datetime) -> Summary:
    """The board's open actions and recent completions as of `now`.

    An action is due before the next meeting if it falls due on or before that
    meeting's day: its owner will be asked about it there.
    """
    zone = ZoneInfo(board.timezone)
    today = now.astimezone(zone).date()
    record = summary_record(session, board.id, now, today)
    roster = Roster(record.members, record.names)
    next_day = (
        record.next_meeting.starts_at.astimezone(zone).date() if record.next_meeting else None
    )

    def summarised(action: ActionRow) -> OpenAction:
        overdue = is_overdue(action, today)
        return OpenAction(
            number=action.number,
            description=action.description,
            due_on=action.due_on,
            overdue=overdue,
            before_next_meeting=(not overdue and next_day is not None and due_by(action, next_day)),
            latest=Update.of(action.updates[-1], zone, roster) if action.updates else None,
            rag=current_rag(update.rag for update in action.updates),
        )

    by_owner: defaultdict[str, list[OpenAction]] = defaultdict(list)
    for action in record.open_actions:
        by_owner[action.owner_id].append(summarised(action))
    owners = [
        OwnerSummary(
            roster.person(owner_id),
            tuple(sorted(actions, key=_overdue_first)),
        )
        for owner_id, actions in by_owner.items()
    ]
    owners.sort(key=lambda o: (not any(a.overdue for a in o.actions), o.owner.name.lower()))
    return Summary(
        board=board.name,
        owners=tuple(owners),
        last_meeting=MeetingRef.of(record.last_meeting, zone) if record.last_meeting else None,
        under_way=MeetingRef.of(record.under_way, zone) if record.under_way else None,
        next_meeting=MeetingRef.of(record.next_meeting, zone) if record.next_meeting else None,
        completed=tuple(
            Completed(
                action.number,
                action.description,
                roster.name(action.owner_id),
                action.status,
                action.closed_at.astimezone(zone).date(),
            )
            for action in record.completed
            if action.closed_at is not None
        ),
        sub_groups=tuple(record.sub_groups),
    )


def _overdue_first(action: OpenAction) -> tuple[bool, bool, date, int]:
    return (not action.overdue, action.due_on is None, action.due_on or date.min, action.number)


def as_message(summary: Summary) -> Message:
    """The summary as the core's Message, for an ephemeral reply."""
    actions = summary.open_actions
    overdue = sum(action.overdue for action in actions)
    soon = sum(action.before_next_meeting for action in actions)
    following = summary.next_meeting
    overview = [
        line(
            Strong(f"{len(actions)} open action{'' if len(actions) == 1 else 's'}"),
            f": {overdue} overdue, {soon} due before the next meeting.",
        ),
        *_needing_attention(summary),
        *(
            [
                line(
                    Strong(summary.under_way.ref),
                    " is in progress: it began ",
                    summary.under_way.when,
                    ".",
                )
            ]
            if summary.under_way
            else []
        ),
        line("Next meeting: ", Strong(following.ref), f" {following.said}.")
        if following
        else line("No next meeting is scheduled."),
        line(
            "By RAG status, as last given: ",
            ", ".join(
                f"{count} {RAG_LABELS.get(standing, standing)}"
                for standing, count in summary.standings()
            ),
            ".",
        ),
    ]
    owners = tuple(
        Section(
            tuple(_open_action(action) for action in group.actions),
            # Someone who has left: not reminded, so their actions want a new owner.
            heading=group.owner.label
            + (" (no longer on the board: reassign)" if group.owner.role is None else ""),
        )
        for group in summary.owners
    )
    last = summary.last_meeting
    completed = tuple(
        line(
            Strong(f"A{done.number}"),
            f" {done.description} — {done.owner}",
            f" · {done.status} ",
            say_short_date(done.closed_on),
        )
        for done in summary.completed
    ) or (line("None."),)
    return Message(
        title=f"{summary.board}: action summary",
        sections=(
            Section(tuple(overview)),
            *owners,
            Section(
                completed,
                heading=f"Done or dropped since the last meeting ({last.ref}, {last.when})"
                if last
                else "Done or dropped so far",
            ),
            *_sub_groups(summary),
        ),
    )


def _sub_groups(summary: Summary) -> tuple[Section, ...]:
    """How each sub-group stands, for the board it reports to: its own summary, in its
    channel, says more."""
    if not summary.sub_groups:
        return ()
    lines = tuple(
        line(
            Strong(group.name),
            " (",
            Channel(group.channel_id),
            f") · {group.open_actions} open action{'' if group.open_actions == 1 else 's'}",
            f", {group.overdue} overdue" if group.overdue else None,
            " · next meeting ",
            say_short_date(group.next_meeting_at.astimezone(ZoneInfo(group.timezone)).date())
            if group.next_meeting_at
            else "not scheduled",
        )
        for group in summary.sub_groups
    )
    return (Section(lines, heading="Sub-groups"),)


def _needing_attention(summary: Summary) -> tuple[Line, ...]:
    """`Needs attention: A1 Paul Valentine (RED, overdue), A4 Sam Reid (RED)`: what the
    chair reads first, red before late, then by due date, each with whom to chase."""
    chosen = sorted(
        (
            (action, group.owner.name)
            for group in summary.owners
            for action in group.actions
            if action.rag == "red" or action.overdue
        ),
        key=lambda pair: (
            pair[0].rag != "red",
            not pair[0].overdue,
            pair[0].due_on or date.max,
            pair[0].number,
        ),
    )
    if not chosen:
        return ()
    spans: list[str | Strong] = ["Needs attention: "]
    for index, (action, owner) in enumerate(chosen):
        reasons = (("RED", action.rag == "red"), ("overdue", action.overdue))
        why = ", ".join(word for word, applies in reasons if applies)
        spans += [", " if index else "", Strong(f"A{action.number}"), f" {owner} ({why})"]
    spans.append(".")
    return (line(*spans),)


def _open_action(action: OpenAction) -> Line:
    latest = action.latest
    return line(
        Strong("OVERDUE") if action.overdue else None,
        " " if action.overdue else None,
        Strong(f"A{action.number}"),
        " ",
        action.description,
        f" · due {say_short_date(action.due_on)}" if action.due_on else None,
        " · " if action.before_next_meeting else None,
        Strong("due before the next meeting") if action.before_next_meeting else None,
        " · latest: " if latest else " · no update yet",
        f"[{latest.rag_label}] " if latest and latest.rag_label else None,
        f"{shortened(latest.text, IN_A_LIST)} ({say_short_date(latest.posted_on)})"
        if latest
        else None,
    )


def summary(ctx: Context, args: str) -> Outcome:
    """The chair's action summary, for the caller's eyes only."""
    return Outcome(reply=as_message(summarise(ctx.session, ctx.the_board(), ctx.now)))
