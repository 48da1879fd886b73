"""Configuration from the environment, with a `.env` file read if present (SPEC §8)."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import find_dotenv, load_dotenv
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from commands.context import Invocation
from commands.dates import utc_now
from storage.database import DEFAULT_URL
from storage.deliveries import DEFAULT_CLAIM_TIMEOUT

DEFAULT_API_URL = "https://slack.com/api/"
CLAIM_TIMEOUT = DEFAULT_CLAIM_TIMEOUT.total_seconds()


@dataclass(frozen=True)
class Settings:
    """This deployment's settings, read from the environment (and `.env`) by `from_env`."""

    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    board_timezone: str
    public_url: str
    reminder_interval_seconds: float = 60
    # How long a claimed reminder may go unconfirmed before another instance takes it over.
    reminder_claim_timeout_seconds: float = CLAIM_TIMEOUT
    # A rehearsal runs the bot on a simulated clock: from this instant, at this
    # many simulated seconds per real second.
    rehearse_from: datetime | None = None
    rehearse_speed: float = 1.0

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(find_dotenv(usecwd=True), override=False)
        api_url = os.environ.get("SLACK_API_URL") or DEFAULT_API_URL
        zone = _zone(os.environ.get("BOARD_TIMEZONE") or "Europe/London")
        rehearse_from = os.environ.get("BOARDBOT_REHEARSE_FROM")
        try:
            rehearse_start = instant(rehearse_from, zone)
        except ValueError as error:
            raise BadSetting(f"BOARDBOT_REHEARSE_FROM {error}") from None
        return cls(
            bot_token=os.environ.get("SLACK_BOT_TOKEN") or None,
            signing_secret=os.environ.get("SLACK_SIGNING_SECRET") or None,
            app_token=os.environ.get("SLACK_APP_TOKEN") or None,
            api_url=api_url if api_url.endswith("/") else api_url + "/",
            database_url=_database_url(os.environ.get("DATABASE_URL") or DEFAULT_URL),
            board_timezone=zone,
            public_url=(os.environ.get("PUBLIC_URL") or "http://localhost:3000").rstrip("/"),
            reminder_interval_seconds=_positive("REMINDER_INTERVAL_SECONDS", 60),
            reminder_claim_timeout_seconds=_positive(
                "REMINDER_CLAIM_TIMEOUT_SECONDS", CLAIM_TIMEOUT
            ),
            rehearse_from=rehearse_start,
            rehearse_speed=_positive("BOARDBOT_REHEARSE_SPEED", 1.0),
        )

    @property
    def has_slack(self) -> bool:
        return bool(self.bot_token)

    def clock(self) -> Callable[[], datetime]:
        """The clock the bot runs on (commands, buttons, the calendar feed, reminder
        passes): real time, or the rehearsal's simulated time."""
        start = self.rehearse_from
        if start is None:
            return utc_now
        began, speed = time.monotonic(), self.rehearse_speed
        return lambda: start + timedelta(seconds=(time.monotonic() - began) * speed)

    def invocation(
        self,
        now: datetime,
        team_id: str,
        channel_id: str,
        user_id: str,
        text: str = "",
        command: str | None = None,
    ) -> Invocation:
        """What someone did, as the core sees it, with this deployment's settings."""
        return Invocation(
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            text=text,
            now=now,
            command=command,
            default_timezone=self.board_timezone,
            public_url=self.public_url,
        )


class BadSetting(ValueError):
    """An environment variable the bot cannot run with; the message says which and why."""


def _positive(name: str, default: float) -> float:
    """A number of seconds (or a speed) above zero, from the environment."""
    text = os.environ.get(name) or ""
    try:
        value = float(text) if text else default
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise BadSetting(f"{name} {text!r} is not a number above 0, e.g. {default:g}.")
    return value


# The databases the bot runs on, and how hosting services and psycopg2 write PostgreSQL's.
SUPPORTED_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql+psycopg"})
POSTGRES_ALIASES = frozenset({"postgresql", "postgres", "postgresql+psycopg2"})


def _database_url(url: str) -> str:
    """SQLite, or PostgreSQL through psycopg (which the aliases are read as)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.drivername not in SUPPORTED_DRIVERS | POSTGRES_ALIASES:
        raise BadSetting(
            "DATABASE_URL is not a database the bot runs on: give sqlite:///boardbot.db or "
            "postgresql+psycopg://user@host/database."
        )
    if parsed.drivername in POSTGRES_ALIASES:
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _zone(name: str) -> str:
    """A time zone name new boards can be set up in: one the bot could not read would
    make every command of such a board fail."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder: OSError
        raise BadSetting(
            f"BOARD_TIMEZONE {name!r} is not a time zone; give one such as Europe/London."
        ) from None
    return name


def instant(text: str | None, zone: str) -> datetime | None:
    """An ISO-8601 instant, in UTC; without an offset it is read in `zone` (the
    deployment's BOARD_TIMEZONE). ValueError, saying why, if it is not one or if, without
    an offset, that local time happens twice or not at all as the clocks change."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO-8601 instant, e.g. 2027-01-07T09:00.") from None
    if moment.tzinfo is None:
        local = moment.replace(tzinfo=ZoneInfo(zone))
        if local.utcoffset() != local.replace(fold=1).utcoffset():
            raise ValueError(
                f"{text!r} happens twice or not at all in {zone} as the clocks change; "
                "give its offset, e.g. 2027-10-31T01:30+01:00."
            )
        moment = local
    return moment.astimezone(UTC)
