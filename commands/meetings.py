"""Scheduling board meetings: one-off or a quarterly series, moved and cancelled."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from commands import dates, describe, parsing
from commands.context import Context
from commands.errors import NotFound, Unchanged, UnknownWord, UsageError
from commands.replies import Line, Message, Outcome, Section, Strong, line
from storage import audit, queries
from storage import minutes as stored
from storage.audit import snapshot
from storage.calendar import next_revision
from storage.models import Meeting

DEFAULT_LENGTH = timedelta(hours=2)
# A meeting just held: it may still be entered, and its attendance, notes and
# decisions recorded, if it started within this many days (counted in calendar days).
JUST_HELD_DAYS = 7
MAX_SERIES = 12
TITLE_SEPARATOR = re.compile(r"\s+:\s*|:(?=\s|$)\s*")
# The options `quarterly [<count>]` and `for <duration>`, by their word, read off the end
# of the text.
OPTIONS = {
    "quarterly": re.compile(r"[\s,;]+quarterly(?:\s+(?P<value>\d+))?[.,;]?$", re.I),
    "for": re.compile(
        rf"[\s,;]+for\s+(?P<value>(?=\d){dates.LENGTH}|{dates.SPOKEN_LENGTH})[.,;]?$", re.I
    ),
}
# `at 10:00`, `at 2pm` say when; any other `at` says where.
LOCATION = re.compile(rf"\s+at\s+(?!{dates.CLOCK}(?:\s|$))(?P<location>.+)$", re.I | re.S)
# A place that is an hour (`at 10`, `at 2 o'clock`), where no time was given: meant as the
# time, which needs am or pm.
BARE_HOUR = re.compile(r"(?P<hour>\d{1,2})(?:\s*o['’]?clock)?(?=\s+at\s|\s*$)", re.I)
# What is left of an option that could not be read, e.g. `for two hours`, `quarterly four`:
# anywhere in the date and time; at the end of the place, only a number, or a number in
# words and a unit, which no place name ends in (`Centre for a Safer Future` does not).
NUMBER_WORD = rf"(?:half(?:\s+an)?|{'|'.join(dates.NUMBERS)})"
UNIT = rf"(?:{dates.HOUR_UNITS}|{dates.MINUTE_UNITS})"
UNREAD = {
    "place": (
        re.compile(rf"\s+for\s+(?P<length>\d\S*|{NUMBER_WORD}\s+{UNIT})[.,;]?$", re.I),
        re.compile(rf"\squarterly(?:\s+(?:\d\S*|{NUMBER_WORD}))?[.,;]?$", re.I),
    ),
    "time": (
        re.compile(r"\s+for\s+(?P<length>.+)$", re.I | re.S),
        re.compile(r"\squarterly\b", re.I),
    ),
}
# `10:00 to 12:00`, `10am-12pm`, `2.30pm until 4pm`: an end time instead of a length.
END_TIME = re.compile(
    rf"(?<=\S)(?:\s*[-–—]\s*|\s+(?:to|until|till)\s+)(?P<end>{dates.CLOCK})$", re.I
)
AM_PM = re.compile(r"[ap]\.?m\.?|noon\.?|midday\.?", re.I)
HOUR = re.compile(r"\d{1,2}(?:[:.]\d{2})?")


def held_since(ctx: Context) -> datetime:
    """The earliest start of a meeting "just held": midnight on the board's calendar
    JUST_HELD_DAYS days ago, so last week's meeting counts whatever the hour now."""
    return dates.local_to_utc(ctx.today - timedelta(days=JUST_HELD_DAYS), time(0), ctx.zone)


def _refuse_long_ago(ctx: Context, starts_at: datetime) -> None:
    """A meeting is entered, or moved, to no earlier than a week ago (SPEC §3): one just
    held can still be minuted; earlier is an error."""
    if starts_at < held_since(ctx):
        raise UsageError(
            f"{dates.say_datetime(starts_at, ctx.zone)} is more than {JUST_HELD_DAYS} days ago: "
            "a meeting can be entered, or moved, up to a week after it was held."
        )


