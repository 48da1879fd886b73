"""Whatever anyone types after `/board`, the bot answers, changes nothing on a refusal,
and never pings anyone the typist did not name.

Hypothesis types text at a board set up once per test (a fresh one every few hundred
examples, since Hypothesis does not reset fixtures between examples): raw Unicode (right-to-left
marks, emoji, control characters), Slack markup (`<@U…>`, `<#C…|…>`, `<!channel>`,
`<!subteam^…>`), very long strings, and commands built from the subcommand table's
own usage lines with random arguments, then mutated — so the parser is exercised
well past its first word. The examples are typed by a member, an officer and a
non-member, at instants before, during and after the board's first meeting.

Profiles (env `HYPOTHESIS_PROFILE`): `ci`, the default, is quick enough for every
`make test`; `fuzz` is the long run behind `make fuzz`, which reports how many
commands it typed.

The mention oracle. Slack pings whoever a `<@ID>` or `<!…>` sequence in mrkdwn
names. The bot's replies may hold `<@ID>` only where the core wrote a `Mention`,
and then only for:
- someone the board's rows name (a member, an owner, a presenter, an author…),
  before or after the command, or the person typing; or
- an id the typist wrote as a well-formed Slack mention (`<@U123>` or
  `<@U123|name>`, the form Slack sends only for a user picked in the composer), so
  a reply like "<@U123> is not on this board" may name them back.
Anything else between `<` and `>` — `<!channel>`, `<!here>`, `<!everyone>`,
`<!subteam^…>`, `<#C…>`, links, an id typed in any other form — fails, and so does a
bare `<`, `>` or an `&` that is not one of Slack's three escapes. Plain-text fields
(headers, buttons) are not parsed by Slack and are not checked for mentions.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot import rendering
from bot.apology import SORRY
from commands import dispatch
from commands.context import Invocation, PersonInfo
from commands.replies import Message, Outcome
from commands.subcommands import TABLE
from storage.database import Database
from storage.export import USER_COLUMNS
from storage.models import Base
from tests.conftest import PEOPLE, TEAM, RunningApp
from tests.snapshots import dump

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz", settings.get_profile("ci"), max_examples=10_000)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# The HTTP round trip costs more than a call into the core: a quarter of the examples.
HTTP_PROFILE = settings(PROFILE, max_examples=max(1, PROFILE.max_examples // 4))

SET_UP = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
DURING_M1 = datetime(2027, 1, 14, 10, 45, tzinfo=UTC)
OFFICER, MEMBER, OUTSIDER = "UGILL", "UPAUL", "UOUT"
# Officers may run everything, and the meeting's own commands need a current meeting:
# both come up twice as often, so more commands get past the checks to the parsing.
typists = st.sampled_from((OFFICER, OFFICER, MEMBER, OUTSIDER))
instants = st.sampled_from(
    (
        datetime(2026, 12, 20, 12, 0, tzinfo=UTC),
        DURING_M1,
        DURING_M1,
        datetime(2027, 3, 1, tzinfo=UTC),
    )
)
TYPED = Counter[str]()

# --- what gets typed ---------------------------------------------------------------

MARKUP = (
    "<@UPAUL>", "<@UPAUL|paul>", "<@UGILL>", "<@UOUT>", "<@UFUZZ>", "<@U123|name>", "<@W0FUZZ>",
    "<@ufuzz>", "<@>", "<@U1|>", "<@U1|a|b>", "<#C123|chan>", "<#CBOARD>", "<!subteam^S123>",
    "<!subteam^S123|@team>", "<!channel>", "<!here>", "<!everyone>", "<!here|here>",
    "<!date^1392734382^{date}|Feb 18>", "<https://evil.example|click me>", "<mailto:a@b.c>",
    "&", "&amp;", "&lt;!channel&gt;", "<", ">", "<<@UPAUL>>", "<@UPAUL><!here>", "@here",
    "@channel", "@paul",
)  # fmt: skip
TYPOGRAPHY = (
    '"', "'", "“", "”", "‘", "’", "`", "```", "*bold*", "_it_", "~s~", ">quote", ":", "::", "|",
    "مرحبا بالعالم", "שלום", "\u202eevil", "\u200f", "\u200b", "👩\u200d👩\u200d👧", "🇬🇧",
    "e\u0301", "İ", "ﬁ", "\ufeff", "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\u2028", "\x85",
    "\U0010fffd",
)  # fmt: skip
WHEN = (
    "14/01/2027", "7/1/2027", "1/14/2027", "45/13/2027", "29/02/2028", "29/02/2027",
    "31/12/9999", "1/1/1", "0/0/0", "2027-01-14", "14 Jan 2027", "tomorrow", "today",
    "yesterday", "next Thursday", "next week", "in 2 weeks", "in 99999 years", "10:00", "10am",
    "2.30pm", "25:00", "24:00", "23:59", "12:60", "-1:00",
)  # fmt: skip
GRAMMAR = tuple(sorted({word for sub in TABLE for word in sub.words})) + (
    "by", "item", "to", "for", "at", "quarterly", "org", "organisation", "red", "amber", "green",
    "mine", "overdue", "all", "on", "off", "set", "call", "draft", "eve", "hour", "publish",
    "reset", "chair", "vice-chair", "vice chair", "secretary", "member", "parent", "2h", "90m",
    "25h", "0m", "20m", "M1", "M2", "M0", "M99", "M999999999", "A1", "A2", "A3", "A0", "A99",
    "A9999999999", "1", "2", "3", "0", "-1", "#2", "99999", "1e9",
)  # fmt: skip

DATE_WORDS = (
    "in", "a", "an", "two", "twelve", "day", "days", "week", "weeks", "fortnight", "month",
    "months", "year", "years", "ago", "from", "today", "now", "time", "week's", "weeks'", "the",
    "of", "14th", "1st", "29", "31", "Jan", "Sept", "February", "Mon", "Thurs", "wed", "next",
    "this", "last", "noon", "12", "2027", "'27", "-", ",", ".", "at", "10am", "/",
)  # fmt: skip

fragments = st.one_of(st.sampled_from(MARKUP + TYPOGRAPHY + WHEN + GRAMMAR), st.text(max_size=20))
free_text = st.lists(fragments, min_size=1, max_size=6).map(" ".join)
# Dates as people half-write them: the words of real dates, in any order, any count;
# and counts from today of any size (`in 400000 weeks`).
date_phrases = st.lists(
    st.one_of(st.sampled_from(DATE_WORDS), st.integers(0, 10**9).map(str)), min_size=1, max_size=5
).map(" ".join)
counted_dates = st.tuples(
    st.sampled_from(("", "in ")),
    st.one_of(st.integers(0, 10**12).map(str), st.sampled_from(("a", "two", "twelve"))),
    st.sampled_from((" day", " weeks", " fortnight", " months", " years", " week's")),
    st.sampled_from(("", " ago", " today", " from now", " time")),
).map("".join)


def mostly(*valid: str) -> st.SearchStrategy[str]:
    """One of these three times in four (so commands often go through), else anything."""
    these = st.sampled_from(valid)
    return st.one_of(these, these, these, fragments)


mentions = mostly(*(f"<@{user}>" for user in PEOPLE), "<@UPAUL|paul>", "<@UFUZZ>")
small_numbers = mostly("1", "2", "3", "4", "0", "99999999999")
SLOTS: dict[str, st.SearchStrategy[str]] = {
    "@user": mentions,
    "@owner": mentions,
    "@presenter": mentions,
    "date": st.one_of(
        mostly("21/1/2027", "1/6/2027", "14 Feb 2027", "2027-05-01", "tomorrow", "in 2 weeks",
               "next Thursday", "31/12/2027", "29/02/2028", "30/09/9999", "31/12/9999"),
        date_phrases,
        counted_dates,
    ),
    "time": mostly("10:00", "10am", "2.30pm", "09:15", "18:00", "00:00", "23:59"),
    "duration": mostly("2h", "90m", "1h30m", "24h"),
    "M#": mostly("M1", "M2", "M3", "M4", "M5"),
    "A#": mostly("A1", "A2", "A3", "A4", "A5"),
    "role": mostly("chair", "vice-chair", "secretary", "member"),
    "item#": small_numbers,
    "minutes": small_numbers,
    "count": small_numbers,
    "days": small_numbers,
    "0-23": small_numbers,
}  # fmt: skip
USAGE_TOKEN = re.compile(r"<[^<>]*>[^\s\[\]|]*|\[|\]|\||[^\s\[\]|]+")


def _expand(draw: st.DrawFn, tokens: list[str], at: int) -> tuple[list[str], int]:
    """Fill a usage line's tokens from `at` to the closing `]`: optional parts kept or
    dropped, one of each `a | b` taken, each `<slot>` drawn from what it names."""
    choices: list[list[str]] = [[]]
    while at < len(tokens) and tokens[at] != "]":
        token, at = tokens[at], at + 1
        if token == "[":
            inner, at = _expand(draw, tokens, at)
            at += 1
            choices[-1] += inner if draw(st.booleans()) else []
        elif token == "|":
            choices.append([])
        elif token == "…":
            choices[-1] += draw(st.lists(mentions, max_size=4))
        elif token.startswith("<"):
            name, suffix = token[1:].split(">", 1)
            slot = draw(st.sampled_from(name.split("|")))
            choices[-1].append(draw(SLOTS.get(slot, free_text)) + suffix)
        else:
            choices[-1].append(token)
    return draw(st.sampled_from(choices)), at


@st.composite
def commands_from_the_table(draw: st.DrawFn) -> str:
    """A subcommand's usage line filled in at random, then mutated a little."""
    sub = draw(st.sampled_from(TABLE))
    case = draw(st.sampled_from((str.lower, str.upper, str.title)))
    arguments, _ = _expand(draw, USAGE_TOKEN.findall(sub.arguments), 0)
    tokens = [case(word) for word in sub.words] + arguments
    for _ in range(draw(st.sampled_from((0, 0, 0, 1, 2, 3)))):
        at = draw(st.integers(0, len(tokens)))
        operation = draw(st.sampled_from(("insert", "delete", "replace")))
        if operation == "insert":
            tokens.insert(at, draw(fragments))
        elif tokens[at:]:
            tokens[at : at + 1] = [draw(fragments)] if operation == "replace" else []
    separator = draw(st.sampled_from((" ", " ", " ", "  ", "\n", "\t", "\u00a0")))
    return separator.join(tokens)


