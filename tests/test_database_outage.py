"""When the database cannot be reached the user is told so, and nothing breaks (SPEC §4)."""

from __future__ import annotations

import io
import sqlite3
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.console import Console
from commands import dispatch
from commands.context import Invocation
from commands.home import home
from storage.database import Database
from tests.conftest import CHANNEL, POSTGRES_URL, SIGNING_SECRET, TEAM, Everyone, serving
from tests.fake_slack import FakeSlack
from tests.processes import SERVE, served, server_environ
from tests.slack_requests import SlackSender, get
from tests.snapshots import dump
from tests.tcp_proxy import TcpProxy

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def board_command(database: Database, text: str) -> str:
    invocation = Invocation("T1", "C1", "UCHAIR", text, NOW)
    return dispatch.run(invocation, database, Everyone()).reply.plain_text()


def test_an_unreachable_server_gets_the_unavailable_reply() -> None:
    nowhere = Database("postgresql+psycopg://postgres@127.0.0.1:9/none")
    assert "Sorry, the board is unavailable, try again shortly." in board_command(
        nowhere, "members"
    )


def test_the_home_tab_says_the_board_is_unavailable() -> None:
    nowhere = Database("postgresql+psycopg://postgres@127.0.0.1:9/none")
    tab = home(nowhere, "T1", "UCHAIR", NOW).plain_text()
    assert "Sorry, the board is unavailable, try again shortly." in tab


def test_the_console_says_the_board_is_unavailable_and_carries_on() -> None:
    nowhere = "postgresql+psycopg://postgres@127.0.0.1:9/none"
    settings = Settings(None, None, None, "http://127.0.0.1:9/api/", nowhere, "Europe/London", "")
    out = io.StringIO()
    Console(Database(nowhere), settings).run(["/board members", "/board actions"], out)
    assert out.getvalue() == f"{UNAVAILABLE}\n{UNAVAILABLE}\n"


def test_a_locked_sqlite_file_gets_the_unavailable_reply_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    board_command(database, "setup Wellingborough CSP Board")

    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        assert "the board is unavailable, try again shortly" in board_command(
            database, "action add <@UCHAIR> Chase"
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "Added A1" in board_command(database, "action add <@UCHAIR> Chase")


UNAVAILABLE = "Sorry, the board is unavailable, try again shortly."


def _pg_url_via(url: str, port: int, name: str) -> str:
    """The same database reached through the proxy, its connections labelled `name`."""
    return url.replace("127.0.0.1:5432", f"127.0.0.1:{port}") + f"&application_name={name}"


def test_the_app_survives_losing_its_database_and_recovers_by_itself(
    database_url: str, database: Database, settings: Settings, slack: FakeSlack, tmp_path: Path
) -> None:
    """PostgreSQL unreachable (connections cut, new ones refused), or the SQLite file locked."""
    with ExitStack() as stack:
        if database_url.startswith("sqlite"):
            app_database = database
            path = database_url.removeprefix("sqlite:///")

            def outage() -> None:
                blocker = sqlite3.connect(path, isolation_level=None)
                blocker.execute("BEGIN EXCLUSIVE")
                stack.callback(blocker.close)
                restorers.append(lambda: blocker.execute("ROLLBACK"))
        else:
            proxy = stack.enter_context(TcpProxy("127.0.0.1", 5432))
            app_database = Database(_pg_url_via(database_url, proxy.port, "boardbot_outage"))
            stack.callback(app_database.dispose)

            def outage() -> None:
                proxy.cut()
                restorers.append(proxy.restore)

        restorers: list[Callable[[], object]] = []
        app = stack.enter_context(serving(settings, app_database, slack))
        app.command("UCHAIR", "setup Wellingborough CSP Board")
        before = dump(database)

        outage()
        during = app.command("UCHAIR", "action add <@UCHAIR> Chase the PCC")
        assert during["response_type"] == "ephemeral" and UNAVAILABLE in during["text"]
        assert get(app.url + "/healthz").status == 503
        for restore in restorers:
            restore()

        after = app.command("UCHAIR", "action add <@UCHAIR> Chase the PCC")
        assert "Added *A1*" in after["text"]
        assert get(app.url + "/healthz").body == "ok"
        changed = dump(database)
        assert changed["actions"] != before["actions"] and len(changed["actions"]) == 1


def test_killed_postgres_connections_are_replaced_on_the_next_command(
    database_url: str, settings: Settings, slack: FakeSlack
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    name = f"boardbot_{uuid.uuid4().hex[:8]}"
    app_database = Database(database_url + f"&application_name={name}")
    app_database.upgrade()
    with serving(settings, app_database, slack) as app:
        app.command("UCHAIR", "setup Wellingborough CSP Board")
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (name,),
            ).fetchone()
        assert killed and killed[0] >= 1
        assert "Added *A1*" in app.command("UCHAIR", "action add <@UCHAIR> Chase the PCC")["text"]
    app_database.dispose()


def test_a_server_started_before_its_database_serves_once_the_database_is_there(
    slack: FakeSlack, tmp_path: Path
) -> None:
    """`serve` with its SQLite folder not there yet: up, "unavailable", then upgraded."""
    folder = tmp_path / "not-yet"
    env = server_environ(slack.api_url, f"sqlite:///{folder}/board.db", SIGNING_SECRET)
    with served(SERVE, env, tmp_path) as url:
        health = url.removesuffix("/slack/events") + "/healthz"
        sender = SlackSender(url, SIGNING_SECRET, TEAM, slack)
        assert get(health).status == 503
        assert UNAVAILABLE in sender.command("UCHAIR", "members", channel=CHANNEL).json()["text"]

        folder.mkdir()
        deadline = time.monotonic() + 60
        while get(health).status != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        reply = sender.command("UCHAIR", "setup Wellingborough CSP Board", channel=CHANNEL)
        assert "now home to *Wellingborough CSP Board*" in reply.json()["text"]


def test_a_server_answering_slack_waits_at_most_a_second_and_a_half_for_the_database(
    database_url: str,
) -> None:
    """A lock held elsewhere: the "unavailable" reply must still beat Slack's 3 seconds."""
    answering = Database(database_url, answering=True)
    with answering.transaction() as session:
        if answering.dialect == "sqlite":
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 1500
        else:
            assert session.execute(text("SHOW lock_timeout")).scalar() == "1500ms"
            # Beside the URL's own options (the tests' schema), not instead of them.
            assert session.execute(text("SHOW search_path")).scalar() == search_path(database_url)
    answering.dispose()


def search_path(url: str) -> str:
    patient = Database(url)
    with patient.transaction() as session:
        shown = str(session.execute(text("SHOW search_path")).scalar())
    patient.dispose()
    return shown
