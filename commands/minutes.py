"""Minutes (SPEC §6): one meeting's record collated as plain typed data, and the
`/board minutes` and `/board minutes publish` commands.

The same `Minutes` is rendered three ways: as the core's `Message`
(`as_message`, here, which the chat side shows as Block Kit), Markdown
(`minutes_markdown`) and Word (`minutes_docx`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands import describe, minutes_docx, minutes_markdown
from commands.context import Context
from commands.dates import say_date, say_datetime, say_short_date
from commands.describe import RAG_LABELS
from commands.errors import NotFound, Unchanged, UsageError
from commands.meetings import find_meeting
from commands.parsing import MENTION
from commands.replies import (
    Button,
    File,
    Line,
    Message,
    Outcome,
    Section,
    Strong,
    Undo,
    line,
)
from commands.roster import Person, Roster
from storage import audit, queries
from storage import minutes as stored
from storage.models import Board, Meeting
from storage.rows import ActionRow, UpdateRow

# `minutes publish M1 version 2`, as the Publish button sends it.
AS_VERSION = re.compile(r"(?:^|\s)version\s+(?P<version>\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Update:
    """An update posted on an action, with its RAG status if it gave one."""

    posted_on: date
    author: str
    rag: str | None
    text: str

    @classmethod
    def of(cls, update: UpdateRow, zone: ZoneInfo, roster: Roster) -> Update:
        """A stored update, dated in the board's timezone and signed by name."""
        posted_on = update.created_at.astimezone(zone).date()
        return cls(
            posted_on, roster.name(update.author_id), update.rag, roster.written(update.text)
        )

    @property
    def rag_label(self) -> str | None:
        return RAG_LABELS[self.rag] if self.rag else None


@dataclass(frozen=True)
class ActionEntry:
    """An action as the minutes show it; `updates` only under matters arising."""

    number: int
    description: str
    owner: str
    due_on: date | None
    status: str  # open | done | dropped, as it is now
    closed_on: date | None  # the board's local day it was done or dropped
    overdue: bool
    rag: str | None  # the status the updates last gave
    updates: tuple[Update, ...] = ()
    # In the action log, of an action not among the matters arising (their updates are
    # there): where it stands, as last said.
    latest: Update | None = None

    @property
    def ref(self) -> str:
        return f"A{self.number}"

    @property
    def due(self) -> str | None:
        return say_short_date(self.due_on) if self.due_on else None

    @property
    def standing(self) -> str | None:
        """The RAG status to show beside the action, unless its latest update, shown with
        its own, gives it (the last status given stands until another is)."""
        return None if self.latest and self.latest.rag else self.rag_label

    def latest_said(self, *, rag: bool = True) -> str:
        """`latest Thu 11 Feb 2027: [AMBER] Protocol awaiting sign-off`, with the update's
        own RAG status unless a column shows it (its first IN_A_LIST characters: matters
        arising give updates whole)."""
        assert self.latest is not None
        status = f"[{self.latest.rag_label}] " if rag and self.latest.rag_label else ""
        said = describe.shortened(self.latest.text, describe.IN_A_LIST)
        return f"latest {say_short_date(self.latest.posted_on)}: {status}{said}"

    @property
    def state(self) -> str:
        """`open (overdue)`, `done Wed 10 Feb 2027`."""
        if self.overdue:
            return f"{self.status} (overdue)"
        return f"{self.status} {say_short_date(self.closed_on)}" if self.closed_on else self.status

    @property
    def silent(self) -> bool:
        """Still open with no update since the previous meeting, which the minutes say: the
        board will ask why. Of one closed since, its state says enough."""
        return self.status == "open" and not self.updates

    @property
    def state_is_news(self) -> bool:
        """Whether the state is worth saying beside the action: overdue, or closed."""
        return self.overdue or self.status != "open"

    @property
    def rag_label(self) -> str | None:
        return RAG_LABELS[self.rag] if self.rag else None


@dataclass(frozen=True)
class Item:
    """An agenda item with what was recorded against it."""

    position: int
    title: str
    presenter: str | None
    notes: tuple[str, ...]
    decisions: tuple[describe.Decision, ...]
    actions: tuple[ActionEntry, ...]  # arising from the item, whatever their status now