def _long(piece: str, length: int, prefix: str) -> str:
    return prefix + (piece * (length // max(len(piece), 1) + 1))[:length]


long_texts = st.builds(
    _long,
    fragments.filter(bool),
    st.integers(3_000, 20_000),
    st.sampled_from(("", "action add <@UPAUL> ", "note 1 ", "agenda add ", "setup ")),
)
texts = st.one_of(
    commands_from_the_table(),
    commands_from_the_table(),
    commands_from_the_table(),
    commands_from_the_table(),
    st.lists(fragments, max_size=12).map(" ".join),
    st.text(max_size=200),
    long_texts,
)

# --- the board, and what the bot may say about it ------------------------------------


class Cast:
    """The workspace: the example partnership's people, and nobody else."""

    def lookup(self, user_id: str) -> PersonInfo | None:
        person = PEOPLE.get(user_id)
        return PersonInfo(user_id, person[1], person[2]) if person else None


def set_up_board(type_: Callable[[str, str, datetime], object]) -> None:
    """A board with officers, members, a quarterly series, agenda, minutes and actions."""
    for text in (
        "setup Wellingborough CSP Board",
        "member add <@UGILL> secretary org Borough Council of Wellingborough",
        "member add <@ULARA> vice-chair org Northamptonshire Police",
        "member add <@UPAUL> org Northamptonshire Police",
        "member add <@USAM> org NHS Northamptonshire",
    ):
        type_("UCHAIR", text, SET_UP)
    type_(OFFICER, "meeting add 14/01/2027 10:00 for 2h at Swanspool House quarterly 4", SET_UP)
    type_(OFFICER, "agenda add Partnership priorities <@UCHAIR> 20m", SET_UP)
    type_(MEMBER, "agenda add SSNP report <@UPAUL> 15m", SET_UP)
    type_(MEMBER, "action add <@UGILL> Circulate the SSNP strategy by 7/1/2027", SET_UP)
    type_(MEMBER, "action add <@UPAUL> Map ASB hotspots by 20/12/2026", SET_UP)
    type_(OFFICER, "action update A1 amber Draft with the SSNP group", SET_UP)
    type_(OFFICER, "present <@UCHAIR> <@UGILL> <@UPAUL>", DURING_M1)
    type_(OFFICER, "apologies <@USAM>", DURING_M1)
    type_(OFFICER, "note 2 Hemmingwell remains a hotspot", DURING_M1)
    type_(OFFICER, "decision 1 to note the report", DURING_M1)
    type_(OFFICER, "action add <@UPAUL> Share hotspot data by 28/2/2027 item 2", DURING_M1)


class Boards:
    """A fresh board on a channel of its own every few hundred examples, so a long run
    cannot wear one out (once an officer has removed everyone, the rest of the run would
    only ever reach the "only members can do that" door)."""

    EXAMPLES_EACH = 250

    def __init__(self, type_: Callable[[str, str, str, datetime], object]) -> None:
        self.type_ = type_  # (channel, user, text, at)
        self.channel = ""
        self.examples = 0

    def next(self) -> bool:
        """Move on to the next example; whether it is on a board just set up."""
        new = self.examples % self.EXAMPLES_EACH == 0
        if new:
            self.channel = f"CFUZZ{self.examples // self.EXAMPLES_EACH}"
            set_up_board(partial(self.type_, self.channel))
        self.examples += 1
        return new


def people_named(rows: dict[str, list[tuple[Any, ...]]]) -> set[str]:
    """Every user id the database's rows hold: the people the bot may name."""
    found: set[str] = set()
    for table, columns in USER_COLUMNS.items():
        keys = list(Base.metadata.tables[table].columns.keys())
        for column in columns:
            found |= {row[keys.index(column)] for row in rows[table]} - {None}
    return found


TYPED_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
SLACK_SEQUENCE = re.compile(r"<([^<>]*)>")
BARE_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")


def mrkdwn_texts(payload: dict[str, Any]) -> Iterator[str]:
    """Every string in the payload that Slack parses for mentions and links."""
    yield payload["text"]
    for block in payload["blocks"]:
        objects = [block.get("text")] + block.get("elements", []) + block.get("fields", [])
        yield from (o["text"] for o in objects if isinstance(o, dict) and o.get("type") == "mrkdwn")


def check_message(message: Message, may_name: set[str]) -> None:
    """Renders to Slack-valid payloads that ping only people the bot may name."""
    for payload in rendering.payloads(message):
        assert payload["text"].strip(), "a payload without fallback text"
        assert len(payload["blocks"]) <= rendering.MAX_BLOCKS
        for block in payload["blocks"]:
            Block.parse(block).validate_json()  # type: ignore[union-attr]
            if block["type"] == "section":
                assert 0 < len(block["text"]["text"]) <= rendering.SECTION_LIMIT
        for text in mrkdwn_texts(payload):
            for sequence in SLACK_SEQUENCE.findall(text):
                named = TYPED_MENTION.fullmatch(f"<{sequence}>")
                assert named and named[1] in may_name, f"live <{sequence}> in {text!r}"
            outside = SLACK_SEQUENCE.sub("", text)
            assert "<" not in outside and ">" not in outside, f"unescaped < or > in {text!r}"
            assert not BARE_AMPERSAND.search(text), f"unescaped & in {text!r}"


def check_outcome(
    outcome: Outcome, invocation: Invocation, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """The property of one command: an answer, nothing changed on a refusal, no stray pings."""
    assert outcome.reply.plain_text().strip(), "an empty reply"
    if outcome.refused:
        assert after == before, "a refused command changed the database"
    may_name = (
        people_named(before)
        | people_named(after)
        | {invocation.user_id}
        | set(TYPED_MENTION.findall(invocation.text))
    )
    announced = [outcome.announcement] if outcome.announcement else []
    for message in [outcome.reply, *announced]:
        check_message(message, may_name)


@pytest.fixture(scope="module", autouse=True)
def report_count(request: pytest.FixtureRequest) -> Iterator[None]:
    """Say how many commands the fuzzing typed (the README quotes the `make fuzz` count)."""
    yield
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter is not None and capture is not None and TYPED:
        counts = ", ".join(f"{count} {where}" for where, count in sorted(TYPED.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nfuzz (profile {profile}): typed {counts}")


# --- the properties ----------------------------------------------------------------------


def setting_up(database: Database) -> Callable[[str, str, str, datetime], None]:
    """Typing into the core to set a board up, where every command must go through."""

    def type_(channel: str, user: str, text: str, at: datetime) -> None:
        outcome = dispatch.run(Invocation(TEAM, channel, user, text, at), database, Cast())
        assert not outcome.refused, (text, outcome.reply.plain_text())

    return type_


def test_the_core_answers_anything_safely(database: Database) -> None:
    boards = Boards(setting_up(database))
    rows: dict[str, Any] = {}

    @PROFILE
    @given(text=texts, user=typists, at=instants)
    @example(text="", user=OUTSIDER, at=DURING_M1)
    # Found by fuzzing: a reply line split at 3,000 characters cut "&amp;" in two.
    @example(text="&" * 600, user=OUTSIDER, at=DURING_M1)
    # Found by fuzzing: the fallback text clipped at 39,000 characters ended in "&am…".
    @example(text="&" * 8000, user=OUTSIDER, at=DURING_M1)
    # Found by fuzzing: PostgreSQL refuses NUL in text, and the command raised DataError.
    @example(text="action update A1 \x00", user=OFFICER, at=DURING_M1)
    # Found by fuzzing: the meeting's end (or its time in UTC) is past year 9999: OverflowError.
    @example(text="meeting add 31/12/9999 23:59", user=OFFICER, at=DURING_M1)
    @example(text="action add <@UPAUL> <!channel> & <!here> <@U9|x>", user=MEMBER, at=DURING_M1)
    @example(text="agenda add <!subteam^S123|@team> <#C123|chan> 5m", user=OFFICER, at=SET_UP)
    @example(text="action add <@UFUZZ> Something", user=OFFICER, at=DURING_M1)
    # Found by fuzzing: a second owner was read in any case, and `<@ufuzz>` named as one.
    @example(text="action add <@UPAUL> <@ufuzz><@ufuzz>", user=MEMBER, at=DURING_M1)
    @example(text="note 2 " + "🇬🇧 \u202e" * 1200, user=OFFICER, at=DURING_M1)
    @example(text="meeting add 14/01/2027 10:00 : " + "x" * 20_000, user=OFFICER, at=SET_UP)
    def typed(text: str, user: str, at: datetime) -> None:
        if boards.next():
            rows["now"] = dump(database)
        invocation = Invocation(TEAM, boards.channel, user, text, at)
        outcome = dispatch.run(invocation, database, Cast())
        before, rows["now"] = rows["now"], dump(database)
        TYPED[f"commands into the core ({database.dialect})"] += 1
        check_outcome(outcome, invocation, before, rows["now"])

    typed()


def test_a_meeting_at_the_end_of_time_does_not_break_the_board(database: Database) -> None:
    """Found by fuzzing: a quarterly series into December 9999 was accepted, and from then
    on `/board calendar` raised (year 10000 is out of range) for everyone on the board."""
    boards = Boards(setting_up(database))
    boards.next()
    for text in ("meeting add 30/09/9999 10:00 quarterly 2", "calendar", "meetings", "agenda M6"):
        outcome = dispatch.run(
            Invocation(TEAM, boards.channel, OFFICER, text, DURING_M1), database, Cast()
        )
        assert outcome.reply.plain_text().strip()


def test_the_app_answers_anything_over_http(running_app: RunningApp) -> None:
    def type_(channel: str, user: str, text: str, at: datetime) -> None:
        running_app.clock.fixed = at
        running_app.command(user, text, channel=channel)

    boards = Boards(type_)

    @HTTP_PROFILE
    @given(text=texts, user=typists)
    @example(text="\x00<!channel>\r\n", user=OUTSIDER)
    @example(text="note 1 \x00", user=OFFICER)
    @example(text="action add <@UPAUL> " + "&<>" * 6000, user=MEMBER)
    def posted(text: str, user: str) -> None:
        boards.next()
        running_app.clock.fixed = DURING_M1
        response = running_app.sender.command(user, text, channel=boards.channel)
        TYPED[f"signed requests to the app ({running_app.database.dialect})"] += 1
        assert response.status == 200, (response.status, response.body)
        answer = response.json()["text"]
        assert answer.strip() and answer != SORRY, answer  # SORRY: the core raised

    posted()
