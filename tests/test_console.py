"""`boardbot console`: the same core and database, driven by piped lines."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import sysconfig
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document

from bot.config import Settings
from commands.reminders import due_reminders
from storage.database import Database
from tests.conftest import CHANNEL, Core
from tests.processes import SERVE, environ, run, served, server_environ
from tests.slack_requests import get

SESSION = """\
/board setup Wellingborough CSP Board
/board member add @gill secretary org Borough Council of Wellingborough
/board member add @paul org Northamptonshire Police
/as gill
/board meeting add 14/01/2030 10:00 for 2h at Swanspool House quarterly 2 : CSP Board
/as paul
/board agenda add SSNP report @paul 15m
/board action add @paul Share hotspot data with <!channel> & housing by 7/1/2030
/board meeting add 14/01/2030 10:00
/board actions
/board calendar
/board frobnicate
/as
"""


BOARD_DB = "sqlite:///{}/board.db"
ROOT = Path(__file__).resolve().parent.parent
NO_SLACK = "http://127.0.0.1:9/api/"  # nothing listens: the token is checked later
IN_DECEMBER = {"BOARDBOT_REHEARSE_FROM": "2026-12-01T12:00:00+00:00"}


def run_console(
    database_url: str, stdin: str, cwd: Path, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = environ(DATABASE_URL=database_url, BOARD_TIMEZONE="Europe/London", **settings)
    return run(["-m", "bot", "console"], env, cwd, stdin)


def test_a_piped_session_prints_replies_posts_and_refusals(
    database_url: str, tmp_path: Path
) -> None:
    result = run_console(database_url, SESSION, tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "This channel is now home to Wellingborough CSP Board. You are its chair." in out
    assert "[channel] Wellingborough CSP Board now meets here. Chair: @me." in out
    assert "Added @gill: Secretary, Borough Council of Wellingborough." in out
    assert "(now acting as @gill)" in out
    assert "M1 Monday 14 January 2030, 10:00–12:00 · CSP Board · Swanspool House" in out
    assert "M2 Sunday 14 April 2030, 10:00" in out
    assert "1. SSNP report — @paul (15 min)" in out
    # User text is shown as typed in the console; there is nobody to ping.
    assert "Added A1 for @paul: Share hotspot data with <!channel> & housing" in out
    assert "Only the chair, vice-chair or secretary of Wellingborough CSP Board can do that." in out
    assert "A1 @paul Share hotspot data" in out
    assert "[file to @paul] wellingborough-csp-board.ics" in out
    assert "I don't know “frobnicate”" in out
    assert "Usage: /as <name>, e.g. /as gill" in out
    assert "Traceback" not in out + result.stderr


def test_the_console_saves_the_files_slack_would_attach(tmp_path: Path) -> None:
    typed = (
        "/board setup Wellingborough CSP Board\n"
        "/board meeting add 30/11/2026 10:00 at Swanspool House : CSP Board\n"
        "/board agenda add SSNP report to M1\n"
        "/board decision 1 to note the report\n"
        "/board minutes publish\n"
        "/board calendar\n"
    )
    out = run_console(BOARD_DB.format(tmp_path), typed, tmp_path, **IN_DECEMBER).stdout
    saved = tmp_path / "boardbot-files"
    docx = "wellingborough-csp-board-m1-minutes.docx"
    assert f"[file in channel] {docx} (saved as boardbot-files/{docx})" in out
    words = "\n".join(p.text for p in Document(str(saved / docx)).paragraphs)
    assert "Minutes of the meeting held on Monday 30 November 2026, 10:00" in words
    assert "RESOLVED: to note the report" in words
    calendar = (saved / "wellingborough-csp-board.ics").read_text()
    assert "SUMMARY:CSP Board" in calendar


def test_the_console_prints_the_dm_a_reassigned_owner_gets(tmp_path: Path) -> None:
    typed = (
        "/board setup Wellingborough CSP Board\n/board member add @paul\n"
        "/board member add @lara\n/board action add @lara Share data by 24/12/2026\n"
        "/board action reassign A1 @paul\n"
    )
    out = run_console(BOARD_DB.format(tmp_path), typed, tmp_path, **IN_DECEMBER).stdout
    assert (
        "A1 reassigned from @lara to @paul.\n"
        "[DM to @paul] A1 is yours now — Wellingborough CSP Board\n"
        "@me has given you this action.\n"
        "A1 Share data · due Thu 24 Dec 2026\n"
        "[Mark done]  [Post update]\n"
        "Or type /board action update A1 <text> in the board's channel.\n"
        "[DM to @lara] Your actions on Wellingborough CSP Board\n"
        "@me has given A1 (Share data) to @paul, so it is off your list."
    ) in out


def test_a_file_the_console_cannot_save_is_named_and_the_session_goes_on(tmp_path: Path) -> None:
    (tmp_path / "boardbot-files").write_text("a file where the folder would go")
    env = environ(DATABASE_URL=f"sqlite:///{tmp_path / 'board.db'}")
    typed = "/board setup Wellingborough CSP Board\n/board calendar\n/board members\n"
    result = run(["-m", "bot", "console"], env, tmp_path, typed)
    assert "[file to @me] wellingborough-csp-board.ics (not saved: " in result.stdout
    assert "Wellingborough CSP Board: 1 member" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_console_keeps_its_board_between_runs(database_url: str, tmp_path: Path) -> None:
    run_console(database_url, "/board setup Safer Stronger Neighbourhood Partnership\n", tmp_path)
    second = run_console(database_url, "/board members\n", tmp_path)
    assert "Safer Stronger Neighbourhood Partnership: 1 member\n" in second.stdout
    assert "@me — Chair" in second.stdout


def test_run_without_slack_tokens_is_the_console_and_db_upgrade_says_where(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'board.db'}"
    upgraded = run(["-m", "bot", "db", "upgrade"], environ(DATABASE_URL=url), tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"Database at {url} is up to date." in upgraded.stdout
    ran = run(
        ["-m", "bot", "run"],
        environ(DATABASE_URL=url),
        tmp_path,
        "/board setup Wellingborough CSP Board\n",
    )
    assert ran.returncode == 0, ran.stderr
    assert "This channel is now home to Wellingborough CSP Board. You are its chair." in ran.stdout


@pytest.mark.parametrize(
    "schema",
    [
        # From a later version of the bot.
        "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('from_a_later_version');",
        # Not the bot's: a migration fails on it (SQLite says so as an OperationalError,
        # as it does a file it cannot open, which is waited for instead).
        "CREATE TABLE boards (id INTEGER PRIMARY KEY);",
    ],
    ids=["later", "foreign"],
)
def test_serve_does_not_start_on_a_database_it_cannot_upgrade(tmp_path: Path, schema: str) -> None:
    """The migrations run as a process of their own; their failure stops the server."""
    path = tmp_path / "board.db"
    with sqlite3.connect(path) as database:
        database.executescript(schema)
    database.close()
    env = environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        DATABASE_URL=f"sqlite:///{path}",
    )
    served = run(SERVE, env, tmp_path)
    assert served.returncode == 1
    assert "the database upgrade failed (exit status 1); not starting" in served.stderr
    assert "serving on" not in served.stderr


def test_a_checkout_not_installed_serves_as_python_m_bot(tmp_path: Path) -> None:
    """Run from the checkout by a Python that has the dependencies but not the project,
    the migrations' own process imports the same checkout."""
    # Python reads no .pth files on PYTHONPATH: the project installed there is not seen.
    env = server_environ(NO_SLACK, f"sqlite:///{tmp_path / 'board.db'}", "secret")
    env["PYTHONPATH"] = sysconfig.get_path("purelib")
    serve = ["-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"]
    with served(serve, env, ROOT, python=str(Path(sys.base_prefix, "bin", "python3"))) as url:
        assert get(url.replace("/slack/events", "/healthz")).body == "ok"


