"""Setting up a board and keeping its membership."""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from commands import describe, parsing
from commands.context import Context, Directory
from commands.errors import NotAllowed, NotFound, Unchanged, UsageError
from commands.replies import Line, Mention, Message, Outcome, Section, Strong, line
from storage import audit, queries
from storage.audit import snapshot
from storage.database import Database
from storage.models import ROLES, Board, Member

ROLE_WORDS = {
    "chair": "chair",
    "vice-chair": "vice-chair",
    "vicechair": "vice-chair",
    "vice chair": "vice-chair",
    "secretary": "secretary",
    "member": "member",
}
ROLE_TITLES = {
    "chair": "Chair",
    "vice-chair": "Vice-chair",
    "secretary": "Secretary",
    "member": "Member",
}
ROLE = r"(?:vice[\s-]?chair|chair|secretary|member)\b"
ROLE_WORD = re.compile(ROLE, re.I)
ORG = r"\borg(?:anisation|anization)?\b"
ORG_WORD = re.compile(ORG, re.I)
MEMBER_ADD = re.compile(
    rf"^(?P<who><@[^>]+>)[\s,;]*(?P<role>{ROLE})?[\s,;]*(?:{ORG}[\s:]+(?P<org>.+))?$", re.I | re.S
)


QUOTED = re.compile(r"[\"“](?P<name>[^\"”]*)[\"”](?:\s+parent\s+(?P<parent>.+))?", re.I)
PARENT = re.compile(r"\s+parent\s+", re.I)


def _name_and_parent(ctx: Context, text: str) -> tuple[str, Board | None]:
    """`<name> [parent <parent board>]`; the name may be quoted, to hold the word parent."""
    if quoted := QUOTED.fullmatch(text):
        name = parsing.title(quoted["name"], "board name")
        if quoted["parent"] is None:
            return name, None
        splits = [(name, quoted["parent"])]
    else:
        splits = [(text[: m.start()], text[m.end() :]) for m in PARENT.finditer(text)]
    splits = [(name, parent.strip().strip('"“”')) for name, parent in splits]
    for name, parent_name in splits:
        match _boards_called(ctx, parent_name):
            case [parent]:
                return name, parent
            case [_, _, *_]:
                raise UsageError(
                    f"More than one board is called {parent_name}: name the parent by its "
                    "channel instead, e.g. parent #csp-board."
                )
    if quoted:
        raise NotFound(f"There is no board called “{splits[0][1]}” to be the parent.")
    if splits:
        raise NotFound(
            f"There is no board called “{splits[-1][1]}” to be the parent. If “parent” is "
            "part of the new board's name, put the name in quotes."
        )
    return text, None


def _boards_called(ctx: Context, name: str) -> list[Board]:
    """The workspace's boards by that name, or the board of a channel named with #
    (`<#C123|csp-board>`, as Slack sends it)."""
    if channel := parsing.CHANNEL.fullmatch(name):
        found = queries.board_for_channel(ctx.session, ctx.invocation.team_id, channel[1])
        return [found] if found else []
    return queries.boards_named(ctx.session, ctx.invocation.team_id, name)


def setup(ctx: Context, args: str) -> Outcome:
    """Bind this channel to a new board; the caller becomes its chair."""
    if ctx.board is not None:
        raise UsageError(f"This channel is already home to {ctx.board.name}.")
    if ctx.invocation.in_direct_message:
        raise UsageError("Set a board up in the channel it will meet in, not a direct message.")
    name, parent = _name_and_parent(ctx, parsing.title(args, "board name"))
    board = Board(
        team_id=ctx.invocation.team_id,
        channel_id=ctx.invocation.channel_id,
        name=name,
        parent_id=parent.id if parent else None,
        timezone=ctx.invocation.default_timezone,
        command=ctx.command,
        created_at=ctx.now,  # the reminder schedule starts at SPEC §5's defaults
    )
    ctx.session.add(board)
    ctx.session.flush()
    chair = Member(board_id=board.id, user_id=ctx.caller, role="chair", organisation=None)
    ctx.session.add(chair)
    ctx.session.flush()
    _remember(ctx, ctx.caller)
    ctx.board, ctx.member = board, chair
    ctx.audit(
        "board.setup", f"board {board.id}", None, {**(snapshot(board) or {}), "chair": ctx.caller}
    )
    cmd = ctx.command
    return Outcome(
        reply=Message.of(
            line(
                "This channel is now home to ",
                Strong(name),
                *((", a sub-group of ", Strong(parent.name)) if parent else ()),
                ". You are its chair.",
            ),
            line(
                f"Next: add members with {cmd} member add @name secretary org Borough Council, "
                f"then schedule a meeting with {cmd} meeting add."
            ),
            title="Board set up",
        ),
        announcement=Message.of(
            line(Strong(name), " now meets here. Chair: ", Mention(ctx.caller), "."),
            line(f"Type {cmd} help to see what the board bot can do."),
        ),
    )


