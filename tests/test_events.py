"""Events API: the App Home tab, and Slack's retries that must change nothing (SPEC §4)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from storage.models import Action, ProcessedEvent
from tests.conftest import RunningApp

SET_UP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def home_opened(app: RunningApp, user: str, event_id: str, retry: int | None = None) -> int:
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "DHOME",
        "tab": "home",
        "event_ts": "1764590400.000100",
    }
    return app.sender.event(event, event_id, retry_num=retry).status


def test_the_home_tab_lists_my_open_actions_with_buttons(running_app: RunningApp) -> None:
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    running_app.command("UCHAIR", "action add <@UPAUL> Share hotspot data <!here> by 7/1/2027")
    running_app.command("UCHAIR", "action add <@UCHAIR> Chair's own action")

    assert home_opened(running_app, "UPAUL", "Ev001") == 200
    [published] = running_app.slack.wait_for("views.publish")
    assert published.params["user_id"] == "UPAUL"
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    shown = json.dumps(view)
    assert view["type"] == "home"
    assert "Share hotspot data &lt;!here&gt;" in shown and "Chair's own action" not in shown
    assert "action_mark_done" in shown and "action_post_update" in shown
    # The board's channel, linked, and its next meeting.
    assert "*Wellingborough CSP Board*\nIn <#CBOARD> · no meeting scheduled" in texts(view)
    running_app.command("UCHAIR", "meeting add 14/01/2027 10:00 at Swanspool House")
    assert home_opened(running_app, "UCHAIR", "Ev005") == 200
    chair = texts(published_home(running_app, 2))
    assert "You have no open actions on any board." not in chair  # the chair's own action
    assert (
        "In <#CBOARD> · next meeting M1, Thursday 14 January 2027, 10:00, Swanspool House"
    ) in chair

    # Off the board, Paul is offered no buttons that would only refuse him.
    running_app.command("UCHAIR", "member remove <@UPAUL>")
    assert home_opened(running_app, "UPAUL", "Ev002") == 200
    assert "Share hotspot data" not in json.dumps(published_home(running_app, 3))


def test_a_long_list_of_actions_fits_the_home_tab_and_says_how_many_more(
    running_app: RunningApp,
) -> None:
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    for n in range(1, 36):  # each as long as allowed, and five times longer escaped
        running_app.command("UCHAIR", f"action add <@UCHAIR> Action number {n} " + "&<>" * 990)
    assert home_opened(running_app, "UCHAIR", "Ev003") == 200
    [published] = running_app.slack.wait_for("views.publish")
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    shown = json.dumps(view, ensure_ascii=False)
    assert len(view["blocks"]) <= 100  # Slack's limit for a Home tab
    assert "Action number 30" in shown and "Action number 31" not in shown
    assert "…and 5 more" in shown
    sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert all(len(text) <= 3000 and text.endswith("…") for text in sections[1:31])


def test_a_retried_event_is_acknowledged_and_changes_nothing(running_app: RunningApp) -> None:
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    assert home_opened(running_app, "UCHAIR", "Ev002") == 200
    running_app.slack.wait_for("views.publish")
    assert home_opened(running_app, "UCHAIR", "Ev002", retry=1) == 200
    assert home_opened(running_app, "UCHAIR", "Ev002", retry=2) == 200
    time.sleep(0.5)  # a second publish would come from a lazy listener
    assert len(running_app.slack.calls_to("views.publish")) == 1
    with running_app.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def texts(view: dict[str, Any]) -> str:
    """The sections' texts, one after another, as Slack shows them."""
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def published_home(app: RunningApp, count: int = 1) -> dict[str, Any]:
    view = app.slack.wait_for("views.publish", count)[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view  # type: ignore[no-any-return]


def click_on_home(app: RunningApp, view: dict[str, Any], action_id: str) -> int:
    """Click the first `action_id` button on the published Home tab, as Slack posts it."""
    button = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )
    return app.sender.interaction(
        {
            "type": "block_actions",
            "team": {"id": "T0BOARD", "domain": "wellingborough-csp"},
            "user": {"id": "UCHAIR", "username": "chair", "team_id": "T0BOARD"},
            "api_app_id": "A0BOARD",
            "token": "legacy-verification-token",
            "container": {"type": "view", "view_id": "VHOME"},
            "trigger_id": "trigger.home",
            "view": {"id": "VHOME", "type": "home", "blocks": view["blocks"]},
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
    ).status


def test_mark_done_from_the_home_tab_refreshes_it(running_app: RunningApp) -> None:
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "action add <@UCHAIR> Write to the PCC by 7/1/2027")
    home_opened(running_app, "UCHAIR", "Ev003")
    assert click_on_home(running_app, published_home(running_app), "action_mark_done") == 200
    refreshed = running_app.slack.wait_for("views.publish", 2)[-1]
    assert "no open actions" in json.dumps(refreshed.params["view"])
    with running_app.database.transaction() as session:
        assert session.scalars(select(Action.status)).one() == "done"


def test_an_update_posted_from_the_home_tab_shows_there(running_app: RunningApp) -> None:
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "action add <@UCHAIR> Write to the PCC by 7/1/2027")
    home_opened(running_app, "UCHAIR", "Ev004")
    assert click_on_home(running_app, published_home(running_app), "action_post_update") == 200
    [opened] = running_app.slack.wait_for("views.open")
    form = opened.params["view"]
    form = json.loads(form) if isinstance(form, str) else form
    submitted = running_app.sender.submit_update("UCHAIR", form["private_metadata"], "Letter sent")
    assert submitted.status == 200 and "errors" not in submitted.body
    [confirmed] = running_app.slack.wait_for("chat.postMessage", 2)[1:]
    assert confirmed.params["channel"] == "UCHAIR" and "Update posted" in confirmed.params["text"]
    assert "Letter sent" in json.dumps(published_home(running_app, 2))


def test_a_refused_click_on_the_home_tab_is_explained_in_the_clickers_dm(
    running_app: RunningApp,
) -> None:
    """A Home tab click carries no reply URL; the refusal goes to the bot's DM instead."""
    running_app.clock.fixed = SET_UP
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "action add <@UCHAIR> Write to the PCC by 7/1/2027")
    home_opened(running_app, "UCHAIR", "Ev005")
    stale = published_home(running_app)
    running_app.command("UCHAIR", "action done A1")
    assert click_on_home(running_app, stale, "action_post_update") == 200
    told = running_app.slack.wait_for("chat.postMessage", 2)[-1]
    assert (told.params["channel"], told.params["text"]) == (
        "UCHAIR",
        "*A1* is done; it can't be changed. If it was closed in error: /board action reopen A1",
    )
    assert running_app.slack.calls_to("views.open") == []


def test_what_nothing_handles_is_acknowledged_quietly(running_app: RunningApp) -> None:
    """A shortcut, a button or an event the app does not know: 200, and nothing said."""
    person = {"id": "UCHAIR", "username": "chair", "team_id": "T0BOARD"}
    shortcut = {"type": "shortcut", "callback_id": "old_shortcut", "user": person}
    button = {
        "type": "block_actions",
        "user": person,
        "actions": [{"action_id": "a_button_of_old", "value": "1:1", "type": "button"}],
    }
    assert running_app.sender.interaction(shortcut).status == 200
    assert running_app.sender.interaction(button).status == 200
    reaction = {"type": "reaction_added", "user": "UCHAIR", "reaction": "thumbsup"}
    assert running_app.sender.event(reaction, "Ev900").status == 200
    assert [c.method for c in running_app.slack.calls if c.method != "auth.test"] == []
