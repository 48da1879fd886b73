"""Dates and times as a UK officer writes them, and said back in words.

Every date with a day number — `7/1/2027`, `14 Jan 2027`, `Thu 14 Jan` — is read
by our own strict patterns, day first (so `1/14/2027` is an error, never silently
read month first), and a weekday given with it must match. Counts from today —
`in 2 weeks`, `a week today` — are worked out here; what else is relative to
today — `next Thursday`, `tomorrow` — goes to dateparser. A month, a year or a
time alone is not a day, and is refused.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateutil.relativedelta import relativedelta

from commands.errors import UsageError


def utc_now() -> datetime:
    """The real clock. Commands are handed their "now" (a rehearsal or a cron `--at`
    moves it); this is what it is when no one has."""
    return datetime.now(UTC)


MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
WEEKDAYS = (
    "mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_WEEKDAY = rf"(?:(?P<weekday>{WEEKDAYS})\.?,?\s+)?"
_DAY = r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?[\s\-]+'?(?P<year>\d{4}|\d{2}))?"
# Every form with a day number is read by our own strict patterns, day first.
NUMERIC_DATE = re.compile(
    rf"^{_WEEKDAY}(?P<day>\d{{1,2}})[/.\-](?P<month>\d{{1,2}})(?:[/.\-](?P<year>\d{{2}}|\d{{4}}))?$",
    re.I,
)
ISO_DATE = re.compile(r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})$")
DAY_MONTH = re.compile(rf"^{_WEEKDAY}{_DAY}(?:\s+of)?[\s\-]+(?P<month>{MONTHS})\.?{_YEAR}$", re.I)
MONTH_DAY = re.compile(rf"^{_WEEKDAY}(?P<month>{MONTHS})\.?\s+{_DAY}{_YEAR}$", re.I)
DAY_ONLY = re.compile(rf"^{_WEEKDAY}{_DAY}$", re.I)
MONTH_OR_YEAR = re.compile(rf"^(?:(?:{MONTHS})\.?(?:\s+\d{{4}})?|\d{{4}})$", re.I)
TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?$", re.I)
# A time that cannot be anything else (not a bare number): `10:00`, `2.30pm`, `10 am`, `noon`.
CLOCK = r"(?:\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)|(?:12\s*)?(?:noon|midday))\.?"
# A day said with a time, which a due date has no room for: `Friday 5pm`, `7/1/2027 at 10:00`.
DAY_AT_A_TIME = re.compile(rf"^(?P<day>.*?\S),?\s+(?:at\s+)?{CLOCK}$", re.I)
VAGUE = re.compile(r"^(?:next|this|last)\s+(?:week|month|year|quarter)$", re.I)
NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()  # noqa: SIM905
NUMBERS = {"a": 1, "an": 1} | {word: n for n, word in enumerate(NUMBER_WORDS, start=1)}
# A count of days, weeks, months or years from today, which we count ourselves:
# `in 3 months`, `two weeks`, `a week today`, `in a fortnight's time`.
COUNTED = re.compile(
    rf"^(?:in\s+)?(?P<count>\d+|{'|'.join(NUMBERS)})\s+"
    r"(?P<unit>day|week|fortnight|month|year)s?(?:'s|')?"
    r"(?:\s+(?:from\s+(?:now|today)|today|time|(?P<ago>ago)))?$",
    re.I,
)
# Hours that `h:mm` without am/pm leaves in doubt: an officer's `2.30` is the afternoon,
# and the small hours are written `02:30`.
DOUBTFUL_HOURS = range(1, 7)
NOON = {"noon", "midday", "12 noon", "12noon", "12 midday"}
TIME_WORDS = NOON | {"now", "midnight"}
WEEKDAY = re.compile(rf"\b(?:{WEEKDAYS})\b", re.I)
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The last day of a month or quarter, as deadlines are set: `end of January`, `the end
# of the month`, `end of next quarter`. Quarters end with March, June, September and
# December, financial or calendar alike; a week, for work, with its Friday.
_END_OF = (
    rf"(?:the\s+)?end\s+of\s+(?:(?P<month>{MONTHS})\.?(?:\s+(?P<year>\d{{4}}))?"
    r"|(?:the\s+|(?P<next>this|next)\s+)?(?P<period>week|month|quarter))"
)
# A week as officers name it, by its Monday: `w/c 19 April`, `week commencing 19/4/2027`.
_COMMENCING = r"(?:w/?c|w/b|week\s+(?:commencing|beginning|starting))\s+"
COMMENCING = re.compile(rf"^{_COMMENCING}(?P<day>.+)$", re.I)
END_OF = re.compile(rf"^{_END_OF}$", re.I)
# Words that make a date before today what was meant (`yesterday`, `last Friday`).
PAST = re.compile(r"\b(?:yesterday|last|ago)\b", re.I)
# What "looks like a date" after ` by ` in `action add` (SPEC §3, and `yesterday`; not a
# possessive, which is no date: `by Jan's team`, `by Friday's panel`), also after `this`
# before a weekday or `the` before an ordinal (`by this Friday`, `by the 14th of January`).
DATE_LIKE = re.compile(
    rf"^(?:this\s+(?=(?:{WEEKDAYS})\b)|the\s+(?=\d{{1,2}}(?:st|nd|rd|th)\b))?"
    rf"(?:\d|(?:{MONTHS}|{WEEKDAYS}|today|tomorrow|yesterday)\b(?!['’])|next\s|in\s"
    rf"|{_COMMENCING}\d"
    rf"|{_END_OF}[.,;]*$)",  # only what END_OF reads: `by end of play` is a description's
    re.I,
)
# A length of time: `2h`, `90m`, `1h30m`, `1h30`, `1.5 hours` (a meeting's, or an agenda item's).
HOUR_UNITS = "h|hr|hrs|hour|hours"
MINUTE_UNITS = "m|min|mins|minute|minutes"
LENGTH = (
    rf"(?:(?P<h>\d+(?:\.\d+)?)\s*(?:{HOUR_UNITS}))?\s*"
    # the unit may be left off the minutes after hours: `1h30`
    rf"(?:(?P<m>\d+)\s*(?(h)(?:{MINUTE_UNITS})?|(?:{MINUTE_UNITS})))?"
)
DURATION = re.compile(rf"^{LENGTH}$", re.I)
# A meeting's length said in words: `two hours`, `an hour and a half`, `half an hour`.
SPOKEN_LENGTH = (
    rf"(?:half\s+an\s+hour|(?:{'|'.join(NUMBERS)})(?:\s+and\s+a\s+half)?\s+hours?"
    r"(?:\s+and\s+a\s+half)?)"
)


def _parser(relative_base: datetime) -> DateDataParser:
    # Built per call (well under a millisecond) because "next Thursday" is
    # relative to the board's today, which the parser only takes as a setting.
    return DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": ["relative-time", "absolute-time"],
            "RELATIVE_BASE": relative_base,
        },
    )


def warm_up() -> None:
    """Build dateparser's tables now rather than on the first user's command."""
    parse_date("next Thursday", date(2026, 1, 1))


def looks_like_date(text: str) -> bool:
    """Whether text after ` by ` in `action add` looks like a due date, readable or not."""
    words = " ".join(text.split())
    return bool(DATE_LIKE.match(words) or COUNTED.match(words.rstrip(".")))


MAX_YEARS_AHEAD = 20
A_WEEK = timedelta(days=7)
# A day and month with no year that passed this recently is more likely a slip, or the
# past meant, than next year's: asked about, not guessed. Further back, it is next year's
# (`14/1` typed in December).
JUST_PASSED = timedelta(days=92)


def parse_date(text: str, today: date, *, earliest: date | None = None) -> date:
    """Read a date; `today` is the board's local date, for relative phrases. A day and
    month with no year is the next such date from `earliest` (today unless given: a
    meeting just held may be entered as `26/11`), refused if its last such day passed
    within JUST_PASSED: meant as that day, or a year on?

    Raises UsageError for anything unreadable, ambiguous or implausibly far
    ahead; never guesses.
    """
    day = _read_date(text, today, earliest or today)
    if day.year > today.year + MAX_YEARS_AHEAD:
        raise UsageError(f"{say_date(day)} is more than {MAX_YEARS_AHEAD} years ahead.")
    return day


def date_or_none(text: str, today: date) -> date | None:
    """`parse_date`, or None where it would refuse."""
    try:
        return parse_date(text, today)
    except UsageError:
        return None


def _read_date(text: str, today: date, earliest: date) -> date:
    words = " ".join(text.split()).rstrip(".,;!")  # the end of a sentence or clause
    if not words:
        raise UsageError("A date is missing.")
    if end := END_OF.match(words):
        return _end_of(end, today)
    if commencing := COMMENCING.match(words):
        monday = _read_date(commencing["day"], today, earliest)
        if monday.weekday() != 0:
            week = monday - timedelta(days=monday.weekday())
            raise UsageError(
                f"“{commencing['day']}” is a {DAY_NAMES[monday.weekday()].title()}: a week "
                f"commences on its Monday ({say_date(week)})."
            )
        return monday
    for pattern in (ISO_DATE, NUMERIC_DATE, DAY_MONTH, MONTH_DAY):
        if match := pattern.match(words):
            return _from_parts(words, match, today, earliest)
    if DAY_ONLY.match(words):
        raise UsageError(f"“{words}” needs a month too: 14 Jan or 14/1/2027.")
    if TIME.match(words) or words.lower() in TIME_WORDS:
        raise UsageError(f"“{words}” is a time. Give the day too, such as 14/1/2027.")
    not_a_day = UsageError(
        f"“{words}” is not a single day. Give a date such as 14/1/2027 or next Thursday."
    )
    if VAGUE.match(words) or MONTH_OR_YEAR.match(words):
        raise not_a_day
    if counted := COUNTED.match(words):
        return _counted(counted, today)
    if re.search(r"\d", words):
        raise UsageError(f"I couldn't read “{words}” as a date. Dates are day first: 14/1/2027.")
    # What is left is relative to today: `next Thursday`, `tomorrow`, `Friday`.
    spelt = WEEKDAY.sub(lambda day: _day_name(day[0]), words)
    found = _parser(datetime.combine(today, time(12, 0))).get_date_data(spelt)
    unreadable = UsageError(
        f"I couldn't read “{words}” as a date. Try 14/1/2027, 14 Jan 2027 or next Thursday."
    )
    said = re.findall(r"\w+", words.lower())
    if found.date_obj is None or len(set(said)) < len(said):  # `tomorrow tomorrow`: a slip
        raise unreadable
    if found.period in {"month", "year"}:  # `this March`
        raise not_a_day
    day = found.date_obj.date()
    if day < today and not PAST.search(words):  # read as the past, but not said so
        raise unreadable
    return day


def _counted(match: re.Match[str], today: date) -> date:
    """Today plus (or, with `ago`, minus) a count of days, weeks, fortnights, months or
    years."""
    count_text, unit = match["count"].lower(), match["unit"].lower()
    count = int(count_text) if count_text.isdigit() else NUMBERS[count_text]
    sign = -1 if match["ago"] else 1
    if count > 366 * MAX_YEARS_AHEAD:  # also keeps the arithmetic in range
        raise UsageError(f"“{match[0]}” is more than {MAX_YEARS_AHEAD} years away.")
    if unit in {"month", "year"}:
        return add_months(today, sign * count * (12 if unit == "year" else 1))
    days = {"day": 1, "week": 7, "fortnight": 14}[unit]
    return today + timedelta(days=sign * count * days)


def _end_of(match: re.Match[str], today: date) -> date:
    """The last day of the month named (the next one to end, today counting) or of this
    (or the next) month or quarter."""
    if month := match["month"]:
        number = MONTH_NAMES.index(month[:3].lower()) + 1
        if match["year"]:
            return _last_day(int(match["year"]), number)
        ends = [_last_day(today.year + ahead, number) for ahead in (-1, 0, 1)]
        coming = next(end for end in ends if end >= today)
        gone = max(end for end in ends if end < today)
        _not_just_passed(match[0], gone, today, f"{match[0]} {coming.year}")
        return coming
    ahead = 1 if (match["next"] or "").lower() == "next" else 0
    if match["period"].lower() == "week":  # at a weekend, the week to come is this one
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return friday + timedelta(days=7 * ahead if today.weekday() <= 4 else 0)
    months = 3 if match["period"].lower() == "quarter" else 1
    ahead *= months
    # The last month of this period (this month, or the quarter's third), counted from 0.
    index = today.year * 12 + today.month - 1 + (-today.month % months) + ahead
    return _last_day(index // 12, index % 12 + 1)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day_name(abbreviation: str) -> str:
    """`wed`, `Thurs` → `wednesday`, `thursday`: dateparser does not know them all."""
    return next(d for d in DAY_NAMES if d.startswith(abbreviation.lower()[:3]))


def _from_parts(words: str, match: re.Match[str], today: date, earliest: date) -> date:
    """A day, a month (number or name) and perhaps a year and a weekday. With no year,
    the next such date from `earliest` (which counts), unless the weekday names this
    year's; a weekday must match its date."""
    parts = match.groupdict()
    day = int(parts["day"])
    month = parts["month"]
    month_number = int(month) if month.isdigit() else MONTH_NAMES.index(month[:3].lower()) + 1
    weekday = parts.get("weekday")
    if year_text := parts["year"]:
        candidates = [int(year_text) + (2000 if len(year_text) == 2 else 0)]
    else:  # last year's (just gone at new year), and the next within four (29 February)
        candidates = [earliest.year + ahead for ahead in range(-1, 5)]
    found = [date(y, month_number, day) for y in candidates if _valid(y, month_number, day)]
    if not found and _valid(candidates[0], month_number, 1) and 1 <= day <= 31:  # `31/6`
        month_said = f"{date(candidates[0], month_number, 1):%B}"
        month_said += f" {candidates[0]}" if parts["year"] else ""
        days = max(_last_day(year, month_number).day for year in candidates)
        raise UsageError(f"“{words}” is not a date: {month_said} has {days} days.")
    if not found:
        raise UsageError(
            f"“{words}” is not a date. Dates are day first: 14/1/2027 is 14 January 2027."
        )
    chosen = next((d for d in found if d >= earliest), found[-1])
    gone = [d for d in found if d < earliest]
    if gone and not (year_text or weekday):
        typed = f"{chosen.day}/{chosen.month}/{chosen.year}"
        _not_just_passed(words, gone[-1], earliest, typed)
    if weekday and not _is_weekday(weekday, chosen):
        # The weekday chooses between the dates that could be meant: last week's and the
        # next on or after today ("Sat 27 Nov" is next year's, "Fri 27 Nov" typed on
        # Saturday 28th the day just gone); never one further ahead.
        ahead = next((d for d in found if d >= today), found[-1])
        named = [
            d
            for d in found
            if _is_weekday(weekday, d) and (earliest <= d <= ahead or d < today <= d + A_WEEK)
        ]
        if not named:
            raise UsageError(
                f"“{words}” doesn't add up: {chosen.day} {chosen:%B %Y} is a {chosen:%A}."
            )
        return named[0]
    return chosen


