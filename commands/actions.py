"""Actions: who owns what, by when, and the updates posted against them."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from commands import dates, describe, parsing, proceedings, reminders
from commands.context import Context
from commands.errors import (
    BoardError,
    NotFound,
    Unchanged,
    UnknownWord,
    UsageError,
    about_field,
)
from commands.meetings import after_publication, find_meeting, held_since, not_cancelled
from commands.replies import Line, Mention, Message, Notice, Outcome, Section, Strong, line
from storage import audit, queries
from storage.audit import snapshot
from storage.models import Action, ActionUpdate, AgendaItem, Meeting

# `item 2`, of the current meeting; `item M1 2`, of one held before it.
ITEM = re.compile(r"\s+item\s*(?:(?P<meeting>M\d{1,9})\s+)?(?P<item>#?\d+)[.,;:!]?\s*$", re.I)
STRAY_ITEM = re.compile(r"\s+item\s+(?:M\d{1,9}\s+)?(?P<item>\S+)\s*$", re.I)
# `item M1` with no number, `item 2 M1` the other way round: meant as an item, not words.
LINK = re.compile(
    r"(?:to\s+)?(?:item\s*)?(?:(?P<meeting>M\d{1,9})\s+)?(?P<item>#?\d+)[.,;:!]?", re.I
)
ITEM_SLIP = re.compile(r"\s+item\s+(?:#?(?P<item>\d+)\s+)?(?P<meeting>M\d{1,9})[.,;:!]?\s*$", re.I)
BY = re.compile(r"\s+(?P<open>\()?by:?\s+", re.I)  # also `(by 7/1/2027)`, `by: 7/1/2027`
# A due date said some other way, which stays in the description: asked about.
SAID_DUE = re.compile(r"\s\(?(?:due|before|deadline:?)\s+(?P<day>[^()]+?)[.)!]?$", re.I)
# `action add @paul @gill …`, `@paul and @gill …`: two owners named, where an action has one
# (not `@paul @gill's team …`).
# The glue read in any case (`And`), the mention as Slack writes one (`<@ufuzz>` is not).
JOINT_OWNER = re.compile(
    rf"(?i:{parsing.LIST_GLUE.pattern})?{parsing.MENTION.pattern}(?!(?i:['’]s)\b)"
)
# A word of its own ("Red-team exercise booked", "amber/green", "Green's statement" are not
# a RAG status), not the start of a phrase or a name ("Red flag raised", "Green light from
# housing", "Red routes", "Green Lane closure") and not one of a list of colours ("Red and
# amber cases", "amber to green once signed").
PHRASES = (
    "flag(?:s|ged)?", "tape", "lines?", "lights?", "belt", "spaces?", "cards?", "routes?",
    "alerts?", "warnings?", "cross", "party", "lane", "street", "road", "zones?", "waste",
    "bins?", "kite", "lion", "man", "arrows?", "box(?:es)?",
)  # fmt: skip
# `amber: …`, `- amber - …`, `Green.`, and as the bot shows it or people write it:
# `[AMBER] …`, `(amber) …`, `RAG amber …`.
RAG = re.compile(
    r"^[\s\-–—•]*(?:rag[\s:]*)?(?P<open>[(\[])?\*?(?P<rag>red|amber|green)\*?"
    r"(?(open)[)\]]|(?![\w/'’-])(?!\s+(?:" + "|".join(PHRASES) + r")\b)"
    r"(?![\s,/]+(?:and\s+|or\s+|to\s+)?(?:red|amber|green)\b))"
    r"[\s:;,.\-–—]*",
    re.I,
)


def action_add(ctx: Context, args: str) -> Outcome:
    """`<@owner> <description> [by <date>] [item <item#>]`."""
    owner_token, text = parsing.split_first(args)
    owner = parsing.mention(owner_token, "owner")
    joint = JOINT_OWNER.match(text)
    if joint and joint[1] != owner and joint[1] not in ctx.invocation.typed_mentions:
        raise UsageError(
            "Name one owner only: an action has one. Add one action each, or name the other"
            " in the description (… with ",
            Mention(joint[1]),
            ").",
        )
    text = " " + text
    item = meeting = None
    if match := ITEM.search(text):
        text = text[: match.start()]
        meeting, item = _item_named(ctx, match, "action add <@owner> <description>")
    elif slip := ITEM_SLIP.search(text):
        meeting_ref, position_text = slip["meeting"].upper(), slip["item"] or "2"
        raise UsageError(f"Name the meeting, then the item: … item {meeting_ref} {position_text}.")
    elif (stray := STRAY_ITEM.search(text)) and stray["item"][0] in "#-0123456789":
        parsing.item_number(stray["item"])  # `item 1.5`: meant as one, and refused as such
    due_on, text = _due_date(ctx, text)
    description = parsing.free_text(text, "action description")
    ctx.board_member(owner)
    return _added(ctx, owner, description, due_on, meeting, item)


def _added(
    ctx: Context,
    owner: str,
    description: str,
    due_on: date | None,
    meeting: Meeting | None,
    item: AgendaItem | None,
) -> Outcome:
    """Record the action, as read from `action add` or the Record as an action form."""
    board = ctx.the_board()
    action = Action(
        board_id=board.id,
        number=queries.take_number(ctx.session, board.id, "action"),
        owner_id=owner,
        description=description,
        due_on=due_on,
        status="open",
        meeting_id=meeting.id if meeting else None,
        item_id=item.id if item else None,
        created_by=ctx.caller,
        created_at=ctx.now,
    )
    ctx.session.add(action)
    ctx.session.flush()
    ctx.audit("action.add", f"A{action.number}", None, snapshot(action))
    return Outcome(
        reply=Message.of(
            line("Added ", describe.action_ref(action), " for ", Mention(owner), ": ", description),
            line("Due ", dates.say_date(due_on), ".") if due_on else _no_due_date(ctx, action),
            *(
                [
                    line(
                        "Arising from ",
                        Strong(f"agenda item {item.position}"),
                        " of ",
                        Strong(f"M{meeting.number}"),
                        ".",
                    )
                ]
                if item and meeting
                else _item_in_the_description(ctx, action)
            ),
            footnote=after_publication(ctx, meeting) if meeting else None,
        )
    )


# `<@gill> to circulate …`, `<@gill>: circulate …`: whom a message gives an action to.
LEADING_OWNER = re.compile(rf"^\s*{parsing.MENTION.pattern}[\s,:;\-–—]*(?:to\s+)?")


@dataclass(frozen=True)
class ItemChoice:
    """An agenda item an action may arise from, as the form offers it."""

    meeting: int
    position: int
    title: str

    @property
    def value(self) -> str:
        return f"M{self.meeting} {self.position}"


@dataclass(frozen=True)
class Draft:
    """An action as a message in the board's channel reads, for the Record as an action
    form to start from: the current meeting's agenda items it may arise from (`item`, if
    the message named one), and the stored names of people it mentions."""

    board: str
    owner: str | None
    description: str
    due_on: date | None
    items: tuple[ItemChoice, ...]
    item: ItemChoice | None
    names: dict[str, str]


def draft(ctx: Context, text: str) -> Draft:
    """Read a message by `action add`'s rules, taking nothing it cannot: a board member
    mentioned first owns it, an `item <n>` at the end of the current meeting is the item it
    arose from, and a readable date after the last ` by ` is its due date (one that cannot
    be read, or is past, stays in the words for the form to show)."""
    board = ctx.the_board()
    owner = None
    lead = LEADING_OWNER.match(text)
    if (
        lead
        and lead[1] not in ctx.invocation.typed_mentions
        and queries.membership(ctx.session, board.id, lead[1]) is not None
    ):
        owner, text = lead[1], text[lead.end() :]
        text = text[:1].upper() + text[1:]
    current = queries.current_meeting(ctx.session, board.id, ctx.now, held_since(ctx))
    items: tuple[ItemChoice, ...] = ()
    named = None
    if current:
        items = tuple(
            ItemChoice(current.number, item.position, item.title)
            for item in queries.agenda(ctx.session, current.id)
        )
        with suppress(UsageError):  # `item 99999999999`: no item, so words
            if left := _item_left_in(text):
                named = next((choice for choice in items if choice.position == left[1]), None)
                text = left[0] if named else text
    try:
        due_on, words = _due_date(ctx, " " + text)
    except BoardError:
        due_on, words = None, text
    return Draft(
        board=board.name,
        owner=owner,
        description=words.strip(),
        due_on=due_on,
        items=items,
        item=named,
        names=queries.names(ctx.session, parsing.MENTION.findall(words)),
    )


def record(
    ctx: Context, owner: str | None, description: str, due: str | None, item: str | None
) -> Outcome:
    """`action add` from the Record as an action form: the same rules, each refusal about
    the field it concerns; `due` is a date as the form's picker gives it (`2027-01-14`),
    `item` an ItemChoice's value."""
    with about_field("description"):
        description = parsing.free_text(description, "action description")
    with about_field("owner"):
        if not owner:
            raise UsageError("Pick the owner.")
        ctx.board_member(owner)
    due_on = None
    if due:
        with about_field("due"):
            due_on = dates.parse_date(due, ctx.today)
            _not_past(ctx, due_on)
    meeting = arising = None
    if item is not None:
        with about_field("item"):
            if not (match := LINK.fullmatch(item)):
                raise UsageError("Pick the agenda item from the list.")
            meeting, arising = _item_named(ctx, match, "action add <@owner> <description>")
    return _added(ctx, owner, description, due_on, meeting, arising)


