"""`boardbot` as separate processes, started as an operator or cron would, and the
processes they leave behind (read from /proc, Linux)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# `boardbot serve` on a free loopback port, started by the installed script as operators do.
BOARDBOT = str(Path(sysconfig.get_path("scripts")) / "boardbot")
SERVE = (BOARDBOT, "serve", "--host", "127.0.0.1", "--port", "0")
STARTUP_SECONDS = 120
LISTENING = re.compile(r"serving on (http://[^:]+:(\d+)/slack/events)")


def environ(**settings: str) -> dict[str, str]:
    """This environment without its Slack settings, plus `settings`: what a started
    process sees, whatever the developer's own shell holds."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | settings


def server_environ(api_url: str, database_url: str, secret: str) -> dict[str, str]:
    """What a test starts `boardbot serve` with: a bot token and signing secret, the fake
    Slack, the database, and no reminder pass within the test's time."""
    return environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        REMINDER_INTERVAL_SECONDS="3600",
    )


def start(
    argv: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    stderr: int = subprocess.DEVNULL,
    stdout: int = subprocess.DEVNULL,
    python: str = sys.executable,
) -> subprocess.Popen[str]:
    """`python <argv>` in the background, e.g. `SERVE`."""
    return subprocess.Popen(
        [python, *argv], env=env, cwd=cwd, stdout=stdout, stderr=stderr, text=True
    )


def run(
    argv: Sequence[str], env: dict[str, str], cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python <argv>` to completion, its output captured, e.g. `-m bot export …`."""
    return subprocess.run(
        [sys.executable, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def serving(
    argv: Sequence[str], env: dict[str, str], cwd: Path, python: str = sys.executable
) -> tuple[subprocess.Popen[str], str]:
    """A server that logs `serving on http://host:port/slack/events`, once it does; its URL."""
    process = start(argv, env, cwd, stderr=subprocess.PIPE, python=python)
    assert process.stderr is not None
    # A server that never says it is listening is stopped, which ends the reading below.
    give_up = threading.Timer(STARTUP_SECONDS, process.kill)
    give_up.start()
    seen: list[str] = []
    try:
        for line in process.stderr:
            seen.append(line)
            if match := LISTENING.search(line):
                # Keep draining stderr so the server never blocks on a full pipe.
                threading.Thread(target=process.stderr.read, daemon=True).start()
                return process, match[1]
    finally:
        give_up.cancel()
    raise RuntimeError(f"server exited with {process.wait()}:\n" + "".join(seen))


@contextmanager
def served(
    argv: Sequence[str], env: dict[str, str], cwd: Path, python: str = sys.executable
) -> Iterator[str]:
    """`serving`, stopped when the block ends; its URL."""
    server, url = serving(argv, env, cwd, python)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def descendants(pid: int) -> dict[int, int]:
    """Every process below `pid`, as {pid: parent pid}."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    below: dict[int, int] = {}
    found = True
    while found:
        found = False
        for child, parent in parents.items():
            if child not in below and (parent == pid or parent in below):
                below[child] = parent
                found = True
    return below


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def mapped_files(pid: int) -> set[str]:
    """The files a process has mapped: its executable and the shared libraries and
    compiled extension modules it has loaded."""
    fields = (line.split(maxsplit=5) for line in Path(f"/proc/{pid}/maps").read_text().splitlines())
    return {parts[5] for parts in fields if len(parts) == 6 and parts[5].startswith("/")}


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}
