"""A VTIMEZONE for a board's zone, in the yearly-rule form Outlook reads.

icalendar's own `Timezone.from_tzinfo` lists every transition as an RDATE.
That is valid RFC 5545, but Outlook maps a VTIMEZONE onto a Windows zone by
its STANDARD/DAYLIGHT rules and copes badly with RDATE lists, so we derive
one yearly RRULE per observance from the IANA zone (`BYDAY=-1SU` style, as
Outlook itself writes them) and fall back to the RDATE form only for zones
whose changes follow no such rule (e.g. ones tied to a lunar calendar).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

DAY_SECONDS = 24 * 60 * 60
# Years examined beyond the feed's own range: enough for "last Sunday" and
# "fourth Sunday" to fall on different dates at least once, so the rule we
# write down is the zone's rule and not a coincidence of the calendar.
MIN_YEARS = 8
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """One transition of the zone: the UTC instant and the offsets either side."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    is_dst: bool
    name: str

    @property
    def kind(self) -> tuple[timedelta, timedelta, bool, str]:
        return (self.offset_from, self.offset_to, self.is_dst, self.name)

    @property
    def onset(self) -> datetime:
        """The wall-clock time it happens, as clocks showed it just before (RFC 5545 3.6.5)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of an IANA zone, correct for every time from `first_year` to `last_year`.

    Cached and shared between feeds: add it to a calendar, never change it.
    """
    zone = ZoneInfo(tzid)
    start, end = first_year - 1, max(last_year + 1, first_year - 1 + MIN_YEARS)
    changes = [change for year in range(start, end + 1) for change in _changes(zone, year)]
    component = Timezone()
    component.add("TZID", tzid)
    component.add("X-LIC-LOCATION", tzid)
    if not changes:
        component.add_component(_fixed(zone, start))
        return component
    by_kind: dict[tuple[timedelta, timedelta, bool, str], list[Change]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change)
    groups = list(by_kind.values())
    rules = [rule for group in groups if (rule := _yearly(group, end - start + 1)) is not None]
    for observance in rules if len(rules) == len(groups) else map(_listed, groups):
        component.add_component(observance)
    return component


def _changes(zone: ZoneInfo, year: int) -> list[Change]:
    """Every transition in a year: a day-by-day scan, then a bisection to the second."""
    found: list[Change] = []
    first = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    last = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    for low in range(first, last, DAY_SECONDS):
        high = low + DAY_SECONDS
        before = _offset(zone, low)
        if before == _offset(zone, high):
            continue
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(zone, middle) == before:
                low = middle
            else:
                high = middle
        at = datetime.fromtimestamp(high, UTC)
        after = _offset(zone, high)
        # Clocks going forward start daylight time. tzdata calls some winters
        # "negative DST" (Dublin; Casablanca in Ramadan), which Windows and
        # Outlook cannot express, so we label them as tzdata's rearguard form does.
        found.append(Change(at, before, after, after > before, at.astimezone(zone).tzname() or ""))
    return found


def _offset(zone: ZoneInfo, timestamp: int) -> timedelta:
    offset = datetime.fromtimestamp(timestamp, zone).utcoffset()
    assert offset is not None
    return offset


def _fixed(zone: ZoneInfo, year: int) -> TimezoneStandard:
    """A zone without changes: one STANDARD observance."""
    local = datetime(year, 1, 1, tzinfo=UTC).astimezone(zone)
    offset = local.utcoffset()
    standard = TimezoneStandard()
    standard.add("DTSTART", datetime(year, 1, 1))
    standard.add("TZOFFSETFROM", offset)
    standard.add("TZOFFSETTO", offset)
    standard.add("TZNAME", local.tzname() or "")
    return standard


def _observance(first: Change) -> TimezoneStandard | TimezoneDaylight:
    observance = TimezoneDaylight() if first.is_dst else TimezoneStandard()
    observance.add("DTSTART", first.onset)
    observance.add("TZOFFSETFROM", first.offset_from)
    observance.add("TZOFFSETTO", first.offset_to)
    observance.add("TZNAME", first.name)
    return observance


def _listed(changes: list[Change]) -> TimezoneStandard | TimezoneDaylight:
    """One observance listing each onset: for changes that follow no yearly rule."""
    observance = _observance(changes[0])
    if len(changes) > 1:
        observance.add("RDATE", [change.onset for change in changes[1:]])
    return observance


def _yearly(changes: list[Change], years: int) -> TimezoneStandard | TimezoneDaylight | None:
    """One observance with a yearly RRULE, if these changes (one a year) follow one rule."""
    if len(changes) != years:
        return None
    onsets = [change.onset for change in changes]
    months = {onset.month for onset in onsets}
    clocks = {onset.time() for onset in onsets}
    weekdays = {onset.weekday() for onset in onsets}
    if len(months) != 1 or len(clocks) != 1 or len(weekdays) != 1:
        return None
    ordinals = set.intersection(*(_ordinals(onset.date()) for onset in onsets))
    if not ordinals:
        return None
    ordinal = -1 if -1 in ordinals else min(ordinals)
    observance = _observance(changes[0])
    observance.add(
        "RRULE",
        vRecur(
            freq="YEARLY",
            bymonth=months.pop(),
            byday=f"{ordinal}{WEEKDAYS[weekdays.pop()]}",
        ),
    )
    return observance


def _ordinals(day: date) -> set[int]:
    """Which "nth weekday of the month" this day is: 1 to 4, and -1 if it is the last."""
    ordinals = set()
    if day.day <= 28:
        ordinals.add((day.day - 1) // 7 + 1)
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        ordinals.add(-1)
    return ordinals
