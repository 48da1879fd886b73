"""Drive a running server with signed slash commands over HTTP, as Slack would."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

from bench.fake_slack_process import RemoteSlack
from tests.processes import descendants, serving
from tests.slack_requests import SlackSender

SIGNING_SECRET = "bench-signing-secret"


@dataclass
class Server:
    """A server process and where to reach it."""

    process: subprocess.Popen[str]
    events_url: str

    def peak_rss_mb(self) -> float:
        """High-water resident set size (VmHWM) in MiB, summed over the server and the
        processes it started (the calendar worker and multiprocessing's resource tracker).
        Pages they share are counted once per process, so this overstates a little."""
        kilobytes = 0
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            status = Path(f"/proc/{pid}/status").read_text()
            kilobytes += int(re.search(r"VmHWM:\s+(\d+)", status)[1])  # type: ignore[index]
        return kilobytes / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def start_server(argv: Sequence[str], env: dict[str, str], cwd: Path) -> Server:
    """Start a server that logs `serving on http://host:port/slack/events`; wait for it."""
    return Server(*serving(argv, env, cwd))


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p99_ms: float
    count: int


def percentiles(samples: list[float]) -> Latency:
    cuts = quantiles(samples, n=100, method="inclusive")
    return Latency(round(cuts[49] * 1000, 2), round(cuts[98] * 1000, 2), len(samples))


class Client:
    """Signed slash commands to one server; each request on a new connection, as from Slack."""

    def __init__(self, server: Server, slack: RemoteSlack, team_id: str) -> None:
        self.sender = SlackSender(server.events_url, SIGNING_SECRET, team_id, slack)

    def timed(self, user: str, channel: str, text: str) -> float:
        started = time.perf_counter()
        response = self.sender.command(user, text, channel=channel)
        elapsed = time.perf_counter() - started
        if response.status != 200 or '"text"' not in response.body:
            raise RuntimeError(f"{text!r} → {response.status} {response.body[:300]}")
        return elapsed

    def throughput(
        self, requests: Callable[[int], tuple[str, str, str]], count: int, clients: int = 8
    ) -> float:
        """Requests per second with `clients` concurrent senders."""
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(lambda i: self.timed(*requests(i)), range(count)))
        return count / (time.perf_counter() - started)