def _item_left_in(description: str) -> tuple[str, int] | None:
    """`Circulate dates item 1`: the words before an `item <n>` (of the current meeting)
    left at the end of a description, and n; None if it ends otherwise."""
    typed = ITEM.search(" " + description)
    if typed is None or typed["meeting"]:
        return None
    return description[: max(typed.start() - 1, 0)].strip(), parsing.item_number(typed["item"])


def _item_in_the_description(ctx: Context, action: Action) -> list[Line]:
    """`… item 1 by 7/1/2027`: the item, put before the date, was read as words. Whether
    it was meant as the link only the typist knows: how to make it is said."""
    if (left := _item_left_in(action.description)) is None:
        return []
    position = left[1]
    current = queries.current_meeting(ctx.session, action.board_id, ctx.now, held_since(ctx))
    if current is None or queries.agenda_item(ctx.session, current.id, position) is None:
        return []
    link = f"{ctx.command} action link A{action.number} item {position}"
    link = link if ctx.is_officer else f"an officer can link it with {link}"
    return [line(f"Not linked to an agenda item (item comes last, after the date): {link}.")]


def _item_named(ctx: Context, match: re.Match[str], typed: str) -> tuple[Meeting, AgendaItem]:
    """The agenda item `item [<M#>] <item#>` names, of the current meeting or one held
    earlier; `typed` is the command as it would name an earlier meeting's."""
    position = parsing.item_number(match["item"])
    return proceedings.referred_item(
        ctx,
        match["meeting"],
        position,
        done="link actions to its items",
        naming=lambda number: f"{ctx.command} {typed} item {number} {position}",
    )


