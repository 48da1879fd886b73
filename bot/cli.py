"""`boardbot` (also `python -m bot`): serve, socket, console, reminders, db."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.app import build_app, utc_now, web_client
from bot.config import Settings
from bot.console import Console
from bot.scheduler import reminder_pass, start_scheduler
from bot.server import Routes, make_server
from commands.dates import warm_up
from storage.database import Database

log = logging.getLogger("boardbot")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="boardbot", description="Board Bot for Slack.")
    verbs = parser.add_subparsers(dest="verb", required=True)
    serve = verbs.add_parser("serve", help="HTTP mode: POST /slack/events, GET /healthz")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=3000)
    verbs.add_parser("socket", help="Socket Mode (no public URL needed)")
    verbs.add_parser("console", help="a local shell over the same core and database")
    verbs.add_parser("run", help="socket or serve when Slack tokens are set, else console")
    reminders = verbs.add_parser("reminders", help="reminders")
    reminders.add_argument("action", choices=["run"], help="run one reminder pass and exit (cron)")
    reminders.add_argument(
        "--at", type=_instant, default=None, help="the pass's instant, ISO-8601 (default: now)"
    )
    db = verbs.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    quiet = args.verb in {"console", "run"} and not settings.has_slack
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    database = Database(settings.database_url)
    verb = args.verb
    if verb == "run":
        verb = "console" if not settings.has_slack else "socket" if settings.app_token else "serve"
    if verb == "db":
        database.upgrade()
        print(f"Database at {database.engine.url.render_as_string()} is up to date.")
        return 0
    database.upgrade()
    if verb == "reminders":
        if not settings.bot_token:
            parser.error("SLACK_BOT_TOKEN is not set; reminders are posted to Slack.")
        now = args.at or utc_now()
        posted = reminder_pass(database, web_client(settings), now)
        for reminder in posted:
            print(f"posted {reminder.summary}")
        print(f"{len(posted)} reminder(s) posted as of {now.isoformat()}")
        return 0
    warm_up()
    if verb == "console":
        return _console(settings, database)
    if not settings.bot_token:
        parser.error("SLACK_BOT_TOKEN is not set (see .env.example); try `boardbot console`.")
    app = build_app(settings, database)
    if verb == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        if not settings.app_token:
            parser.error("SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token.")
        start_scheduler(database, app.client, utc_now)
        SocketModeHandler(app, settings.app_token).start()
        return 0
    if not settings.signing_secret:
        parser.error("SLACK_SIGNING_SECRET is not set; HTTP mode verifies every request with it.")
    start_scheduler(database, app.client, utc_now)
    server = make_server(Routes(app, database), args.host, args.port)
    log.info("serving on http://%s:%s/slack/events", args.host, server.effective_port)
    server.run()
    return 0


def _instant(text: str) -> datetime:
    """An ISO-8601 instant; without an offset it is read as UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _console(settings: Settings, database: Database) -> int:
    console = Console(database, utc_now, settings.board_timezone)
    if sys.stdin.isatty():
        print("Board Bot console. Type /board help; /as <name> switches user; Ctrl-D ends.")
    console.run(sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