def _not_just_passed(words: str, passed: date, earliest: date, coming: str) -> None:
    """Refuse a date typed with no year whose last day `passed` not long before
    `earliest`: meant as that past day, or as the next (typed in full, `coming`)?"""
    if earliest - passed <= JUST_PASSED:
        raise UsageError(
            f"“{words}” has just passed ({say_date(passed)}). "
            f"For the next, give the year: {coming}."
        )


def _is_weekday(name: str, day: date) -> bool:
    return f"{day:%A}".lower().startswith(name.lower()[:3])


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def parse_time(text: str, after: time | None = None) -> time:
    """Read `10:00`, `10am`, `2.30pm`, `14:30`, `noon`; not `2.30`, which could be either,
    unless it ends a meeting that starts `after` its morning reading (`10am-4.30`)."""
    said = " ".join(text.split()).rstrip(".")  # `2.30 p.m.` still reads without its last dot
    if said.lower() in NOON:
        return time(12, 0)
    match = TIME.match(said)
    if not match:
        raise UsageError(f"I couldn't read “{text}” as a time. Try 10:00, 10am or 2.30pm.")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm and not 1 <= hour <= 12:
        raise UsageError(f"“{text}” is not a time: with am/pm the hour is 1 to 12.")
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:  # people write it for both
        raise UsageError(
            f"“{text}” could be midnight or midday. "
            "Write 12pm or noon for midday, 00:00 for midnight."
        )
    if not ampm and match["minute"] is None:
        raise UsageError(f"“{text}” is ambiguous as a time. Write 10:00, 10am or 2pm.")
    if hour > 23 or minute > 59:
        raise UsageError(f"“{text}” is not a time of day.")
    if not ampm and len(match["hour"]) == 1 and hour in DOUBTFUL_HOURS:
        if after is not None and time(hour, minute) <= after:
            return time(hour + 12, minute)
        clock = f"{hour}{said[1]}{minute:02d}"
        raise UsageError(
            f"“{text}” could be morning or afternoon. Write {clock}pm or {hour + 12}:{minute:02d}."
        )
    return time(hour, minute)


