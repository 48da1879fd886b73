"""Engines, sessions and migrations for SQLite (embedded) and PostgreSQL (server)."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///boardbot.db"
# The longest a server answering Slack waits on the database, for each of a lock, a
# connection (whole seconds: 2) and a pool slot, before giving up: short, so that after a
# lookup in Slack of up to a second (`bot.app`) the "unavailable" reply reaches the person
# inside Slack's 3 seconds when one thing is slow. Migrations, a cron reminder pass and
# the console can wait longer.
ANSWERING_WAIT_MS = 1500
PATIENT_WAIT_MS = 5000


class StorageUnavailable(Exception):
    """The database could not be reached or was locked; the caller may try again."""


def _configure_sqlite(engine: Engine, wait_ms: int) -> None:
    """WAL and a busy timeout so a web process and a cron pass can share the file.

    Transactions begin IMMEDIATE: a command reads then writes, and a deferred
    transaction that tries to upgrade its lock fails at once instead of waiting.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and session factory; `transaction()` is one unit of work."""

    def __init__(
        self, url: str = DEFAULT_URL, *, echo: bool = False, answering: bool = False
    ) -> None:
        """`answering`: for a server answering Slack, which gives up on the database after
        ANSWERING_WAIT_MS, row locks on PostgreSQL included."""
        self.url = url
        wait = ANSWERING_WAIT_MS if answering else PATIENT_WAIT_MS
        options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if url.startswith("postgresql"):
            options |= {"pool_size": 10, "max_overflow": 10, "pool_timeout": wait / 1000}
            options["connect_args"] = {"connect_timeout": math.ceil(wait / 1000)}  # whole s
            if answering:  # added to the URL's own options (a search_path, say), not instead
                given = make_url(url).query.get("options", ())
                given = (given,) if isinstance(given, str) else given
                settings = [*given, f"-c lock_timeout={wait}"]
                options["connect_args"]["options"] = " ".join(settings)
        self.engine = create_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine, wait)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._open = threading.Event()
        self._open.set()

    def hold(self) -> None:
        """Answer as unavailable until `release()`: for a server that started while the
        database was out of reach, and so could not bring its schema up to date."""
        self._open.clear()

    def release(self) -> None:
        """Serve again: the schema is up to date."""
        self._open.set()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit on success, roll back on any exception; outages become StorageUnavailable."""
        if not self._open.is_set():
            raise StorageUnavailable("the database has not been upgraded yet")
        try:
            with self._sessions.begin() as session:
                yield session
        except (OperationalError, DBAPIError) as error:
            if isinstance(error, OperationalError) or error.connection_invalidated:
                raise StorageUnavailable(str(error.orig)) from error
            raise

    def upgrade(self) -> None:
        """Apply every Alembic migration (idempotent).

        Alembic is imported here, not at the top: with Mako (and Pygments, where
        installed) it weighs about 12 MB, which a server that migrates in a child
        process never has to carry.
        """
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            connection = self.engine.connect()
        except OperationalError as error:  # out of reach; a failing migration is not
            raise StorageUnavailable(str(error.orig)) from error
        with connection, connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load, as PostgreSQL's autovacuum
        would in time. SQLite files are never analysed: the indexes are laid out so the
        planner chooses well without statistics."""
        with self.engine.begin() as connection:
            connection.execute(text("ANALYZE"))

    def ping(self) -> bool:
        """Whether the database answers right now (and is not held)."""
        if not self._open.is_set():
            return False
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except DBAPIError:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