def action_link(ctx: Context, args: str) -> Outcome:
    """`<A#> [to] item [<M#>] <item#>`: say which agenda item an action arose from, for
    one recorded without it (the item typed before its date, say); of the current
    meeting or, named, of one held earlier."""
    number_text, rest = parsing.split_first(args)
    action = find_action(ctx, number_text)
    _require_open(ctx, action)
    if not (match := LINK.fullmatch(rest.strip())):
        raise UsageError("Give the agenda item, e.g. action link A3 item 2 (or item M1 2).")
    meeting, item = _item_named(ctx, match, f"action link A{action.number}")
    linked = f"M{meeting.number} item {item.position}"
    if action.item_id == item.id:
        raise Unchanged(describe.action_ref(action), f" already arises from {linked}.")
    # The trail says which item, before and after, in words: the ids say nothing to a reader.
    was = (queries.item_ref(ctx.session, action.item_id) if action.item_id else None) or "no item"
    action.meeting_id, action.item_id = meeting.id, item.id
    ctx.audit("action.link", f"A{action.number}", {"arising from": was}, {"arising from": linked})
    # `Circulate dates item 1`, linked to item 1: the words were the link, typed early.
    left = _item_left_in(action.description)
    reworded = left is not None and bool(left[0]) and left[1] == item.position
    if left is not None and reworded:
        ctx.change(action, "action.edit", f"A{action.number}", description=left[0])
    return Outcome(
        reply=Message.of(
            line(
                describe.action_ref(action),
                " now arises from ",
                Strong(f"agenda item {item.position}"),
                f" ({item.title}) of ",
                Strong(f"M{meeting.number}"),
                ": the minutes show it under that item.",
            ),
            *([line("Its description now reads: ", action.description)] if reworded else []),
            footnote=after_publication(ctx, meeting),
        )
    )