def parse_duration(text: str) -> timedelta:
    """Read `2h`, `90m`, `1h30m`, `1h30`, `1.5 hours`, and as said: `two hours`, `an hour
    and a half`, `half an hour`; at most 24 hours."""
    match = DURATION.match(_in_figures(text.strip()))
    if not text.strip() or not match or not (match["h"] or match["m"]):
        raise UsageError(f"I couldn't read “{text}” as a duration. Try 2h, 90m or 1h30m.")
    minutes = minutes_in(match)
    if minutes < 1:
        raise UsageError("A meeting must last at least a minute.")
    if minutes > 24 * 60:
        raise UsageError("A meeting can last at most 24 hours.")
    return timedelta(minutes=round(minutes))


def _in_figures(text: str) -> str:
    """A length said in words (SPOKEN_LENGTH), in figures: `1.5 hours`; anything else as
    it is."""
    if not re.fullmatch(SPOKEN_LENGTH, text, re.I):
        return text
    words = text.lower().split()
    if words[0] == "half":
        return "30m"
    if (count := NUMBERS.get(words[0])) is None:  # `fıve`: matched only ignoring case
        return text
    return f"{count + (0.5 if 'half' in words else 0):g}h"


def minutes_in(match: re.Match[str]) -> float:
    """The minutes a match of LENGTH gives, as a float: a number too long for any
    duration becomes infinity, which callers refuse, rather than overflowing."""
    return float(match["h"] or 0) * 60 + float(match["m"] or 0)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time in the board's zone (handles BST/GMT)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def typed_time_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`local_to_utc` for a time someone typed: one the clocks skip as they go forward
    (01:30 on the last Sunday of March in London) is refused, not moved an hour on, and
    one they pass twice as they go back (01:30 on the last Sunday of October), not
    guessed."""
    moment = local_to_utc(day, at, zone)
    if moment.astimezone(zone).time() != at:
        raise UsageError(
            f"{at:%H:%M} on {say_date(day)} does not happen: the clocks go forward then. "
            "Choose another time."
        )
    if local_to_utc(day, at.replace(fold=1), zone) != moment:
        raise UsageError(
            f"{at:%H:%M} on {say_date(day)} happens twice: the clocks go back then. "
            "Choose another time."
        )
    return moment


def say_date(day: date) -> str:
    """`Thursday 14 January 2027`."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def say_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """`Thursday 14 January 2027, 10:00` in the board's zone."""
    local = moment.astimezone(zone)
    return f"{say_date(local.date())}, {local:%H:%M}"


def say_short_date(day: date) -> str:
    """`Thu 14 Jan 2027`, for lists."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def add_months(day: date, months: int) -> date:
    """Same day of month, moved back to the month's last day where needed."""
    return day + relativedelta(months=months)
