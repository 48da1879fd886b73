"""What happens at the current meeting: attendance, minute notes and decisions."""

from __future__ import annotations

import re
from collections.abc import Callable

from commands import describe, parsing
from commands.context import Context
from commands.dates import say_date
from commands.errors import NotFound, Unchanged, UsageError
from commands.meetings import (
    JUST_HELD_DAYS,
    after_publication,
    find_meeting,
    held_since,
    not_cancelled,
)
from commands.replies import Line, Mention, Message, Outcome, Span, Strong, line
from storage import queries
from storage.audit import snapshot
from storage.models import AgendaItem, Attendance, ItemRecord, Meeting, Member

ATTENDANCE_WORDS = {"present": "present", "apologies": "sent apologies"}
# What is recorded against a meeting, said of one not yet started; and how a command
# names an earlier meeting, given its M# (`note M1 <item#> <text>`).
RECORDED = "record notes and decisions"
Naming = Callable[[str], str]


def present(ctx: Context, args: str) -> Outcome:
    """`<@user> [<@user> …] [to <M#>]`: who is present at the current meeting, or at M# on
    or after its day."""
    return _attendance(ctx, args, "present")


def apologies(ctx: Context, args: str) -> Outcome:
    """`<@user> [<@user> …] [to <M#>]`: apologies for the current meeting, or for M#
    (sent ahead)."""
    return _attendance(ctx, args, "apologies")


# `… to M2`: attendance at a meeting named, not the current one (apologies sent ahead).
# After `to`, whatever follows is meant as one (`to M1.5` is a bad M#, not a bad mention).
NAMED_MEETING = re.compile(
    r"(?:^|\s+)(?:(?:to|at|for)\s+(?P<named>\S+?)|(?P<meeting>M\d{1,9}))\s*\.?$", re.I
)


def _people_named(args: str) -> tuple[list[str], str | None]:
    """`@a @b [to M2]`: the people, once each, and the meeting named, if one is."""
    named = NAMED_MEETING.search(args)
    people = list(dict.fromkeys(parsing.mentions(args[: named.start()] if named else args)))
    return people, (named["named"] or named["meeting"]) if named else None


def _attendance(ctx: Context, args: str, status: str) -> Outcome:
    people, named = _people_named(args)
    members = _members(ctx, people)
    meeting = _attended(ctx, named, status)
    # Taken after the meeting, attendance keeps the roles held as it began: the chair
    # elected at it came as a member. (For a board set up since, the roles are its first.)
    began = ctx.the_board().created_at <= meeting.starts_at <= ctx.now
    roles = (
        queries.roles_at(ctx.session, meeting.board_id, people, meeting.starts_at) if began else {}
    )
    # Recorded otherwise before (by status): say so, or the change passes unnoticed.
    switched: dict[str, list[str]] = {}
    for user_id in people:
        row = queries.attendance(ctx.session, meeting.id, user_id)
        before = snapshot(row)
        if row is None:
            row = Attendance(meeting_id=meeting.id, user_id=user_id, status=status)
            ctx.session.add(row)
        elif row.status != status:
            switched.setdefault(row.status, []).append(user_id)
        row.status = status
        if before is None or meeting.starts_at >= held_since(ctx):  # not a past record's
            row.role = roles.get(user_id, members[user_id].role)
            row.organisation = members[user_id].organisation
        ctx.session.flush()
        if (after := snapshot(row)) != before:
            ctx.audit(f"attendance.{status}", f"M{meeting.number} {user_id}", before, after)
    return Outcome(
        reply=Message.of(
            line(
                "Recorded at ",
                Strong(f"M{meeting.number}"),
                f" ({say_date(ctx.day_of(meeting.starts_at))}) as ",
                ATTENDANCE_WORDS[status],
                ": ",
                *describe.mentions(people),
                ".",
            ),
            *(
                line(
                    "No longer recorded as ",
                    ATTENDANCE_WORDS[was],
                    ": ",
                    *describe.mentions(who),
                    ".",
                )
                for was, who in switched.items()
            ),
            *_still_to_record(ctx, meeting),
            footnote=after_publication(ctx, meeting),
        )
    )


