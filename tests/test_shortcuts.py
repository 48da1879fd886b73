"""Record as an action, a shortcut on a message in the board's channel: a form filled in
as the message reads, recording the action by `action add`'s rules."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from bot.apology import SORRY
from storage.models import Action, AgendaItem
from tests.conftest import CHANNEL, RunningApp

BEFORE = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
AFTER_THE_MEETING = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)  # M1 was 10:00 to 12:00


def a_board_just_met(app: RunningApp) -> None:
    app.clock.fixed = BEFORE
    app.command("UCHAIR", "setup Wellingborough CSP Board")
    app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    app.command("UCHAIR", "meeting add 1/12/2026 10:00 for 2h at Swanspool House")
    app.command("UCHAIR", "agenda add Anti-social behaviour hotspots <@UPAUL>")
    app.command(
        "UCHAIR",
        "agenda add Serious violence duty: the strategic needs assessment, the response "
        "strategy and Home Office funding for 2027/28",
    )
    app.clock.fixed = AFTER_THE_MEETING


def opened_form(app: RunningApp) -> dict[str, Any]:
    opened = app.slack.wait_for("views.open")[-1]
    view = opened.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def element(form: dict[str, Any], block_id: str) -> dict[str, Any]:
    [block] = [block for block in form["blocks"] if block.get("block_id") == block_id]
    return block["element"]


def fields(
    owner: str | None, text: str, due: str | None = None, item: str | None = None
) -> dict[str, Any]:
    """The form's fields as Slack submits them (the item's only where the form has one)."""
    values: dict[str, Any] = {
        "owner": {"owner": {"type": "users_select", "selected_user": owner}},
        "description": {"text": {"type": "plain_text_input", "value": text}},
        "due": {"date": {"type": "datepicker", "selected_date": due}},
    }
    if item:
        chosen = {"value": item, "text": {"type": "plain_text", "text": item}}
        values["item"] = {"item": {"type": "static_select", "selected_option": chosen}}
    return values


def stored(app: RunningApp) -> list[tuple[Any, ...]]:
    with app.database.transaction() as session:
        return [
            (a.number, a.owner_id, a.description, a.due_on, a.created_by)
            for a in session.scalars(select(Action).order_by(Action.number))
        ]


def test_a_message_is_recorded_as_an_action_of_the_item_it_arose_from(
    running_app: RunningApp,
) -> None:
    a_board_just_met(running_app)
    running_app.slack.add_user("UGILL", "gill", "Gill Smith")
    said = "<@UPAUL> to share the hotspot data with <@UGILL> &amp; housing by 14/1/2027"
    assert running_app.sender.message_shortcut("UCHAIR", said, channel=CHANNEL).status == 200

    form = opened_form(running_app)
    assert form["callback_id"] == "record_action_form"
    assert "An action of Wellingborough CSP Board" in json.dumps(form["blocks"][0])
    assert element(form, "owner")["initial_user"] == "UPAUL"
    assert element(form, "description")["initial_value"] == (
        "Share the hotspot data with @Gill Smith & housing"
    )
    assert element(form, "due")["initial_date"] == "2027-01-14"
    options = element(form, "item")["options"]
    assert [(o["value"], o["text"]["text"]) for o in options] == [
        ("M1 1", "1. Anti-social behaviour hotspots"),
        ("M1 2", "2. Serious violence duty: the strategic needs assessment, the response…"),
    ]

    submitted = running_app.sender.submit_form(
        "UCHAIR",
        form["callback_id"],
        form["private_metadata"],
        fields("UPAUL", "Share the hotspot data with housing", "2027-01-14", "M1 1"),
    )
    assert submitted.status == 200 and submitted.body == ""
    assert stored(running_app) == [
        (1, "UPAUL", "Share the hotspot data with housing", date(2027, 1, 14), "UCHAIR")
    ]
    with running_app.database.transaction() as session:
        action = session.scalars(select(Action)).one()
        item = session.get(AgendaItem, action.item_id)
        assert item is not None and item.title == "Anti-social behaviour hotspots"

    # What action add says, beside the message, to the one who recorded it only.
    [reply] = running_app.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["replace_original"] is False
    assert reply.params["text"].splitlines() == [
        "Added *A1* for <@UPAUL>: Share the hotspot data with housing",
        "Due Thursday 14 January 2027.",
        "Arising from *agenda item 1* of *M1*.",
    ]


def test_the_form_starts_from_what_the_message_gives_and_no_more(
    running_app: RunningApp,
) -> None:
    """No owner unless a board member is named first; a date that cannot be read stays in
    the words; no items unless a meeting is current."""
    running_app.clock.fixed = BEFORE
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.slack.add_user("UNEW", "new", "Nell Ward")
    said = "<@UNEW> to collate figures by ward by 45/13/2027 <!here> <#C0DATA|data>"
    running_app.sender.message_shortcut("UCHAIR", said, channel=CHANNEL)
    form = opened_form(running_app)
    assert "initial_user" not in element(form, "owner")
    assert element(form, "description")["initial_value"] == (
        "@Nell Ward to collate figures by ward by 45/13/2027 @here #data"
    )
    assert "initial_date" not in element(form, "due")
    assert "item" not in json.dumps([block.get("block_id") for block in form["blocks"]])


def test_a_refused_form_says_why_under_the_field_and_records_nothing(
    running_app: RunningApp,
) -> None:
    a_board_just_met(running_app)
    running_app.sender.message_shortcut("UPAUL", "Circulate the strategy", channel=CHANNEL)
    form = opened_form(running_app)

    def refusal(values: dict[str, Any]) -> dict[str, str]:
        answer = running_app.sender.submit_form(
            "UPAUL", form["callback_id"], form["private_metadata"], values
        )
        assert answer.status == 200
        body = answer.json()
        assert body["response_action"] == "errors"
        return dict(body["errors"])

    running_app.slack.add_user("UGILL", "gill", "Gill Smith")
    assert refusal(fields("UGILL", "Circulate the strategy")) == {
        "owner": "@Gill Smith is not on this board. An officer can add them: "
        "/board member add @Gill Smith"
    }
    assert refusal(fields("UPAUL", "Circulate the strategy", "2026-11-30")) == {
        "due": "The due date, Monday 30 November 2026, is in the past."
    }
    assert refusal(fields("UPAUL", "  ")) == {"description": "The action description is missing."}
    assert stored(running_app) == []
    assert running_app.slack.calls_to("response_url") == []


def test_only_a_member_may_record_and_only_in_a_boards_channel(running_app: RunningApp) -> None:
    a_board_just_met(running_app)
    assert running_app.sender.message_shortcut("UGILL", "Do it", channel=CHANNEL).status == 200
    [told] = running_app.slack.wait_for("response_url")
    assert told.params["response_type"] == "ephemeral"
    assert told.params["text"].startswith("Only members of Wellingborough CSP Board can do that.")

    running_app.sender.message_shortcut("UCHAIR", "Do it", channel="CRANDOM")
    told = running_app.slack.wait_for("response_url", 2)[-1]
    assert told.params["text"] == (
        "You are on Wellingborough CSP Board (<#CBOARD>): type board commands in its channel."
        " This channel has no board; /board setup &lt;board name&gt; would set one up here."
    )
    assert running_app.slack.calls_to("views.open") == []
    assert stored(running_app) == []


def test_an_item_and_a_date_at_the_end_are_read_as_action_add_reads_them(
    running_app: RunningApp,
) -> None:
    a_board_just_met(running_app)
    said = "Chair to write to the PCC by 14/1/2027 item 2"
    running_app.sender.message_shortcut("UPAUL", said, channel=CHANNEL)
    form = opened_form(running_app)
    assert element(form, "description")["initial_value"] == "Chair to write to the PCC"
    assert element(form, "due")["initial_date"] == "2027-01-14"
    assert element(form, "item")["initial_option"]["value"] == "M1 2"
    assert "initial_user" not in element(form, "owner")

    answer = running_app.sender.submit_form(
        "UPAUL", form["callback_id"], form["private_metadata"], fields(None, "Write to the PCC")
    )
    assert answer.json() == {"response_action": "errors", "errors": {"owner": "Pick the owner."}}
    assert stored(running_app) == []

    running_app.sender.message_shortcut("UPAUL", "Check item 99999999999", channel=CHANNEL)
    opened = running_app.slack.wait_for("views.open", 2)[-1].params["view"]
    again = json.loads(opened) if isinstance(opened, str) else opened
    assert element(again, "description")["initial_value"] == "Check item 99999999999"


def test_the_reply_goes_to_the_dm_once_slack_no_longer_takes_it_beside_the_message(
    running_app: RunningApp,
) -> None:
    """A reply URL lasts 30 minutes: a form submitted later is answered in the DM."""
    a_board_just_met(running_app)
    running_app.sender.message_shortcut("UPAUL", "Share the data", channel=CHANNEL)
    form = opened_form(running_app)
    running_app.slack.fail_next("response_url", status=404, error="expired_url")
    posted = len(running_app.slack.calls_to("chat.postMessage"))  # the board's announcements
    values = fields("UPAUL", "Share the data", "2027-01-14")
    running_app.sender.submit_form("UPAUL", form["callback_id"], form["private_metadata"], values)
    dm = running_app.slack.wait_for("chat.postMessage", posted + 1)[-1]
    assert dm.params["channel"] == "UPAUL"
    assert dm.params["text"].startswith("Added *A1* for <@UPAUL>: Share the data")
    assert stored(running_app) == [(1, "UPAUL", "Share the data", date(2027, 1, 14), "UPAUL")]


def test_a_shortcut_that_fails_on_our_side_is_apologised_for_beside_the_message(
    running_app: RunningApp,
) -> None:
    """Slack's own "failed with error" is never shown, whether the message could not be
    read or Slack would not open the form."""
    a_board_just_met(running_app)
    running_app.slack.fail_next("views.open", status=200, error="expired_trigger_id")
    assert running_app.sender.message_shortcut("UPAUL", "Share the data", channel=CHANNEL).status
    [apology] = running_app.slack.wait_for("response_url")
    assert (apology.params["response_type"], apology.params["text"]) == ("ephemeral", SORRY)

    garbled = {
        "type": "message_action",
        "callback_id": "record_action",
        "response_url": running_app.slack.response_url("garbled"),
        "user": {},
    }
    assert running_app.sender.interaction(garbled).status == 200
    apology = running_app.slack.wait_for("response_url", 2)[-1]
    assert (apology.params["response_type"], apology.params["text"]) == ("ephemeral", SORRY)
    assert stored(running_app) == []


def test_a_message_is_added_to_a_meetings_agenda_through_the_form(
    running_app: RunningApp,
) -> None:
    """Add to the agenda: the first line the title, its author (on the board) to present
    it, the next meeting unless another is picked; done as agenda add would do it."""
    running_app.clock.fixed = BEFORE
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.command("UCHAIR", "member add <@UPAUL> org Northamptonshire Police")
    running_app.command("UCHAIR", "meeting add 14/1/2027 10:00 quarterly 2")
    said = "Can we take the <@UPAUL> night-time economy review &amp; licensing?\nPaper to follow"
    running_app.sender.message_shortcut(
        "UPAUL", said, channel=CHANNEL, callback_id="add_to_agenda", author="UPAUL"
    )
    form = opened_form(running_app)
    assert form["callback_id"] == "add_to_agenda_form"
    assert element(form, "title")["initial_value"] == (
        "Can we take the @Paul Valentine night-time economy review & licensing?"
    )
    assert element(form, "presenter")["initial_user"] == "UPAUL"
    meetings = element(form, "meeting")
    assert [option["text"]["text"] for option in meetings["options"]] == [
        "M1 · Thursday 14 January 2027, 10:00",
        "M2 · Wednesday 14 April 2027, 10:00",
    ]
    assert meetings["initial_option"]["value"] == "M1"

    def submit(title: str, presenter: str | None, minutes: str | None, meeting: str) -> Any:
        chosen = {"value": meeting, "text": {"type": "plain_text", "text": meeting}}
        values = {
            "title": {"text": {"type": "plain_text_input", "value": title}},
            "presenter": {"presenter": {"type": "users_select", "selected_user": presenter}},
            "minutes": {"minutes": {"type": "number_input", "value": minutes}},
            "meeting": {"meeting": {"type": "static_select", "selected_option": chosen}},
        }
        answer = running_app.sender.submit_form(
            "UPAUL", form["callback_id"], form["private_metadata"], values
        )
        assert answer.status == 200
        return answer.json() if answer.body else None

    assert submit("Night-time economy", "UPAUL", "0", "M2") == {
        "response_action": "errors",
        "errors": {"minutes": "An item can have 1 to 600 minutes."},
    }
    assert submit("Night-time economy", "UGILL", None, "M2")["errors"]["presenter"].endswith(
        "is not on this board. An officer can add them: /board member add @Gill Harris"
    )
    assert submit("Night-time economy", None, None, "M9")["errors"] == {
        "meeting": "There is no meeting M9 on this board."
    }
    assert submit("Night-time economy", "UPAUL", "20", "M2") is None
    [reply] = running_app.slack.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["text"] == (
        "Added *agenda item 1* to *M2*:\n*1.* Night-time economy — <@UPAUL> (20 min)"
    )
    assert "*1.* Night-time economy" in running_app.command("UPAUL", "agenda M2")["text"]
    assert "Night-time economy" not in running_app.command("UPAUL", "agenda M1")["text"]


def test_with_no_meeting_ahead_the_agenda_form_does_not_open(running_app: RunningApp) -> None:
    running_app.clock.fixed = BEFORE
    running_app.command("UCHAIR", "setup Wellingborough CSP Board")
    running_app.sender.message_shortcut(
        "UCHAIR", "Budget", channel=CHANNEL, callback_id="add_to_agenda"
    )
    [told] = running_app.slack.wait_for("response_url")
    assert told.params["text"].startswith("No meeting is scheduled. Add one with /board meeting")
    assert running_app.slack.calls_to("views.open") == []


def test_the_meeting_just_held_is_offered_after_those_ahead(running_app: RunningApp) -> None:
    """Members may add to the agenda of the meeting under way or just held until its
    minutes are out, as agenda add … to M1 may."""
    a_board_just_met(running_app)  # M1 this morning
    running_app.command("UCHAIR", "meeting add 14/1/2027 10:00")
    running_app.sender.message_shortcut(
        "UPAUL", "Hotspot patrols", channel=CHANNEL, callback_id="add_to_agenda", author="UPAUL"
    )
    form = opened_form(running_app)
    meetings = element(form, "meeting")
    assert [option["value"] for option in meetings["options"]] == ["M2", "M1"]
    assert meetings["initial_option"]["value"] == "M2"
    forged: dict[str, Any] = {
        "title": {"text": {"type": "plain_text_input", "value": "Hotspot patrols"}},
        "minutes": {"minutes": {"type": "number_input", "value": "9" * 5000}},
        "meeting": {"meeting": {"type": "static_select", "selected_option": {"value": "M1"}}},
    }
    answer = running_app.sender.submit_form(
        "UPAUL", form["callback_id"], form["private_metadata"], forged
    )
    assert answer.json()["errors"] == {"minutes": "Give the minutes as a number, e.g. 20."}
    forged["minutes"]["minutes"]["value"] = "15"
    running_app.sender.submit_form("UPAUL", form["callback_id"], form["private_metadata"], forged)
    [reply] = running_app.slack.wait_for("response_url")
    assert reply.params["text"].startswith("Added *agenda item 3* to *M1*:\n*3.* Hotspot patrols")
