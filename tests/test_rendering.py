"""Block Kit from the core's messages: escaped, real mentions, split within Slack's limits."""

from slack_sdk.models.blocks import Block

from bot import rendering
from bot.rendering import payloads, text_of, update_form
from commands.replies import Button, Code, Mention, Message, Section, Strong, line
from tests.fake_slack import BLOCKS_TEXT_LIMIT, blocks_text_length


def test_user_text_is_escaped_and_bot_mentions_are_real() -> None:
    message = Message.of(
        line(Strong("A1"), " ", Mention("UGILL"), " <!channel> & <@U1> ", Code("<x>"))
    )
    [part] = payloads(message)
    assert part["text"] == "*A1* <@UGILL> &lt;!channel&gt; &amp; &lt;@U1&gt; `&lt;x&gt;`"


def test_long_messages_split_into_several_within_slacks_limits_and_lose_nothing() -> None:
    sections = tuple(
        Section(
            tuple(line(f"Item {n} line {i} " + "word " * 60) for i in range(12)), heading=f"S{n}"
        )
        for n in range(40)
    )
    parts = payloads(Message(title="Minutes", sections=sections))
    assert len(parts) > 1
    for part in parts:
        assert len(part["blocks"]) <= 50
        assert len(part["text"]) <= 40_000
        assert blocks_text_length(part["blocks"]) <= BLOCKS_TEXT_LIMIT  # as Slack counts
        for block in part["blocks"]:
            assert Block.parse(block) is not None
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
    everything = "\n".join(
        block["text"]["text"] for p in parts for block in p["blocks"] if block["type"] == "section"
    )
    assert all(f"Item {n} line {i} " in everything for n in range(40) for i in range(12))


def test_user_text_in_a_title_is_escaped_in_every_part_of_a_long_message() -> None:
    """`text` is what notifications show: a board called "<!channel>" pings no one."""
    sections = tuple(Section((line("word " * 100),)) for _ in range(60))
    parts = payloads(Message(title="CSP <!channel> & Co", sections=sections))
    assert len(parts) > 1
    assert parts[0]["text"].startswith("*CSP &lt;!channel&gt; &amp; Co*\n")
    assert "<!channel>" not in parts[0]["text"]
    assert text_of(parts[0]["blocks"]) == parts[0]["text"]


def test_a_message_is_one_post_up_to_its_text_budget_and_two_beyond_it() -> None:
    """`rendering.BLOCKS_TEXT_LIMIT` characters of block text fit one post; the block
    that would pass it starts the next, and a footnote goes with the blocks before it."""
    quarter = rendering.BLOCKS_TEXT_LIMIT // 4
    exactly = tuple(Section((line("x" * quarter),)) for _ in range(4))
    assert len(payloads(Message(sections=exactly))) == 1

    over = exactly[:3] + (Section((line("x" * (quarter + 1)),)),)
    first, second = payloads(Message(sections=over, footnote="Draft"))
    assert len(first["blocks"]) == 3
    assert [b["type"] for b in second["blocks"]] == ["section", "context"]


def test_a_single_line_longer_than_a_section_is_split_not_cut() -> None:
    long_note = " ".join(f"w{i}" for i in range(1500))
    [part] = payloads(Message.of(line(long_note)))
    texts = [b["text"]["text"] for b in part["blocks"]]
    assert len(texts) >= 3 and all(len(t) <= 3000 for t in texts)
    assert " ".join(texts).split() == long_note.split()


def test_buttons_become_an_actions_block() -> None:
    section = Section(
        (line("A1 Circulate the strategy"),),
        buttons=(
            Button("Mark done", "mark_done", "1:1", primary=True),
            Button("Post update", "post_update", "1:1"),
        ),
    )
    [part] = payloads(Message(sections=(section,)))
    actions = part["blocks"][-1]
    assert actions["type"] == "actions"
    assert [e["action_id"] for e in actions["elements"]] == [
        "action_mark_done",
        "action_post_update",
    ]
    assert actions["elements"][0]["style"] == "primary"


def test_a_long_message_never_parts_an_action_from_its_buttons() -> None:
    """An owner's reminder of 60 actions, each with its Mark done and Post update."""
    sections = tuple(
        Section(
            (line(f"A{n} Follow up anti-social behaviour hotspots"),),
            buttons=(Button("Mark done", "mark_done", f"1:{n}"),),
        )
        for n in range(1, 61)
    )
    parts = payloads(Message(title="Your actions", sections=sections))
    assert len(parts) == 3
    for part in parts:
        blocks = part["blocks"]
        assert len(blocks) <= 50 and blocks[0]["type"] != "actions"
        for before, buttons in zip(blocks, blocks[1:], strict=False):
            if buttons["type"] == "actions":
                number = buttons["elements"][0]["value"].split(":")[1]
                assert before["text"]["text"].startswith(f"A{number} ")
    values = [
        b["elements"][0]["value"] for p in parts for b in p["blocks"] if b["type"] == "actions"
    ]
    assert values == [f"1:{n}" for n in range(1, 61)]


def test_a_title_too_long_for_a_header_is_shown_whole_in_bold() -> None:
    """A header holds 150 characters and a meeting's title may have 200: nothing is cut."""
    short = "Draft agenda: CSP Board"
    [part] = payloads(Message(title=short, sections=(Section((line("Body"),)),)))
    assert part["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": short}}
    title = "Draft agenda: Drugs, supply & violent crime: " + "partnership update " * 8
    [part] = payloads(Message(title=title, sections=(Section((line("Body"),)),)))
    first = part["blocks"][0]
    assert first["type"] == "section"
    assert first["text"]["text"] == "*" + title.replace("&", "&amp;") + "*"


def test_the_update_form_shows_a_long_action_whole_within_slacks_limits() -> None:
    """Escaping can make a description five times longer: split, never cut or refused."""
    title = "A3 Share R&D <x> with housing " + "R&D <x> " * 370
    view = update_form(Message.of(line(title)), '{"board": 1, "number": 3}').to_dict()
    sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert len(sections) > 1 and all(len(text) <= 3000 for text in sections)
    assert " ".join(sections).count("R&amp;D &lt;x&gt;") == 371


def test_a_message_of_buttons_alone_is_one_part() -> None:
    section = Section((), buttons=(Button("Publish", "publish_minutes", "M1 version 1"),))
    [part] = payloads(Message(sections=(section,)))
    assert [block["type"] for block in part["blocks"]] == ["actions"]