def _members(ctx: Context, people: list[str]) -> dict[str, Member]:
    """The memberships of the people named; when the register names someone not on the
    board, a refusal that says nobody was recorded (the rest are not, either)."""
    if len(people) == 1:
        return {people[0]: ctx.board_member(people[0])}
    board = ctx.the_board()
    found = {
        user_id: queries.membership(ctx.session, board.id, ctx.picked(user_id))
        for user_id in people
    }
    outside = [user_id for user_id, member in found.items() if member is None]
    if outside:
        who = "Add them" if ctx.is_officer else "An officer can add them"
        adding: tuple[Span, ...] = (f"{who} with {ctx.command} member add",)
        if len(outside) == 1:
            adding = (f"{who}: {ctx.command} member add ", Mention(outside[0]))
        raise UsageError(
            *describe.mentions(outside),
            " is" if len(outside) == 1 else " are",
            " not on this board, so nobody was recorded. ",
            *adding,
            ", or type it again without them.",
        )
    return {user_id: member for user_id, member in found.items() if member is not None}


def _still_to_record(ctx: Context, meeting: Meeting) -> list[Line]:
    """Taking the register on the day: who is yet to be marked either way."""
    if ctx.day_of(meeting.starts_at) != ctx.today:
        return []
    missing = queries.unrecorded(ctx.session, meeting)
    return [line("Not yet recorded: ", *describe.mentions(missing), ".")] if missing else []


def absent(ctx: Context, args: str) -> Outcome:
    """`<@user> [<@user> …] [to <M#>]`: take back presence or apologies recorded in error
    at the current meeting, or at M#: someone who neither came nor sent apologies."""
    people, named = _people_named(args)
    meeting = _attended(ctx, named, "absent")
    rows = [
        row for user_id in people if (row := queries.attendance(ctx.session, meeting.id, user_id))
    ]
    at = (Strong(f"M{meeting.number}"), f" ({say_date(ctx.day_of(meeting.starts_at))})")
    if not rows:
        raise Unchanged("Not recorded at ", *at, " anyway: ", *describe.mentions(people), ".")
    for row in rows:
        ctx.audit("attendance.remove", f"M{meeting.number} {row.user_id}", snapshot(row), None)
        ctx.session.delete(row)
    unrecorded = [user_id for user_id in people if user_id not in {row.user_id for row in rows}]
    return Outcome(
        reply=Message.of(
            line(
                "No longer recorded at ",
                *at,
                " as present or as sending apologies: ",
                *describe.mentions([row.user_id for row in rows]),
                ".",
            ),
            *(
                [line("Not recorded there anyway: ", *describe.mentions(unrecorded), ".")]
                if unrecorded
                else []
            ),
            footnote=after_publication(ctx, meeting),
        )
    )


def _attended(ctx: Context, number_text: str | None, status: str) -> Meeting:
    """The current meeting, or one named for attendance: presence only on or after its
    day, apologies (or taking either back) for any not cancelled."""
    if number_text is None:
        return current_meeting(ctx, sent_ahead=status == "apologies", attendance=True)
    meeting = not_cancelled(find_meeting(ctx, number_text))
    day = ctx.day_of(meeting.starts_at)
    if status == "present" and day > ctx.today:
        raise UsageError(
            Strong(f"M{meeting.number}"),
            f" is on {say_date(day)}: record who came on the day. Apologies may be sent ahead.",
        )
    return meeting


def note(ctx: Context, args: str) -> Outcome:
    """`[<M#>] <item#> <text>`: a minute note against an agenda item of the current
    meeting, or of M#."""
    return _record(ctx, args, "note")


