"""`boardbot socket`: the same app over Socket Mode, against a WebSocket server standing in
for Slack's, with the slash command delivered and answered as envelopes."""

from __future__ import annotations

import asyncio
import json
import re
import socket as socket_module
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from tests.fake_slack import FakeSlack
from tests.processes import environ, run, start
from tests.slack_requests import get, post

FEED = re.compile(r"calendar feed and health check on (http://\S+)")

COMMAND = {
    "token": "legacy-verification-token",
    "team_id": "T0BOARD",
    "team_domain": "wellingborough-csp",
    "channel_id": "CBOARD",
    "channel_name": "csp-board",
    "user_id": "UCHAIR",
    "user_name": "chair",
    "command": "/board",
    "text": "setup Wellingborough CSP Board",
    "api_app_id": "A0BOARD",
    "response_url": "",
    "trigger_id": "trigger.socket",
}


class SocketSlack:
    """Says hello, sends one slash command envelope and keeps what comes back."""

    def __init__(self) -> None:
        self.answers: list[dict[str, Any]] = []
        self.answered = threading.Event()
        self.port = 0
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True).start()
        self._ready.wait(5)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = self._loop.create_future()
        async with serve(self._session, "127.0.0.1", 0) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop

    async def _session(self, connection: ServerConnection) -> None:
        await connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        envelope = {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": COMMAND,
        }
        await connection.send(json.dumps(envelope))
        async for raw in connection:
            self.answers.append(json.loads(raw))
            self.answered.set()

    def close(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)


class Feed:
    """Reads a server's log as it runs (a full pipe would stall it) for the feed's address."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.url = ""
        self.found = threading.Event()
        self.lines: list[str] = []
        self.ended = threading.Event()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.lines.append(line)
            if not self.found.is_set() and (found := FEED.search(line)):
                self.url = found[1]
                self.found.set()
        self.ended.set()


@pytest.mark.parametrize("refusals", [0, 2])
def test_a_command_over_socket_mode_is_answered_in_its_envelope(
    slack: FakeSlack, database_url: str, tmp_path: Path, refusals: int
) -> None:
    """Also once Slack, out of reach at first, opens the connection (`refusals`)."""
    slack.fail_next("apps.connections.open", 503, times=refusals)
    socket = SocketSlack()
    slack.socket_url = f"ws://127.0.0.1:{socket.port}/"
    env = environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
    )
    argv = ["-m", "bot", "socket", "--host", "127.0.0.1", "--port", "0"]
    process = start(argv, env, tmp_path, stderr=subprocess.PIPE)
    feed = Feed(process)
    try:
        assert feed.found.wait(30), "the calendar feed's server never said where it is"
        assert get(f"{feed.url}/healthz").body == "ok"
        assert get(f"{feed.url}/calendar/unknown.ics").status == 404
        assert post(f"{feed.url}/slack/events", b"", {}).status == 404  # Slack uses the socket
        assert socket.answered.wait(30), "no answer over the socket"
        [answer] = socket.answers[:1]
        assert answer["envelope_id"] == "env-1"
        assert answer["payload"]["response_type"] == "ephemeral"
        assert "This channel is now home to *Wellingborough CSP Board*" in answer["payload"]["text"]
        assert slack.wait_for("chat.postMessage")[0].params["channel"] == "CBOARD"

        process.terminate()  # as systemd, Docker and Kubernetes stop a service
        assert process.wait(timeout=20) == 0
        assert feed.ended.wait(5)
        assert "Traceback" not in "".join(feed.lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        socket.close()


def test_a_port_already_taken_is_said_plainly(slack: FakeSlack, tmp_path: Path) -> None:
    with socket_module.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = environ(
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_APP_TOKEN="xapp-test",
            SLACK_API_URL=slack.api_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'board.db'}",
        )
        result = run(["-m", "bot", "socket", "--host", "127.0.0.1", "--port", str(port)], env)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_app_token_slack_refuses_is_said_plainly(slack: FakeSlack, tmp_path: Path) -> None:
    slack.fail_next("apps.connections.open", 200, error="invalid_auth")
    env = environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-wrong",
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'board.db'}",
    )
    result = run(["-m", "bot", "socket", "--host", "127.0.0.1", "--port", "0"], env)
    assert result.returncode == 2
    assert "Slack refuses SLACK_APP_TOKEN (invalid_auth)" in result.stderr
    assert "Traceback" not in result.stderr
