"""`boardbot` (also `python -m bot`): serve, socket, console, reminders, db, export, import."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import site
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import datetime
from http.client import HTTPException
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.app import WRONG_TOKEN, TokenRefused, build_app, check_token, lookup_client, web_client
from bot.calendar_worker import CalendarWriter
from bot.config import BadSetting, Settings, instant
from bot.console import Console
from bot.delivery import Lane, failure_reason
from bot.directory import SlackDirectory
from bot.scheduler import reminder_pass, start_scheduler
from bot.server import Routes, make_server, stop_server
from commands.board_export import export_board, import_board
from commands.dates import utc_now, warm_up
from commands.errors import BoardError
from commands.reminders import due_reminders
from storage.database import Database, StorageUnavailable

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger("boardbot")
SWITCH_INTERVAL = 0.0005  # seconds
SERVERS = {"serve", "socket"}
TRY_AGAIN_LATER = 75  # sysexits.h EX_TEMPFAIL: the database could not be reached
UPGRADE_RETRY_SECONDS = 2
CONNECT_RETRY_SECONDS = 1
RETRY_LONGEST_SECONDS = 60  # between tries to reach the database or Slack


class Misconfigured(Exception):
    """What the operator has to set or fix first; said as a usage error (exit status 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run `boardbot <verb>` with these arguments (default: the command line); its exit
    status. What the operator must fix first is said as a usage error (exit status 2)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except Misconfigured as error:
        parser.error(str(error))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boardbot", description="Board Bot for Slack.")
    verbs = parser.add_subparsers(dest="verb", required=True)
    serve = verbs.add_parser(
        "serve", help="HTTP mode: POST /slack/events, GET /calendar/<token>.ics and /healthz"
    )
    socket = verbs.add_parser(
        "socket", help="Socket Mode (no public URL needed); GET /calendar/… and /healthz over HTTP"
    )
    verbs.add_parser("console", help="a local shell over the same core and database")
    run = verbs.add_parser("run", help="socket or serve when Slack tokens are set, else console")
    for http in (serve, socket, run):
        http.add_argument("--host", default="0.0.0.0", help="address to listen on (%(default)s)")
        http.add_argument("--port", type=int, default=3000, help="port (%(default)s; 0: any free)")
    reminders = verbs.add_parser("reminders", help="reminders")
    reminders.add_argument("action", choices=["run"], help="run one reminder pass and exit (cron)")
    reminders.add_argument(
        "--at",
        help="the pass's instant, ISO-8601; without an offset, in BOARD_TIMEZONE (default: now)",
    )
    db = verbs.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    export = verbs.add_parser(
        "export", help="write a board as JSON (for import) and a CSV action log"
    )
    export.add_argument("--board", required=True, help="the board's name or channel id")
    export.add_argument("--out", type=Path, default=Path(), help="folder to write to (default: .)")
    restore = verbs.add_parser("import", help="restore a board from an export's JSON file")
    restore.add_argument("file", type=Path, help="the <board>.json written by export")
    return parser


def _run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
    except BadSetting as error:
        raise Misconfigured(str(error)) from None
    verb = args.verb
    quiet = verb in {"console", "run"} and not settings.has_slack
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # One line per migration, two per reminder pass: noise.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    at = None
    if verb == "reminders":  # checked before anything is opened
        at = _pass_instant(args.at, settings.board_timezone)
    if verb == "run":
        verb = "console" if not settings.has_slack else "socket" if settings.app_token else "serve"
    database = Database(settings.database_url, answering=verb in SERVERS)
    if failed := _upgrade_on_start(database, verb):
        return failed
    if verb == "db":
        print(f"Database at {database.engine.url.render_as_string()} is up to date.")
        return 0
    if verb == "reminders":
        return _reminders(database, settings, at or utc_now())
    try:
        if verb == "export":
            return _export(database, args.board, args.out)
        if verb == "import":
            return _import(database, args.file)
    except BoardError as error:
        print(f"boardbot {verb}: {error}", file=sys.stderr)
        return 1
    warm_up()
    if verb == "console":
        return _console(settings, database)
    return _listen(verb, args.host, args.port, settings, database)


def _pass_instant(text: str | None, zone: str) -> datetime | None:
    """The reminder pass's `--at` (None: now)."""
    try:
        return instant(text, zone)
    except ValueError as error:
        raise Misconfigured(f"--at {error}") from None


def _upgrade_on_start(database: Database, verb: str) -> int:
    """Bring the schema up to date; an exit status if this cannot go on, else 0."""
    if verb not in SERVERS:
        try:
            database.upgrade()
        except StorageUnavailable as error:
            print(f"boardbot {verb}: the database could not be reached: {error}", file=sys.stderr)
            return TRY_AGAIN_LATER
        return 0
    upgraded = _upgrade_in_a_child()
    if upgraded == TRY_AGAIN_LATER:
        # Started before its database: "unavailable" to everyone until it is upgraded.
        log.warning("the database is out of reach: answering 'unavailable' until it is back")
        database.hold()
        threading.Thread(target=_upgrade_when_reachable, args=(database,), daemon=True).start()
        return 0
    if upgraded:
        log.error("the database upgrade failed (exit status %s); not starting", upgraded)
        return max(upgraded, 1)  # killed by a signal: negative
    return 0


def _reminders(database: Database, settings: Settings, now: datetime) -> int:
    local = now.astimezone(ZoneInfo(settings.board_timezone))  # as `--at` is read
    try:
        if settings.bot_token:
            posted = reminder_pass(database, web_client(settings), now, settings)
            for reminder in posted:
                print(f"posted {reminder.summary}")
                print(textwrap.indent(reminder.message.plain_text(), "    "))
            print(f"{len(posted)} reminder(s) posted as of {local.isoformat()}")
            return 0
        # No Slack to post to: the console board's, printed as the console prints them.
        console = Console(database, settings)
        if not console.has_board():  # cron on a server whose token went missing
            raise Misconfigured("SLACK_BOT_TOKEN is not set; reminders are posted to Slack.")
        printed = console.reminders(now)
        waiting = len(due_reminders(database, now))  # other boards': they need Slack
    except StorageUnavailable as error:
        print(f"boardbot reminders: the database could not be reached: {error}", file=sys.stderr)
        return TRY_AGAIN_LATER
    for text in printed:
        print(text)
    print(f"{len(printed)} reminder(s) posted to the console as of {local.isoformat()}")
    if waiting:  # a server's database that a console once ran on: cron must see it fail
        print(
            f"boardbot reminders: {waiting} reminder(s) of boards in Slack are due and not "
            "posted: SLACK_BOT_TOKEN is not set.",
            file=sys.stderr,
        )
        return 1
    return 0


def _listen(verb: str, host: str, port: int, settings: Settings, database: Database) -> int:
    """`serve` or `socket`: listen until stopped, with the reminder scheduler running."""
    if not settings.bot_token:
        raise Misconfigured(
            "SLACK_BOT_TOKEN is not set (see .env.example); try `boardbot console`."
        )
    if verb == "socket" and not settings.app_token:
        raise Misconfigured("SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token.")
    if verb == "serve" and not settings.signing_secret:
        raise Misconfigured(
            "SLACK_SIGNING_SECRET is not set; HTTP mode verifies every request with it."
        )
    try:
        check_token(settings)
    except TokenRefused as refused:
        raise Misconfigured(
            f"Slack refuses SLACK_BOT_TOKEN ({refused}); check it in the app's settings."
        ) from None
    # `kill`, as systemd, Docker and Kubernetes stop a service, stops it cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with ExitStack() as running:  # stopped in reverse: passes, then deliveries, then the worker
        write_ics = CalendarWriter()
        running.callback(write_ics.close)  # deliveries still queued may need calendars written
        deliveries = Lane()
        running.callback(deliveries.close)  # what commands left queued is sent
        clock = settings.clock()
        directory = SlackDirectory(lookup_client(settings))
        app = build_app(settings, database, directory, deliveries, clock, write_ics)
        # Socket Mode takes Slack's requests over its socket; calendar apps still fetch the
        # feed over HTTP, so both modes listen, and only `serve` takes Slack's requests there.
        routes = Routes(
            app,
            database,
            clock,
            write_ics,
            slack_events=verb == "serve",
            signing_secret=settings.signing_secret,
        )
        try:
            server = make_server(routes, host, port)
        except OSError as error:
            raise Misconfigured(
                f"cannot listen on {host}:{port}: {error.strerror or error}"
            ) from None
        scheduler = start_scheduler(database, app.client, directory, settings, clock)
        running.callback(scheduler.shutdown)  # a pass under way finishes first
        if verb == "socket":
            _socket_mode(app, server, settings.app_token)
        else:
            _serve_http(server)
    return 0


def _socket_mode(app: App, server: Any, app_token: str | None) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    feed = threading.Thread(target=server.run, name="calendar-feed", daemon=True)
    feed.start()
    log.info(
        "calendar feed and health check on http://%s:%s",
        server.effective_host,
        server.effective_port,
    )
    handler = SocketModeHandler(app, app_token)
    try:
        if wrong := _connect(handler):
            raise Misconfigured(
                f"Slack refuses SLACK_APP_TOKEN ({wrong}); check it in the app's settings."
            )
        threading.Event().wait()  # Bolt's start(): the socket's own threads do the work
    finally:
        handler.close()
        stop_server(server, feed)


def _serve_http(server: Any) -> None:
    # Requests should not queue behind background work (reminder passes, posts and
    # uploads after a reply) holding the GIL for the default 5 ms at a time.
    sys.setswitchinterval(SWITCH_INTERVAL)
    # What was loaded to start up lives as long as the process: keep the collector's
    # full passes, which pause every thread, from walking it again and again.
    gc.collect()
    gc.freeze()
    log.info("serving on http://%s:%s/slack/events", server.effective_host, server.effective_port)
    server.run()


def _connect(handler: SocketModeHandler) -> str | None:
    """Open the Socket Mode connection, trying again, less and less often, while Slack
    is out of reach (the calendar feed and health check are served meanwhile). Slack's
    reason if it refuses the app token."""
    waits = _waits(CONNECT_RETRY_SECONDS)
    while True:
        try:
            handler.connect()
            return None
        except (SlackApiError, OSError, HTTPException) as error:  # HTTPException: garbled
            reason = failure_reason(error)
            if reason in WRONG_TOKEN:
                return reason
            log.warning("no Socket Mode connection (%s); trying again", reason)
        time.sleep(next(waits))


def _waits(first: float) -> Iterator[float]:
    """Seconds to wait between tries: doubling from `first`, at most RETRY_LONGEST_SECONDS."""
    wait = first
    while True:
        yield wait
        wait = min(wait * 2, RETRY_LONGEST_SECONDS)


def _upgrade_in_a_child() -> int:
    """`boardbot db upgrade` as a short-lived process of its own, and its exit status: a
    server that ran the migrations itself would keep Alembic in memory for as long as
    it runs."""
    # The packages this process runs, never (-P) another `bot` folder in the working
    # directory: installed, the child finds them too; a checkout run as `python -m bot`
    # is put on its path (not site-packages, which would go before the standard library).
    root = Path(__file__).resolve().parent.parent
    installed = root in {Path(folder).resolve() for folder in site.getsitepackages()}
    path = ["" if installed else str(root), os.environ.get("PYTHONPATH", "")]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}
    command = [sys.executable, "-P", "-m", "bot", "db", "upgrade"]
    return subprocess.run(
        command, stdout=subprocess.DEVNULL, env=environment, check=False
    ).returncode