def decision(ctx: Context, args: str) -> Outcome:
    """`[<M#>] <item#> <text>`: a resolution against an agenda item of the current
    meeting, or of M#."""
    return _record(ctx, args, "decision")


def _record(ctx: Context, args: str, kind: str) -> Outcome:
    meeting_text, position, text = _item_reference(args)
    body = parsing.free_text(text, kind)
    shown: Line = line(body)
    if kind == "decision":
        decision = describe.Decision.of(body)
        if not decision.text.strip():
            raise UsageError(f"Say what was {decision.label.lower()}.")
        shown = decision.said()
    meeting, item = referred_item(ctx, meeting_text, position)
    record = ItemRecord(
        item_id=item.id, kind=kind, text=body, author_id=ctx.caller, created_at=ctx.now
    )
    ctx.session.add(record)
    ctx.session.flush()
    ctx.audit(f"item.{kind}", f"M{meeting.number} item {item.position}", None, snapshot(record))
    return _on_item(ctx, f"{kind.capitalize()} recorded", meeting, item, shown)


def note_remove(ctx: Context, args: str) -> Outcome:
    """`[<M#>] <item#>`: take back the last note against an agenda item."""
    return _unrecord(ctx, args, "note")


def decision_remove(ctx: Context, args: str) -> Outcome:
    """`[<M#>] <item#>`: take back the last decision against an agenda item."""
    return _unrecord(ctx, args, "decision")


def _unrecord(ctx: Context, args: str, kind: str) -> Outcome:
    """Take back the latest note (or decision) against an item of the current meeting,
    or of M#: one recorded in error. Used again, it takes back the one before."""
    meeting_text, position, rest = _item_reference(args)
    if rest:
        raise UsageError(f"Give only the agenda item's number, e.g. {kind} remove 2.")
    meeting, item = referred_item(ctx, meeting_text, position)
    record = queries.latest_record(ctx.session, item.id, kind)
    if record is None:
        raise NotFound(
            f"Agenda item {item.position} ({item.title}) of M{meeting.number} "
            f"has no {kind} to remove."
        )
    subject = f"M{meeting.number} item {item.position}"
    ctx.audit(f"item.{kind}.remove", subject, snapshot(record), None)
    ctx.session.delete(record)
    shown = describe.Decision.of(record.text).said() if kind == "decision" else line(record.text)
    return _on_item(ctx, f"Removed the last {kind}", meeting, item, shown)


def _on_item(ctx: Context, done: str, meeting: Meeting, item: AgendaItem, shown: Line) -> Outcome:
    """`<done> against agenda item 2 (<title>) of M1:`, then what was recorded."""
    return Outcome(
        reply=Message.of(
            line(
                f"{done} against ",
                Strong(f"agenda item {item.position}"),
                " (",
                item.title,
                ") of ",
                Strong(f"M{meeting.number}"),
                ":",
            ),
            shown,
            footnote=after_publication(ctx, meeting),
        )
    )


def current_item(
    ctx: Context, position: int, *, done: str = RECORDED, naming: Naming | None = None
) -> tuple[Meeting, AgendaItem]:
    """Agenda item `position` of the current meeting, and that meeting (`done` and
    `naming` as `current_meeting` takes them)."""
    meeting = current_meeting(ctx, done=done, naming=naming)
    return meeting, agenda_item(ctx, meeting, position, f"The current meeting, M{meeting.number},")


def _item_reference(args: str) -> tuple[str | None, int, str]:
    """`[<M#>] <item#> …`: the meeting named, if any, the item's number and the rest."""
    first, rest = parsing.split_first(parsing.ITEM_WORD.sub("", args.strip()))
    if not parsing.MEETING_NUMBER.match(first.rstrip(parsing.SENTENCE_PUNCTUATION)):
        return None, parsing.item_number(first), rest
    position_text, rest = parsing.split_first(parsing.ITEM_WORD.sub("", rest))
    return first, parsing.item_number(position_text), rest