def _no_due_date(ctx: Context, action: Action) -> Line:
    """Said so that it is set: an action with no date is never chased. A date said in the
    description some other way (`due 7/1/2027`) is offered."""
    said = SAID_DUE.search(action.description)
    day = said["day"] if said and dates.date_or_none(said["day"], ctx.today) else None
    sets = f"{ctx.command} action due A{action.number} {day or '<date>'}"
    one = "it" if day else "one"
    sets = f"{sets} sets {one}" if ctx.is_officer else f"an officer can set {one} with {sets}"
    if day:
        return line(f"No due date, so no reminders: if it is due {day}, {sets}.")
    return line(f"No due date, so no reminders: {sets}.")


def _due_date(ctx: Context, text: str) -> tuple[date | None, str]:
    """Split off the due date: the last ` by ` followed by something date-like, even
    with a ` by ` after it (`by 14 Jan by area` is a date that cannot be read, not a
    description that says "by 14 Jan")."""
    found = [by for by in BY.finditer(text) if _looks_like_due(text[by.end() :])]
    if not found:
        return None, text
    last = found[-1]
    if stray := STRAY_ITEM.search(text, last.end()):
        parsing.item_number(stray["item"])  # always refuses: ITEM would have taken a number
    typed = text[last.end() :]
    if last["open"]:
        typed = re.sub(r"\)[.,;]?\s*$", "", typed)
    try:
        due_on = _due_day(ctx, typed)
    except (UsageError, NotFound) as error:  # `Signs by M6`: a road, perhaps
        raise UsageError(
            *error.message,
            " If “by …” belongs to the description, end with the due date "
            "(… by 14/1/2027) or leave it out.",
        ) from error
    _not_past(ctx, due_on)
    # `Collate figures by ward, by 14/1/2027`: the comma went with the date.
    return due_on, text[: last.start()].rstrip(" ,;")


# `by the next meeting`; where the date is all there is (`action due A3 M2`), `M2` too: at
# the end of a description `by M1` is as likely the motorway.
NEXT_MEETING = re.compile(r"^\s*(?:the\s+)?next\s+(?:board\s+)?meeting[.,;]?\s*$", re.I)
MEETING_DUE = re.compile(r"^\s*(?:the\s+)?(?P<meeting>M\d{1,9})[.,;]?\s*$", re.I)


def _looks_like_due(text: str) -> bool:
    return dates.looks_like_date(text) or bool(NEXT_MEETING.match(text))


def _due_day(ctx: Context, text: str, *, numbered: bool = False) -> date:
    """A due date as typed: a date, or the day of the next meeting (or, if `numbered`, of
    M#; `by` before either, as in `action due A3 by the next meeting`)."""
    text = re.sub(r"^\s*by\s+", "", text, flags=re.I) if numbered else text
    if numbered and (match := MEETING_DUE.match(text)):
        return ctx.day_of(not_cancelled(find_meeting(ctx, match["meeting"])).starts_at)
    if not NEXT_MEETING.match(text):
        try:
            return dates.parse_date(text, ctx.today)
        except UsageError:
            if day := _day_before_a_time(ctx, text):
                raise UsageError(
                    f"A due date is a day, without a time: {day}, not “{text}”."
                ) from None
            raise
    upcoming = queries.next_meeting(ctx.session, ctx.the_board().id, ctx.now)
    if upcoming is None:
        raise UsageError("No meeting is scheduled: give the due date.")
    return ctx.day_of(upcoming.starts_at)


def _day_before_a_time(ctx: Context, text: str) -> str | None:
    """`Friday` of `Friday 5pm`, `7/1/2027 at 10:00`: a day that reads, with a time after it
    (which a due date has no room for); None if the text is not that."""
    timed = dates.DAY_AT_A_TIME.match(" ".join(text.split()))
    return timed["day"] if timed and dates.date_or_none(timed["day"], ctx.today) else None


