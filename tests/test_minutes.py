"""Minutes: the secretary previews them, publishes them with Markdown and Word copies,
and at the next meeting the matters arising collate the updates posted in between."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from slack_sdk.models.blocks import Block
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.rendering import payloads
from commands import dispatch, minutes_docx, minutes_markdown
from commands.calendar_ics import ics
from commands.context import Invocation
from commands.minutes import Minutes, as_message, collate
from storage.database import Database
from storage.models import Action, Attendance, AuditEntry, Board, Meeting
from tests.conftest import (
    CHANNEL,
    SIGNING_SECRET,
    TEAM,
    Core,
    Everyone,
    RunningApp,
    migrated_again,
)
from tests.csp_quarter import (
    DURING_THE_FIRST,
    DURING_THE_SECOND,
    NOTE_WITH_MARKUP,
    between_meetings,
    build_board,
    hold_first_meeting,
    set_up_board,
)
from tests.fake_slack import BLOCKS_TEXT_LIMIT, blocks_text_length
from tests.slack_requests import SlackSender
from tests.snapshots import dump

HEADING = "Minutes of the meeting held on Thursday 14 January 2027, 10:00, Swanspool House"


def blocks_of(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def section_headed(blocks: list[dict[str, Any]], heading: str) -> str:
    return next(text for text in section_texts(blocks) if text.startswith(f"*{heading}*"))


def assert_within_slacks_limits(blocks: list[dict[str, Any]]) -> None:
    assert 0 < len(blocks) <= 50
    assert blocks_text_length(blocks) <= BLOCKS_TEXT_LIMIT
    for block in blocks:
        assert Block.parse(block) is not None
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def style_name(styled: Any) -> str:
    """A paragraph's or table's style name ("" for none)."""
    return styled.style.name if styled.style is not None else ""


def published_files(app: RunningApp, count: int) -> dict[str, bytes]:
    """The files uploaded so far, by title."""
    completed = app.slack.wait_for("files.completeUploadExternal", count)
    titles = {}
    for call in completed:
        files = call.params["files"]
        for file in json.loads(files) if isinstance(files, str) else files:
            titles[file["id"]] = file["title"]
    return {title: app.slack.uploads[file_id] for file_id, title in titles.items()}


def test_the_chair_previews_the_draft_minutes_of_the_meeting_just_held(
    running_app: RunningApp,
) -> None:
    hold_first_meeting(running_app)
    running_app.slack.reset()

    reply = running_app.command("UCHAIR", "minutes")

    assert reply["response_type"] == "ephemeral"
    blocks = reply["blocks"]
    assert_within_slacks_limits(blocks)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Wellingborough CSP Board"},
    }
    text = reply["text"]
    assert HEADING in text and "Meeting *M1*: CSP Board" in text
    assert section_headed(blocks, "Present").splitlines()[1:] == [
        "Liz Elliott, Borough Council of Wellingborough (Chair)",
        "Lara Stone, Northamptonshire Police (Vice-chair)",
        "Gill Harris, Borough Council of Wellingborough (Secretary)",
        "Paul Valentine, Northamptonshire Police (Member)",
    ]
    assert "Sam Reid, NHS Northamptonshire" in section_headed(blocks, "Apologies")
    assert "no earlier meeting of the board is recorded" in section_headed(
        blocks, "Matters arising"
    )
    first = section_headed(blocks, "1. Partnership priorities and the CSP report")
    assert "Presented by Liz Elliott" in first and "RESOLVED: to note the report" in first
    second = section_headed(blocks, "2. SSNP report")
    assert "Hemmingwell and Queensway remain the hotspots" in second
    assert "*A3* Share hotspot data with housing — Paul Valentine · due Sun 28 Feb 2027" in second
    assert text.index("1. Partnership") < text.index("2. SSNP") < text.index("3. Domestic abuse")
    log = section_headed(blocks, "Action log")
    assert "*Gill Harris, Borough Council of Wellingborough*" in log
    assert "*A1* Circulate the SSNP strategy to partners · due Thu 7 Jan 2027 · open (overdue)" in (
        log
    )
    assert "A2" not in log  # done before the meeting
    assert "Wednesday 14 April 2027, 10:00, Swanspool House (*M2*)" in section_headed(
        blocks, "Next meeting"
    )
    assert "Draft: only you can see this" in text
    # The note's markup is shown, never live.
    assert "<!channel>" not in json.dumps(reply) and "<@U999" not in json.dumps(reply)
    assert "tell &lt;!channel&gt; &amp; &lt;@U999|fake&gt; about *referrals*" in text
    assert running_app.slack.calls_to("chat.postMessage") == []  # a preview posts nothing


def test_publishing_posts_the_minutes_with_markdown_and_word_copies_and_revisions_say_so(
    running_app: RunningApp,
) -> None:
    hold_first_meeting(running_app)
    recommended = "RECOMMENDED: that the SSNP report goes to the policy committee"
    running_app.command(
        "UGILL", "decision 2 Recommend that the SSNP report goes to the policy committee"
    )
    running_app.slack.reset()

    reply = running_app.command("UGILL", "minutes publish")

    assert reply["response_type"] == "ephemeral"
    assert "Published the minutes of *M1* to the channel" in reply["text"]
    [post] = running_app.slack.wait_for("chat.postMessage")
    assert post.params["channel"] == "CBOARD"
    blocks = blocks_of(post.params)
    assert_within_slacks_limits(blocks)
    assert HEADING in post.params["text"] and "RESOLVED: to note the report" in post.params["text"]
    assert recommended in post.params["text"]
    assert "<!channel>" not in json.dumps(post.params)

    files = published_files(running_app, 2)
    markdown = files["Minutes of M1, Thursday 14 January 2027 (Markdown)"].decode()
    assert markdown.startswith("# Wellingborough CSP Board\n\n## " + HEADING + "\n")
    assert "| Lara Stone | Northamptonshire Police | Vice-chair |" in markdown
    assert "- Sam Reid, NHS Northamptonshire" in markdown
    assert "## 1. Partnership priorities and the CSP report" in markdown
    assert "RESOLVED: to note the report" in markdown and recommended in markdown
    assert "- **A3** Share hotspot data with housing — Paul Valentine · due Sun 28 Feb 2027" in (
        markdown
    )
    assert "### Gill Harris, Borough Council of Wellingborough" in markdown
    assert "tell &lt;!channel&gt; & &lt;@U999\\|fake&gt; about \\*referrals\\*" in markdown
    assert "<!channel>" not in markdown and "<@" not in markdown

    document = Document(BytesIO(files["Minutes of M1, Thursday 14 January 2027 (Word)"]))
    [footer] = document.sections[0].footer.paragraphs
    assert footer.text == (
        "Wellingborough CSP Board · minutes of M1 · version 1, Thu 14 Jan 2027 · page "
    )
    assert 'w:instr="PAGE"' in footer._p.xml  # Word puts each page's number there
    headings = [
        p.text for p in document.paragraphs if style_name(p).startswith(("Heading", "Title"))
    ]
    assert headings[:5] == [
        "Wellingborough CSP Board",
        HEADING,
        "Present",
        "Apologies",
        "Matters arising",
    ]
    assert headings[5:] == [
        "1. Partnership priorities and the CSP report",
        "2. SSNP report",
        "3. Domestic abuse in the local context",
        "Action log",
        "Next meeting",
    ]
    present, apologies, log = document.tables
    assert [[c.text for c in row.cells] for row in present.rows] == [
        ["Name", "Organisation", "Role"],
        ["Liz Elliott", "Borough Council of Wellingborough", "Chair"],
        ["Lara Stone", "Northamptonshire Police", "Vice-chair"],
        ["Gill Harris", "Borough Council of Wellingborough", "Secretary"],
        ["Paul Valentine", "Northamptonshire Police", "Member"],
    ]
    assert [c.text for c in apologies.rows[1].cells] == [
        "Sam Reid",
        "NHS Northamptonshire",
        "Member",
    ]
    assert [c.text for c in log.rows[0].cells][:4] == [
        "Owner",
        "Organisation",
        "Action",
        "Description",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "RESOLVED: to note the report" in texts and recommended in texts
    bullets = [p.text for p in document.paragraphs if style_name(p) == "List Bullet"]
    assert "A4 Report on referrals — Lara Stone · due Wed 31 Mar 2027" in bullets
    assert NOTE_WITH_MARKUP in texts  # plain text in Word: verbatim
    assert {style_name(table) for table in document.tables} == {"Table Grid"}
    # On A4, each column as wide as what it holds needs: Organisation, AMBER whole.
    [page] = document.sections
    assert page.page_width and page.page_height and page.left_margin
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert all(cell.width for cell in log.rows[0].cells)
    widths = {cell.text: cell.width.mm for cell in log.rows[0].cells if cell.width}
    assert widths["Organisation"] > widths["Owner"] > widths["RAG"]
    assert round(sum(widths.values())) == round(page.page_width.mm - 2 * page.left_margin.mm)
    # Over pages, each row is kept whole and the header row is repeated.
    assert len(log._tbl.xpath("./w:tr/w:trPr/w:cantSplit")) == len(log.rows)
    assert len(log._tbl.xpath("./w:tr[1]/w:trPr/w:tblHeader")) == 1
    assert len(log._tbl.xpath("./w:tr/w:trPr/w:tblHeader")) == 1
    properties = document.core_properties
    assert properties.created == properties.modified == running_app.clock.fixed
    assert (properties.author, properties.comments) == ("Board Bot", "")
    # Of Word's built-in styles only those used (and their bases) come along.
    assert {style.name for style in document.styles} == {
        "Normal",
        "Default Paragraph Font",
        "Normal Table",
        "No List",
        "Title",
        "Title Char",
        "Heading 1",
        "Heading 1 Char",
        "List Bullet",
        "Table Grid",
    }

    [entry] = [e for e in rows_of(running_app.database) if e.verb == "minutes.publish"]
    assert (entry.subject, entry.after, entry.actor_id) == ("M1", {"version": 1}, "UGILL")

    again = running_app.command("UCHAIR", "minutes publish M1")
    assert "Published revised minutes (version 2) of *M1*" in again["text"]
    revised = running_app.slack.wait_for("chat.postMessage", 2)[-1]
    notice = "Revised minutes (version 2), replacing the version published on Thu 14 Jan 2027"
    assert notice in revised.params["text"]
    files = published_files(running_app, 4)
    revised_markdown = files["Minutes of M1, Thursday 14 January 2027, version 2 (Markdown)"]
    assert f"**{notice}.**" in revised_markdown.decode()
    revised_document = files["Minutes of M1, Thursday 14 January 2027, version 2 (Word)"]
    revised_word = Document(BytesIO(revised_document))
    assert notice + "." in [p.text for p in revised_word.paragraphs]
    assert "· version 2, Thu 14 Jan 2027 ·" in revised_word.sections[0].footer.paragraphs[0].text
    uploads = running_app.slack.calls_to("files.getUploadURLExternal")
    assert [c.params["filename"] for c in uploads] == [
        "wellingborough-csp-board-m1-minutes.md",
        "wellingborough-csp-board-m1-minutes.docx",
        "wellingborough-csp-board-m1-minutes-v2.md",
        "wellingborough-csp-board-m1-minutes-v2.docx",
    ]
    preview = running_app.command("UCHAIR", "minutes M1")["text"]
    assert "Published as version 2 on Thu 14 Jan 2027" in preview


def click_publish(app: RunningApp, user: str, draft: dict[str, Any]) -> int:
    """The Publish button under a draft shown in the board's channel, clicked."""
    [button] = [
        element
        for block in draft["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "minutes_publish"
    ]
    payload = {
        "type": "block_actions",
        "team": {"id": "T0BOARD", "domain": "wellingborough-csp"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0BOARD"},
        "api_app_id": "A0BOARD",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "1768384800.000100", "is_ephemeral": True},
        "trigger_id": "trigger.publish",
        "channel": {"id": CHANNEL, "name": "csp-board"},
        "response_url": app.slack.response_url("publish"),
        "actions": [
            {
                "action_id": "minutes_publish",
                "block_id": "publish",
                "type": "button",
                "value": button["value"],
                "action_ts": "1768384900.000001",
            }
        ],
    }
    return app.sender.interaction(payload).status


def test_an_officer_publishes_the_draft_with_its_button_after_confirming(
    running_app: RunningApp,
) -> None:
    hold_first_meeting(running_app)
    draft = running_app.command("UGILL", "minutes")
    [button] = [e for b in draft["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["text"]["text"], button["style"]) == ("Publish", "primary")
    assert button["confirm"]["text"]["text"].startswith("This posts the minutes of M1 to the")
    assert "actions" not in [b["type"] for b in running_app.command("UPAUL", "minutes")["blocks"]]
    running_app.slack.reset()
    with running_app.database.transaction() as session:  # installed under another name
        session.scalars(select(Board)).one().command = "/csp"

    assert click_publish(running_app, "UGILL", draft) == 200

    [told] = running_app.slack.wait_for("response_url")
    assert told.params["text"].startswith("Published the minutes of *M1* to the channel")
    assert told.params["response_type"] == "ephemeral" and not told.params["replace_original"]
    [post] = running_app.slack.wait_for("chat.postMessage")
    assert post.params["channel"] == CHANNEL and HEADING in post.params["text"]
    published_files(running_app, 2)
    # A second click on the same draft publishes nothing more: the button carries version 1.
    assert click_publish(running_app, "UGILL", draft) == 200
    again = running_app.slack.wait_for("response_url", 2)[-1].params["text"]
    assert again == (
        "Version 1 of the minutes of *M1* was published on Thu 14 Jan 2027. "
        "To publish revised minutes, type /csp minutes publish M1."
    )
    # A member's click (a draft forwarded, say) is refused as the command would be.
    assert click_publish(running_app, "UPAUL", draft) == 200
    refused = running_app.slack.wait_for("response_url", 3)[-1].params["text"]
    assert refused.startswith("Only the chair, vice-chair or secretary")
    assert len(running_app.slack.calls_to("chat.postMessage")) == 1
    with running_app.database.transaction() as session:  # a click names no command
        assert session.scalars(select(Board.command)).one() == "/csp"


def rows_of(database: Database) -> list[AuditEntry]:
    with database.transaction() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def post_update_from_the_reminder_dm(
    app: RunningApp, user: str, number: int, text: str, rag: str
) -> None:
    """Submit the Post update form that an owner's reminder DM opens (board 1, action A#)."""
    reference = {"board": 1, "number": number, "channel": f"D{user}"}
    response = app.sender.submit_update(user, json.dumps(reference), text, rag)
    assert response.status == 200 and "errors" not in response.body


def test_matters_arising_at_the_next_meeting_collate_the_updates_posted_in_between(
    running_app: RunningApp,
) -> None:
    between_meetings(running_app)
    running_app.command("UGILL", "agenda add Partnership priorities 2027/28 <@UCHAIR> to M2")
    running_app.clock.fixed = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
    post_update_from_the_reminder_dm(
        running_app, "ULARA", 4, "Referral data delayed by a system change", "red"
    )
    running_app.clock.fixed = DURING_THE_SECOND
    running_app.command("UGILL", "present <@UCHAIR> <@UGILL> <@ULARA>")
    running_app.command("UPAUL", "action update A3 green Protocol signed this morning")

    reply = running_app.command("UCHAIR", "minutes")

    arising = section_headed(reply["blocks"], "Matters arising").splitlines()[1:]
    assert arising == [
        "*A1* Circulate the SSNP strategy to partners — Gill Harris · due Thu 7 Jan 2027 · "
        "done Mon 1 Mar 2027",
        "    • Thu 11 Feb 2027 Gill Harris: [GREEN] Strategy circulated to all partners",
        "*A3* Share hotspot data with housing — Paul Valentine · due Sun 28 Feb 2027 · "
        "open (overdue)",
        "    • Thu 11 Feb 2027 Paul Valentine: [AMBER] Data-sharing protocol awaiting sign-off",
        "    • Wed 14 Apr 2027 Paul Valentine: [GREEN] Protocol signed this morning",
        "*A4* Report on referrals — Lara Stone · due Wed 31 Mar 2027 · open (overdue)",
        "    • Thu 1 Apr 2027 Lara Stone: [RED] Referral data delayed by a system change",
    ]
    everything = json.dumps(reply)
    assert "Draft with the SSNP management group" not in everything  # posted before M1
    assert "Map ASB hotspots" not in everything  # done before M1 began
    assert "*A5* Share A&amp;E assault data · due Wed 30 Jun 2027" in section_headed(
        reply["blocks"], "Action log"
    )
    assert "Wednesday 14 April 2027, 10:00, Swanspool House" in reply["text"]
    assert "Not yet scheduled." in section_headed(reply["blocks"], "Next meeting")


def test_actions_minuted_after_the_meeting_ended_are_matters_arising_at_the_next(
    running_app: RunningApp,
) -> None:
    """The secretary types up M1's actions that afternoon, against its items."""
    hold_first_meeting(running_app)  # M1 ended at 12:00; it is 14:00
    running_app.command("UGILL", "action add <@USAM> Bring A&E data to the next meeting item 1")
    running_app.command("UGILL", "action add <@UPAUL> Not from M1: a new request")
    running_app.clock.fixed = DURING_THE_SECOND

    reply = running_app.command("UCHAIR", "minutes")

    arising = section_headed(reply["blocks"], "Matters arising")
    assert "*A5* Bring A&amp;E data to the next meeting" in arising
    assert "*A6*" not in arising
    assert "*A6* Not from M1" in section_headed(reply["blocks"], "Action log")


def test_an_update_posted_during_the_previous_meeting_is_in_the_next_minutes(
    running_app: RunningApp,
) -> None:
    """On an action agreed there, it is in no earlier minutes: it is not lost."""
    hold_first_meeting(running_app)
    running_app.clock.fixed = DURING_THE_FIRST
    running_app.command("ULARA", "action update A4 Referral pathway agreed in the room")
    running_app.clock.fixed = DURING_THE_SECOND

    reply = running_app.command("UCHAIR", "minutes")

    arising = section_headed(reply["blocks"], "Matters arising")
    assert "Thu 14 Jan 2027 Lara Stone: Referral pathway agreed in the room" in arising


def test_minutes_slack_would_not_post_are_not_counted_as_published(
    running_app: RunningApp,
) -> None:
    """Not in the channel yet: the officer is told, and the next try is version 1."""
    hold_first_meeting(running_app)
    running_app.slack.fail_next("chat.postMessage", status=200, error="not_in_channel")
    assert (
        "Published the minutes of *M1*" in running_app.command("UGILL", "minutes publish")["text"]
    )
    told = [c.params["text"] for c in running_app.slack.wait_for("response_url", 2)]
    assert told[0] == "I couldn't post to this channel: I'm not in it. Invite me with /invite."
    assert told[1] == (
        "So the minutes of M1 were not published. Publish them again once I can post in the "
        "channel."
    )
    assert running_app.slack.calls_to("files.completeUploadExternal") == []
    assert "Draft: only you can see this" in running_app.command("UGILL", "minutes")["text"]

    again = running_app.command("UGILL", "minutes publish")["text"]
    assert "Published the minutes of *M1*" in again and "version" not in again
    running_app.slack.wait_for("files.completeUploadExternal", 2)
    revised = running_app.command("UGILL", "minutes publish")["text"]
    assert "Published revised minutes (version 2) of *M1*" in revised
    history = running_app.command("UGILL", "history M1")["text"]
    assert "published the minutes, but they could not be posted: version 1" in history
    assert "<@UGILL> published the minutes: version 2" in history


def test_minutes_published_in_a_public_channel_the_bot_is_not_in_bring_their_files(
    running_app: RunningApp,
) -> None:
    """It posts there without being a member, but joins to share the files."""
    hold_first_meeting(running_app)
    running_app.slack.fail_next("files.completeUploadExternal", status=200, error="not_in_channel")
    published = running_app.command("UGILL", "minutes publish")["text"]
    assert "Published the minutes of *M1*" in published
    [joined] = running_app.slack.wait_for("conversations.join")
    assert joined.params["channel"] == CHANNEL
    shared = running_app.slack.wait_for("files.completeUploadExternal", 3)
    assert [call.params["channel_id"] for call in shared] == [CHANNEL] * 3
    assert running_app.slack.calls_to("response_url") == []


@pytest.mark.parametrize("status", [500, 202])  # urllib's HTTPError; slack_sdk's any but 200
def test_a_file_slack_does_not_take_is_said_and_the_other_still_attached(
    running_app: RunningApp, status: int
) -> None:
    hold_first_meeting(running_app)
    running_app.slack.fail_next("upload", status=status)  # the upload host, for the Markdown
    published = running_app.command("UGILL", "minutes publish")["text"]
    assert "Published the minutes of *M1*" in published
    [told] = running_app.slack.wait_for("response_url")
    assert told.params["text"] == (
        f"I couldn't deliver a message to <#{CHANNEL}> (Slack did not take the file)."
    )
    [attached] = running_app.slack.wait_for("files.completeUploadExternal")
    [word] = json.loads(attached.params["files"])
    assert word["title"] == "Minutes of M1, Thursday 14 January 2027 (Word)"


def test_only_officers_publish_and_only_meetings_that_have_started(
    running_app: RunningApp,
) -> None:
    set_up_board(running_app)
    running_app.command("UGILL", "agenda add SSNP report <@UPAUL>")
    before = dump(running_app.database)

    refused = running_app.command("UPAUL", "minutes publish M1")["text"]
    assert "Only the chair, vice-chair or secretary" in refused
    too_soon = running_app.command("UGILL", "minutes publish M1")["text"]
    assert "*M1* has not been held yet: it starts Thursday 14 January 2027, 10:00" in too_soon
    assert "/board minutes M1" in too_soon
    assert "No meeting has been held yet" in running_app.command("UGILL", "minutes")["text"]
    assert "no meeting M9" in running_app.command("UGILL", "minutes M9")["text"]
    assert "not a meeting number" in running_app.command("UGILL", "minutes publish now")["text"]

    draft = running_app.command("USAM", "minutes M1")["text"]
    assert "SSNP report" in draft and "Draft: M1 has not been held yet" in draft
    assert dump(running_app.database) == before
    assert running_app.slack.calls_to("files.completeUploadExternal") == []

    running_app.command("UGILL", "meeting cancel M2")
    assert "was cancelled" in running_app.command("UGILL", "minutes M2")["text"]


def collated_counting_statements(
    database: Database, session: Session, meeting_id: int
) -> tuple[Minutes, int]:
    """The minutes of a meeting, and how many SQL statements collating them ran."""
    meeting = session.get_one(Meeting, meeting_id)
    board = session.get_one(Board, meeting.board_id)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        minutes = collate(session, board, meeting, DURING_THE_SECOND)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return minutes, len(statements)


def test_collating_takes_the_same_statements_for_3_items_as_for_40_items_and_200_actions(
    database: Database,
) -> None:
    with database.transaction() as session:
        small_id = build_board(session, items=3, actions=6, channel="CSMALL").id
        big_id = build_board(session, items=40, actions=200, channel="CBIG").id

    with database.transaction() as session:
        small, small_count = collated_counting_statements(database, session, small_id)
    with database.transaction() as session:
        big, big_count = collated_counting_statements(database, session, big_id)

    assert (len(small.items), len(big.items)) == (3, 40)
    assert len(big.matters_arising) == 100 and sum(len(g.actions) for g in big.action_log) == 160
    assert all(m.items and m.matters_arising and m.present for m in (small, big))
    assert small_count == big_count <= 9


def test_long_minutes_split_across_messages_and_lose_nothing(database: Database) -> None:
    with database.transaction() as session:
        meeting = build_board(session, items=40, actions=200, channel="CBIG")
        board = session.get_one(Board, meeting.board_id)
        minutes = collate(session, board, meeting, DURING_THE_SECOND)

    parts = payloads(as_message(minutes))

    assert len(parts) > 1
    for part in parts:
        assert_within_slacks_limits(part["blocks"])
        assert len(part["text"]) <= 40_000
    shown = " ".join(" ".join(section_texts(part["blocks"])) for part in parts)
    for item in minutes.items:
        assert f"*{item.position}. Item {item.position}*" in shown
        assert shown.count(f"Note {item.position} ") == 1
    assert shown.count("word") == 40 * 400
    assert all(f"## {n}. Item {n}" in minutes_markdown.render(minutes) for n in range(1, 41))
    assert len(Document(BytesIO(minutes_docx.render(minutes))).tables[-1].rows) > 100


def test_long_minutes_are_published_whole_in_posts_slack_takes(running_app: RunningApp) -> None:
    """Slack refuses a post whose blocks hold about 12,000 characters in all, so long
    minutes go to the channel as several posts, in order, and then their files."""
    with running_app.database.transaction() as session:
        meeting = build_board(session, items=30, actions=100, channel="CBIG")
        running_app.clock.fixed = meeting.ends_at
    url = running_app.url + "/slack/events"
    sender = SlackSender(url, SIGNING_SECRET, "TBIG", running_app.slack)
    published = sender.command("UCHAIR", "minutes publish M2", channel="CBIG").json()
    assert "Published the minutes of *M2*" in published["text"]
    running_app.slack.wait_for("files.completeUploadExternal", 2)
    posts = running_app.slack.messages["CBIG"]
    assert len(posts) > 1
    shown = " ".join(" ".join(section_texts(post["blocks"])) for post in posts)
    assert [shown.count(f"*{n}. Item {n}*") for n in range(1, 31)] == [1] * 30
    assert running_app.slack.calls_to("response_url") == []  # nothing failed


@pytest.mark.parametrize("items", [5, 40])
def test_a_long_preview_arrives_whole_in_several_private_messages(
    running_app: RunningApp, items: int
) -> None:
    """After the first part, up to three more to the command's response_url; beyond
    that (Slack takes five posts there) the rest comes as ephemeral messages in the
    channel, seen by the caller alone: a preview leaves nothing in anyone's DMs."""
    with running_app.database.transaction() as session:
        meeting = build_board(session, items=items, actions=120, channel="CBIG")
        board = session.get_one(Board, meeting.board_id)
        parts = len(payloads(as_message(collate(session, board, meeting, DURING_THE_SECOND))))
    assert (parts - 1 <= 3) == (items == 5)
    running_app.clock.fixed = DURING_THE_SECOND
    # Not in the channel: Slack posts no ephemeral message there until the bot joins.
    running_app.slack.fail_next("chat.postEphemeral", status=200, error="not_in_channel")
    url = running_app.url + "/slack/events"
    sender = SlackSender(url, SIGNING_SECRET, "TBIG", running_app.slack)
    first = sender.command("UCHAIR", "minutes M2", channel="CBIG").json()
    assert first["response_type"] == "ephemeral"
    if items == 5:
        rest = running_app.slack.wait_for("response_url", parts - 1)
        assert all(part.params["response_type"] == "ephemeral" for part in rest)
        assert not any(part.params.get("replace_original") for part in rest)
    else:
        refused, *rest = running_app.slack.wait_for("chat.postEphemeral", parts)
        assert [c.params["channel"] for c in running_app.slack.calls_to("conversations.join")] == [
            "CBIG"
        ]
        assert rest[0].params["blocks"] == refused.params["blocks"]  # posted once joined
        assert {(part.params["channel"], part.params["user"]) for part in rest} == {
            ("CBIG", "UCHAIR")
        }
        assert running_app.slack.calls_to("response_url") == []
        assert running_app.slack.calls_to("chat.postMessage") == []
    blocks = [first["blocks"], *(part.params["blocks"] for part in rest)]
    shown = " ".join(" ".join(section_texts(part)) for part in blocks)
    for position in range(1, items + 1):
        assert shown.count(f"*{position}. Item {position}*") == 1


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Priorities 2016-17 (draft), 12% down!", "Priorities 2016-17 (draft), 12% down!"),
        ("# Not a heading", "\\# Not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("*not bold* _nor this_ `nor code`", "\\*not bold\\* \\_nor this\\_ \\`nor code\\`"),
        ("[a link](http://x)", "\\[a link\\](http://x)"),
        ("<!channel> & <@U1|x>", "&lt;!channel&gt; & &lt;@U1\\|x&gt;"),
        ("A&E data, typed &amp; as is", "A&E data, typed &amp;amp; as is"),
        ("> not a quote", "&gt; not a quote"),
        ("two\n\n===\nlines\\", "two\\\n\\===\\\nlines\\\\"),
    ],
)
def test_markdown_escaping_keeps_user_text_inert(typed: str, written: str) -> None:
    assert minutes_markdown.escape(typed) == written


def test_two_officers_publishing_at_once_get_versions_one_and_two(running_app: RunningApp) -> None:
    hold_first_meeting(running_app)
    with ThreadPoolExecutor(max_workers=2) as pool:
        replies = list(
            pool.map(
                lambda who: running_app.command(who, "minutes publish M1"), ["UGILL", "UCHAIR"]
            )
        )
    texts = sorted(reply["text"] for reply in replies)
    assert any("revised minutes (version 2)" in text for text in texts), texts
    running_app.slack.wait_for("files.completeUploadExternal", 4)  # both publications' files
    with running_app.database.transaction() as session:
        published = session.scalars(
            select(AuditEntry.after).where(AuditEntry.verb == "minutes.publish")
        )
        assert sorted(after["version"] for after in published if after) == [1, 2]


def test_two_clicks_on_the_same_publish_button_at_once_publish_once(
    running_app: RunningApp,
) -> None:
    hold_first_meeting(running_app)
    early = running_app.command("UGILL", "minutes publish M1 version 2")["text"]
    assert early == "The minutes of *M1* have not been published yet, so not as version 2."
    running_app.slack.reset()
    with ThreadPoolExecutor(max_workers=2) as pool:  # as the button sends it
        replies = list(
            pool.map(
                lambda who: running_app.command(who, "minutes publish M1 version 1"),
                ["UGILL", "UCHAIR"],
            )
        )
    published, refused = sorted(reply["text"] for reply in replies)
    assert published.startswith("Published the minutes of *M1* to the channel")
    assert refused.startswith("Version 1 of the minutes of *M1* was published on Thu 14 Jan 2027.")
    assert len(running_app.slack.wait_for("chat.postMessage")) == 1
    skipped = running_app.command("UGILL", "minutes publish M1 version 3")["text"]
    assert skipped == (
        "The minutes of *M1* are at version 1, so not 3. "
        "To publish revised minutes, type /board minutes publish M1."
    )
    with running_app.database.transaction() as session:
        published = session.scalars(select(AuditEntry).where(AuditEntry.verb == "minutes.publish"))
        assert [entry.after["version"] for entry in published] == [1]


EARLY_JANUARY = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def board_with_paul(core: Core, *typed: str) -> None:
    """The board with Paul on it, set up in early January; the chair then types `typed`."""
    for text in ("setup Wellingborough CSP Board", "member add <@UPAUL>", *typed):
        core.command("UCHAIR", text, EARLY_JANUARY)


def test_the_action_log_keeps_the_last_rag_given_when_a_later_update_gives_none(
    core: Core,
) -> None:
    before = EARLY_JANUARY
    board_with_paul(
        core,
        "meeting add 14/01/2027 10:00 : CSP Board",
        "action add <@UPAUL> Share hotspot data by 28/2/2027",
    )
    core.command("UPAUL", "action update A1 red Protocol not signed", before)
    core.command("UPAUL", "action update A1 Meeting booked with housing", before)
    minutes = core.command("UCHAIR", "minutes M1", datetime(2027, 1, 14, 11, 0, tzinfo=UTC))
    log = minutes[minutes.index("Action log") :]
    assert "A1" in log and "[RED]" in log


def test_matters_arising_say_no_update_only_of_actions_still_open(core: Core) -> None:
    """Of an action closed since, its state says enough; of one open, the silence is news."""
    board_with_paul(
        core,
        "meeting add 14/01/2027 10:00 quarterly 2 : CSP Board",
        "action add <@UPAUL> Share hotspot data",
        "action add <@UPAUL> Map ASB hotspots",
    )
    core.command("UPAUL", "action done A2", datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    at_m2 = datetime(2027, 4, 14, 10, 30, tzinfo=UTC)
    minutes = core.command("UCHAIR", "minutes M2", at_m2)
    arising = minutes[minutes.index("Matters arising") : minutes.index("Action log")]
    assert "A1 Share hotspot data — upaul · open\n    • No update since M1." in arising
    assert arising.count("No update") == 1
    # The Markdown and Word copies say the same.
    with core.database.transaction() as session:
        m2 = session.scalars(select(Meeting).where(Meeting.number == 2)).one()
        collated = collate(session, session.get_one(Board, m2.board_id), m2, at_m2)
    markdown = minutes_markdown.render(collated)
    assert "  - No update since M1." in markdown and markdown.count("No update") == 1
    words = [p.text for p in Document(BytesIO(minutes_docx.render(collated))).paragraphs]
    assert words.count("No update since M1.") == 1


def test_minutes_slack_may_have_posted_are_not_withdrawn(running_app: RunningApp) -> None:
    """A server error may come after Slack posted: the publication stands."""
    hold_first_meeting(running_app)
    running_app.slack.fail_next("chat.postMessage", status=500)
    running_app.command("UGILL", "minutes publish")
    [told] = running_app.slack.wait_for("response_url")
    assert "I couldn't deliver" in told.params["text"]
    running_app.slack.wait_for("files.completeUploadExternal", 2)  # the files still go
    assert "Published as version 1" in running_app.command("UGILL", "minutes")["text"]


def present_at(minutes: str) -> str:
    return minutes[minutes.index("Present") : minutes.index("Apologies")]


def test_the_minutes_keep_the_capacity_people_attended_in(core: Core, database: Database) -> None:
    """Present and apologies say the role and organisation each person attended in: kept
    when they are elected, move on or leave; set again when their attendance is recorded
    again within the week (a correction); followed at meetings ahead."""
    board_with_paul(
        core,
        "member add <@UPAUL> org Northamptonshire Police",
        "member add <@USAM> org NHS Northamptonshire",
        "meeting add 14/01/2027 10:00 : CSP Board",
        "meeting add 14/04/2027 10:00 : CSP Board",
        "apologies <@UPAUL> to M2",
    )
    on_the_day = datetime(2027, 1, 14, 10, 30, tzinfo=UTC)
    core.command("UCHAIR", "present <@UCHAIR> <@UPAUL> <@USAM>", on_the_day)
    core.command("UCHAIR", "member add <@UPAUL> chair", on_the_day)  # elected at the meeting
    core.command("UCHAIR", "member add <@USAM> org NHS Northamptonshire ICB", on_the_day)
    uncorrected = present_at(core.command("UCHAIR", "minutes M1", on_the_day))
    assert "upaul, Northamptonshire Police (Member)" in uncorrected
    assert "usam, NHS Northamptonshire (Member)" in uncorrected
    core.command("UCHAIR", "present <@USAM>", on_the_day)
    corrected = present_at(core.command("UCHAIR", "minutes M1", on_the_day))
    assert corrected == uncorrected.replace("NHS Northamptonshire", "NHS Northamptonshire ICB")
    after = datetime(2027, 4, 14, 12, 30, tzinfo=UTC)
    sent_ahead = core.command("UCHAIR", "minutes M2", after)
    assert "upaul, Northamptonshire Police" in sent_ahead[sent_ahead.index("Apologies") :]

    # Attendance taken again at the end, after an election: the roles held as it began.
    core.command("UCHAIR", "member add <@USAM> vice-chair", on_the_day)
    core.command("UCHAIR", "present <@UCHAIR> <@UPAUL> <@USAM>", on_the_day)
    assert present_at(core.command("UCHAIR", "minutes M1", on_the_day)) == corrected

    months_later = datetime(2027, 3, 4, 9, 0, tzinfo=UTC)
    core.command("UCHAIR", "member add <@UPAUL> org Fire and Rescue", months_later)
    core.command("UCHAIR", "apologies <@USAM> to M1", months_later)  # recorded in error
    core.command("UCHAIR", "present <@USAM> to M1", months_later)
    core.command("UCHAIR", "member remove <@USAM>", months_later)
    assert present_at(core.command("UCHAIR", "minutes M1", months_later)) == corrected
    ahead = core.command("UCHAIR", "minutes M2", after)
    assert "upaul, Fire and Rescue" in ahead[ahead.index("Apologies") :]


def test_migration_0008_gives_attendance_its_members_capacity(
    core: Core, database: Database
) -> None:
    """Attendance recorded before 0008 takes the role and organisation its members have;
    a former member's has none."""
    board_with_paul(
        core,
        "member add <@UPAUL> org Northamptonshire Police",
        "member add <@USAM>",
        "meeting add 14/01/2027 10:00 : CSP Board",
    )
    on_the_day = datetime(2027, 1, 14, 10, 30, tzinfo=UTC)
    core.command("UCHAIR", "present <@UPAUL> <@USAM>", on_the_day)
    core.command("UCHAIR", "member remove <@USAM>", on_the_day)

    migrated_again(database, "0007")
    with database.transaction() as session:
        rows = session.execute(
            select(Attendance.user_id, Attendance.role, Attendance.organisation).order_by(
                Attendance.user_id
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("UPAUL", "member", "Northamptonshire Police"),
        ("USAM", None, None),
    ]


def test_the_minutes_name_the_members_mentioned_in_what_was_written(
    core: Core, database: Database
) -> None:
    """Stored as Slack sent it, but the record shows a name where a member was
    mentioned; someone the bot has never known stays as typed."""
    board_with_paul(
        core,
        "member add <@USAM> org NHS Northamptonshire",
        "meeting add 14/01/2027 10:00 : CSP Board",
        "agenda add Hotspots agreed with <@USAM>, presented by <@UPAUL> 10m",
    )
    on_the_day = datetime(2027, 1, 14, 10, 30, tzinfo=UTC)
    core.command("UCHAIR", "note 1 <@UPAUL> presented the map; <@USAM> to share it", on_the_day)
    core.command(
        "UCHAIR", "action add <@USAM> Send <@UPAUL> and <@U0FAKE> the map item 1", on_the_day
    )
    minutes = core.command("UCHAIR", "minutes M1", on_the_day)
    assert "1. Hotspots agreed with @usam, presented by\n" in minutes
    assert "@upaul presented the map; @usam to share it" in minutes
    assert "A1 Send @upaul and <@U0FAKE> the map — usam" in minutes
    with database.transaction() as session:
        described = session.scalars(select(Action.description)).one()
    assert described == "Send <@UPAUL> and <@U0FAKE> the map"


def test_attendance_roles_when_the_board_or_the_member_came_after_the_meeting_began(
    core: Core,
) -> None:
    """A board set up after a meeting it then enters has no roles from before: those it
    gave are the ones recorded. Someone who joined at the meeting came in the role they
    joined with; a change at the very minute it began counts as made at it."""
    late = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    core.command("UCLERK", "setup Wellingborough CSP Board", late)
    core.command("UCLERK", "member add <@UJO> chair", late)
    core.command("UCLERK", "member add <@UCLERK> secretary", late)
    core.command("UCLERK", "meeting add 01/12/2026 10:00 : CSP Board", late)
    core.command("UCLERK", "present <@UJO> <@UCLERK>", late)
    entered = present_at(core.command("UCLERK", "minutes M1", late))
    assert entered == "Present\nujo (Chair)\nuclerk (Secretary)\n"

    starts = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
    core.command("UCLERK", "meeting add 10/12/2026 10:00 : CSP Board", late)
    core.command("UCLERK", "member add <@USAM>", late)
    core.command("UCLERK", "member add <@USAM> vice-chair", starts)  # as it began
    core.command("UCLERK", "member add <@UPAUL>", starts + timedelta(minutes=20))
    core.command("UCLERK", "member add <@UPAUL> chair", starts + timedelta(minutes=40))
    core.command("UCLERK", "present <@USAM> <@UPAUL> to M2", starts + timedelta(hours=1))
    held = present_at(core.command("UCLERK", "minutes M2", starts + timedelta(hours=1)))
    assert held == "Present\nupaul (Member)\nusam (Member)\n"


def test_the_action_log_says_where_an_action_not_among_the_matters_arising_stands(
    running_app: RunningApp,
) -> None:
    """A5 was given between the meetings: its update is in no matters arising, so the
    action log gives it; A3's are under matters arising, so the log does not repeat them."""
    between_meetings(running_app)
    running_app.command("USAM", "action update A5 red Data-sharing agreement not yet signed")
    running_app.clock.fixed = DURING_THE_SECOND

    log = section_headed(running_app.command("UCHAIR", "minutes")["blocks"], "Action log")

    assert (
        "*A5* Share A&amp;E assault data · due Wed 30 Jun 2027 · latest Mon 15 Mar 2027: "
        "[RED] Data-sharing agreement not yet signed"
    ) in log
    [a3] = [entry for entry in log.splitlines() if "*A3*" in entry]
    assert "latest" not in a3
    # Said after the meeting, an update is not written into its record.
    running_app.clock.fixed = DURING_THE_SECOND + timedelta(days=2)
    running_app.command("USAM", "action update A5 green Agreement signed")
    later = section_headed(running_app.command("UCHAIR", "minutes M2")["blocks"], "Action log")
    assert "latest Mon 15 Mar 2027: [RED] Data-sharing agreement not yet signed" in later
    assert "GREEN" not in later  # nor the status it gave


def test_the_word_footer_dates_a_publication_by_the_boards_day(core: Core) -> None:
    """Published at 00:30 on 1 July, London time (still 30 June in UTC): the footer says
    1 July, as the revision notice and the history do."""
    board_with_paul(core, "meeting add 14/01/2027 10:00 : CSP Board")
    just_after_midnight = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 BST
    invocation = Invocation(TEAM, CHANNEL, "UCHAIR", "minutes publish M1", just_after_midnight)
    outcome = dispatch.run(invocation, core.database, Everyone())
    [word] = [file for file in outcome.files if file.filename.endswith(".docx")]
    document = Document(BytesIO(word.made(core.database, just_after_midnight, ics) or b""))
    assert "· version 1, Thu 1 Jul 2027 ·" in document.sections[0].footer.paragraphs[0].text