@dataclass(frozen=True)
class OwnerActions:
    """One owner's open actions, for the action log."""

    owner: Person
    actions: tuple[ActionEntry, ...]


@dataclass(frozen=True)
class MeetingRef:
    """A meeting named by number, time and place."""

    number: int
    when: str  # "Thursday 14 January 2027, 10:00", in the board's timezone
    location: str | None

    @classmethod
    def of(cls, meeting: Meeting, zone: ZoneInfo) -> MeetingRef:
        """A stored meeting, its start said in the board's timezone."""
        return cls(meeting.number, say_datetime(meeting.starts_at, zone), meeting.location)

    @property
    def ref(self) -> str:
        return f"M{self.number}"

    @property
    def said(self) -> str:
        return f"{self.when}, {self.location}" if self.location else self.when


@dataclass(frozen=True)
class Minutes:
    """The minutes of one meeting, in SPEC §6's order."""

    board: str
    meeting: MeetingRef
    title: str
    held: bool  # False for a draft of a meeting that has not started
    present: tuple[Person, ...]
    apologies: tuple[Person, ...]
    previous: MeetingRef | None
    matters_arising: tuple[ActionEntry, ...]
    items: tuple[Item, ...]
    action_log: tuple[OwnerActions, ...]
    next_meeting: MeetingRef | None
    as_of: datetime  # when collated: the date of the Word copy
    notice: str | None = None  # e.g. that these are revised minutes
    version: int | None = None  # as published (the Word copy's footer says it, and the day)
    published_on: date | None = None  # the board's day

    @property
    def heading(self) -> str:
        return f"Minutes of the meeting held on {self.meeting.said}"


def collate(session: Session, board: Board, meeting: Meeting, now: datetime) -> Minutes:
    """The minutes of `meeting` as of `now`, from storage.minutes' fixed set of statements.

    Matters arising are chosen by `storage.minutes.meeting_record`. Under each,
    the minutes show the updates posted since the previous meeting began: one
    posted during it is in no earlier minutes if the action was agreed there, or
    if that meeting was the board's first. There is no upper bound: the status
    shown is the status now (SPEC §6), so the updates run to now as well,
    including any posted during this meeting. The action log's latest update, of
    an action not among them, is the latest by the meeting's end, with the RAG
    status then: what the board heard.
    """
    zone = ZoneInfo(board.timezone)
    today = now.astimezone(zone).date()
    record = stored.meeting_record(session, meeting)
    roster = Roster(record.members, record.names | _mentioned_names(session, record))
    since = record.previous.starts_at if record.previous else None

    def entry(
        action: ActionRow, *, with_updates: bool = False, with_latest: bool = False
    ) -> ActionEntry:
        updates: tuple[Update, ...] = ()
        # The latest by the meeting's end: the record of a meeting held is not rewritten
        # by what owners say later.
        said = (
            [u for u in action.updates if u.created_at <= meeting.ends_at]
            if with_latest
            else action.updates
        )
        if with_updates and since is not None:
            updates = tuple(
                Update.of(u, zone, roster) for u in action.updates if u.created_at > since
            )
        return ActionEntry(
            number=action.number,
            description=roster.written(action.description),
            owner=roster.name(action.owner_id),
            due_on=action.due_on,
            status=action.status,
            closed_on=action.closed_at.astimezone(zone).date() if action.closed_at else None,
            overdue=describe.is_overdue(action, today),
            rag=describe.current_rag(update.rag for update in said),
            updates=updates,
            latest=Update.of(said[-1], zone, roster) if with_latest and said else None,
        )

    item_ids = {item.id for item in record.items}
    by_item: defaultdict[int, list[ActionEntry]] = defaultdict(list)
    by_owner: defaultdict[str, list[ActionRow]] = defaultdict(list)
    arising: set[int] = set()
    for loaded in record.actions:
        action = loaded.action
        if action.item_id in item_ids:
            by_item[action.item_id].append(entry(action))
        if action.status == "open":
            by_owner[action.owner_id].append(action)
        if loaded.matter_arising:
            arising.add(action.number)
    return Minutes(
        board=board.name,
        meeting=MeetingRef.of(meeting, zone),
        title=meeting.title,
        held=meeting.starts_at <= now,
        present=roster.attending(a for a in record.attendance if a.status == "present"),
        apologies=roster.attending(a for a in record.attendance if a.status == "apologies"),
        previous=MeetingRef.of(record.previous, zone) if record.previous else None,
        matters_arising=tuple(
            entry(loaded.action, with_updates=True)
            for loaded in record.actions
            if loaded.matter_arising
        ),
        items=tuple(
            Item(
                position=item.position,
                title=roster.written(item.title),
                presenter=roster.name(item.presenter_id) if item.presenter_id else None,
                notes=tuple(roster.written(r.text) for r in item.records if r.kind == "note"),
                decisions=tuple(
                    describe.Decision.of(roster.written(r.text))
                    for r in item.records
                    if r.kind == "decision"
                ),
                actions=tuple(by_item[item.id]),
            )
            for item in record.items
        ),
        action_log=tuple(
            OwnerActions(
                roster.person(owner),
                # Where one not among the matters arising stands: said nowhere else.
                tuple(entry(a, with_latest=a.number not in arising) for a in _by_due_date(actions)),
            )
            for owner, actions in sorted(by_owner.items(), key=lambda o: roster.name(o[0]).lower())
        ),
        next_meeting=MeetingRef.of(record.following, zone) if record.following else None,
        as_of=now,
    )