# `A3 : …`, `A3 - …` (not `:warning:`, Slack's emoji, nor `-5%`).
LEADING_SEPARATOR = re.compile(r"^\s*(?:[:;,](?!\w)|[-–—](?=\s))\s*")
JOINED = re.compile(r"\s*(?:[,&]|and\b)", re.I)
ANOTHER = re.compile(r"\s*(?:[,&]|and\b)?\s*A\d{1,9}\b", re.I)
ONLY_AN_ACTION = re.compile(r"\s*A\d{1,9}[.,;]?\s*", re.I)


# Which actions `/board actions <word>` lists: their statuses, overdue only, the title.
LISTS: dict[str, tuple[tuple[str, ...], bool, str]] = {
    "open": (("open",), False, "Open actions"),
    "overdue": (("open",), True, "Overdue actions"),
    "all": (("open", "done", "dropped"), False, "All actions"),
    "done": (("done",), False, "Done actions"),
    "dropped": (("dropped",), False, "Dropped actions"),
}


def actions(ctx: Context, args: str) -> Outcome:
    """`[mine | <@user> | overdue | all]` (also `open`, `done`, `dropped`), at most one
    owner and one list (`actions @gill overdue`): open actions unless `all`."""
    board = ctx.the_board()
    named = parsing.MENTION.findall(args)
    typed = [w for w in parsing.LIST_GLUE.split(parsing.MENTION.sub(" ", args)) if w]
    for word in typed:
        if word.startswith("@"):
            parsing.mention(word, "owner")  # says how to name someone
        if word.lower() not in {*LISTS, "mine", "me", "for", "of"}:  # `actions for @paul`
            raise UnknownWord(
                f"I don't know “{word}” here. Give an owner (@gill or mine), a list "
                f"({', '.join(LISTS)}), or one of each (@gill overdue)."
            )
    words = [word.lower() for word in typed]
    lists = [word for word in words if word in LISTS]
    mine = [word for word in words if word in {"mine", "me"}]
    if len(set(lists)) > 1 or len(named) + len(mine) > 1:
        raise UsageError(f"Give at most one owner and one of {describe.in_words(list(LISTS))}.")
    statuses, overdue_only, title = LISTS[lists[0] if lists else "open"]
    whose = named[0] if named else ctx.caller if mine else None
    if mine:
        title = "All your actions" if lists == ["all"] else f"Your {title.lower()}"
    elif whose:
        name = queries.names(ctx.session, {whose}).get(whose)
        title = f"{title} of {name}" if name else f"{title} of one owner"
    found = queries.actions(
        ctx.session,
        board.id,
        owner_id=whose,
        statuses=statuses,
        due_before=ctx.today if overdue_only else None,
    )
    if not found and named:
        ctx.board_member(named[0], suggest_adding=False)  # off the board, owning nothing
    if not found:
        return Outcome(reply=Message.of(line(f"{title}: none."), title=board.name))
    lines = tuple(
        describe.action_line(a, ctx.today, show_status=len(statuses) > 1, show_owner=not mine)
        for a in found
    )
    return Outcome(reply=Message(title=f"{title} ({len(found)})", sections=(Section(lines),)))


def action_update(ctx: Context, args: str) -> Outcome:
    """`<A#> [red | amber | green] <text>`: post an update on an action."""
    action, rag, text = _action_and_words(
        ctx,
        args,
        another="An update goes on one action: post it on each, e.g. update A4 …",
        wordless="Say what has happened after {rag}, e.g. update A3 {rag} DPIA signed.",
    )
    update = post_update(ctx, action, text, rag)
    return Outcome(
        reply=Message.of(
            line(
                "Update posted on ",
                describe.action_ref(action),
                " (",
                action.description,
                ")",
                _rag_standing(action, update),
                ":",
            ),
            describe.update_line(update, ctx.zone),
        )
    )


def _rag_standing(action: Action, update: ActionUpdate) -> str | None:
    """An update with no RAG status leaves the last one given standing, which the summary
    and the minutes show: said."""
    if update.rag:
        return None
    standing = describe.current_rag(earlier.rag for earlier in action.updates)
    return f"; it stays {describe.RAG_LABELS[standing]}, as last given" if standing else None


