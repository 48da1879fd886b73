"""Slack out of reach, or refusing the bot token, as `boardbot serve` starts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import CHANNEL, TEAM
from tests.fake_slack import FakeSlack
from tests.processes import SERVE, environ, run, serving
from tests.slack_requests import SlackSender, get
from tests.tcp_proxy import TcpProxy

SECRET = "secret"


def server_env(api_url: str, database_url: str) -> dict[str, str]:
    return environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        REMINDER_INTERVAL_SECONDS="3600",
    )


def test_the_server_starts_while_slack_is_out_of_reach_and_works_once_it_is_back(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    with TcpProxy("127.0.0.1", urlsplit(slack.base_url).port or 80) as proxy:
        proxy.cut()
        env = server_env(f"http://127.0.0.1:{proxy.port}/api/", database_url)
        server, url = serving(SERVE, env, tmp_path)
        try:
            assert get(url.removesuffix("/slack/events") + "/healthz").body == "ok"
            sender = SlackSender(url, SECRET, TEAM, slack)
            meanwhile = sender.command("UCHAIR", "setup Wellingborough CSP Board", channel=CHANNEL)
            assert meanwhile.status == 200 and "try again" in meanwhile.json()["text"]

            proxy.restore()
            reply = sender.command("UCHAIR", "setup Wellingborough CSP Board", channel=CHANNEL)
            assert "now home to *Wellingborough CSP Board*" in reply.json()["text"]
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_a_token_slack_refuses_stops_the_server_and_says_why(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    slack.fail_next("auth.test", status=200, error="invalid_auth")
    result = run(SERVE, server_env(slack.api_url, database_url), tmp_path)
    assert result.returncode == 2
    assert "Slack refuses SLACK_BOT_TOKEN (invalid_auth)" in result.stderr
    assert "Traceback" not in result.stderr