@dataclass(frozen=True)
class When:
    """A meeting's start as typed, read in the board's zone."""

    starts_at: datetime
    clock: time


def read_when(ctx: Context, text: str) -> When:
    """`<date> [at] <time>`: the time is the last word (or `10 am`), the date the rest."""
    words = text.split()
    if len(words) >= 3 and AM_PM.fullmatch(words[-1]) and HOUR.fullmatch(words[-2]):
        # `10 am`, `2.30 p.m.`, `12 noon`: one time
        words[-2:] = [words[-2] + words[-1]]
    if len(words) >= 3 and words[-2].lower() in {"at", "@"}:
        del words[-2]
    if len(words) < 2:
        raise UsageError("Give the meeting's date and time, e.g. 14/01/2027 10:00.")
    try:
        clock = dates.parse_time(words[-1])
    except UsageError:
        # `14 Jan 2027`, `next Thursday`; not `7 Jan 10`, a time misread as 2010.
        day = dates.date_or_none(" ".join(words), ctx.today)
        if day is not None and day >= ctx.today - timedelta(days=JUST_HELD_DAYS):
            raise UsageError(f"Give the time too, e.g. {' '.join(words)} 10:00.") from None
        raise
    day = dates.parse_date(
        " ".join(words[:-1]), ctx.today, earliest=ctx.today - timedelta(days=JUST_HELD_DAYS)
    )
    return When(dates.typed_time_to_utc(day, clock, ctx.zone), clock)


def _when(ctx: Context, text: str, words_after: Callable[[str, str], str]) -> When:
    """`read_when`, where words typed after the time are explained by `words_after`, given
    the date and time as typed and those words."""
    try:
        return read_when(ctx, text)
    except UsageError:
        if split := _after_the_time(text):
            raise UsageError(words_after(*split)) from None
        raise


def _after_the_time(text: str) -> tuple[str, str] | None:
    """`14/3/2027 10:00 CSP Board` → the date and time, and the words after them; None
    if none follow, or only an end time (`10am to 12`), which the time's reading explains."""
    words = text.split()
    for index in range(1, len(words) - 1):
        after = index + 1
        if HOUR.fullmatch(words[index]) and AM_PM.fullmatch(words[after].rstrip(",;")):
            after += 1  # `10 am`, `10:00 am`
        elif not re.fullmatch(dates.CLOCK, words[index].rstrip(",;"), re.I):
            continue
        rest = " ".join(words[after:])
        said = rest.lstrip("-–—:;, ")  # `10am, Swanspool House`, `10am - CSP Board`
        if not said or re.match(
            rf"(?:to|until|till|[-–—](?=\s*\d))(?!\S)|{dates.CLOCK}$", rest, re.I
        ):
            return None
        return " ".join(words[:after]).rstrip(",;"), said
    return None


def _until(start: time, end: time) -> timedelta:
    """The length of a meeting from its start to its end time, the same day."""
    length = timedelta(hours=end.hour - start.hour, minutes=end.minute - start.minute)
    if length <= timedelta(0):
        raise UsageError(
            f"The end time, {end:%H:%M}, is not after the start, {start:%H:%M}: "
            "give a later one, or the length, e.g. for 2h."
        )
    return length


def _trailing_options(text: str, options: dict[str, str]) -> str:
    """Take the OPTIONS off the end of `text` into `options`; what is left."""
    while match := next(
        ((word, found) for word, pattern in OPTIONS.items() if (found := pattern.search(text))),
        None,
    ):
        word, found = match
        if word in options:
            raise UsageError(f"Give {word} once only.")
        options[word] = found["value"] or ""
        text = text[: found.start()]
    return text


