"""Two `boardbot serve` processes on one database, each running the reminder scheduler;
one is killed with SIGKILL in the middle of a pass and started again. Over a rehearsed
month of two board meetings, every reminder reaches Slack exactly once. And a rehearsal
is the whole bot's clock, not only the scheduler's."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from storage.models import ReminderDelivery
from tests import processes
from tests.conftest import CHANNEL, TEAM, Core
from tests.fake_slack import FakeSlack
from tests.processes import SERVE, environ
from tests.slack_requests import SlackSender

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
REHEARSE_FROM = "2026-12-30T00:00:00+00:00"
SPEED = 86_400 * 2  # two simulated days per real second
REHEARSAL_END = datetime(2027, 1, 30, tzinfo=UTC)
EXPECTED = {
    # M1, 14 January: call (31 Dec), draft (7 Jan), owners' requests, eve (13 Jan)
    ("agenda_call", "CBOARD", "2026-12-31"),
    ("draft_agenda", "CBOARD", "2027-01-07"),
    ("owner_update", "UPAUL", "2027-01-07"),
    ("owner_update", "UGILL", "2027-01-07"),
    ("eve", "CBOARD", "2027-01-13"),
    # M2, 28 January: the two earlier actions are still open, so their owners are asked again
    ("agenda_call", "CBOARD", "2027-01-14"),
    ("draft_agenda", "CBOARD", "2027-01-21"),
    ("owner_update", "UPAUL", "2027-01-21"),
    ("owner_update", "UGILL", "2027-01-21"),
    ("owner_update", "USAM", "2027-01-21"),
    ("eve", "CBOARD", "2027-01-27"),
    # overdue notices, the morning after each due date (their occasion is the due date)
    ("overdue", "UPAUL", "2027-01-08"),
    ("overdue", "UGILL", "2027-01-11"),
    ("overdue", "USAM", "2027-01-25"),
}


def rehearsal(slack: FakeSlack, database_url: str, **settings: str) -> dict[str, str]:
    """A `boardbot serve` environment on the fake Slack, rehearsing with `settings`."""
    return environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        **settings,
    )


def start(slack: FakeSlack, database_url: str, cwd: Path) -> subprocess.Popen[str]:
    env = rehearsal(
        slack,
        database_url,
        REMINDER_INTERVAL_SECONDS="0.25",
        REMINDER_CLAIM_TIMEOUT_SECONDS="2",
        BOARDBOT_REHEARSE_FROM=REHEARSE_FROM,
        BOARDBOT_REHEARSE_SPEED=str(SPEED),
    )
    return processes.start(SERVE, env, cwd)


def tags(slack: FakeSlack) -> Counter[tuple[str, str, str]]:
    """Reminders that reached Slack, by (kind, recipient, occasion) from their metadata."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for call in slack.calls_to("chat.postMessage"):
        metadata = call.params.get("metadata") or {}
        tag = (metadata.get("event_payload") or {}).get("tag")
        if tag:
            kind, _subject, recipient, occasion = tag.split(":")
            seen[(kind, recipient, occasion)] += 1
    return seen


def test_a_killed_instance_loses_and_repeats_nothing(
    core: Core, database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    for who in ("UGILL", "UPAUL", "USAM"):
        core.command("UCHAIR", f"member add <@{who}> secretary", SET_UP)
    core.command("UGILL", "meeting add 14/01/2027 10:00 : CSP Board", SET_UP)
    core.command("UGILL", "meeting add 28/01/2027 10:00 : CSP Board", SET_UP)
    core.command("UGILL", "action add <@UPAUL> Share hotspot data by 8/1/2027", SET_UP)
    core.command("UGILL", "action add <@UGILL> Circulate the strategy by 11/1/2027", SET_UP)
    core.command("UGILL", "action add <@USAM> Health data by 25/1/2027", SET_UP)
    slack.delays["chat.postMessage"] = 0.3  # passes take a while, so the kill lands mid-pass

    first = start(slack, database_url, tmp_path)
    second = start(slack, database_url, tmp_path)
    try:
        slack.wait_for("chat.postMessage", 3, timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        first = start(slack, database_url, tmp_path)
        deadline = time.monotonic() + 90
        while sum(tags(slack).values()) < len(EXPECTED) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # long enough for a repeat, if there were going to be one
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(timeout=10)

    posted = tags(slack)
    assert set(posted) == EXPECTED
    assert all(count == 1 for count in posted.values()), posted
    with core.database.transaction() as session:
        states = list(session.scalars(select(ReminderDelivery.state)))
    assert states == ["sent"] * len(EXPECTED)


def test_a_rehearsed_server_answers_commands_on_its_simulated_date(
    core: Core, database_url: str, slack: FakeSlack, tmp_path: Path
) -> None:
    core.command("UCHAIR", "setup Wellingborough CSP Board", SET_UP)
    core.command("UCHAIR", "member add <@UGILL> secretary", SET_UP)
    core.command("UGILL", "meeting add 14/01/2027 10:00 quarterly 2 : CSP Board", SET_UP)
    env = rehearsal(
        slack,
        database_url,
        REMINDER_INTERVAL_SECONDS="3600",
        BOARDBOT_REHEARSE_FROM="2027-02-01T09:00:00+00:00",
    )
    server, url = processes.serving(SERVE, env, tmp_path)
    try:
        sender = SlackSender(url, "secret", TEAM, slack)
        upcoming = sender.command("UGILL", "meetings", channel=CHANNEL).json()["text"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "M2" in upcoming and "M1" not in upcoming  # January's has passed by February