def _mentioned_names(session: Session, record: stored.MeetingRecord) -> dict[str, str]:
    """Names of people mentioned in the record's text and not otherwise in it (someone
    thanked in a note, say): one more statement, only when there are any."""
    texts = [item.title for item in record.items]
    texts += [r.text for item in record.items for r in item.records]
    for loaded in record.actions:
        texts.append(loaded.action.description)
        texts += [update.text for update in loaded.action.updates]
    mentioned = {user_id for text in texts for user_id in MENTION.findall(text)}
    return queries.names(session, mentioned - record.names.keys())


def _by_due_date(actions: Iterable[ActionRow]) -> list[ActionRow]:
    return sorted(actions, key=lambda a: (a.due_on is None, a.due_on or date.min, a.number))


def as_message(minutes: Minutes, footnote: str | None = None) -> Message:
    """The minutes as the core's Message: the preview and the channel post."""
    own_title = minutes.title if minutes.title != minutes.board else None
    opening = [line(Strong(minutes.notice))] if minutes.notice else []
    opening += [
        line(Strong(minutes.heading)),
        line("Meeting ", Strong(minutes.meeting.ref), f": {own_title}" if own_title else None),
    ]
    next_meeting = minutes.next_meeting
    return Message(
        title=minutes.board,
        sections=(
            Section(tuple(opening)),
            Section(_people(minutes.present, with_role=True), heading="Present"),
            Section(_people(minutes.apologies, with_role=False), heading="Apologies"),
            Section(_matters_arising(minutes), heading="Matters arising"),
            *(_item(item) for item in minutes.items),
            Section(_action_log(minutes), heading="Action log"),
            Section(
                (
                    line(next_meeting.said, " (", Strong(next_meeting.ref), ")")
                    if next_meeting
                    else line("Not yet scheduled."),
                ),
                heading="Next meeting",
            ),
        ),
        footnote=footnote,
    )


def _people(people: tuple[Person, ...], *, with_role: bool) -> tuple[Line, ...]:
    return tuple(
        line(person.label, f" ({person.role})" if with_role and person.role else None)
        for person in people
    ) or (line("None recorded."),)


def _action(
    entry: ActionEntry, *, indent: str = "", owner: bool = True, state: bool = False
) -> Line:
    """`A3 Share hotspot data — Paul Valentine · due Sun 28 Feb 2027 · done Mon 1 Mar 2027`.

    The state is shown when asked for, or when it is news (overdue, closed); the
    RAG status only when the owner is not named (the action log's lines).
    """
    return line(
        indent,
        Strong(entry.ref),
        " ",
        entry.description,
        f" — {entry.owner}" if owner else None,
        f" · due {entry.due}" if entry.due else None,
        f" · {entry.state}" if state or entry.state_is_news else None,
        f" · [{entry.standing}]" if not owner and entry.standing else None,
        f" · {entry.latest_said()}" if entry.latest else None,
    )