def _action_and_words(
    ctx: Context, args: str, *, another: str, wordless: str
) -> tuple[Action, str | None, str]:
    """`<A#> [<RAG>] <text>`: the action, and the RAG status and words said of it; refused
    (`another`) when the words start by naming a second action, or (`wordless`, given
    the `{rag}`) when a status has no words."""
    number_text, text = parsing.split_first(args)
    action = find_action(ctx, number_text)
    if _names_another_action(number_text, text):
        raise UsageError(another)
    rag, text = leading_rag(text)
    if rag and not text.strip():
        raise UsageError(wordless.format(rag=rag))
    return action, rag, text


def _names_another_action(number_text: str, text: str) -> bool:
    """`A4, A5 …`, `A4 and A5 …`, `A4 A5`: another action joined to the first. (`A4 A45
    closures confirmed` is a road, as `A4 A3 leaflets printed` is a paper size.)"""
    joined = number_text.rstrip().endswith((",", "&")) or JOINED.match(text)
    return bool(joined and ANOTHER.match(text)) or bool(ONLY_AN_ACTION.fullmatch(text))


def leading_rag(text: str) -> tuple[str | None, str]:
    """An update's RAG status, if its text starts with one, and the rest of the text
    (without a separator typed after the A#: `A3: …`, `A3 - …`)."""
    if match := RAG.match(text.strip()):
        return match["rag"].lower(), text.strip()[match.end() :]
    return None, LEADING_SEPARATOR.sub("", text)


def require_updatable(ctx: Context, action: Action) -> None:
    """Refuse unless the caller may post an update on `action` now."""
    ctx.require_owner_or_officer(action.owner_id, "post updates on it")
    _require_open(ctx, action)


def post_update(ctx: Context, action: Action, text: str, rag: str | None) -> ActionUpdate:
    """Add an update to an action's history (the slash command and the DM modal share this).
    The text is read first: one typed incomplete is answered with the usage, whoever typed it."""
    body = parsing.free_text(text, "update")
    require_updatable(ctx, action)
    update = ActionUpdate(
        action_id=action.id, author_id=ctx.caller, rag=rag, text=body, created_at=ctx.now
    )
    action.updates.append(update)
    ctx.session.flush()
    ctx.audit("action.update", f"A{action.number}", None, snapshot(update))
    return update


def action_done(ctx: Context, args: str) -> Outcome:
    """`<A#> [<update>]`: mark an action done (its owner or an officer), with a last update
    saying how if given; or `<A#> <A#> …` (`A3-A6`): several, all or none."""
    words = [word for word in parsing.LIST_GLUE.split(ACTION_RANGE.sub(_each, args)) if word]
    if len(words) > 1 and all(parsing.ACTION_NUMBER.match(word) for word in words):
        return _all_done(ctx, words)
    action, rag, text = _action_and_words(
        ctx,
        args,
        another="To close several, list only their numbers, e.g. done A3, A5.",
        wordless="Say how it was done after {rag}, e.g. done A3 {rag} Circulated.",
    )
    update = post_update(ctx, action, text, rag) if text.strip() else None
    mark_done(ctx, action)
    return Outcome(
        reply=Message.of(
            line("Marked ", describe.action_ref(action), " done: ", action.description),
            *([describe.update_line(update, ctx.zone)] if update else []),
        )
    )


# `A3-A6`, `A3–6`, `A3 - A6` (not `A3 - 5 retailers`): each action from the first to the last.
ACTION_RANGE = re.compile(r"\bA(\d{1,9})(?:[-–]A?|\s*[-–]\s*A)(\d{1,9})\b", re.I)
MAX_RANGE = 50


def _each(match: re.Match[str]) -> str:
    first, last = int(match[1]), int(match[2])
    if not 0 < last - first < MAX_RANGE:
        return match[0]
    return " ".join(f"A{number}" for number in range(first, last + 1))


def _all_done(ctx: Context, numbers: list[str]) -> Outcome:
    # Locked in one order, so two people closing the same actions cannot wait on each other.
    wanted = sorted({parsing.action_number(word) for word in numbers})
    closed = [find_action(ctx, f"A{number}") for number in wanted]
    for action in closed:
        mark_done(ctx, action)
    return Outcome(
        reply=Message.of(
            *(line("Marked ", describe.action_ref(a), " done: ", a.description) for a in closed)
        )
    )


