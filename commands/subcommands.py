"""The one table of `/board` subcommands: it drives parsing, help and dispatch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from commands import (
    actions,
    agenda,
    boards,
    calendar_feed,
    describe,
    history,
    meetings,
    minutes,
    parsing,
    proceedings,
    reminders,
    summary,
)
from commands.context import Context, Invocation
from commands.replies import Code, Line, Message, Outcome, Section, line


class Access(Enum):
    """Who may run a subcommand (SPEC §1)."""

    ANYONE = "anyone"  # no board needed: help, setup
    READ = "read"  # the channel's board, read by anyone who can see the channel
    MEMBER = "member"  # members of the board (owner checks happen in the handler)
    OFFICER = "officer"  # chair, vice-chair, secretary


Handler = Callable[[Context, str], Outcome]
# Whom a subcommand will look up in the chat service, from what was typed: done before its
# transaction opens (commands/dispatch.py).
LooksUp = Callable[[Invocation, str], tuple[str, ...]]


def _caller(invocation: Invocation, _args: str) -> tuple[str, ...]:
    return (invocation.user_id,)


def _one_mentioned(invocation: Invocation, args: str) -> tuple[str, ...]:
    named = set(parsing.MENTION.findall(args))
    return tuple(named) if len(named) == 1 and not named & invocation.typed_mentions else ()


@dataclass(frozen=True)
class Subcommand:
    """One row of the table: a subcommand's words, usage arguments, help summary, who may run
    it, and its handler."""

    words: tuple[str, ...]
    arguments: str
    summary: str
    access: Access
    run: Handler
    examples: tuple[str, ...] = ()
    looks_up: LooksUp | None = None
    # What an alias says without its words (`my actions` is `actions mine`); shown with the
    # usage of the command it stands for.
    implied: str = ""
    stands_for: str = ""

    @property
    def name(self) -> str:
        return " ".join(self.words)

    @property
    def topic(self) -> str:
        return self.words[0].removesuffix("s")

    def usage(self, command: str) -> str:
        name = self.stands_for or self.name
        return f"{command} {name}{' ' + self.arguments if self.arguments else ''}"


def help_(ctx: Context, args: str) -> Outcome:
    """All usages grouped by topic, or one topic in full with examples."""
    command = ctx.command
    asked = args.strip().lower().removeprefix(command + " ")
    topic = asked.removesuffix("s")
    alias = next((s for s in TABLE if s.name == asked and s not in LISTED), None)
    chosen = [
        s
        for s in LISTED
        if s.topic == topic or s.name == asked or (alias is not None and s.run is alias.run)
    ]
    if topic in {"date", "time"}:
        return Outcome(reply=DATES_HELP)
    if topic in {"role", "permission", "officer"}:
        return Outcome(reply=_roles_help(command))
    if topic and chosen:
        lines = []
        for sub in chosen:
            lines.append(line(Code(sub.usage(command)), f" — {sub.summary}"))
            lines += [line("    e.g. ", Code(f"{command} {example}")) for example in sub.examples]
        return Outcome(
            reply=Message(
                title=f"Help: {asked}",
                sections=(Section(tuple(lines)),),
                footnote=FROM_A_MESSAGE.get(topic),
            )
        )
    sections = []
    if topic:
        unknown = line(f"I have no help on “{args.strip()}”; these are all the commands.")
        sections.append(Section((unknown,)))
    elif ctx.member is not None and not ctx.is_officer:  # the few a partner needs, first
        most_used = (s for name in MOST_USED for s in LISTED if s.name == name)
        sections.append(
            Section(
                tuple(line(Code(s.usage(command)), f" — {s.summary}") for s in most_used),
                heading="What members use most",
            )
        )
    by_topic: dict[str, list[Line]] = {}
    for sub in LISTED:
        by_topic.setdefault(TOPIC_TITLES[sub.words[0]], []).append(
            line(Code(sub.usage(command)), f" — {sub.summary}")
        )
    by_topic["Examples"] = [
        line(Code(f"{command} {sub.examples[0]}")) for sub in LISTED if sub.name in EXAMPLES
    ]
    sections += [Section(tuple(lines), heading=title) for title, lines in by_topic.items()]
    return Outcome(
        reply=Message(
            title="Board Bot commands",
            sections=tuple(sections),
            footnote="<…> is yours to fill in; […] may be left out. Members may read "
            "everything, add agenda items and actions, and update or close their own; the "
            "chair, vice-chair and secretary may do everything. Dates are day first "
            f"(14/1/2027), or words like next Thursday: {command} help dates. {command} help "
            f"<topic> shows examples, e.g. {command} help action.",
        )
    )


# What a message's shortcuts do, said under the topics they belong to.
FROM_A_MESSAGE = {
    "action": "Or make a message in the board's channel an action, without retyping it: in "
    "the message's menu (More actions), Record as an action.",
    "agenda": "Or propose a message in the board's channel as an item, without retyping it: "
    "in the message's menu (More actions), Add to the agenda.",
}
MOST_USED = ("actions", "action update", "action done", "agenda", "agenda add")
DATES_HELP = Message(
    title="Help: dates and times",
    sections=(
        Section(
            (
                line("Day first: ", Code("7/1/2027"), ", ", Code("07.01.27"), ", ",
                     Code("14 Jan 2027"), ", ", Code("Thursday 14th January"), ", ",
                     Code("2027-01-14"), "."),
                line("In words: ", Code("today"), ", ", Code("tomorrow"), ", ",
                     Code("next Thursday"), ", ", Code("in 2 weeks"), ", ", Code("in 10 days"),
                     ", ", Code("end of January"), ", ", Code("end of the quarter"), ", ",
                     Code("end of next week"), ", ", Code("w/c 19 April"), "."),
                line("Times: ", Code("10:00"), ", ", Code("10.00"), ", ", Code("10am"), ", ",
                     Code("2.30pm"), ", ", Code("14:30"), ", ", Code("noon"), "."),
                line("How long a meeting lasts: ", Code("for 2h"), ", ", Code("for 90m"), ", ",
                     Code("for 1h30"), "."),
                line("Or when it starts and ends: ", Code("10:00 to 12:00"), ", ",
                     Code("10am-12.30pm"), "."),
                line("An action's due date may be a meeting's day: ",
                     Code("by the next meeting"), ", ", Code("action due A3 M2"), "."),
            ),
        ),
    ),
    footnote="Every date I store is said back in words. One I can't read, or one that "
    "could mean two days, is refused, never guessed.",
)  # fmt: skip


def _roles_help(command: str) -> Message:
    """Who may run what, read off the table (SPEC §1)."""

    def allowed(access: Access) -> Line:
        return describe.listed(
            [(Code(f"{command} {s.name}"),) for s in LISTED if s.access is access]
        )

    return Message(
        title="Help: roles",
        sections=(
            Section((allowed(Access.READ),), heading="Anyone who can see the board's channel"),
            Section(
                (
                    allowed(Access.MEMBER),
                    line(
                        "A member updates and closes only their own actions, and reopens only "
                        "their own done ones (a dropped action, only an officer)."
                    ),
                    line(
                        "A member adds agenda items to meetings ahead, and to the current one "
                        "until its minutes are published."
                    ),
                ),
                heading="Members: that, and",
            ),
            Section(
                (allowed(Access.OFFICER),),
                heading="Officers (the chair, vice-chair and secretary): all of that, and",
            ),
        ),
        footnote=f"Anyone may ask for help, or set up a board in a channel that has none, "
        f"becoming its chair. A role is given as a member is added: {command} member add "
        "@lara vice-chair.",
    )


# The full help's examples, the first of each of these: a board's first quarter.
EXAMPLES = ("setup", "member add", "meeting add", "agenda add", "action add", "action update")
# Help's headings, by each subcommand's first word.
TOPIC_TITLES = {
    "help": "Board",
    "setup": "Board",
    "member": "Members",
    "members": "Members",
    "meeting": "Meetings",
    "meetings": "Meetings",
    "agenda": "Agenda",
    "action": "Actions",
    "actions": "Actions",
    "present": "At the meeting",
    "apologies": "At the meeting",
    "absent": "At the meeting",
    "note": "At the meeting",
    "decision": "At the meeting",
    "minutes": "Minutes and summary",
    "summary": "Minutes and summary",
    "history": "Minutes and summary",
    "calendar": "Calendar and reminders",
    "reminders": "Calendar and reminders",
}

ANYONE, READ, MEMBER, OFFICER = Access.ANYONE, Access.READ, Access.MEMBER, Access.OFFICER

# What help shows, in its order.
LISTED: tuple[Subcommand, ...] = (
    Subcommand(("help",), "[<topic>]", "usage, with examples", ANYONE, help_, ("help action",)),
    Subcommand(
        ("setup",),
        "<board name> [parent <board>]",
        "bind this channel to a new board (a sub-group names its parent); you become its chair",
        ANYONE,
        boards.setup,
        ("setup Wellingborough CSP Board", "setup SSNP parent Wellingborough CSP Board"),
        looks_up=_caller,
    ),
    Subcommand(
        ("member", "add"),
        "<@user> [<role>] [org <organisation>]",
        "add a member (roles: chair, vice-chair, secretary, member)",
        OFFICER,
        boards.member_add,
        ("member add @lara vice-chair org Northamptonshire Police",),
        looks_up=_one_mentioned,
    ),
    Subcommand(
        ("member", "remove"),
        "<@user>",
        "remove a member",
        OFFICER,
        boards.member_remove,
        ("member remove @lara",),
    ),
    Subcommand(("members",), "", "who is on the board", READ, boards.members),
    Subcommand(
        ("meeting", "add"),
        "<date> <time> [for <duration>] [at <location>] [quarterly [<count>]] [: <title>]",
        "schedule a meeting, or a quarterly series",
        OFFICER,
        meetings.meeting_add,
        (
            "meeting add 14/01/2027 10:00 for 2h at Swanspool House quarterly 4 : CSP Board",
            "meeting add next Thursday 2.30pm at Council Chamber",
        ),
    ),
    Subcommand(
        ("meetings",),
        "[all]",
        "upcoming meetings (all: those held and cancelled too)",
        READ,
        meetings.meetings,
        ("meetings", "meetings all"),
    ),
    Subcommand(
        ("meeting", "next"), "", "the next meeting and its agenda", READ, meetings.meeting_next
    ),
    Subcommand(
        ("meeting", "move"),
        "<M#> <date> <time>",
        "move a meeting, or correct the time of one just held",
        OFFICER,
        meetings.meeting_move,
        ("meeting move M2 21/04/2027 14:00",),
    ),
    Subcommand(
        ("meeting", "edit"),
        "<M#> [for <duration>] [at <location>] [: <title>]",
        "change a meeting's length, place or title",
        OFFICER,
        meetings.meeting_edit,
        ("meeting edit M2 at Council Chamber, Swanspool House", "meeting edit M2 for 90m"),
    ),
    Subcommand(
        ("meeting", "cancel"),
        "<M#> [<M#> …]",
        "cancel a meeting (or several: M5 M6, M5-M8)",
        OFFICER,
        meetings.meeting_cancel,
        ("meeting cancel M3",),
    ),
    Subcommand(
        ("agenda",),
        "[<M#>]",
        "agenda of the next meeting (or of M#)",
        READ,
        agenda.agenda,
        ("agenda", "agenda M2"),
    ),
    Subcommand(
        ("agenda", "add"),
        "<title> [<@presenter>] [<minutes>m] [to <M#>]",
        "add an agenda item",
        MEMBER,
        agenda.agenda_add,
        ("agenda add Drugs, supply and violent crime update @paul 20m",),
    ),
    Subcommand(
        ("agenda", "remove"),
        "<item#> [<M#>]",
        "remove an agenda item",
        OFFICER,
        agenda.agenda_remove,
        ("agenda remove 2",),
    ),
    Subcommand(
        ("agenda", "move"),
        "<item#> [to] <position> [<M#>]",
        "put an agenda item elsewhere on the agenda",
        OFFICER,
        agenda.agenda_move,
        ("agenda move 6 to 1",),
    ),
    Subcommand(
        ("agenda", "rename"),
        "[<M#>] <item#> [<title>] [<@presenter>]",
        "put right an agenda item's title, or who presents it",
        OFFICER,
        agenda.agenda_rename,
        ("agenda rename 2 SSNP annual report", "agenda rename M2 2 @sam"),
    ),
    Subcommand(
        ("action", "add"),
        "<@owner> <description> [by <date>] [item <item#>]",
        "record an action",
        MEMBER,
        actions.action_add,
        ("action add @gill Circulate the SSNP strategy to partners by 7/1/2027",),
    ),
    Subcommand(
        ("actions",),
        "[mine | <@user> | overdue | all]",
        "list open actions",
        READ,
        actions.actions,
        ("actions mine", "actions overdue"),
    ),
    Subcommand(
        ("action", "update"),
        "<A#> [red | amber | green] <text>",
        "post an update on an action",
        MEMBER,
        actions.action_update,
        ("action update A3 amber Draft circulated; comments due Friday",),
    ),
    Subcommand(
        ("action", "done"),
        "<A#> [<update>]",
        "mark an action done (with a last update, if given)",
        MEMBER,
        actions.action_done,
        ("action done A3", "action done A3 Strategy circulated to all partners"),
    ),
    Subcommand(
        ("action", "due"),
        "<A#> <date>",
        "change an action's due date (none takes it away)",
        OFFICER,
        actions.action_due,
        ("action due A3 31/1/2027", "action due A3 none"),
    ),
    Subcommand(
        ("action", "reassign"),
        "<A#> <@user> [by <date>]",
        "give an action to someone else (and a new due date)",
        OFFICER,
        actions.action_reassign,
        ("action reassign A3 @paul", "action reassign A3 @paul by 31/3/2027"),
    ),
    Subcommand(
        ("action", "edit"),
        "<A#> <description>",
        "put right an action's description",
        OFFICER,
        actions.action_edit,
        ("action edit A3 Circulate the SSNP strategy to all partners",),
    ),
    Subcommand(
        ("action", "link"),
        "<A#> item <item#>",
        "say which agenda item an action arose from (of the current meeting, or item M1 2)",
        OFFICER,
        actions.action_link,
        ("action link A3 item 2", "action link A3 item M1 2"),
    ),
    Subcommand(
        ("action", "drop"),
        "<A#> [<reason>]",
        "drop an action that is no longer needed (with why, if given)",
        OFFICER,
        actions.action_drop,
        ("action drop A3", "action drop A3 Superseded by the county licensing review"),
    ),
    Subcommand(
        ("action", "reopen"),
        "<A#>",
        "reopen an action marked done or dropped in error",
        MEMBER,
        actions.action_reopen,
        ("action reopen A3",),
    ),
    Subcommand(
        ("present",),
        "<@user> [<@user> …] [to <M#>]",
        "attendance at the current meeting (or at one named: … to M2, on its day)",
        OFFICER,
        proceedings.present,
        ("present @gill @paul @lara",),
    ),
    Subcommand(
        ("apologies",),
        "<@user> [<@user> …] [to <M#>]",
        "apologies for the current meeting (or, sent ahead, for one named: … to M2)",
        OFFICER,
        proceedings.apologies,
        ("apologies @sam", "apologies @lara to M2"),
    ),
    Subcommand(
        ("absent",),
        "<@user> [<@user> …] [to <M#>]",
        "take back presence or apologies recorded in error (at the current meeting, or … to M2)",
        OFFICER,
        proceedings.absent,
        ("absent @sam",),
    ),
    Subcommand(
        ("note",),
        "<item#> <text>",
        "a minute note against an agenda item (of the current meeting, or of one held "
        "earlier: note M2 3 …)",
        OFFICER,
        proceedings.note,
        ("note 2 Knife crime down 12% on last quarter",),
    ),
    Subcommand(
        ("decision",),
        "<item#> <text>",
        "a resolution against an agenda item (of the current meeting, or of one held "
        "earlier: decision M2 1 …)",
        OFFICER,
        proceedings.decision,
        ("decision 1 to note the report",),
    ),
    Subcommand(
        ("note", "remove"),
        "<item#>",
        "take back the last note against an agenda item",
        OFFICER,
        proceedings.note_remove,
        ("note remove 2",),
    ),
    Subcommand(
        ("decision", "remove"),
        "<item#>",
        "take back the last decision against an agenda item",
        OFFICER,
        proceedings.decision_remove,
        ("decision remove 1",),
    ),
    Subcommand(
        ("minutes",),
        "[<M#>]",
        "draft minutes of the current or last meeting, or of M# (only you see them)",
        READ,
        minutes.minutes,
        ("minutes", "minutes M2"),
    ),
    Subcommand(
        ("minutes", "publish"),
        "[<M#>] [version <n>]",
        "post the minutes to the channel with Markdown and Word copies (with a version: "
        "only if that is the version they would be)",
        OFFICER,
        minutes.minutes_publish,
        ("minutes publish", "minutes publish M1"),
    ),
    Subcommand(
        ("summary",),
        "",
        "the chair's action summary: open actions by owner, overdue first (only you see it)",
        READ,
        summary.summary,
        ("summary",),
    ),
    Subcommand(
        ("calendar",),
        "",
        "the board's calendar subscription link and an .ics file",
        READ,
        calendar_feed.calendar,
    ),
    Subcommand(
        ("calendar", "reset"),
        "",
        "a new calendar link; the old one stops working",
        OFFICER,
        calendar_feed.calendar_reset,
    ),
    Subcommand(
        ("history",),
        "<A#|M#>",
        "who changed an action or a meeting, and when",
        READ,
        history.history,
        ("history A3", "history M2"),
    ),
    Subcommand(
        ("reminders",),
        "",
        "show the board's reminder schedule",
        READ,
        reminders.reminders,
    ),
    Subcommand(
        ("reminders", "on"), "", "switch the board's reminders on", OFFICER, reminders.switch_on
    ),
    Subcommand(
        ("reminders", "off"), "", "switch the board's reminders off", OFFICER, reminders.switch_off
    ),
    Subcommand(
        ("reminders", "set"),
        "call|draft|eve <days> | hour <0-23>",
        "change when reminders go out",
        OFFICER,
        reminders.configure,
        ("reminders set draft 10", "reminders set hour 8"),
    ),
)
# Other words for a listed command, which run it exactly; help does not repeat them.
ALIASES = {
    "member list": "members",
    "members list": "members",
    "meeting list": "meetings",
    "meetings list": "meetings",
    "actions list": "actions",
    "action complete": "action done",
    "action close": "action done",
    "member delete": "member remove",
    "meeting delete": "meeting cancel",
    "agenda delete": "agenda remove",
    "note delete": "note remove",
    "decision delete": "decision remove",
    "action delete": "action drop",
    "action cancel": "action drop",
    "action remove": "action drop",
    "action list": "actions",
    "action completed": "action done",
    "action finished": "action done",
    "action closed": "action done",
    "meeting remove": "meeting cancel",
    "agenda cancel": "agenda remove",
    "agenda edit": "agenda rename",
    "action rename": "action edit",
    "done": "action done",
    "update": "action update",
    "my actions": "actions mine",
    "my action": "actions mine",
    "reopen": "action reopen",
    "agenda next": "agenda",
    "action show": "history",
    "action history": "history",
    "meeting history": "history",
    "resolution": "decision",
    "resolved": "decision",
    "resolve": "decision",
}


def _alias(alias: str, meant: str) -> Subcommand:
    """The subcommand `meant` starts with, as typed with the alias's words."""
    sub = max(
        (s for s in LISTED if f"{meant} ".startswith(f"{s.name} ")), key=lambda s: len(s.words)
    )
    implied = meant.removeprefix(sub.name).strip()
    stands_for = sub.name if implied else ""
    return replace(
        sub, words=tuple(alias.split()), examples=(), implied=implied, stands_for=stands_for
    )


TABLE = LISTED + tuple(_alias(alias, meant) for alias, meant in ALIASES.items())


def find(text: str) -> tuple[Subcommand | None, str]:
    """The subcommand whose words start the text (longest match), and the rest. A full
    stop typed after it is no part of it: `summary.`"""
    lowered = [word.lower().rstrip(".!?") for word in text.split()]
    best: Subcommand | None = None
    for sub in TABLE:
        size = len(sub.words)
        if tuple(lowered[:size]) == sub.words and (best is None or size > len(best.words)):
            best = sub
    if best is None:
        return None, text
    rest = text.strip()
    for _ in best.words:
        rest = rest.split(maxsplit=1)[1] if len(rest.split(maxsplit=1)) > 1 else ""
    return best, f"{best.implied} {rest}".strip()


def family(word: str) -> list[Subcommand]:
    """Subcommands starting with this word, for a partial command like `/board action`."""
    return [s for s in LISTED if s.words[0] == word.lower()]