# Words of an option left at the end of the date and time, with what should follow them.
UNFINISHED = {"at": "where, e.g. at Swanspool House", "for": "how long, e.g. for 2h"}


def _refuse_unread_options(text: str, where: str) -> None:
    """An option left in the place (`where` "place") or the date and time ("time") is one
    that could not be read: say which, rather than keep it as part of the place or
    misread it as a time."""
    length, series = UNREAD[where]
    if match := length.search(text):
        dates.parse_duration(match["length"])  # says why it is not a duration
        raise UsageError("Give for once, after the date and time or after the place.")
    if series.search(text):
        raise UsageError(
            f"After quarterly, give the number of meetings (1 to {MAX_SERIES}), e.g. quarterly 4."
        )
    if match := re.search(r"\s(at|for)\s*$", text, re.I):
        raise UsageError(f"Say {UNFINISHED[match[1].lower()]}.")


def _options_and_place(text: str) -> tuple[str, dict[str, str], str | None]:
    """`for`, `at` and `quarterly` in any order at the end of `text` (those after the
    place, the place, those before): what is left before them, the options by their
    word, and the place."""
    options: dict[str, str] = {}
    text = _trailing_options(text, options)
    location = None
    if match := LOCATION.search(text):
        _refuse_unread_options(" " + match["location"], "place")
        location = parsing.title(match["location"].rstrip(" ,;."), "location")
        text = _trailing_options(text[: match.start()], options)
    _refuse_unread_options(text, "time")
    return text, options, location


