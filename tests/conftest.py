"""Fixtures: a database per test (SQLite and PostgreSQL), the fake Slack Web API,
and the real app served over HTTP on a loopback port."""

from __future__ import annotations

import functools
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import pytest
from alembic import command
from alembic.config import Config

from bot.app import build_app, lookup_client
from bot.calendar_worker import CalendarWriter
from bot.config import Settings
from bot.delivery import Lane
from bot.directory import SlackDirectory
from bot.server import Routes, make_server, stop_server
from commands import dispatch
from commands.context import Invocation, PersonInfo
from storage.database import MIGRATIONS, Database
from tests.fake_slack import FakeSlack
from tests.slack_requests import SlackSender

POSTGRES_URL = os.environ.get(
    "BOARDBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SIGNING_SECRET = "test-signing-secret"
TEAM = "T0BOARD"
CHANNEL = "CBOARD"
# The people of the example Community Safety Partnership.
PEOPLE = {
    "UCHAIR": ("chair", "Liz Elliott", "liz.elliott@wellingborough.gov.uk"),
    "UGILL": ("gill", "Gill Harris", "gill.harris@wellingborough.gov.uk"),
    "UPAUL": ("paul", "Paul Valentine", "paul.valentine@northants.police.uk"),
    "ULARA": ("lara", "Lara Stone", "lara.stone@northants.police.uk"),
    "USAM": ("sam", "Sam Reid", "sam.reid@nhs.net"),
    "UOUT": ("outsider", "Olly Outsider", "olly@example.org"),
}


def _postgres_reachable() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


_POSTGRES = _postgres_reachable()


def pytest_report_header() -> str:
    if _POSTGRES:
        return f"PostgreSQL tests: on ({POSTGRES_URL})"
    if os.environ.get("CI"):
        return "PostgreSQL tests: server unreachable, they will FAIL (CI)"
    return f"PostgreSQL tests: SKIPPED, no server at {POSTGRES_URL}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'board.db'}"
        return
    if not _POSTGRES:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = POSTGRES_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    for user_id, (name, real_name, email) in PEOPLE.items():
        fake.add_user(user_id, name, real_name=real_name, email=email)
    yield fake
    fake.stop()
    assert fake.violations == [], fake.violations


@dataclass
class Clock:
    """The app's clock; tests may pin it to an instant."""

    fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(UTC)


@dataclass
class RunningApp:
    url: str
    database: Database
    slack: FakeSlack
    clock: Clock
    sender: SlackSender

    def command(self, user: str, text: str, channel: str = CHANNEL) -> dict:  # type: ignore[type-arg]
        """Type `/board <text>` as `user` in `channel`; the JSON Slack would receive back."""
        response = self.sender.command(user, text, channel=channel)
        assert response.status == 200, (response.status, response.body)
        return response.json()


@pytest.fixture
def settings(database_url: str, slack: FakeSlack) -> Settings:
    return Settings(
        bot_token="xoxb-test",
        signing_secret=SIGNING_SECRET,
        app_token=None,
        api_url=slack.api_url,
        database_url=database_url,
        board_timezone="Europe/London",
        public_url="http://boardbot.test",
    )


@functools.cache
def calendar_writer() -> CalendarWriter:
    """One worker process writes the calendars of every test's app, as in `boardbot serve`."""
    return CalendarWriter()


@pytest.fixture(scope="session", autouse=True)
def _stop_calendar_writer() -> Iterator[None]:
    yield
    if calendar_writer.cache_info().currsize:
        calendar_writer().close()


@contextmanager
def serving(settings: Settings, database: Database, slack: FakeSlack) -> Iterator[RunningApp]:
    """The real Bolt app behind the real WSGI server, on a free loopback port."""
    clock = Clock()
    deliveries = Lane()
    directory = SlackDirectory(lookup_client(settings))
    app = build_app(settings, database, directory, deliveries, clock, calendar_writer())
    routes = Routes(app, database, clock, calendar_writer(), signing_secret=settings.signing_secret)
    server = make_server(routes, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    sender = SlackSender(url + "/slack/events", SIGNING_SECRET, TEAM, slack)
    try:
        yield RunningApp(url, database, slack, clock, sender)
    finally:
        stop_server(server, thread)
        deliveries.close()  # nothing left over to reach the next test's Slack or database


@pytest.fixture
def running_app(settings: Settings, database: Database, slack: FakeSlack) -> Iterator[RunningApp]:
    with serving(settings, database, slack) as app:
        yield app


class Everyone:
    """A directory in which every user exists, named after their id."""

    def lookup(self, user_id: str) -> PersonInfo:
        return PersonInfo(user_id, user_id.lower())


@dataclass
class Core:
    """The core without Slack: commands typed at a chosen instant, straight into dispatch."""

    database: Database
    timezone: str = "Europe/London"  # the deployment's BOARD_TIMEZONE

    def command(self, user: str, text: str, at: datetime, channel: str = CHANNEL) -> str:
        invocation = Invocation(TEAM, channel, user, text, at, default_timezone=self.timezone)
        return dispatch.run(invocation, self.database, Everyone()).reply.plain_text()


@pytest.fixture
def core(database: Database) -> Core:
    return Core(database)


def migrated_again(database: Database, down_to: str) -> None:
    """Take the schema down to the revision `down_to` and up again, as a database made
    before the later migrations is brought up to date."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, down_to)
        command.upgrade(config, "head")
