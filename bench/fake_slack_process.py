"""The fake Slack Web API in a process of its own, so that answering the bot's posts and
uploads never competes with the driver that is timing the bot.

    python -m bench.fake_slack_process    prints its base URL, then serves until killed
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from tests import processes
from tests.fake_slack import FakeSlack


@dataclass
class RemoteSlack:
    """The parts of FakeSlack the driver uses, for a fake running in another process."""

    base_url: str
    process: subprocess.Popen[str]

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"{self.base_url}/response/{key}"

    def __enter__(self) -> RemoteSlack:
        return self

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start(cwd: Path, env: dict[str, str]) -> RemoteSlack:
    """The fake in a process of its own; it prints its base URL once it is listening."""
    process = processes.start(["-m", "bench.fake_slack_process"], env, cwd, stdout=subprocess.PIPE)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url:
        raise RuntimeError(f"the fake Slack exited with {process.wait()}")
    return RemoteSlack(url, process)


def main() -> None:
    fake = FakeSlack().start()
    print(fake.base_url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
