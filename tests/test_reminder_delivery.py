"""Reminders reach Slack exactly once — across passes, concurrent processes, 429s and 500s —
and the owner's DM buttons close the loop."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, update

from bot import rendering
from bot.apology import SORRY
from bot.app import web_client
from bot.config import Settings
from bot.scheduler import METADATA_EVENT, SlackOutbox
from commands.reminders import DeliveryFailed, Sent, run_pass
from commands.replies import Message, Section, line
from storage.models import Action, ActionUpdate, Board, Person, ReminderDelivery
from tests.conftest import TEAM, RunningApp
from tests.fake_slack import FakeSlack
from tests.processes import SERVE, environ, run, start
from tests.snapshots import dump

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
# Said with every refusal to change an action that is closed.
REOPEN = " If it was closed in error: /board action reopen A1"


def reminders_run(app: RunningApp, at: str) -> subprocess.CompletedProcess[str]:
    """`boardbot reminders run --at …` as cron would start it, in a process of its own."""
    env = environ(
        SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=app.slack.api_url, DATABASE_URL=app.database.url
    )
    result = run(["-m", "bot", "reminders", "run", "--at", at], env)
    assert result.returncode == 0, result.stderr
    return result


def posts(slack: FakeSlack) -> list[tuple[str, str]]:
    """(channel, title) of every chat.postMessage that Slack accepted."""
    out = []
    for call in slack.calls_to("chat.postMessage"):
        blocks = call.params.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        header = next((b["text"]["text"] for b in blocks if b["type"] == "header"), "")
        out.append((call.params["channel"], header))
    return out


def board(app: RunningApp) -> None:
    app.clock.fixed = SET_UP
    app.command("UCHAIR", "setup Wellingborough CSP Board")
    app.command("UCHAIR", "member add <@UGILL> secretary org Borough Council")
    app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    app.command("UGILL", "meeting add 14/01/2027 10:00 at Swanspool House quarterly 2 : CSP Board")
    app.command("UGILL", "agenda add SSNP report <@UPAUL> 15m")
    app.command("UGILL", "action add <@UPAUL> Share hotspot data with housing by 8/1/2027")
    app.slack.wait_for("chat.postMessage", 2)  # the set-up and meeting announcements
    app.slack.reset()


def test_a_quarter_of_reminders_each_posted_once(running_app: RunningApp) -> None:
    board(running_app)
    timeline = [
        ("2026-12-30T09:00:00+00:00", []),
        ("2026-12-31T09:00:00+00:00", [("CBOARD", "Call for agenda items: CSP Board")]),
        ("2026-12-31T09:05:00+00:00", []),
        (
            "2027-01-07T09:00:00+00:00",
            [
                ("CBOARD", "Draft agenda: CSP Board, Thursday 14 January 2027, 10:00"),
                ("UPAUL", "Please update your actions before M1 — Wellingborough CSP Board"),
            ],
        ),
        (
            "2027-01-09T09:00:00+00:00",
            [("UPAUL", "Overdue: A1 — Wellingborough CSP Board")],
        ),
        ("2027-01-13T09:00:00+00:00", [("CBOARD", "Tomorrow: M1: CSP Board")]),
        ("2027-01-13T09:01:00+00:00", []),
        ("2027-01-14T12:00:00+00:00", []),
    ]
    seen = 0
    for instant, expected in timeline:
        output = reminders_run(running_app, instant).stdout
        assert posts(running_app.slack)[seen:] == expected, instant
        assert f"{len(expected)} reminder(s) posted" in output
        if instant.startswith("2027-01-07"):
            assert "posted draft agenda for M1 → CBOARD (due 2027-01-07 09:00 UTC)" in output
            draft = next(
                call.params["text"]
                for call in running_app.slack.calls_to("chat.postMessage")
                if call.params["channel"] == "CBOARD" and "Draft agenda" in call.params["text"]
            )
            assert "SSNP report" in draft and "Share hotspot data with housing" in draft
        seen += len(expected)

    eve = running_app.slack.calls_to("chat.postMessage")[-1].params["text"]
    assert "Swanspool House" in eve and "SSNP report" in eve and "<@UPAUL>" in eve
    with running_app.database.transaction() as session:
        states = list(session.scalars(select(ReminderDelivery.state)))
    assert states == ["sent"] * 5


def test_an_at_without_an_offset_is_board_time_and_the_output_shows_what_was_posted(
    running_app: RunningApp,
) -> None:
    """M2 is on 14 April 2027, in summer time: its call for items is due at 09:00 in
    London, 08:00 UTC."""
    board(running_app)
    reminders_run(running_app, "2027-03-31T08:59")
    assert not [p for p in posts(running_app.slack) if p[1].startswith("Call for agenda")]
    output = reminders_run(running_app, "2027-03-31T09:00").stdout
    assert posts(running_app.slack)[-1] == ("CBOARD", "Call for agenda items: CSP Board")
    assert "posted call for agenda items for M2 → CBOARD (due 2027-03-31 08:00 UTC)" in output
    assert "\n    Call for agenda items: CSP Board\n" in output
    assert "1 reminder(s) posted as of 2027-03-31T09:00:00+01:00" in output

    env = environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=running_app.slack.api_url,
        DATABASE_URL=running_app.database.url,
    )
    refused = run(["-m", "bot", "reminders", "run", "--at", "31/03/2027"], env)
    assert refused.returncode == 2
    assert "--at '31/03/2027' is not an ISO-8601 instant, e.g. 2027-01-07T09:00." in refused.stderr
    skipped = run(["-m", "bot", "reminders", "run", "--at", "2027-03-28T01:30"], env)
    assert skipped.returncode == 2
    assert "'2027-03-28T01:30' happens twice or not at all in Europe/London" in skipped.stderr


def test_two_passes_at_the_same_instant_post_each_reminder_once(running_app: RunningApp) -> None:
    board(running_app)
    instant = "2027-01-13T09:30:00+00:00"  # everything for M1 is due at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: reminders_run(running_app, instant), range(2)))
    totals = [int(r.stdout.strip().splitlines()[-1].split()[0]) for r in results]
    assert sum(totals) == 5
    assert sorted(posts(running_app.slack)) == sorted(
        [
            ("CBOARD", "Call for agenda items: CSP Board"),
            ("CBOARD", "Draft agenda: CSP Board, Thursday 14 January 2027, 10:00"),
            ("UPAUL", "Please update your actions before M1 — Wellingborough CSP Board"),
            ("UPAUL", "Overdue: A1 — Wellingborough CSP Board"),
            ("CBOARD", "Tomorrow: M1: CSP Board"),
        ]
    )


def test_rate_limited_then_accepted_posts_once(running_app: RunningApp) -> None:
    board(running_app)
    running_app.slack.fail_next("chat.postMessage", status=429, retry_after=1)
    reminders_run(running_app, "2026-12-31T09:00:00+00:00")
    calls = running_app.slack.calls_to("chat.postMessage")
    assert len(calls) == 2  # the 429, then the retry after Retry-After
    assert reminders_run(running_app, "2026-12-31T09:01:00+00:00").stdout.startswith("0 reminder")
    assert len(running_app.slack.calls_to("chat.postMessage")) == 2


def test_a_server_error_leaves_the_reminder_for_the_next_pass(running_app: RunningApp) -> None:
    board(running_app)
    running_app.slack.fail_next("chat.postMessage", status=500)
    first = reminders_run(running_app, "2026-12-31T09:00:00+00:00")
    assert "0 reminder(s) posted" in first.stdout
    with running_app.database.transaction() as session:
        [delivery] = session.scalars(select(ReminderDelivery))
        assert (delivery.state, delivery.last_error) == ("failed", "internal_error")
    second = reminders_run(running_app, "2026-12-31T09:01:00+00:00")
    assert "1 reminder(s) posted" in second.stdout
    reminders_run(running_app, "2026-12-31T09:02:00+00:00")
    assert len(running_app.slack.calls_to("chat.postMessage")) == 2  # the 500 and one success


def test_a_failed_call_for_items_still_goes_before_the_draft_agenda(
    running_app: RunningApp,
) -> None:
    """Both due at once (the bot was down): the draft waits for the call to get through."""
    board(running_app)
    running_app.slack.fail_next("chat.postMessage", status=500)
    first = reminders_run(running_app, "2027-01-07T09:00:00+00:00")
    assert "1 reminder(s) posted" in first.stdout  # Paul's update request, a DM
    reminders_run(running_app, "2027-01-07T09:01:00+00:00")
    channel = [title.split(":")[0] for to, title in posts(running_app.slack) if to == "CBOARD"]
    assert channel == ["Call for agenda items", "Call for agenda items", "Draft agenda"]


def board_with_m1_only(app: RunningApp) -> None:
    """A board with one meeting, M1 on 14 January, and nothing else due."""
    app.clock.fixed = SET_UP
    app.command("UCHAIR", "setup Wellingborough CSP Board")
    app.command("UCHAIR", "meeting add 14/01/2027 10:00 : CSP Board")
    app.slack.wait_for("chat.postMessage", 2)
    app.slack.reset()


def passes_from_the_draft_day(app: RunningApp, minutes: Iterable[int]) -> list[str]:
    """Reminder passes from 7 January, 09:00, these minutes after (claims timed the same):
    the titles of what they posted or tried to, in order."""
    outbox = SlackOutbox(WebClient(token="xoxb-test", base_url=app.slack.api_url))
    first = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
    for minute in minutes:
        now = first + timedelta(minutes=minute)

        def claimed_at(moment: datetime = now) -> datetime:
            return moment

        run_pass(app.database, now, outbox, clock=claimed_at)
    return [title.split(":")[0] for _, title in posts(app.slack)]


def test_a_call_for_items_waiting_to_be_tried_again_still_holds_the_draft_back(
    running_app: RunningApp,
) -> None:
    """Failed twice, the call waits minutes before its next try: so does the draft."""
    board_with_m1_only(running_app)
    running_app.slack.fail_next("chat.postMessage", status=500, times=2)
    tried = passes_from_the_draft_day(running_app, (0, 1, 2, 8))  # 2: in the call's wait
    assert tried == ["Call for agenda items"] * 3 + ["Draft agenda"]


def test_a_call_for_items_that_keeps_failing_holds_the_draft_back_an_hour_at_most(
    running_app: RunningApp,
) -> None:
    board_with_m1_only(running_app)
    # Every try at the call in its first hour, one every five minutes, and the next, fail.
    running_app.slack.fail_next("chat.postMessage", status=200, error="msg_too_long", times=14)
    tried = passes_from_the_draft_day(running_app, range(0, 66, 5))
    # The draft waited out the call's quick retries, then went.
    assert tried == ["Call for agenda items"] * 14 + ["Draft agenda"]


def test_a_call_for_items_failing_in_a_late_pass_still_goes_first(
    running_app: RunningApp,
) -> None:
    """The bot was down on the day: its first pass, hours late, finds both due."""
    board_with_m1_only(running_app)
    running_app.slack.fail_next("chat.postMessage", status=500)
    tried = passes_from_the_draft_day(running_app, (180, 181))
    assert tried == ["Call for agenda items"] * 2 + ["Draft agenda"]


def owner_dm(app: RunningApp) -> dict[str, Any]:
    """The owner's update request, as Slack would hold it."""
    reminders_run(app, "2027-01-07T09:00:00+00:00")
    [call] = [c for c in app.slack.calls_to("chat.postMessage") if c.params["channel"] == "UPAUL"]
    blocks = call.params["blocks"]
    return {
        "ts": "1767776400.000100",
        "text": call.params["text"],
        "blocks": json.loads(blocks) if isinstance(blocks, str) else blocks,
    }