def action_reopen(ctx: Context, args: str) -> Outcome:
    """Undo a done (its owner or an officer) or a drop (an officer): marked in error."""
    action = find_action(ctx, args)
    if action.status == "open":
        raise Unchanged(describe.action_ref(action), " is open already.")
    if action.status == "dropped":
        ctx.require_officer("reopen a dropped action")
    ctx.require_owner_or_officer(action.owner_id, "reopen it")
    was = action.status
    ctx.change(action, "action.reopen", f"A{action.number}", status="open", closed_at=None)
    owner_left = queries.membership(ctx.session, action.board_id, action.owner_id) is None
    return Outcome(
        reply=Message.of(
            line("Reopened ", describe.action_ref(action), f" (was {was}): ", action.description),
            *(
                [
                    line(
                        Mention(action.owner_id),
                        " is no longer on the board: give it to someone who is with "
                        f"{ctx.command} action reassign A{action.number} @name.",
                    )
                ]
                if owner_left
                else []
            ),
        )
    )


def mark_done(ctx: Context, action: Action) -> None:
    """Close an action (the slash command and the DM button share this)."""
    ctx.require_owner_or_officer(action.owner_id, "mark it done")
    _require_open(ctx, action)
    ctx.change(action, "action.done", f"A{action.number}", status="done", closed_at=ctx.now)


def action_drop(ctx: Context, args: str) -> Outcome:
    """`<A#> [<reason>]`: drop an open action that is no longer needed; the reason, if
    given, is its last update (as `action done`'s), so the minutes say why."""
    action, rag, reason = _action_and_words(
        ctx,
        args,
        another="Drop one action at a time, giving why after its number if you like.",
        wordless="Say why after {rag}, e.g. drop A3 {rag} Superseded by the county plan.",
    )
    _require_open(ctx, action)
    update = post_update(ctx, action, reason, rag) if reason.strip() else None
    ctx.change(action, "action.drop", f"A{action.number}", status="dropped", closed_at=ctx.now)
    return Outcome(
        reply=Message.of(
            line("Dropped ", describe.action_ref(action), ": ", action.description),
            *([describe.update_line(update, ctx.zone)] if update else []),
        )
    )


def action_due(ctx: Context, args: str) -> Outcome:
    """`<A#> <date>`: change an open action's due date, to today or later; `none` takes
    it away (an ongoing action, say)."""
    number_text, date_text = parsing.split_first(args)
    action = find_action(ctx, number_text)
    _require_open(ctx, action)
    if date_text.strip().lower().rstrip(".") == "none":
        if action.due_on is None:
            raise Unchanged(describe.action_ref(action), " has no due date.")
        ctx.change(action, audit.ACTION_DUE, f"A{action.number}", due_on=None)
        return Outcome(
            reply=Message.of(
                line(describe.action_ref(action), " now has no due date, so no reminders.")
            )
        )
    due_on = _due_day(ctx, date_text, numbered=True)
    _not_past(ctx, due_on)
    if due_on == action.due_on:
        raise Unchanged(describe.action_ref(action), f" is already due {dates.say_date(due_on)}.")
    ctx.change(action, audit.ACTION_DUE, f"A{action.number}", due_on=due_on)
    return Outcome(
        reply=Message.of(
            line(describe.action_ref(action), " is now due ", dates.say_date(due_on), ".")
        )
    )


def action_edit(ctx: Context, args: str) -> Outcome:
    """`<A#> <description>`: put right an open action's description (a typo, a clearer
    wording); its owner, due date and history stay."""
    number_text, text = parsing.split_first(args)
    action = find_action(ctx, number_text)
    _require_open(ctx, action)
    description = parsing.free_text(text, "new description")
    if description == action.description:
        raise Unchanged(describe.action_ref(action), " already reads so.")
    ctx.change(action, "action.edit", f"A{action.number}", description=description)
    meeting = queries.meeting_of(ctx.session, action)
    return Outcome(
        reply=Message.of(
            line("Reworded ", describe.action_ref(action), ": ", description),
            footnote=after_publication(ctx, meeting) if meeting else None,
        )
    )


# `… @paul by 31/3/2027`: the new owner's due date.
REASSIGN_DUE = re.compile(r"^by(?:\s+(?P<date>.*))?$", re.I | re.S)