def test_the_console_keeps_a_rehearsals_clock(tmp_path: Path) -> None:
    env = environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'board.db'}",
        BOARDBOT_REHEARSE_FROM="2030-06-01T09:00:00+00:00",
    )
    typed = "/board setup Wellingborough CSP Board\n/board meeting add tomorrow 10:00\n"
    result = run(["-m", "bot", "console"], env, tmp_path, typed)
    assert "M1 Sunday 2 June 2030, 10:00" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Europe"])
def test_an_unknown_default_time_zone_stops_the_bot_before_any_board_is_set_up(
    tmp_path: Path, zone: str
) -> None:
    """A board set up in a zone the bot cannot read would fail every command after."""
    path = tmp_path / "board.db"
    env = environ(DATABASE_URL=f"sqlite:///{path}", BOARD_TIMEZONE=zone)
    result = run(["-m", "bot", "console"], env, tmp_path, "/board setup CSP Board\n")
    assert result.returncode == 2
    assert f"BOARD_TIMEZONE '{zone}' is not a time zone" in result.stderr
    assert "Traceback" not in result.stderr and not path.exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REMINDER_INTERVAL_SECONDS", "abc"),
        ("REMINDER_INTERVAL_SECONDS", "0"),
        ("REMINDER_CLAIM_TIMEOUT_SECONDS", "-5"),
        ("BOARDBOT_REHEARSE_SPEED", "fast"),
    ],
)
def test_a_number_setting_that_is_not_one_above_zero_stops_the_bot_saying_so(
    tmp_path: Path, name: str, value: str
) -> None:
    env = environ(DATABASE_URL=f"sqlite:///{tmp_path / 'board.db'}", **{name: value})
    result = run(["-m", "bot", "console"], env, tmp_path, "/board help\n")
    assert result.returncode == 2
    assert f"{name} '{value}' is not a number above 0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["mysql://board@localhost/board", "boardbot.db"])