def member_add(ctx: Context, args: str) -> Outcome:
    """Add someone to the board, or change their role or organisation."""
    text = args.strip().rstrip(".,")  # the end of a sentence
    match = MEMBER_ADD.match(text)
    if not match:
        raise _why_not_a_member(text)
    user_id = ctx.picked(parsing.mention(match["who"]))
    role = ROLE_WORDS[re.sub(r"\s+", " ", match["role"].lower())] if match["role"] else None
    organisation = parsing.title(match["org"], "organisation") if match["org"] else None
    if organisation and any(
        named not in ctx.invocation.typed_mentions
        for named in parsing.MENTION.findall(organisation)
    ):  # a mention picked in Slack; one typed out as text is the organisation's words
        raise UsageError("Add one person at a time: an organisation names no one.")
    board = ctx.the_board()
    _remember(ctx, user_id)
    existing = queries.membership(ctx.session, board.id, user_id)
    was = _standing(existing) if existing else None
    was_chair = existing is not None and existing.role == "chair"
    if existing is None:
        member = Member(
            board_id=board.id, user_id=user_id, role=role or "member", organisation=organisation
        )
        ctx.session.add(member)
        ctx.session.flush()
        ctx.audit(audit.MEMBER_ADD, f"member {user_id}", None, snapshot(member))
        verb = "Added"
    elif (role or existing.role, organisation or existing.organisation) == (
        existing.role,
        existing.organisation,
    ):  # nothing to change, and nothing to put on the record
        raise Unchanged(Mention(user_id), f" is already on the board as {was}.")
    else:
        if role == "member" and existing.is_officer:
            _keep_an_officer(ctx, existing)
        ctx.change(
            existing,
            audit.MEMBER_UPDATE,
            f"member {user_id}",
            role=role or existing.role,
            organisation=organisation or existing.organisation,
        )
        # Not the meetings held: someone elected chair at a meeting attended it as a member.
        queries.recorded_capacity(ctx.session, existing, ctx.now)
        member = existing
        verb = "Updated"
    standing = _standing(member)
    return Outcome(
        reply=Message.of(
            line(
                verb,
                " ",
                Mention(user_id),
                f": {standing}",
                f" (was {was})" if was and was != standing else None,
                ".",
            ),
            *([] if was_chair else _co_chairs(ctx, member)),
        )
    )


def _co_chairs(ctx: Context, member: Member) -> list[Line]:
    """Joint chairs are allowed, as some partnerships have them; but a chair made when
    the chair was meant to be handed over would pass unnoticed, so it is said."""
    if member.role != "chair":
        return []
    others = [
        m.user_id
        for m in queries.members(ctx.session, member.board_id)
        if m.role == "chair" and m.user_id != member.user_id
    ]
    if not others:
        return []
    return [
        line(
            "The board now has joint chairs, with ",
            *describe.mentions(others),
            f". To hand the chair over instead, make the outgoing chair vice-chair or member: "
            f"{ctx.command} member add @name member.",
        )
    ]


def _standing(member: Member) -> str:
    """`Secretary, Borough Council`."""
    return ROLE_TITLES[member.role] + (f", {member.organisation}" if member.organisation else "")


