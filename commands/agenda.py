"""The agenda of a meeting: items in order, with presenters and minutes allotted."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from commands import dates, describe, parsing
from commands.context import Context
from commands.errors import NotFound, Unchanged, UsageError, about_field
from commands.meetings import (
    after_publication,
    find_meeting,
    held_since,
    in_progress,
    not_cancelled,
    under_way_note,
)
from commands.proceedings import agenda_item
from commands.replies import Line, Message, Outcome, Section, Strong, line
from storage import minutes as stored
from storage import queries
from storage.audit import snapshot
from storage.calendar import next_revision
from storage.models import AgendaItem, Meeting

# `to M1.5`, `to M9x` are meant as meetings too, and refused as such; `to M 1` is M1.
TARGET = re.compile(r"\s+to\s+(?P<meeting>M ?\d+(?:\.\d+|[A-Za-z]\w*)?)[.,;]?\s*$", re.I)
# `to M1-M3`, `to M1, M2` (not `to M1 M6`: a title may end with roads)
TO_SEVERAL = re.compile(r"\s+to\s+M\d+\s*(?:[-–,&]|and)\s*M?\d+[.,;]?\s*$", re.I)
# Also `15m,` as a list of the options is written (not `(2m)`: in a title, more likely £).
ITEM_LENGTH = re.compile(rf"\s+(?:for\s+)?(?P<minus>-)?(?=\d){dates.LENGTH},?\s*$", re.I)
PRESENTER = re.compile(r"\s+(?P<who><@[^>]+>),?\s*$")
DANGLING_TO = re.compile(r"\s+to[.,;:]?\s*$", re.I)  # `… 20m to`: the meeting left out
# `… @pete 15m M2`: the meeting named without `to`.
BARE_TARGET = re.compile(r"\s+(?P<meeting>M\d{1,9})[.,;]?\s*$", re.I)
LEADING_PRESENTER = re.compile(r"\s*(?P<who><@[^>]+>)\s+")
# `… @paul 20`: a bare number after the presenter is the item's minutes.
PRESENTER_MINUTES = re.compile(r"\s+(?P<who><@[^>]+>)\s+(?P<minutes>\d{1,3})\s*$")
MAX_ITEM_MINUTES = 600
# What is left after a presenter at the end that is meant as the item's time but cannot
# be read: a length in words (`1/2 hour`, `half an hour`) or a clock time (`10:30`). Not
# a year (`2026/27`), a paragraph (`6.4`) or a part (`1/2`): those are the title's.
UNREAD_LENGTH = re.compile(
    r"<@[^>]+>\s+(?P<length>"
    r"(?=[^<>]*(?:\d|\bhalf\b))(?=[^<>]*\b(?:hours?|hrs?|mins?|minutes?)\b)"
    r"(?:[\d/:.]+|half|an?|hours?|hrs?|mins?|minutes?|and|\s)+?"
    r"|\d{1,2}:\d{2})\s*$",
    re.I,
)


def agenda(ctx: Context, args: str) -> Outcome:
    """`[<M#>]`: the agenda of the next meeting, or of M#. During a meeting, the next is
    the one after it: said, with how to see the one under way (its items are what notes,
    decisions and actions name)."""
    if args.strip():
        return Outcome(reply=describe.meeting_message(find_meeting(ctx, args), ctx.zone))
    meeting = _next_meeting(ctx, "agenda {meeting}")
    return Outcome(
        reply=replace(describe.meeting_message(meeting, ctx.zone), footnote=under_way_note(ctx))
    )


def agenda_add(ctx: Context, args: str) -> Outcome:
    """`<title> [<@presenter>] [<minutes>m] [to <M#>]`, options read from the end; the
    time may be given in hours too (`1h`, `1h30m`), and the presenter first."""
    # The end of a sentence taken off; runs of spaces made one, as the title keeps them
    # (and as the patterns below read quickly).
    text = " " + " ".join(args.split()).removesuffix(".")
    if TO_SEVERAL.search(text):
        raise UsageError("Add an item to one meeting at a time, e.g. … to M2.")
    if (to := DANGLING_TO.search(text)) and any(
        option.search(text[: to.start()]) for option in (ITEM_LENGTH, PRESENTER, PRESENTER_MINUTES)
    ):
        raise UsageError("Say which meeting the item is for after “to”, e.g. … to M2.")
    if (bare := BARE_TARGET.search(text)) and any(
        option.search(text[: bare.start()])
        for option in (ITEM_LENGTH, PRESENTER, PRESENTER_MINUTES)
    ):
        raise UsageError(f"Name the meeting after “to”: … to {bare['meeting'].upper()}.")
    target = presenter = length = None
    for _ in range(3):
        if target is None and (match := TARGET.search(text)):
            target, text = match["meeting"].replace(" ", ""), text[: match.start()]
        elif presenter is length is None and (match := PRESENTER_MINUTES.search(text)):
            presenter, length = parsing.mention(match["who"]), float(match["minutes"])
            text = text[: match.start()]
        elif length is None and (match := ITEM_LENGTH.search(text)):
            length, text = (
                dates.minutes_in(match) * (-1 if match["minus"] else 1),
                text[: match.start()],
            )
        elif presenter is None and (match := PRESENTER.search(text)):
            presenter, text = parsing.mention(match["who"]), text[: match.start()]
    if presenter is None and (match := LEADING_PRESENTER.match(text)):  # `@paul SSNP update`
        presenter, text = parsing.mention(match["who"]), text[match.end() :]
    elif presenter is not None:
        for other in (PRESENTER.search(text), LEADING_PRESENTER.match(text)):
            _one_presenter(ctx, presenter, parsing.mention(other["who"]) if other else None)
    if match := UNREAD_LENGTH.search(text):  # `@paul 1/2 hour`: not a title's words
        raise UsageError(
            f"I couldn't read “{match['length']}” as the item's time: give minutes, e.g. 30m."
        )
    # `… (@paul, 20m)`: the bracket opened before the options.
    title = parsing.title(text.rstrip(" ,("), "agenda item title")
    if length is not None and not 1 <= length <= MAX_ITEM_MINUTES:
        raise UsageError(f"An item can have 1 to {MAX_ITEM_MINUTES} minutes.")
    minutes = None if length is None else round(length)
    if presenter is not None:
        ctx.board_member(presenter)
    meeting = (
        not_cancelled(find_meeting(ctx, target))
        if target
        else _next_meeting(ctx, "agenda add … to {meeting}")
    )
    if meeting.starts_at <= ctx.now:
        _still_open(ctx, meeting)
    footnote = after_publication(ctx, meeting) if target else _in_progress_note(ctx)
    return _added(ctx, meeting, title, presenter, minutes, footnote)


def _added(
    ctx: Context,
    meeting: Meeting,
    title: str,
    presenter: str | None,
    minutes: int | None,
    footnote: str | None,
) -> Outcome:
    """Put the item at the end of the meeting's agenda (one its caller may add to), as read
    from `agenda add` or the Add to the agenda form."""
    stored.lock_meeting(ctx.session, meeting.id)  # one item per position, however many add
    last, allotted = queries.agenda_so_far(ctx.session, meeting.id)
    item = AgendaItem(
        meeting_id=meeting.id,
        position=last + 1,
        title=title,
        presenter_id=presenter,
        minutes=minutes,
        proposed_by=ctx.caller,
        created_at=ctx.now,
    )
    ctx.session.add(item)
    ctx.session.flush()
    ctx.audit("agenda.add", f"M{meeting.number} item {item.position}", None, snapshot(item))
    _agenda_changed(ctx, meeting)
    return Outcome(
        reply=Message.of(
            line(
                "Added ",
                Strong(f"agenda item {item.position}"),
                " to ",
                Strong(f"M{meeting.number}"),
                ":",
            ),
            describe.item_line(item),
            *(_overrun(meeting, allotted + minutes) if minutes else []),
            footnote=footnote,
        )
    )


@dataclass(frozen=True)
class ItemDraft:
    """An agenda item as a message in the board's channel suggests it, for the Add to the
    agenda form to start from: its title, its author to present it if on the board, and
    the meetings it may go to (M#, and when), the next first."""

    board: str
    title: str
    presenter: str | None
    meetings: tuple[tuple[str, str], ...]
    names: dict[str, str]


def draft_item(ctx: Context, text: str, author: str) -> ItemDraft:
    """Read a message as an agenda item: its first line the title. The meetings offered
    are those ahead, the next first, then the one under way or just held (whose agenda
    members may add to until its minutes are out); with none, how to add one."""
    board = ctx.the_board()
    current = queries.current_meeting(ctx.session, board.id, ctx.now, held_since(ctx))
    offered = [*queries.upcoming_meetings(ctx.session, board.id, ctx.now), *filter(None, [current])]
    if not offered:
        raise NotFound(f"{_none_scheduled(ctx)}.")
    member = queries.membership(ctx.session, board.id, author)
    first = " ".join(next((said for said in text.splitlines() if said.strip()), "").split())
    return ItemDraft(
        board=board.name,
        title=first,
        presenter=author if member is not None else None,
        meetings=tuple(
            (f"M{meeting.number}", dates.say_datetime(meeting.starts_at, ctx.zone))
            for meeting in offered
        ),
        names=queries.names(ctx.session, parsing.MENTION.findall(first)),
    )


def propose(
    ctx: Context, title: str, presenter: str | None, minutes: str | None, meeting: str
) -> Outcome:
    """`agenda add` from the Add to the agenda form: the same rules, each refusal about the
    field it concerns; `meeting` is the M# picked."""
    with about_field("title"):
        title = parsing.title(title, "agenda item title")
    if presenter is not None:
        with about_field("presenter"):
            ctx.board_member(presenter)
    length = None
    if minutes and minutes.strip():
        with about_field("minutes"):
            if not minutes.strip().isdecimal() or len(minutes.strip()) > 3:
                raise UsageError("Give the minutes as a number, e.g. 20.")
            length = int(minutes)
            if not 1 <= length <= MAX_ITEM_MINUTES:
                raise UsageError(f"An item can have 1 to {MAX_ITEM_MINUTES} minutes.")
    with about_field("meeting"):
        chosen = not_cancelled(find_meeting(ctx, meeting))
        if chosen.starts_at <= ctx.now:
            _still_open(ctx, chosen)
    return _added(ctx, chosen, title, presenter, length, after_publication(ctx, chosen))


def _one_presenter(ctx: Context, presenter: str, other: str | None) -> None:
    """`… @paul @lara 10m`, `@paul … @lara`: two of the board named to present. A
    lookalike typed as text stays in the title, as typed."""
    if other is None or other == presenter or other in ctx.invocation.typed_mentions:
        return
    if queries.membership(ctx.session, ctx.the_board().id, other):
        raise UsageError("Name one presenter only.")


def _overrun(meeting: Meeting, allotted: int) -> list[Line]:
    """Said when the items' minutes come to more than the meeting lasts, so that the
    agenda can be trimmed before it goes out."""
    lasts = round((meeting.ends_at - meeting.starts_at).total_seconds() / 60)
    if allotted <= lasts:
        return []
    return [line(f"The timed items now come to {allotted} min; M{meeting.number} lasts {lasts}.")]


def agenda_remove(ctx: Context, args: str) -> Outcome:
    """`<item#> [<M#>]`: remove an item from the next meeting's agenda, or M#'s; later items
    move up. An item with notes, decisions or actions against it stays."""
    words = parsing.ITEM_WORD.sub("", args.strip()).split()
    if len(words) not in (1, 2):
        raise UsageError("Give the item number, and optionally the meeting (M#).")
    position = parsing.item_number(words[0])
    meeting = (
        find_meeting(ctx, words[1])
        if len(words) == 2
        else _next_meeting(ctx, f"agenda remove {position} {{meeting}}")
    )
    stored.lock_meeting(ctx.session, meeting.id)
    removed = agenda_item(ctx, meeting, position)
    items = queries.agenda(ctx.session, meeting.id)
    if stored.item_has_record(ctx.session, removed.id):
        raise UsageError(
            Strong(f"Agenda item {position}"),
            f" of M{meeting.number} has notes, decisions or actions recorded against it, "
            "so it stays in the record.",
        )
    ctx.audit("agenda.remove", f"M{meeting.number} item {position}", snapshot(removed), None)
    ctx.session.delete(removed)
    ctx.session.flush()
    # Later items move up so the agenda stays numbered 1, 2, 3, …
    for item in items:
        if item.position > position:
            item.position -= 1
    _agenda_changed(ctx, meeting)
    return Outcome(
        reply=Message.of(
            line(
                "Removed ",
                Strong(f"agenda item {position}"),
                f" ({removed.title}) from ",
                Strong(f"M{meeting.number}"),
                ". Later items have moved up.",
            ),
            footnote=after_publication(ctx, meeting),
        )
    )


# `2 New title`, `M3 2 New title`: the meeting if not the next (first, as in `note M2 3`:
# after the item it could be a road starting the title), the item and its new title.
RENAME = re.compile(r"^(?:(?P<meeting>M\d+)\s+)?(?:item\s*)?(?P<item>\S+)", re.I)


def agenda_rename(ctx: Context, args: str) -> Outcome:
    """`[<M#>] <item#> [<title>] [<@presenter>]`: put right an item's title or who presents
    it, on the next meeting's agenda or M#'s (a typo, a better name, another speaker); its
    number and time stay."""
    match = RENAME.match(args.strip())
    if not match:
        raise UsageError(
            "Give the item number and its new title, e.g. agenda rename 2 SSNP update."
        )
    position = parsing.item_number(match["item"])
    text = " " + args.strip()[match.end() :]
    presenter = None
    if (named := PRESENTER.search(text)) and (
        who := parsing.mention(named["who"])
    ) not in ctx.invocation.typed_mentions:
        presenter, text = who, text[: named.start()]
    title = parsing.title(text, "new title") if text.strip() or presenter is None else None
    meeting = (
        not_cancelled(find_meeting(ctx, match["meeting"]))
        if match["meeting"]
        else _next_meeting(ctx, f"agenda rename {{meeting}} {position} <title>")
    )
    if presenter is not None:
        ctx.board_member(presenter)
    stored.lock_meeting(ctx.session, meeting.id)
    item = agenda_item(ctx, meeting, position)
    changes = {"title": title, "presenter_id": presenter}
    changes = {name: value for name, value in changes.items() if value is not None}
    if all(getattr(item, name) == value for name, value in changes.items()):
        said = {"title": "that title", "presenter_id": "that presenter"}
        raise Unchanged(
            Strong(f"Agenda item {position}"),
            " already has ",
            " and ".join(said[name] for name in changes),
            ".",
        )
    ctx.change(item, "agenda.rename", f"M{meeting.number} item {position}", **changes)
    _agenda_changed(ctx, meeting)
    return Outcome(
        reply=Message.of(
            line(
                "Renamed " if "title" in changes else "Changed the presenter of ",
                Strong(f"agenda item {position}"),
                " of ",
                Strong(f"M{meeting.number}"),
                ":",
            ),
            describe.item_line(item),
            footnote=after_publication(ctx, meeting),
        )
    )


# `6 to 1`, `6 1`, `item 6 to 1 to M2`, `M2 6 1`: the item, where it goes, and the meeting
# if not the next (first, as in `note M2 3`, or last, as in `agenda add … to M2`).
MOVE = re.compile(
    r"^(?:(?P<first>M\d+)\s+)?(?:item\s+)?(?P<item>\S+)\s+(?:to\s+)?(?P<to>\S+)"
    r"(?:\s+(?:(?:on|of|to|in)\s+)?(?P<meeting>\S+))?$",
    re.I,
)


def agenda_move(ctx: Context, args: str) -> Outcome:
    """`<item#> [to] <position> [<M#>]`: put an item elsewhere on the next meeting's
    agenda, or M#'s; the items between move along, as items come in the order partners
    send them rather than the order the chair takes them."""
    match = MOVE.match(args.strip())
    if not match:
        raise UsageError("Give the item number and where it goes, e.g. agenda move 6 to 1.")
    position, to = parsing.item_number(match["item"]), parsing.item_number(match["to"])
    named = match["first"] or match["meeting"]
    if match["first"] and match["meeting"]:
        raise UsageError("Name the meeting once, e.g. agenda move 6 to 1 M2.")
    meeting = (
        not_cancelled(find_meeting(ctx, named))
        if named
        else _next_meeting(ctx, f"agenda move {position} to {to} {{meeting}}")
    )
    stored.lock_meeting(ctx.session, meeting.id)
    moving = agenda_item(ctx, meeting, position)
    items = list(queries.agenda(ctx.session, meeting.id))
    if len(items) == 1:
        raise UsageError(f"M{meeting.number}'s agenda has only one item.")
    if to > len(items):
        raise UsageError(
            f"M{meeting.number}'s agenda has {len(items)} items: give 1 to {len(items)}."
        )
    if to == position:
        raise Unchanged(Strong(f"Agenda item {position}"), " is already there.")
    before = {"order": [item.title for item in items]}
    items.remove(moving)
    items.insert(to - 1, moving)
    for number, item in enumerate(items, start=1):
        item.position = number
    ctx.session.flush()
    # One row for the whole agenda: the items between have new numbers too.
    ctx.audit(
        "agenda.move",
        f"M{meeting.number} item {position}",
        before,
        {"order": [item.title for item in items]},
    )
    _agenda_changed(ctx, meeting)
    return Outcome(
        reply=Message(
            title=f"M{meeting.number}: agenda reordered",
            sections=(Section(tuple(describe.item_line(item) for item in items)),),
            footnote=after_publication(ctx, meeting),
        )
    )


def _still_open(ctx: Context, meeting: Meeting) -> None:
    """Members may add to the current meeting's agenda until its minutes are out; after
    that, or once a meeting is past, its agenda is the record: officers only."""
    current = queries.current_meeting(ctx.session, meeting.board_id, ctx.now, held_since(ctx))
    if current is None or current.id != meeting.id:
        ctx.require_officer(f"add to the agenda of M{meeting.number}, which has been held")
    elif stored.publications(ctx.session, meeting.board_id, meeting.number):
        ctx.require_officer(f"add to the agenda of M{meeting.number}: its minutes are published")


def _agenda_changed(ctx: Context, meeting: Meeting) -> None:
    """The agenda is in the meeting's calendar event: a new revision of it (the item's
    audit row is the record)."""
    for name, value in next_revision(ctx.now).items():
        setattr(meeting, name, value)


def _in_progress_note(ctx: Context) -> str | None:
    """With a meeting going on now: how to add an item to that one instead."""
    if (found := in_progress(ctx)) is None:
        return None
    return f"M{found.number} is in progress: to add an item to it, end with to M{found.number}."


def _none_scheduled(ctx: Context, after: str = "") -> str:
    """That no meeting is scheduled (`after` one named), and how to add one."""
    return f"No meeting is scheduled{after}. Add one with {ctx.command} meeting add <date> <time>"


def _next_meeting(ctx: Context, naming: str) -> Meeting:
    """The next meeting; with none, how to add one or name another (`naming`, the
    command's own form, e.g. `agenda {meeting}`)."""
    board = ctx.the_board()
    meeting = queries.next_meeting(ctx.session, board.id, ctx.now)
    if meeting is None:
        command = ctx.command
        # Most likely the one under way or just held: name it in the example.
        held = queries.current_meeting(ctx.session, board.id, ctx.now)
        recent = held is not None and held.starts_at >= held_since(ctx)
        add = _none_scheduled(ctx, f" after M{held.number}" if held and recent else "")
        if held is None:  # none ever held: none to name
            raise NotFound(f"{add}.")
        example = naming.format(meeting=f"M{held.number}")
        raise NotFound(f"{add}, or name a meeting: {command} {example}.")
    return meeting
