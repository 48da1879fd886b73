"""`boardbot serve` writes calendars in a worker process: replaced if it dies, and
never left running once the server has gone, however it was stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import CHANNEL, TEAM, Core
from tests.fake_slack import FakeSlack
from tests.processes import alive, descendants
from tests.slack_requests import SlackSender

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SECRET = "secret"


def start(slack: FakeSlack, database_url: str, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    """A `boardbot serve` process and its /slack/events URL, once it is listening."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "REMINDER_INTERVAL_SECONDS": "3600",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    for line in server.stderr:
        if "serving on " in line:
            server.stderr.close()  # nothing more is read; the server logs into a closed pipe
            return server, line.split("serving on ")[1].strip()
    raise AssertionError(f"server exited with {server.wait()}")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_dead_calendar_worker_is_replaced_and_none_outlives_the_server(
    core: Core, database_url: str, slack: FakeSlack, tmp_path: Path, stop: signal.Signals
) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    core.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board", SET_UP)
    server, url = start(slack, database_url, tmp_path)
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