def member_remove(ctx: Context, args: str) -> Outcome:
    """`<@user>`: remove a member (not the board's only officer); their actions stay
    under their name until reassigned."""
    user_id = parsing.mention(args.strip())
    member = ctx.board_member(user_id, suggest_adding=False)
    if member.is_officer:
        _keep_an_officer(ctx, member)
    ctx.audit(audit.MEMBER_REMOVE, f"member {user_id}", snapshot(member), None)
    ctx.session.delete(member)
    removed = line(
        "Removed ",
        Mention(user_id),
        " from the board. Their actions stay on the record under their name.",
    )
    numbers = [f"A{n}" for n in queries.open_action_numbers(ctx.session, member.board_id, user_id)]
    if not numbers:
        return Outcome(reply=Message.of(removed))
    return Outcome(
        reply=Message.of(
            removed,
            line(
                f"They still own {describe.in_words(numbers)}; reminders no longer go to them. "
                "Give each to someone on the board with "
                f"{ctx.command} action reassign <A#> @name."
            ),
        )
    )


def members(ctx: Context, args: str) -> Outcome:
    """Who is on the board, officers first, with its parent board and sub-groups."""
    board = ctx.the_board()
    everyone = sorted(
        queries.members(ctx.session, board.id), key=lambda m: (ROLES.index(m.role), m.id)
    )
    lines = tuple(line(Mention(m.user_id), f" — {_standing(m)}") for m in everyone)
    parent = queries.board(ctx.session, board.parent_id) if board.parent_id else None
    groups = queries.sub_group_names(ctx.session, board.id)
    family = [
        *([f"A sub-group of {parent.name}."] if parent else []),
        *([f"Its sub-groups: {describe.in_words(groups)}."] if groups else []),
    ]
    return Outcome(
        reply=Message(
            title=f"{board.name}: {len(everyone)} member{'' if len(everyone) == 1 else 's'}",
            sections=(Section(lines),),
            footnote=" ".join(family) or None,
        )
    )


def _why_not_a_member(text: str) -> UsageError:
    """What is wrong with a `member add` that does not read as one."""
    named = parsing.MENTION.match(text)
    if named is None:
        return UsageError("Name the person with @, then optionally a role and org <organisation>.")
    rest = text[named.end() :].strip(" ,;")
    if role := ROLE_WORD.match(rest):
        rest = rest[role.end() :].strip(" ,;")
        if ROLE_WORD.match(rest):
            return UsageError(f"Give one role only: {', '.join(ROLES)}.")
    if parsing.MENTION.match(rest):
        return UsageError("Add one person at a time.")
    if ORG_WORD.match(rest):
        return UsageError("Give the organisation after org, e.g. … member org NHS Trust.")
    org_first = f"For an organisation, put org before it: org {rest}."
    if role:
        return UsageError(org_first)
    first = rest.split()[0]
    roles = f"“{first}” is not a role: {', '.join(ROLES)}."
    if near := difflib.get_close_matches(first.lower(), ROLES, n=1, cutoff=0.75):
        return UsageError(roles, f" Did you mean {near[0]}?")
    if ORG_WORD.search(rest) or parsing.MENTION.search(rest):
        return UsageError(roles)
    return UsageError(roles, " ", org_first)


def _keep_an_officer(ctx: Context, leaving: Member) -> None:
    if queries.officer_count(ctx.session, leaving.board_id) <= 1:
        raise NotAllowed(
            Mention(leaving.user_id),
            " is the board's only officer. Make someone else chair, vice-chair or secretary first.",
        )


def _remember(ctx: Context, user_id: str) -> None:
    """Keep the user's name and email for minutes and calendars. A mention comes from
    Slack, so it is someone real: if Slack did not say who (it was slow, or cannot show
    this person, such as a guest from another organisation), `name_the_unnamed` asks
    again later."""
    found = ctx.directory.lookup(user_id)
    if found is not None and not found.provisional:
        queries.remember_person(ctx.session, user_id, found.name, found.email, ctx.now)


def name_the_unnamed(database: Database, directory: Directory, now: datetime) -> int:
    """Look up members whose names the chat service did not give when they were added
    (it was slow or out of reach), so that minutes and calendars name them; how many
    it now has."""
    with database.transaction() as session:
        unnamed = queries.unnamed_members(session)
    named = 0
    for user_id in unnamed:
        person = directory.lookup(user_id)  # no transaction held while Slack answers
        if person is not None and person.provisional:
            break  # Slack is slow or out of reach: the next pass asks again
        if person is not None:
            named += queries.store_person(database, user_id, person.name, person.email, now)
    return named
