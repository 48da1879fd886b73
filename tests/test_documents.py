"""`boardbot serve` writes calendars in a worker process: replaced if it dies, and
never left running once the server has gone, however it was stopped."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import CHANNEL, TEAM, Core
from tests.fake_slack import FakeSlack
from tests.processes import SERVE, alive, descendants, environ, serving
from tests.slack_requests import SlackSender

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SECRET = "secret"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_dead_calendar_worker_is_replaced_and_none_outlives_the_server(
    core: Core, database_url: str, slack: FakeSlack, tmp_path: Path, stop: signal.Signals
) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    core.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board", SET_UP)
    env = environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        REMINDER_INTERVAL_SECONDS="3600",
    )
    server, url = serving(SERVE, env, tmp_path)
    try:
        helpers = descendants(server.pid)
        # The forkserver is the server's child; the worker its child in turn.
        [worker] = [pid for pid, parent in helpers.items() if parent != server.pid]
        os.kill(worker, signal.SIGKILL)

        sender = SlackSender(url, SECRET, TEAM, slack)
        reply = sender.command("UGILL", "calendar", channel=CHANNEL).json()
        assert "private link" in reply["text"]
        slack.wait_for("files.completeUploadExternal", timeout=30)
        [uploaded] = slack.uploads.values()
        assert b"BEGIN:VEVENT" in uploaded and b"SUMMARY:CSP Board" in uploaded
    finally:
        server.send_signal(stop)
        server.wait(timeout=30)
    deadline = time.monotonic() + 10
    while alive(set(helpers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(set(helpers)), descendants(1)