def _upgrade_when_reachable(database: Database) -> None:
    """Try the upgrade again, less and less often, until it is done; then serve. A
    failure of the upgrade itself is logged and tried again too: the server stays up,
    answering "unavailable" (and /healthz 503) until it is put right."""
    for wait in _waits(UPGRADE_RETRY_SECONDS):
        time.sleep(wait)
        upgraded = _upgrade_in_a_child()
        if not upgraded:
            database.release()
            log.info("the database is back and up to date")
            return
        if upgraded == TRY_AGAIN_LATER:
            log.warning("the database is still out of reach")
        else:
            log.error("the database upgrade failed (exit status %s)", upgraded)


def _export(database: Database, board: str, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for file in export_board(database, board, utc_now()):
        (out / file.filename).write_bytes(file.content)
        print(f"wrote {out / file.filename}")
    return 0


def _import(database: Database, path: Path) -> int:
    try:
        content = path.read_bytes()
    except OSError as error:
        print(f"boardbot import: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 1
    restored = import_board(database, content)
    rows = sum(restored.counts.values())
    print(f"restored {restored.name} to channel {restored.channel_id} ({rows} rows)")
    if restored.missing_parent:
        print(f"note: its parent board {restored.missing_parent} is not in this database")
    return 0


def _console(settings: Settings, database: Database) -> int:
    console = Console(database, settings)
    if sys.stdin.isatty():
        print("Board Bot console. Type /board help; /as <name> switches user; Ctrl-D ends.")
    console.run(sys.stdin, sys.stdout)
    return 0