def referred_item(
    ctx: Context,
    meeting_text: str | None,
    position: int,
    *,
    done: str = RECORDED,
    naming: Naming | None = None,
) -> tuple[Meeting, AgendaItem]:
    """The item of the current meeting or, named, of a meeting that has started (a
    write-up after the week is out), and its meeting (`done` and `naming` as
    `current_meeting` takes them)."""
    if meeting_text is None:
        return current_item(ctx, position, done=done, naming=naming)
    meeting = not_cancelled(find_meeting(ctx, meeting_text))
    if meeting.starts_at > ctx.now:
        raise UsageError(Strong(f"M{meeting.number}"), f" has not started: {done} once it has.")
    return meeting, agenda_item(ctx, meeting, position)


def agenda_item(
    ctx: Context, meeting: Meeting, position: int, named: str | None = None
) -> AgendaItem:
    """Item `position` of the meeting's agenda; if it has none, NotFound naming the
    meeting as `named` (or by its M#)."""
    item = queries.agenda_item(ctx.session, meeting.id, position)
    if item is None:
        raise NotFound(f"{named or f'M{meeting.number}'} has no agenda item {position}.")
    return item


def current_meeting(
    ctx: Context,
    *,
    sent_ahead: bool = False,
    attendance: bool = False,
    done: str = RECORDED,
    naming: Naming | None = None,
) -> Meeting:
    """The meeting in progress, or the latest that started in the last JUST_HELD_DAYS days;
    with none, a UsageError that says what to do instead: what is `done` waits for a
    meeting to start; `naming`, given an M#, is how the command names an earlier one
    (by default, as note and present do); with `sent_ahead`, how apologies are sent
    for the next meeting; for `attendance`, how to take it before the meeting starts."""
    board = ctx.the_board()
    meeting = queries.current_meeting(ctx.session, board.id, ctx.now, held_since(ctx))
    if meeting is not None:
        return meeting
    cmd = ctx.command
    taking = f"{cmd} {'apologies' if sent_ahead else 'present'} @name to"
    coming = queries.next_meeting(ctx.session, board.id, ctx.now)
    if coming is not None and ctx.day_of(coming.starts_at) == ctx.today:
        at = coming.starts_at.astimezone(ctx.zone)
        said = f" starts at {at:%H:%M}: {done} once it has started."
        if attendance:  # what was typed, taken on the day when named
            said = (
                f" starts at {at:%H:%M}. To take attendance now, name it: "
                f"{taking} M{coming.number} ({done} once it has started)."
            )
        elif naming is None:  # note, decision: attendance is taken on the day
            said += f" Attendance may be taken now, naming it: {taking} M{coming.number}."
        raise UsageError(Strong(f"M{coming.number}"), said)
    unheld = "There is no current meeting: none is in progress or started in the last "
    ahead: tuple[Span, ...] = ()
    if coming is not None:
        number, day = f"M{coming.number}", say_date(ctx.day_of(coming.starts_at))
        if sent_ahead:
            ahead = (
                " Apologies sent ahead for the next, ",
                Strong(number),
                f" on {day}, name it: {taking} {number}.",
            )
        else:
            ahead = (
                " The next, ",
                Strong(number),
                f", is on {day}: attendance, notes and decisions are recorded once it has started.",
            )
    last = queries.current_meeting(ctx.session, board.id, ctx.now)
    if last is not None:
        number = f"M{last.number}"
        how = naming(number) if naming else f"{cmd} note {number} <item#> <text>, {taking} {number}"
        raise UsageError(
            f"{unheld}{JUST_HELD_DAYS} days. To record against the last, ",
            Strong(number),
            f" on {say_date(ctx.day_of(last.starts_at))}, name it: {how}.",
            *ahead,
        )
    if ahead:
        raise UsageError(f"{unheld}{JUST_HELD_DAYS} days.", *ahead)
    raise UsageError(
        f"{unheld}{JUST_HELD_DAYS} days. Enter a meeting just held with {cmd} meeting add."
    )
