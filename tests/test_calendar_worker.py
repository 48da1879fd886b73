"""`boardbot serve` writes calendars in a worker process: small, replaced if it dies,
and never left running once the server has gone, however it was stopped."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import CHANNEL, TEAM, Core
from tests.fake_slack import FakeSlack
from tests.processes import (
    SERVE,
    alive,
    command_line,
    descendants,
    mapped_files,
    server_environ,
    serving,
)
from tests.slack_requests import SlackSender

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SECRET = "secret"


READS_PROC = pytest.mark.skipif(
    not Path("/proc/self/maps").exists(), reason="reads processes in /proc"
)


def worker(helpers: dict[int, int]) -> int:
    """The calendar worker among the server's processes (beside the resource tracker)."""
    [pid] = [pid for pid in helpers if "spawn_main" in command_line(pid)]
    return pid


@READS_PROC
def test_the_calendar_worker_loads_neither_slack_nor_the_database(
    database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    """It starts by re-importing the script that started the server: that must not
    bring the whole server with it."""
    server, _ = serving(SERVE, server_environ(slack.api_url, database_url, SECRET), tmp_path)
    try:
        heavy = {"sqlalchemy", "_sqlite3", "_ssl"}
        server_loaded = {name for name in heavy if any(name in f for f in mapped_files(server.pid))}
        worker_files = mapped_files(worker(descendants(server.pid)))
        assert server_loaded == heavy  # what the check looks for is there to be found
        assert not [f for f in worker_files if any(name in f for name in heavy)]
    finally:
        server.terminate()
        server.wait(timeout=30)


@READS_PROC
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_a_dead_calendar_worker_is_replaced_and_none_outlives_the_server(
    core: Core, database_url: str, slack: FakeSlack, tmp_path: Path, stop: signal.Signals
) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    core.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board", SET_UP)
    server, url = serving(SERVE, server_environ(slack.api_url, database_url, SECRET), tmp_path)
    try:
        helpers = descendants(server.pid)
        os.kill(worker(helpers), signal.SIGKILL)

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