def click(app: RunningApp, user: str, action_id: str, message: dict[str, Any]) -> int:
    return app.sender.interaction(click_payload(app, user, action_id, message)).status


def click_payload(
    app: RunningApp, user: str, action_id: str, message: dict[str, Any]
) -> dict[str, Any]:
    """A button click on `message`, as Slack would post it."""
    button = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    return {
        "type": "block_actions",
        "team": {"id": "T0BOARD", "domain": "wellingborough-csp"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0BOARD"},
        "api_app_id": "A0BOARD",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": "DUPAUL"},
        "trigger_id": "trigger.button",
        "channel": {"id": "DUPAUL", "name": "directmessage"},
        "message": {"type": "message", "user": "UBOT", **message},
        "response_url": app.slack.response_url("button"),
        "actions": [
            {
                "action_id": action_id,
                "block_id": "x",
                "type": "button",
                "value": button["value"],
                "action_ts": "1767776500.000001",
            }
        ],
    }


def test_the_owner_marks_an_action_done_from_the_dm(running_app: RunningApp) -> None:
    board(running_app)
    message = owner_dm(running_app)
    running_app.clock.fixed = datetime(2027, 1, 7, 9, 30, tzinfo=UTC)
    # Asked for an update, the owner posts one; closing asks first.
    [done, update] = [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert (done["text"]["text"], done.get("style")) == ("Mark done", None)
    assert done["confirm"]["text"]["text"] == "A1 will be closed and get no more reminders."
    assert (update["text"]["text"], update["style"]) == ("Post update", "primary")

    assert click(running_app, "UGILL", "action_mark_done", message) == 200  # an officer may
    [update] = running_app.slack.wait_for("chat.update")
    assert update.params["channel"] == "DUPAUL" and update.params["ts"] == message["ts"]
    refreshed = json.dumps(update.params["blocks"])
    assert "action_mark_done" not in refreshed and "done" in refreshed
    assert "Share hotspot data" in update.params["text"] and " · done" in update.params["text"]
    with running_app.database.transaction() as session:
        [action] = session.scalars(select(Action))
        assert (action.status, action.closed_at is not None) == ("done", True)


def test_someone_else_clicking_is_refused_only_to_them(running_app: RunningApp) -> None:
    board(running_app)
    running_app.command("UCHAIR", "member add <@USAM>")
    message = owner_dm(running_app)
    assert click(running_app, "USAM", "action_mark_done", message) == 200
    [refusal] = running_app.slack.wait_for("response_url")
    assert refusal.params["response_type"] == "ephemeral"
    assert "Only the action's owner, <@UPAUL>, or a board officer" in refusal.params["text"]
    with running_app.database.transaction() as session:
        assert session.scalars(select(Action.status)).one() == "open"
    assert running_app.slack.calls_to("chat.update") == []


def test_the_buttons_of_an_action_already_done_say_so_only_to_the_clicker(
    running_app: RunningApp,
) -> None:
    """And the DM clicked loses its stale buttons, showing the action done."""
    board(running_app)
    message = owner_dm(running_app)
    running_app.command("UPAUL", "action done A1")
    before = dump(running_app.database)
    for button in ("action_mark_done", "action_post_update"):
        assert click(running_app, "UPAUL", button, message) == 200
    refusals = running_app.slack.wait_for("response_url", 2)
    assert [r.params["text"] for r in refusals] == [
        "*A1* is done; it can't be changed." + REOPEN
    ] * 2
    assert all(r.params["response_type"] == "ephemeral" for r in refusals)
    assert running_app.slack.calls_to("views.open") == []
    for refresh in running_app.slack.wait_for("chat.update", 2):
        assert refresh.params["ts"] == message["ts"]
        refreshed = json.dumps(refresh.params["blocks"])
        assert "action_mark_done" not in refreshed and " · done" in refresh.params["text"]
    assert dump(running_app.database) == before


def test_post_update_opens_a_form_and_the_update_lands_in_history(running_app: RunningApp) -> None:
    board(running_app)
    message = owner_dm(running_app)
    running_app.clock.fixed = datetime(2027, 1, 8, 11, 0, tzinfo=UTC)
    assert click(running_app, "UPAUL", "action_post_update", message) == 200
    [opened] = running_app.slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "post_update"
    about = [block["text"]["text"] for block in view["blocks"] if block["type"] == "section"]
    assert about == ["*A1* Share hotspot data with housing\nDue Fri 8 Jan 2027 · no update yet"]
    [text] = [block for block in view["blocks"] if block.get("block_id") == "update"]
    assert text["element"]["placeholder"]["text"] == "Where it stands now, and what happens next"

    def submit(user: str, text: str) -> Any:
        return running_app.sender.submit_update(user, view["private_metadata"], text, "amber")

    by_officer = submit("UCHAIR", "Not my action")  # the chair is an officer: allowed
    assert by_officer.status == 200 and "errors" not in by_officer.body
    running_app.command("UCHAIR", "member add <@USAM>")
    outsider = submit("USAM", "Trying to update")
    assert outsider.status == 200
    assert outsider.json()["response_action"] == "errors"
    assert "Only the action's owner" in outsider.json()["errors"]["update"]

    accepted = submit("UPAUL", "Data shared with Wellingborough Homes; <!channel> & co")
    assert accepted.status == 200
    with running_app.database.transaction() as session:
        updates = list(session.scalars(select(ActionUpdate).order_by(ActionUpdate.id)))
    assert [(u.author_id, u.rag, u.text) for u in updates] == [
        ("UCHAIR", "amber", "Not my action"),
        ("UPAUL", "amber", "Data shared with Wellingborough Homes; <!channel> & co"),
    ]
    assert updates[-1].created_at == datetime(2027, 1, 8, 11, 0, tzinfo=UTC)
    # Exactly like the slash command: it is the latest update in the list.
    latest = running_app.command("UPAUL", "actions mine")["text"]
    assert (
        "latest: [AMBER] Data shared with Wellingborough Homes; &lt;!channel&gt; &amp; co" in latest
    )
    confirmations = running_app.slack.wait_for("chat.postMessage", 3)
    assert any("Update posted" in c.params["text"] for c in confirmations)

    # With no status picked, a status typed first is read as the slash command reads it.
    typed = running_app.sender.submit_update("UPAUL", view["private_metadata"], "Green: signed")
    assert typed.status == 200 and "errors" not in typed.body
    with running_app.database.transaction() as session:
        last = session.scalars(select(ActionUpdate).order_by(ActionUpdate.id.desc())).first()
        assert last is not None and (last.rag, last.text) == ("green", "signed")

    # Slack shows a form's error as written: plain text, no mrkdwn or escapes.
    running_app.command("UPAUL", "action done A1")
    closed = submit("UPAUL", "One more thing")
    assert closed.json()["errors"]["update"] == "A1 is done; it can't be changed." + REOPEN


def test_serve_runs_the_reminder_pass_in_process(running_app: RunningApp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real `boardbot serve` posts what is due as soon as it starts, then every minute;
    each pass also names a member Slack did not name when they were added."""
    now = datetime.now(UTC)
    running_app.clock.fixed = now
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.fail_next("users.info", status=200, error="internal_error")
    running_app.command("UCHAIR", "member add <@USAM>")
    soon = (now + timedelta(days=3)).strftime("%d/%m/%Y")
    running_app.command("UCHAIR", f"meeting add {soon} 10:00 : CSP Board")
    running_app.slack.wait_for("chat.postMessage", 2)  # the set-up and meeting announcements
    running_app.slack.reset()

    env = environ(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=running_app.slack.api_url,
        DATABASE_URL=running_app.database.url,
    )
    server = start(SERVE, env, tmp_path)
    try:
        [draft] = running_app.slack.wait_for("chat.postMessage", timeout=20)
        assert draft.params["channel"] == "CBOARD"
        assert "Draft agenda: CSP Board" in draft.params["text"]
        deadline = time.monotonic() + 20
        while (sam := named(running_app, "USAM")) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sam == "Sam Reid"
    finally:
        server.terminate()
        server.wait(timeout=10)


def named(app: RunningApp, user_id: str) -> str | None:
    """The name the bot keeps for this user, if any."""
    with app.database.transaction() as session:
        person = session.get(Person, user_id)
        return None if person is None else person.name


def test_a_pass_that_died_after_posting_is_not_repeated(running_app: RunningApp) -> None:
    """The process was killed between Slack accepting the post and recording it."""
    board(running_app)
    reminders_run(running_app, "2026-12-31T09:00:00+00:00")

    def left_claimed(minutes_ago: int) -> None:
        with running_app.database.transaction() as session:
            delivery = session.scalars(select(ReminderDelivery)).one()
            delivery.state, delivery.sent_at = "claimed", None  # as the dead pass left it
            delivery.claimed_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)

    # For ten minutes the claim is the dead pass's; then it is looked up, not reposted.
    left_claimed(5)
    assert "0 reminder(s)" in reminders_run(running_app, "2026-12-31T09:05:00+00:00").stdout
    left_claimed(11)
    assert "0 reminder(s)" in reminders_run(running_app, "2026-12-31T09:11:00+00:00").stdout
    assert len(running_app.slack.calls_to("chat.postMessage")) == 1
    assert len(running_app.slack.calls_to("conversations.history")) == 1
    with running_app.database.transaction() as session:
        delivery = session.scalars(select(ReminderDelivery)).one()
        assert (delivery.state, delivery.attempts) == ("sent", 2)

    # A busy channel: 300 messages since; the look goes back a page at a time.
    partners = WebClient(token="xoxb-test", base_url=running_app.slack.api_url)
    for n in range(300):
        partners.chat_postMessage(channel="CBOARD", text=f"Hotspot patrol note {n}")
    left_claimed(11)
    assert "0 reminder(s)" in reminders_run(running_app, "2026-12-31T09:22:00+00:00").stdout
    assert len(running_app.slack.calls_to("chat.postMessage")) == 301
    assert len(running_app.slack.calls_to("conversations.history")) == 3  # 1 + two pages


def test_a_button_or_form_that_fails_on_our_side_apologises_where_the_person_looks(
    running_app: RunningApp,
) -> None:
    """Slack's own "failed with error" is never shown: the form stays open with the
    apology under the text, and a button's clicker is told alone."""
    board(running_app)
    message = owner_dm(running_app)
    before = dump(running_app.database)

    garbled = running_app.sender.submit_update("UPAUL", "not what the bot wrote", "Shared")
    assert garbled.status == 200
    assert garbled.json() == {"response_action": "errors", "errors": {"update": SORRY}}
    reference = json.dumps({"board": 1, "number": 1, "channel": "DPAUL"})
    purple = running_app.sender.submit_update("UPAUL", reference, "Shared", rag="purple")
    assert purple.json()["errors"] == {
        "update": "Pick red, amber or green, or leave the status empty."
    }

    broken = click_payload(running_app, "UPAUL", "action_mark_done", message) | {"user": {}}
    assert running_app.sender.interaction(broken).status == 200
    [apology] = running_app.slack.wait_for("response_url")
    assert (apology.params["response_type"], apology.params["text"]) == ("ephemeral", SORRY)
    time.sleep(0.5)  # time for a second apology from the work after the click, were there one
    assert len(running_app.slack.calls_to("response_url")) == 1

    # A form with no field to show it under closes, and its sender is told in their DM.
    fieldless = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "UPAUL"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "post_update",
            "private_metadata": "x",
        },
    }
    posted = len(running_app.slack.calls_to("chat.postMessage"))
    closed = running_app.sender.interaction(fieldless)
    assert (closed.status, closed.body) == (200, "")
    told = running_app.slack.wait_for("chat.postMessage", posted + 1)[-1]
    assert (told.params["channel"], told.params["text"]) == ("UPAUL", SORRY)
    assert dump(running_app.database) == before


def test_a_command_that_fails_on_our_side_apologises_and_changes_nothing(
    running_app: RunningApp,
) -> None:
    """A row the core cannot read (a time zone edited by hand into the database) fails
    the command: the person gets the apology as the reply, never a trace, and the
    command's transaction is rolled back."""
    board(running_app)
    with running_app.database.transaction() as session:
        session.execute(update(Board).values(timezone="Europe/Wellingborough"))
    before = dump(running_app.database)

    reply = running_app.command("UGILL", "action add <@UPAUL> Brief licensing by 8/2/2027")
    assert reply == {"response_type": "ephemeral", "text": SORRY}
    assert dump(running_app.database) == before
    time.sleep(0.5)  # time for a post after the reply, were there one
    assert running_app.slack.calls == []


def test_a_form_slack_will_not_open_is_apologised_for_to_the_clicker(
    running_app: RunningApp,
) -> None:
    board(running_app)
    message = owner_dm(running_app)
    running_app.slack.fail_next("views.open", status=200, error="expired_trigger_id")
    assert click(running_app, "UPAUL", "action_post_update", message) == 200
    [apology] = running_app.slack.wait_for("response_url")
    assert (apology.params["response_type"], apology.params["text"]) == ("ephemeral", SORRY)


def test_a_post_whose_connection_drops_is_not_sent_again(settings: Settings) -> None:
    """Slack may have posted before the connection broke: one attempt, then an error
    for the caller (a reminder pass looks before it posts again)."""
    seen: list[bytes] = []
    with socket.create_server(("127.0.0.1", 0)) as server:

        def read_then_hang_up() -> None:
            with suppress(OSError):
                while True:
                    connection, _ = server.accept()
                    with connection:
                        seen.append(connection.recv(65536).split(b"\r\n", 1)[0])

        threading.Thread(target=read_then_hang_up, daemon=True).start()
        url = f"http://127.0.0.1:{server.getsockname()[1]}/api/"
        with pytest.raises(OSError):
            web_client(replace(settings, api_url=url)).chat_postMessage(channel="C1", text="Hi")
    assert seen == [b"POST /api/chat.postMessage HTTP/1.1"]


# A DM of 120 actions: three messages of at most 50 blocks.
LONG_LIST = Message(sections=tuple(Section((line(f"A{n} Item"),)) for n in range(120)))
LONG_TAG = "owner_update:1:UPAUL:2027-01-07"


def post_part(client: WebClient, part: int, parts: int) -> None:
    """A part of LONG_LIST as an earlier attempt split into `parts` would have posted it."""
    payload = {"tag": LONG_TAG, "part": part, "parts": parts}
    client.chat_postMessage(
        channel="UPAUL",
        metadata={"event_type": METADATA_EVENT, "event_payload": payload},
        **rendering.payloads(LONG_LIST)[part],
    )


def parts_posted(slack: FakeSlack) -> list[tuple[int, int]]:
    tags = [m["metadata"]["event_payload"] for m in slack.messages["DUPAUL"]]
    return [(t["part"], t["parts"]) for t in tags]


def test_a_reminder_in_several_messages_is_finished_not_repeated(slack: FakeSlack) -> None:
    """A pass died after the first of three messages; the next posts the other two."""
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    post_part(client, 0, 3)
    first_ts = slack.messages["DUPAUL"][0]["ts"]

    outbox = SlackOutbox(client)
    sent = outbox.send("UPAUL", LONG_LIST, LONG_TAG, look_first=True)
    assert sent == Sent(first_ts, posted=True)
    assert parts_posted(slack) == [(0, 3), (1, 3), (2, 3)]
    again = outbox.send("UPAUL", LONG_LIST, LONG_TAG, look_first=True)
    assert again == Sent(first_ts, posted=False) and len(slack.messages["DUPAUL"]) == 3


def test_the_bot_joins_a_public_channel_to_look_before_posting_again(slack: FakeSlack) -> None:
    """It posts to a public channel without joining it (chat:write.public), but must be
    a member to read it."""
    outbox = SlackOutbox(WebClient(token="xoxb-test", base_url=slack.api_url))
    slack.fail_next("conversations.history", status=200, error="not_in_channel")
    sent = outbox.send(
        "CBOARD", Message.of(line("Board tomorrow")), "eve:1:CBOARD:2027-01-13", look_first=True
    )
    assert sent.posted
    assert [c.method for c in slack.calls][-4:] == [
        "conversations.history",
        "conversations.join",
        "conversations.history",
        "chat.postMessage",
    ]
    slack.fail_next("conversations.history", status=200, error="internal_error")
    with pytest.raises(DeliveryFailed):
        outbox.send("CBOARD", Message.of(line("Board tomorrow")), "x", look_first=True)


def test_parts_of_attempts_split_differently_are_not_mixed(slack: FakeSlack) -> None:
    """The first attempt (in two) got one part out; the second (in three), two."""
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    for part, parts in [(0, 2), (0, 3), (1, 3)]:
        post_part(client, part, parts)
    SlackOutbox(client).send("UPAUL", LONG_LIST, LONG_TAG, look_first=True)
    assert parts_posted(slack)[3:] == [(2, 3)]


@pytest.mark.parametrize(
    ("recipient", "refusals"),
    [
        # An install approved before channels:join was asked for.
        (
            "CBOARD",
            [("conversations.history", "not_in_channel"), ("conversations.join", "missing_scope")],
        ),
        ("CBOARD", [("conversations.history", "missing_scope")]),
        # A Slack that does not take the metadata flag (include_all_metadata).
        ("CBOARD", [("conversations.history", "invalid_arg_name")]),
        ("UPAUL", [("conversations.open", "unknown_method")]),
    ],
)
def test_a_reminder_the_bot_may_not_look_for_is_posted_rather_than_given_up(
    slack: FakeSlack, recipient: str, refusals: list[tuple[str, str]]
) -> None:
    outbox = SlackOutbox(WebClient(token="xoxb-test", base_url=slack.api_url))
    for method, error in refusals:
        slack.fail_next(method, status=200, error=error)
    tag = "eve:1:CBOARD:2027-01-13"
    assert outbox.send(recipient, Message.of(line("Board tomorrow")), tag, look_first=True).posted
    posted = [m for messages in slack.messages.values() for m in messages]
    assert [m["metadata"]["event_payload"]["tag"] for m in posted] == [tag]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("99:1", "That board no longer exists."),
        ("99999999999999999999999:1", "That button no longer points at an action."),
    ],
)
def test_a_button_naming_no_board_says_so(running_app: RunningApp, value: str, says: str) -> None:
    board(running_app)
    payload = click_payload(running_app, "UPAUL", "action_mark_done", owner_dm(running_app))
    payload["actions"][0]["value"] = value
    assert running_app.sender.interaction(payload).status == 200
    [refusal] = running_app.slack.wait_for("response_url")
    assert refusal.params["text"].startswith(says)