def action_reassign(ctx: Context, args: str) -> Outcome:
    """`<A#> <@user> [by <date>]`: give an open action to another member of the board,
    with a new due date if the new owner needs one."""
    number_text, rest = parsing.split_first(args)
    action = find_action(ctx, number_text)
    _require_open(ctx, action)
    rest = re.sub(r"^\s*to\s+(?=<@)", "", rest, flags=re.I)  # `reassign A3 to @paul`
    who, after = parsing.split_first(rest)
    due = REASSIGN_DUE.match(after)
    owner = parsing.mention(who if due else rest, "new owner")  # says what else follows
    due_on = _due_day(ctx, due["date"] or "", numbered=True) if due else None
    if due_on:
        _not_past(ctx, due_on)
    ctx.board_member(owner)
    previous = action.owner_id
    if owner == previous:
        hint = f" To change its due date: {ctx.command} action due A{action.number} <date>."
        raise Unchanged(
            describe.action_ref(action), " is already ", Mention(owner), "'s.", hint if due else ""
        )
    new_due = {"due_on": due_on} if due_on else {}
    ctx.change(action, audit.ACTION_REASSIGN, f"A{action.number}", owner_id=owner, **new_due)
    told = [Notice(owner, _given_to_you(ctx, action))]
    # Not someone who has left the board: reassigning their actions is the way to tidy up.
    if queries.membership(ctx.session, action.board_id, previous) is not None:
        told.append(Notice(previous, _taken(ctx, action)))
    return Outcome(
        notices=tuple(notice for notice in told if notice.recipient != ctx.caller),
        reply=Message.of(
            line(
                describe.action_ref(action),
                " reassigned from ",
                Mention(previous),
                " to ",
                Mention(owner),
                f", now due {dates.say_date(due_on)}" if due_on else None,
                ".",
            ),
            *_given_overdue(ctx, action),
        ),
    )


def _given_overdue(ctx: Context, action: Action) -> list[Line]:
    """An action given away past its due date: its new owner's DM shows it overdue, so
    no overdue notice follows; the reply asks for a new date."""
    if action.due_on is None or not describe.is_overdue(action, ctx.today):
        return []
    reminders.told_overdue(ctx, action)
    return [
        line(
            f"It is overdue: it was due {dates.say_date(action.due_on)}. To give ",
            Mention(action.owner_id),
            f" a new date: {ctx.command} action due A{action.number} <date>.",
        )
    ]


def _given_to_you(ctx: Context, action: Action) -> Message:
    """The DM to an action's new owner, who was not there when it was agreed, perhaps: as
    the reminders' DMs are, with its buttons."""
    intro = line(Mention(ctx.caller), " has given you this action.")
    return reminders.owner_message(
        ctx.the_board(), f"A{action.number} is yours now", intro, [action], ctx.today
    )


def _not_past(ctx: Context, due_on: date) -> None:
    if due_on < ctx.today:
        raise UsageError(f"The due date, {dates.say_date(due_on)}, is in the past.")


def _taken(ctx: Context, action: Action) -> Message:
    """The DM to the owner an action was taken from: it is off their list now."""
    given = line(
        Mention(ctx.caller),
        " has given ",
        describe.action_ref(action),
        " (",
        action.description,
        ") to ",
        Mention(action.owner_id),
        ", so it is off your list.",
    )
    return Message(title=f"Your actions on {ctx.the_board().name}", sections=(Section((given,)),))


def find_action(ctx: Context, number_text: str, *, to_change: bool = True) -> Action:
    """The action `A#` on the board, held until the command ends if it is `to_change`;
    UsageError if the text is not an A#, NotFound if there is no such action."""
    number = parsing.action_number(number_text.strip())
    action = queries.action_numbered(ctx.session, ctx.the_board().id, number, to_change=to_change)
    if action is None:
        raise NotFound(f"There is no action A{number} on this board.")
    return action


def _require_open(ctx: Context, action: Action) -> None:
    if action.status == "open":
        return
    # As action_reopen allows: a dropped action is reopened by an officer only.
    reopen = f"{ctx.command} action reopen A{action.number}"
    if action.status == "dropped" and not ctx.is_officer:
        reopen = "an officer can reopen it"
    raise UsageError(
        describe.action_ref(action),
        f" is {action.status}; it can't be changed. If it was closed in error: {reopen}",
    )