def _matters_arising(minutes: Minutes) -> tuple[Line, ...]:
    if minutes.previous is None:
        return (line("None: no earlier meeting of the board is recorded."),)
    lines: list[Line] = []
    for entry in minutes.matters_arising:
        lines.append(_action(entry, state=True))
        lines += [
            line(
                "    • ",
                say_short_date(update.posted_on),
                f" {update.author}: ",
                f"[{update.rag_label}] " if update.rag_label else None,
                update.text,
            )
            for update in entry.updates
        ]
        if entry.silent:
            lines.append(line(f"    • No update since {minutes.previous.ref}."))
    return tuple(lines) or (
        line(f"None: no actions were outstanding from {minutes.previous.ref}."),
    )


def _item(item: Item) -> Section:
    lines = [line("Presented by ", item.presenter)] if item.presenter else []
    lines += [line(note) for note in item.notes]
    lines += [decision.said() for decision in item.decisions]
    if item.actions:
        lines.append(line("Actions arising:"))
        lines += [_action(entry, indent="    ") for entry in item.actions]
    if not (item.notes or item.decisions or item.actions):
        lines.append(line("Nothing recorded."))
    return Section(tuple(lines), heading=f"{item.position}. {item.title}")


def _action_log(minutes: Minutes) -> tuple[Line, ...]:
    lines: list[Line] = []
    for group in minutes.action_log:
        lines.append(line(Strong(group.owner.label)))
        lines += [_action(entry, indent="    ", owner=False) for entry in group.actions]
    return tuple(lines) or (line("No open actions."),)


def minutes(ctx: Context, args: str) -> Outcome:
    """`[<M#>]`: the draft minutes, for the caller's eyes only."""
    board = ctx.the_board()
    meeting = _chosen_meeting(ctx, args)
    collated = collate(ctx.session, board, meeting, ctx.now)
    published = stored.publications(ctx.session, board.id, meeting.number)
    coming = stored.next_version(published)
    # Only officers publish: anyone else is told who can.
    publish, posts = (
        (f"{ctx.command} minutes publish M{meeting.number}", "posts")
        if ctx.is_officer
        else ("The chair, vice-chair or secretary", "can post")
    )
    if not collated.held:
        footnote = (
            f"Draft: M{meeting.number} has not been held yet. "
            "Its minutes can be published once it has started."
        )
    elif published:
        latest = published[-1]
        footnote = (
            f"Published as version {latest.version} on {_said_day(latest.at, ctx)}. "
            f"{publish} {posts} version {coming} as revised minutes."
        )
    else:
        footnote = (
            f"Draft: only you can see this. {publish} {posts} it to the channel "
            "with Markdown and Word copies."
        )
    draft = as_message(collated, footnote=footnote)
    if not (collated.held and ctx.is_officer):
        return Outcome(reply=draft)
    version = f"version {coming} of " if published else ""
    # The version in the value: a second click, or one on a draft shown before someone
    # else published, would otherwise publish again as a revision.
    button = Button(
        "Publish",
        "publish_minutes",
        f"M{meeting.number} version {coming}",
        primary=True,
        confirm=f"This posts {version}the minutes of M{meeting.number} to the channel, with "
        "Markdown and Word copies, for the whole board to see.",
    )
    return Outcome(reply=replace(draft, sections=(*draft.sections, Section((), buttons=(button,)))))


def _markdown(minutes: Minutes) -> bytes:
    return minutes_markdown.render(minutes).encode()