def meeting_add(ctx: Context, args: str) -> Outcome:
    """`<date> <time> [for <duration>] [at <location>] [quarterly [<count>]] [: <title>]`:
    schedule a meeting, or a quarterly series; one held up to a week ago may be entered."""
    board = ctx.the_board()
    text, *given_title = TITLE_SEPARATOR.split(args.strip(), maxsplit=1)
    title = parsing.title(given_title[0], "meeting title") if given_title else board.name
    text, options, location = _options_and_place(text)
    count = int(options["quarterly"] or 4) if "quarterly" in options else 1
    if not 1 <= count <= MAX_SERIES:
        raise UsageError(f"A quarterly series can have 1 to {MAX_SERIES} meetings.")
    length = dates.parse_duration(options["for"]) if "for" in options else DEFAULT_LENGTH
    ends = END_TIME.search(text)
    if ends:
        text = text[: ends.start()]
    try:
        when = _when(
            ctx,
            text,
            # A title without its colon, or a place without at.
            lambda typed, rest: (
                f"I don't understand “{rest}” after the time. A title goes after"
                f" a colon ({typed} : {rest}), a place after at ({typed} at {rest})."
            ),
        )
    except UsageError:
        if hour := BARE_HOUR.match(location or ""):  # `4 Feb at 10`: the time, as a place
            number = int(hour["hour"])
            raise UsageError(
                f"“at {hour[0].strip()}” reads as a place: give the time as {number:02d}:00, "
                f"{number}am or {number}pm, after the date."
            ) from None
        raise
    if ends:
        if "for" in options:
            raise UsageError("Give the end time or the length (for 2h), not both.")
        length = _until(when.clock, dates.parse_time(ends["end"], after=when.clock))
    _refuse_long_ago(ctx, when.starts_at)
    first_day = ctx.day_of(when.starts_at)
    series = uuid.uuid4().hex if count > 1 else None
    starts = [
        dates.typed_time_to_utc(dates.add_months(first_day, 3 * index), when.clock, ctx.zone)
        for index in range(count)
    ]
    clashes = queries.meetings_overlapping(ctx.session, board.id, [(s, s + length) for s in starts])
    created: list[Meeting] = []
    for starts_at in starts:
        meeting = Meeting(
            board_id=board.id,
            number=queries.take_number(ctx.session, board.id, "meeting"),
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + length,
            location=location,
            status="scheduled",
            series=series,
            revision=0,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
        ctx.session.add(meeting)
        ctx.session.flush()
        ctx.audit(audit.MEETING_ADD, f"M{meeting.number}", None, snapshot(meeting))
        created.append(meeting)
    lines = tuple(describe.meeting_line(m, ctx.zone) for m in created)
    cmd, first = ctx.command, created[0]
    done = "scheduled"
    footnote = f"Add agenda items with {cmd} agenda add <title>."
    if first.starts_at <= ctx.now:  # entered after it was held, to be minuted
        done = "added"
        agenda = f"agenda with {cmd} agenda add <title> to M{first.number}."
        current = queries.current_meeting(ctx.session, board.id, ctx.now, held_since(ctx))
        # What present, note and decision record against, or not.
        if current is first:
            footnote = f"Record who came with {cmd} present @name, then add its {agenda}"
        else:
            footnote = f"Add its {agenda}"
    heading = f"Meeting {done}" if count == 1 else f"{count} quarterly meetings {done}"
    return Outcome(
        reply=Message(
            title=heading,
            sections=(Section(lines), *_already_then(ctx, clashes), *_at_weekends(ctx, created)),
            footnote=footnote,
        ),
        announcement=Message(title=f"{board.name}: {heading.lower()}", sections=(Section(lines),)),
    )


def _at_weekends(ctx: Context, meetings: Sequence[Meeting]) -> list[Section]:
    """Those on a Saturday or Sunday, said: a slip of the date, or a series's same day of
    the month landing on one."""
    weekend = [m for m in meetings if ctx.day_of(m.starts_at).weekday() >= 5]
    if not weekend:
        return []
    named = ", ".join(f"M{m.number} ({ctx.day_of(m.starts_at):%A})" for m in weekend)
    move = f"{ctx.command} meeting move M{weekend[0].number} <date> <time>"
    return [Section((line(f"On a weekend: {named}. If not meant: {move}."),))]


def _already_then(ctx: Context, clashes: Sequence[Meeting]) -> list[Section]:
    """The board's other meetings overlapping the time: said, as one may have been typed
    twice (another time, another format) and want cancelling."""
    if not clashes:
        return []
    return [
        Section(
            tuple(describe.meeting_line(m, ctx.zone) for m in clashes),
            heading=f"Overlapping (if one was typed twice: {ctx.command} meeting cancel M#)",
        )
    ]


def meetings(ctx: Context, args: str) -> Outcome:
    """`[all]`: the board's upcoming meetings, soonest first; or all of them, the M# of one
    held long ago included."""
    board = ctx.the_board()
    if args.strip():
        if args.strip().lower().rstrip(".") != "all":
            raise UnknownWord(f"I don't understand “{args.strip()}” after meetings.")
        every = queries.all_meetings(ctx.session, board.id)
        lines = tuple(describe.meeting_line(m, ctx.zone) for m in every)
        return Outcome(
            reply=Message(
                title=f"{board.name}: every meeting ({len(every)})",
                sections=(Section(lines or (line("None yet."),)),),
            )
        )
    upcoming = queries.upcoming_meetings(ctx.session, board.id, ctx.now)
    if not upcoming:
        return Outcome(
            reply=Message.of(
                line(
                    f"No meetings are scheduled. Add one with {ctx.command} meeting add "
                    "<date> <time>."
                )
            )
        )
    lines = tuple(describe.meeting_line(m, ctx.zone) for m in upcoming)
    return Outcome(
        reply=Message(title=f"{board.name}: upcoming meetings", sections=(Section(lines),))
    )


def meeting_next(ctx: Context, args: str) -> Outcome:
    """The next meeting and its agenda."""
    board = ctx.the_board()
    meeting = queries.next_meeting(ctx.session, board.id, ctx.now)
    if meeting is None:
        raise NotFound(
            f"No meeting is scheduled. Add one with {ctx.command} meeting add <date> <time>.",
            *((" ", note) if (note := under_way_note(ctx)) else ()),
        )
    return Outcome(
        reply=replace(describe.meeting_message(meeting, ctx.zone), footnote=under_way_note(ctx))
    )


def in_progress(ctx: Context) -> Meeting | None:
    """The meeting going on now, if any (the next meeting is the one after it)."""
    found = queries.current_meeting(ctx.session, ctx.the_board().id, ctx.now)
    return found if found is not None and found.under_way(ctx.now) else None


def under_way_note(ctx: Context) -> str | None:
    """Asked for the next meeting during one: how to see the one under way, whose items
    notes, decisions and actions name."""
    if (found := in_progress(ctx)) is None:
        return None
    return f"M{found.number} is in progress: its agenda is {ctx.command} agenda M{found.number}."


def meeting_move(ctx: Context, args: str) -> Outcome:
    """`<M#> [to] <date> <time>`: move a meeting, keeping its length, to any time from a
    week ago on, as `meeting add` takes; one that has started, only while it is just held."""
    number_text, rest = parsing.split_first(args)
    meeting = _not_cancelled(ctx, number_text)
    rest = re.sub(r"^\s*to\s+", "", rest, flags=re.I)  # `move M2 to 21/4/2027 …`
    when = _when(
        ctx,
        rest,
        lambda typed, _: (
            f"A move changes the date and time only: {ctx.command} meeting move "
            f"M{meeting.number} {typed}. The place, length or title: {ctx.command} meeting "
            f"edit M{meeting.number} at …"
        ),
    )
    if meeting.starts_at <= ctx.now:
        _may_move_held(ctx, meeting, when.starts_at)
    _refuse_long_ago(ctx, when.starts_at)
    if when.starts_at == meeting.starts_at:
        raise Unchanged(Strong(f"M{meeting.number}"), " is already at that time.")
    was = f" (was {describe.say_hours(meeting, ctx.zone)})"
    old_day = ctx.day_of(meeting.starts_at)
    ends_at = when.starts_at + (meeting.ends_at - meeting.starts_at)
    clashes = _others_then(ctx, meeting, when.starts_at, ends_at)
    _revise(ctx, meeting, audit.MEETING_MOVE, starts_at=when.starts_at, ends_at=ends_at)
    moved = describe.meeting_line(meeting, ctx.zone)
    return Outcome(
        reply=Message(
            title="Meeting moved",
            sections=(
                Section((line("Moved ", *moved, was),)),
                *_already_then(ctx, clashes),
                *_at_weekends(ctx, [meeting]),
                *_due_on_the_old_day(ctx, meeting, old_day),
            ),
        ),
        announcement=Message.of(line("Meeting moved: ", *moved, was)),
    )


def _due_on_the_old_day(ctx: Context, meeting: Meeting, day: date) -> list[Section]:
    """Actions due `by the meeting` kept its old day: said, with how to move each, or they
    fall overdue before the meeting they were for."""
    if ctx.day_of(meeting.starts_at) == day:
        return []
    due = queries.open_actions_due_on(ctx.session, meeting.board_id, day)
    if not due:
        return []
    named = describe.in_words([f"A{number}" for number in due])
    were = "was" if len(due) == 1 else "were"
    keep = "it" if len(due) == 1 else "each"
    return [
        Section(
            (
                line(
                    f"{named} {were} due on its old day, {dates.say_date(day)}. To keep {keep} "
                    "due at the meeting:"
                ),
                *(line(f"{ctx.command} action due A{number} M{meeting.number}") for number in due),
            )
        )
    ]


def meeting_edit(ctx: Context, args: str) -> Outcome:
    """`<M#> [for <duration>] [at <location>] [: <title>]`: change a meeting's length,
    place or title (its time is `meeting move`'s)."""
    number_text, rest = parsing.split_first(args)
    if number_text.endswith(":"):  # `M2: New title`
        rest = f": {rest}"
    meeting = _not_cancelled(ctx, number_text)
    text, *given_title = TITLE_SEPARATOR.split(" " + rest.strip(), maxsplit=1)
    text, options, location = _options_and_place(text)
    move = f"{ctx.command} meeting move M{meeting.number} <date> <time>"
    if "quarterly" in options:
        raise UsageError("A meeting's series is made when it is added; edit each meeting itself.")
    if text.strip():
        raise UsageError(
            f"I don't understand “{text.strip()}”. An edit changes the length (for 2h), the "
            f"place (at …) or the title (: …); the date and time, {move}."
        )
    changes: dict[str, object] = {}
    if given_title:
        changes["title"] = parsing.title(given_title[0], "meeting title")
    if location is not None:
        changes["location"] = location
    ends_at = meeting.starts_at + dates.parse_duration(options["for"]) if "for" in options else None
    if ends_at is not None:
        changes["ends_at"] = ends_at
    if not changes:
        raise UsageError(
            "Say what to change: the length (for 2h), the place (at …) or the title (: …)."
        )
    if all(getattr(meeting, column) == value for column, value in changes.items()):
        raise Unchanged(Strong(f"M{meeting.number}"), " is already so.")
    was = describe.meeting_line(meeting, ctx.zone)
    # A longer meeting may run into the next.
    clashes = _others_then(ctx, meeting, meeting.starts_at, ends_at) if ends_at else []
    _revise(ctx, meeting, "meeting.edit", **changes)
    changed = describe.meeting_line(meeting, ctx.zone)
    return Outcome(
        reply=Message(
            title="Meeting changed",
            sections=(
                Section((line("Now ", *changed), line("Was ", *was))),
                *_already_then(ctx, clashes),
            ),
            footnote=after_publication(ctx, meeting),
        ),
        announcement=Message.of(line("Meeting changed: ", *changed), line("Was ", *was)),
    )


def _others_then(
    ctx: Context, meeting: Meeting, starts_at: datetime, ends_at: datetime
) -> Sequence[Meeting]:
    """The board's other meetings overlapping the time the meeting is to take."""
    overlapping = queries.meetings_overlapping(
        ctx.session, meeting.board_id, [(starts_at, ends_at)]
    )
    return [m for m in overlapping if m.id != meeting.id]


def after_publication(ctx: Context, meeting: Meeting) -> str | None:
    """For a change to a meeting whose minutes are out: how to publish it too."""
    published = stored.publications(ctx.session, meeting.board_id, meeting.number)
    if not published:
        return None
    return (
        f"M{meeting.number}'s minutes are published (version {published[-1].version}): "
        f"{ctx.command} minutes publish M{meeting.number} posts this change "
        f"as version {stored.next_version(published)}."
    )


def _may_move_held(ctx: Context, meeting: Meeting, starts_at: datetime) -> None:
    """A meeting that has started moves only while it is just held and its minutes are
    unpublished; ahead, only while nothing is minuted at it."""
    named = Strong(f"M{meeting.number}")
    if meeting.starts_at < held_since(ctx):
        raise UsageError(named, f" was held more than {JUST_HELD_DAYS} days ago: its time stands.")
    if stored.publications(ctx.session, meeting.board_id, meeting.number):
        raise UsageError(named, "'s minutes are published: its time stands.")
    if starts_at > ctx.now and stored.has_record(ctx.session, meeting):
        raise UsageError(
            named,
            " has started and its record (attendance, notes, decisions or actions) stands: "
            "it can be moved only to when it was held.",
        )


# `M5-M8`, `M5–8`, `M5 to M8`, `M5..M8`: several meetings, such as a series typed twice.
# A list's glue, but a full stop only before a space or the end: `M1.5` is one (bad) M#.
MEETING_GLUE = re.compile(r"(?:[\s,]|\.(?!\S)|\band\b|&)+", re.I)
MEETING_RANGE = re.compile(r"\bM(\d{1,9})\s*(?:[-–—]|\.{2,3}|\bto\b)\s*M?(\d{1,9})\b", re.I)


def meeting_cancel(ctx: Context, args: str) -> Outcome:
    """`<M#> [<M#> …]` (or `M5-M8`): meetings not yet held; or one that has started
    (entered by mistake, say) while nothing is minuted at it. All of them, or none."""
    numbers = _meeting_numbers(args)
    cancelled: list[Line] = []
    for number in numbers:
        meeting = _not_cancelled(ctx, f"M{number}")
        if meeting.starts_at <= ctx.now and stored.has_record(ctx.session, meeting):
            raise UsageError(
                Strong(f"M{meeting.number}"),
                " has started and its record (attendance, notes, decisions, actions or minutes) "
                "stands, so it cannot be cancelled.",
            )
        # As it was: "Cancelled" says the rest.
        cancelled.append(describe.meeting_line(meeting, ctx.zone))
        _revise(ctx, meeting, "meeting.cancel", status="cancelled")
    if len(cancelled) == 1:
        return Outcome(
            reply=Message.of(line("Cancelled ", *cancelled[0]), title="Meeting cancelled"),
            announcement=Message.of(line("Meeting cancelled: ", *cancelled[0])),
        )
    heading = f"{len(cancelled)} meetings cancelled"
    return Outcome(
        reply=Message(title=heading, sections=(Section(tuple(cancelled)),)),
        announcement=Message(
            title=f"{ctx.the_board().name}: {heading}", sections=(Section(tuple(cancelled)),)
        ),
    )


def _meeting_numbers(text: str) -> list[int]:
    """The numbers of `M2`, `M2 M3`, `M2, M3 and M4`, `M5-M8`, each once, in order."""
    # Each range becomes one word, so that the words keep the order they were typed in.
    ranged = MEETING_RANGE.sub(lambda span: f"M{span[1]}-M{span[2]}", text)
    numbers: list[int] = []
    for word in [word for word in MEETING_GLUE.split(ranged) if word] or [""]:
        if span := MEETING_RANGE.fullmatch(word):
            first, last = int(span[1]), int(span[2])
            if last < first:
                raise UsageError(f"“{word}” runs backwards: give M{last}-M{first}.")
            if not 0 < last - first < MAX_SERIES:
                raise UsageError(f"Give a range of 2 to {MAX_SERIES} meetings, e.g. M5-M8.")
            numbers += range(first, last + 1)
        else:
            numbers.append(parsing.meeting_number(word))
    return list(dict.fromkeys(numbers))


def _revise(ctx: Context, meeting: Meeting, verb: str, **values: object) -> None:
    """Change a meeting: a new revision and an audit row."""
    ctx.change(meeting, verb, f"M{meeting.number}", **values, **next_revision(ctx.now))


def _not_cancelled(ctx: Context, number_text: str) -> Meeting:
    meeting = find_meeting(ctx, number_text)
    if meeting.status == "cancelled":
        raise Unchanged(Strong(f"M{meeting.number}"), " is already cancelled.")
    return meeting


def not_cancelled(meeting: Meeting) -> Meeting:
    """The meeting, unless it was cancelled: nothing is added to one."""
    if meeting.status == "cancelled":
        raise UsageError(Strong(f"M{meeting.number}"), " is cancelled.")
    return meeting


def find_meeting(ctx: Context, number_text: str) -> Meeting:
    """The meeting `M#` on the board; UsageError if the text is not an M#, NotFound if
    there is no such meeting."""
    number = parsing.meeting_number(number_text)
    meeting = queries.meeting_numbered(ctx.session, ctx.the_board().id, number)
    if meeting is None:
        raise NotFound(f"There is no meeting M{number} on this board.")
    return meeting