def test_a_database_the_bot_does_not_run_on_stops_it_saying_so(tmp_path: Path, url: str) -> None:
    result = run(["-m", "bot", "db", "upgrade"], environ(DATABASE_URL=url), tmp_path, "")
    assert result.returncode == 2
    assert "DATABASE_URL is not a database the bot runs on" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg2"])
def test_a_postgresql_address_as_hosting_services_give_it_is_read_with_psycopg(
    monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    monkeypatch.setenv(
        "DATABASE_URL", f"{scheme}://board:p%40ss@db.example:5432/csp?sslmode=require"
    )
    url = Settings.from_env().database_url
    assert url == "postgresql+psycopg://board:p%40ss@db.example:5432/csp?sslmode=require"


def test_a_rehearsal_start_that_is_not_an_instant_stops_the_bot_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    env = environ(DATABASE_URL=f"sqlite:///{path}", BOARDBOT_REHEARSE_FROM="next Monday")
    result = run(["-m", "bot", "console"], env, tmp_path, "/board setup CSP Board\n")
    assert result.returncode == 2
    assert "BOARDBOT_REHEARSE_FROM 'next Monday' is not an ISO-8601 instant" in result.stderr
    assert "Traceback" not in result.stderr and not path.exists()


def test_the_console_prints_its_boards_reminders_and_leaves_other_boards_theirs(
    database: Database, core: Core, tmp_path: Path
) -> None:
    at = datetime(2030, 6, 1, 12, tzinfo=UTC)
    core.command("UCHAIR", "setup Slack Board", at)
    core.command("UCHAIR", "meeting add 5/6/2030 10:00", at)
    typed = (
        "/board setup Console Board\n"
        "/board member add @gill\n"
        "/board action add @gill Share the hotspot data by 4/6/2030\n"
        "/board meeting add 6/6/2030 10:00\n"
        "/board actions\n"
    )
    env = environ(DATABASE_URL=database.url, BOARDBOT_REHEARSE_FROM=at.isoformat())
    out = run(["-m", "bot", "console"], env, tmp_path, typed).stdout

    meeting_added = out.index("[channel] Console Board: meeting scheduled")
    draft = out.index("[channel] Draft agenda: Console Board, Thursday 6 June 2030, 10:00")
    asked = out.index("[DM to @gill] Please update your actions before M1 — Console Board")
    assert meeting_added < draft < asked < out.index("Open actions (1)")
    # Its agenda is empty: the draft asks for items again.
    propose = "Nothing is on the agenda yet: propose items with /board agenda add <title> to M1."
    assert draft < out.index(propose) < asked
    assert "A1 Share the hotspot data · due Tue 4 Jun 2030\n[Mark done]  [Post update]" in out
    assert out.count("Draft agenda") == 1  # sent, so not again after the next command
    # The Slack board's draft agenda is left for the bot that posts to its channel.
    [slack_draft] = due_reminders(database, at + timedelta(minutes=5))
    assert (slack_draft.key.kind, slack_draft.key.recipient) == ("draft_agenda", CHANNEL)


def test_reminders_run_without_slack_prints_the_console_boards_once(
    database: Database, core: Core, tmp_path: Path
) -> None:
    at = datetime(2030, 6, 1, 12, tzinfo=UTC)
    core.command("UCHAIR", "setup Slack Board", at)
    core.command("UCHAIR", "meeting add 20/6/2030 10:00", at)
    env = environ(DATABASE_URL=database.url, BOARDBOT_REHEARSE_FROM=at.isoformat())
    # A server's database, its token gone: cron must fail, not pass quietly.
    no_token = run(["-m", "bot", "reminders", "run"], env, tmp_path)
    assert no_token.returncode == 2
    assert "SLACK_BOT_TOKEN is not set; reminders are posted to Slack." in no_token.stderr
    typed = "/board setup Console Board\n/board meeting add 20/6/2030 10:00 at Swanspool House\n"
    run(["-m", "bot", "console"], env, tmp_path, typed)

    def reminders_run(at: str) -> subprocess.CompletedProcess[str]:
        return run(["-m", "bot", "reminders", "run", "--at", at], env, tmp_path)

    call = reminders_run("2030-06-06T09:00")
    assert call.stdout.startswith("[channel] Call for agenda items: Console Board\n")
    assert "propose items for M1 (Thursday 20 June 2030, 10:00)" in call.stdout
    assert call.stdout.endswith(
        "1 reminder(s) posted to the console as of 2030-06-06T09:00:00+01:00\n"
    )
    # The Slack board's call is due too, and waits for the bot: cron is told.
    assert call.returncode == 1
    assert "1 reminder(s) of boards in Slack are due and not posted" in call.stderr
    again = reminders_run("2030-06-06T09:05")
    assert again.stdout.startswith("0 reminder(s) posted to the console")
    [slack_call] = due_reminders(database, at.replace(day=6, hour=8, minute=5))
    assert (slack_call.key.kind, slack_call.key.recipient) == ("agenda_call", CHANNEL)


def test_the_console_reads_mentions_as_slack_sends_them(database_url: str, tmp_path: Path) -> None:
    typed = (
        "/board setup Wellingborough CSP Board\n"
        "/board member add <@U02LARA|lara> vice-chair\n"
        "/board member add <@U03GILL> secretary\n"
        "/board member add @WES org Fire\n"
        "/as Lara\n"
        "/board reminders off\n"
        "/as U03GILL\n"
        "/board meeting add 14/01/2030 10:00\n"
        "/as <@u03gill>\n"
    )
    out = run_console(database_url, typed, tmp_path).stdout
    assert "Added @lara: Vice-chair." in out
    assert "Added @U03GILL: Secretary." in out
    assert "Added @WES: Member, Fire." in out  # a name in capitals, not a Slack id
    assert "(now acting as @lara)\nReminders for Wellingborough CSP Board are off" in out
    assert "(now acting as @U03GILL)\nMeeting scheduled\nM1 Monday 14 January 2030" in out
    assert out.endswith("Usage: /as <name>, e.g. /as gill\n")


def test_the_settings_come_from_a_dotenv_file_that_the_environment_overrides(
    tmp_path: Path,
) -> None:
    """SPEC §8: `.env` in the working directory is read; a variable set in the
    environment wins; without either, the database is boardbot.db there."""
    unset = {"DATABASE_URL", "BOARD_TIMEZONE", "PUBLIC_URL"}
    env = {k: v for k, v in environ().items() if k not in unset}
    typed = "/board setup CSP Board\n/board reminders\n/board calendar\n"

    plain = run(["-m", "bot", "console"], env, tmp_path, typed)
    assert "Times are Europe/London." in plain.stdout
    assert "http://localhost:3000/calendar/" in plain.stdout
    assert (tmp_path / "boardbot.db").exists()

    (tmp_path / ".env").write_text(
        "DATABASE_URL=sqlite:///from-dotenv.db\n"
        "BOARD_TIMEZONE=America/New_York\n"
        "PUBLIC_URL=https://board.example.gov.uk\n"
    )
    dotenv = run(["-m", "bot", "console"], env, tmp_path, typed)
    assert "Times are America/New_York." in dotenv.stdout
    assert "https://board.example.gov.uk/calendar/" in dotenv.stdout
    assert (tmp_path / "from-dotenv.db").exists()

    overridden = env | {"DATABASE_URL": "sqlite:///from-env.db", "BOARD_TIMEZONE": "Europe/Dublin"}
    mine = run(["-m", "bot", "console"], overridden, tmp_path, typed)
    assert "Times are Europe/Dublin." in mine.stdout
    assert "https://board.example.gov.uk/calendar/" in mine.stdout
    assert (tmp_path / "from-env.db").exists()


def test_a_line_that_is_no_slash_command_says_how_to_type_one(tmp_path: Path) -> None:
    """Nor is a name longer than Slack allows taken as the board's command."""
    typed = "/board setup CSP Board\nhelp\n/" + "x" * 40 + " help\n/board reminders\n"
    result = run_console(BOARD_DB.format(tmp_path), typed, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Type a slash command such as /board help") == 2
    assert "Change with /board reminders on|off" in result.stdout