def minutes_publish(ctx: Context, args: str) -> Outcome:
    """`[<M#>] [version <n>]`: post the minutes to the channel with .md and .docx copies;
    again = revised. With a version, only if that is the version they would be."""
    board = ctx.the_board()
    asked = AS_VERSION.search(args)
    meeting = _chosen_meeting(ctx, args[: asked.start()] if asked else args)
    if meeting.starts_at > ctx.now:
        raise UsageError(
            Strong(f"M{meeting.number}"),
            f" has not been held yet: it starts {say_datetime(meeting.starts_at, ctx.zone)}. "
            f"Preview its draft with {ctx.command} minutes M{meeting.number} "
            "and publish once the meeting has started.",
        )
    # Two officers publishing at once must not both become version N: the meeting's
    # row is locked until this one is recorded (SQLite's write lock already does this).
    stored.lock_meeting(ctx.session, meeting.id)
    earlier = stored.publications(ctx.session, board.id, meeting.number)
    version = stored.next_version(earlier)
    if asked and int(asked["version"]) != version:
        raise Unchanged(*_published_already(ctx, meeting, earlier, int(asked["version"])))
    collated = replace(
        collate(ctx.session, board, meeting, ctx.now), version=version, published_on=ctx.today
    )
    if earlier:
        collated = replace(
            collated,
            notice=f"Revised minutes (version {version}), replacing the version published on "
            f"{_said_day(earlier[-1].at, ctx)}.",
        )
    ctx.audit(audit.MINUTES_PUBLISH, f"M{meeting.number}", None, {"version": version})
    stem = f"{describe.file_stem(board.name)}-m{meeting.number}-minutes" + (
        f"-v{version}" if earlier else ""
    )
    title = f"Minutes of M{meeting.number}, {say_date(meeting.starts_at.astimezone(ctx.zone))}"
    title += f", version {version}" if earlier else ""
    # Made after the reply, outside the transaction: a long meeting's Word copy takes a
    # while, and the database (all of it, on SQLite) is held until the transaction ends.
    files = (
        File(f"{stem}.md", partial(_markdown, collated), f"{title} (Markdown)"),
        File(f"{stem}.docx", partial(minutes_docx.render, collated), f"{title} (Word)"),
    )
    what = f"revised minutes (version {version})" if earlier else "the minutes"
    reply = Message.of(
        line(
            f"Published {what} of ",
            Strong(f"M{meeting.number}"),
            " to the channel, with Markdown and Word copies.",
        )
    )
    return Outcome(
        reply=reply,
        announcement=as_message(collated),
        files=files,
        if_not_announced=Undo(
            partial(
                stored.withdraw,
                board_id=board.id,
                meeting_number=meeting.number,
                version=version,
                actor_id=ctx.caller,
            ),
            f"So the minutes of M{meeting.number} were not published. Publish them again "
            "once I can post in the channel.",
        ),
    )


def _published_already(
    ctx: Context, meeting: Meeting, earlier: list[stored.Publication], asked: int
) -> tuple[str | Strong, ...]:
    """Why `minutes publish … version <asked>` publishes nothing: that version is out (a
    second click of the Publish button), or it cannot be next."""
    ref = Strong(f"M{meeting.number}")
    again = f" To publish revised minutes, type {ctx.command} minutes publish M{meeting.number}."
    if not earlier:
        return ("The minutes of ", ref, f" have not been published yet, so not as version {asked}.")
    if out := [p for p in earlier if p.version == asked]:
        said = _said_day(out[-1].at, ctx)
        return (f"Version {asked} of the minutes of ", ref, f" was published on {said}.", again)
    latest = earlier[-1].version
    return ("The minutes of ", ref, f" are at version {latest}, so not {asked}.", again)


def _chosen_meeting(ctx: Context, args: str) -> Meeting:
    """M# if given; else the current meeting, or failing that the last one that started."""
    board = ctx.the_board()
    if args.strip():
        meeting = find_meeting(ctx, args)
    else:
        found = queries.current_meeting(ctx.session, board.id, ctx.now)
        if found is None:
            raise NotFound(
                "No meeting has been held yet. Preview a scheduled meeting's draft minutes with "
                f"{ctx.command} minutes <M#>."
            )
        meeting = found
    if meeting.status == "cancelled":
        raise UsageError(Strong(f"M{meeting.number}"), " was cancelled, so it has no minutes.")
    return meeting


def _said_day(moment: datetime, ctx: Context) -> str:
    return say_short_date(ctx.day_of(moment))
