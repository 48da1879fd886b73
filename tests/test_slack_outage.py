"""Slack out of reach, or refusing the bot token, as `boardbot serve` starts."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from slack_sdk import WebClient

from bot.delivery import deliver
from commands.calendar_ics import ics
from commands.replies import File, Message, Outcome, line
from storage.database import Database
from tests.conftest import CHANNEL, TEAM
from tests.fake_slack import FakeSlack
from tests.processes import SERVE, run, served, server_environ
from tests.slack_requests import SlackSender, get
from tests.tcp_proxy import TcpProxy

SECRET = "secret"


def test_the_server_starts_while_slack_is_out_of_reach_and_works_once_it_is_back(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    with TcpProxy("127.0.0.1", urlsplit(slack.base_url).port or 80) as proxy:
        proxy.cut()
        env = server_environ(f"http://127.0.0.1:{proxy.port}/api/", database_url, SECRET)
        with served(SERVE, env, tmp_path) as url:
            assert get(url.removesuffix("/slack/events") + "/healthz").body == "ok"
            sender = SlackSender(url, SECRET, TEAM, slack)
            meanwhile = sender.command("UCHAIR", "setup Wellingborough CSP Board", channel=CHANNEL)
            assert meanwhile.status == 200 and "try again" in meanwhile.json()["text"]

            proxy.restore()
            reply = sender.command("UCHAIR", "setup Wellingborough CSP Board", channel=CHANNEL)
            assert "now home to *Wellingborough CSP Board*" in reply.json()["text"]


def test_a_token_slack_refuses_stops_the_server_and_says_why(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    slack.fail_next("auth.test", status=200, error="invalid_auth")
    result = run(SERVE, server_environ(slack.api_url, database_url, SECRET), tmp_path)
    assert result.returncode == 2
    assert "Slack refuses SLACK_BOT_TOKEN (invalid_auth)" in result.stderr
    assert "Traceback" not in result.stderr


def test_why_slack_could_not_be_reached_is_said_as_text(database: Database) -> None:
    """urllib's reason reads `<urlopen error …>`: shown as it is, never as Slack markup."""
    with socket.create_server(("127.0.0.1", 0)) as gone:
        port = gone.getsockname()[1]
    client = WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{port}/")
    news = Message.of(line("M1 scheduled"))
    outcome = Outcome(reply=news, announcement=news)

    failures = deliver(client, CHANNEL, outcome, database, datetime.now(UTC), ics)

    assert failures == [
        f"I couldn't deliver a message to <#{CHANNEL}> (Slack could not be reached: "
        "&lt;urlopen error [Errno 111] Connection refused&gt;). What you typed is saved: no"
        " need to type it again."
    ]


def test_a_file_that_cannot_be_made_is_said_and_the_rest_still_go(database: Database) -> None:
    """Files made after the reply (the minutes' copies) fail one at a time."""

    def broken() -> bytes:
        raise ValueError("a template the writer trips over")

    files = (
        File("m1-minutes.docx", broken, "Minutes (Word)"),
        File("m1-minutes.md", b"# Minutes", "Minutes (Markdown)"),
    )
    with FakeSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        outcome = Outcome(reply=Message.of(line("Published")), files=files)
        failures = deliver(client, CHANNEL, outcome, database, datetime.now(UTC), ics)
        assert failures == ["I couldn't make m1-minutes.docx. Sorry: it has been logged."]
        assert list(slack.uploads.values()) == [b"# Minutes"]
