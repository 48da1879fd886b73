"""Turn the core's messages into Slack Block Kit and mrkdwn, escaping all user text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from commands import parsing
from commands.actions import Draft
from commands.agenda import MAX_ITEM_MINUTES, ItemDraft
from commands.describe import shortened
from commands.replies import (
    Button,
    Channel,
    Code,
    Line,
    Mention,
    Message,
    Section,
    Strong,
)

SECTION_LIMIT = 3000  # characters in a section's text
HEADER_LIMIT = 150
MAX_BLOCKS = 50
TEXT_LIMIT = 39_000  # Slack truncates message text past 40,000 characters
# chat.postMessage refuses blocks whose text adds up to about 12,000 characters
# (msg_blocks_too_long, slackapi/bolt-js#2509); kept well under, as containers count too.
# Replies keep to it as well: Slack documents no limit of theirs, and the rest of a
# long reply may be posted to the caller's DM.
BLOCKS_TEXT_LIMIT = 10_000


def escape(text: str) -> str:
    """Slack's three control characters; `<!channel>` typed by a user stays inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A link as Slack sends a typed one: `<https://…>`, or with the words it was typed as
# (`<http://example.org|example.org>`, `<mailto:gill@…|gill@…>`).
LINK = re.compile(r"<((?:https?|mailto):[^\s|<>]+)(?:\|([^<>]*))?>")
TYPED_MENTION = re.compile(rf"&lt;@({parsing.USER_ID})(?:\|.*?)?&gt;")


def unescape(text: str) -> str:
    """What someone typed, from the text Slack sends: links as typed (a labelled one as
    `label (address)`, so the address is kept), then the three escapes undone (`&amp;`
    last, so a typed `&lt;` stays as typed). Mentions stay as Slack sent them."""
    text = LINK.sub(_typed_link, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# What Slack writes into a message for a mention of a person (`<@U…>`), a channel
# (`<#C…|name>`), a group (`<!subteam^S…|@name>`) or everyone (`<!here>`).
SPECIAL = re.compile(r"<([@#!])([^<>|]+)(?:\|([^<>]*))?>")


def readable(text: str, name_of: Callable[[str], str]) -> str:
    """Text with mentions in it as someone would type it into a form: people as @ and
    their name, channels and groups by name, `<!here>` as @here."""

    def named(token: re.Match[str]) -> str:
        kind, target, label = token[1], token[2], token[3]
        if kind == "@":
            return f"@{label or name_of(target)}"
        if kind == "#":
            return f"#{label}" if label else "#channel"
        return label or f"@{target.split('^')[0]}"

    return SPECIAL.sub(named, text)


def typed_mentions(text: str) -> frozenset[str]:
    """Users the text Slack sends names only by a mention typed out (`&lt;@U…&gt;`),
    which must not count as one: it looks the same once the text is unescaped."""
    return frozenset(TYPED_MENTION.findall(text)) - frozenset(parsing.MENTION.findall(text))


def _typed_link(link: re.Match[str]) -> str:
    address, label = link[1], link[2]
    if not label or label in {address, address.split(":", 1)[1].lstrip("/")}:
        return label or address
    return f"{label} ({address})"


def mrkdwn(spans: Line) -> str:
    """A line as Slack mrkdwn: real mentions, bold, code, and every plain string escaped."""
    parts: list[str] = []
    for span in spans:
        if isinstance(span, Mention):
            parts.append(f"<@{span.user_id}>")
        elif isinstance(span, Strong):
            parts.append(f"*{escape(span.text)}*")
        elif isinstance(span, Code):
            parts.append(f"`{escape(span.text)}`")
        elif isinstance(span, Channel):
            parts.append(f"<#{span.channel_id}>")
        else:
            parts.append(escape(span))
    return "".join(parts)


# Slack's action_id for each button intent of the core.
BUTTON_ACTIONS = {
    "mark_done": "action_mark_done",
    "post_update": "action_post_update",
    "publish_minutes": "minutes_publish",
}


def blocks(message: Message) -> list[Block]:
    """Header, sections (split to stay under Slack's limits), buttons and a context footnote."""
    return _rendered(message)[0]


def _rendered(message: Message) -> tuple[list[Block], str]:
    """The message's blocks and its whole text, each line rendered to mrkdwn once."""
    out: list[Block] = []
    lines: list[str] = []
    if message.title:
        bold = f"*{escape(message.title)}*"
        if len(message.title) <= HEADER_LIMIT:
            out.append(HeaderBlock(text=PlainTextObject(text=message.title)))
        else:  # longer than a header holds (a 200-character meeting title): bold, not cut
            out.append(SectionBlock(text=MarkdownTextObject(text=bold)))
        lines.append(bold)
    for section in message.sections:
        rendered = [mrkdwn(spans) for spans in section.lines]
        if section.heading:
            rendered.insert(0, f"*{escape(section.heading)}*")
        lines += rendered
        for index, chunk in enumerate(_chunks(rendered, SECTION_LIMIT)):
            block_id = f"{section.key}-{index}" if section.key else None
            out.append(SectionBlock(text=MarkdownTextObject(text=chunk), block_id=block_id))
        if section.buttons:
            block_id = f"{section.key}-buttons" if section.key else None
            out.append(
                ActionsBlock(elements=[_button(b) for b in section.buttons], block_id=block_id)
            )
    if message.footnote:
        out.append(ContextBlock(elements=[MarkdownTextObject(text=escape(message.footnote))]))
        lines.append(escape(message.footnote))
    return out, "\n".join(lines)


def replace_section(message_blocks: list[dict[str, Any]], section: Section) -> list[dict[str, Any]]:
    """A posted message's blocks with one keyed section (and its buttons) replaced in place."""
    prefix = f"{section.key}-"
    new = [block.to_dict() for block in blocks(Message(sections=(section,)))]
    out: list[dict[str, Any]] = []
    for block in message_blocks:
        if str(block.get("block_id", "")).startswith(prefix):
            out += new
            new = []
        else:
            out.append(block)
    return out


def _button(button: Button) -> ButtonElement:
    asked = button.confirm
    return ButtonElement(
        text=button.label,
        action_id=BUTTON_ACTIONS[button.intent],
        value=button.value,
        style="primary" if button.primary else None,
        confirm=ConfirmObject(
            title=f"{button.label}?", text=asked, confirm=button.label, deny="Cancel"
        )
        if asked
        else None,
    )


def text(message: Message) -> str:
    """The whole message as mrkdwn: the notification and accessibility fallback."""
    return _rendered(message)[1]


def payloads(message: Message) -> list[dict[str, Any]]:
    """`text` and `blocks` for chat.postMessage, ack() or a response_url.

    A message longer than Slack takes in one (50 blocks, BLOCKS_TEXT_LIMIT characters
    of text in its blocks) becomes several, in order; nothing is cut.
    """
    rendered, whole = _rendered(message)
    parts = _parts([block.to_dict() for block in rendered]) or [[]]
    if len(parts) == 1:
        return [{"text": whole, "blocks": parts[0]}]
    return [{"text": text_of(part), "blocks": part} for part in parts]


def _parts(blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The blocks in runs, in order, each within one message's limits."""
    parts: list[list[dict[str, Any]]] = []
    size = 0
    for block in blocks:
        length = sum(map(len, _texts(block)))
        if not parts or len(parts[-1]) == MAX_BLOCKS or size + length > BLOCKS_TEXT_LIMIT:
            # Buttons go with what they act on: a row of them never starts a part alone.
            buttons = block["type"] == "actions"
            moved = [parts[-1].pop()] if buttons and parts and len(parts[-1]) > 1 else []
            parts.append(moved)
            size = sum(len(text) for earlier in moved for text in _texts(earlier))
        parts[-1].append(block)
        size += length
    return parts


def plain(message: Message, limit: int, name_of: Callable[[str], str] = str) -> str:
    """The message as plain text (where Slack shows text as written, such as a form's
    error), people by `name_of`, cut at a word to `limit`."""
    return shortened(message.plain_text(name_of), limit - 1)


def text_of(part: list[dict[str, Any]]) -> str:
    """The fallback text of a message made of these blocks: their mrkdwn (a header's
    plain text escaped and in bold, as `text` has it), within Slack's limit."""
    return _clip("\n".join(text for block in part for text in _texts(block)), TEXT_LIMIT)


def _texts(block: dict[str, Any]) -> Iterator[str]:
    """A block's text as mrkdwn: its own, or its mrkdwn elements' (a context)."""
    content = block.get("text")
    if isinstance(content, dict) and content.get("type") == "plain_text":  # a header
        yield f"*{escape(content.get('text', ''))}*"
    elif isinstance(content, dict):
        yield content.get("text", "")
    for element in block.get("elements", []):
        if element.get("type") == "mrkdwn":
            yield element.get("text", "")


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Join lines into texts of at most `limit` characters, splitting long lines."""
    chunks: list[str] = []
    current = ""
    for piece in lines:
        while len(piece) > limit:
            cut = _safe_cut(piece, limit)
            chunks += [current] if current else []
            current = ""
            chunks.append(piece[:cut])
            piece = piece[cut:].lstrip()
        joined = f"{current}\n{piece}" if current else piece
        if len(joined) > limit:
            chunks.append(current)
            current = piece
        else:
            current = joined
    if current:
        chunks.append(current)
    return chunks


def _word_cut(text: str, limit: int) -> int:
    """Where to cut text at most `limit` long: at a space if there is one."""
    cut = text.rfind(" ", 0, limit)
    return cut if cut > 0 else limit


def _safe_cut(text: str, limit: int) -> int:
    """Where to cut mrkdwn at most `limit` long: at a space if there is one, and never
    inside an escape (`&amp;`) or a mention (`<@U123>`), which would break them."""
    cut = _word_cut(text, limit)
    for opener, closer in (("&", ";"), ("<", ">")):
        start = text.rfind(opener, 0, cut)
        if start > 0 and text.find(closer, start, cut) == -1:
            cut = start
    return cut


def _clip(text: str, limit: int) -> str:
    """mrkdwn shortened to `limit` with an ellipsis."""
    return text if len(text) <= limit else text[: _safe_cut(text, limit - 1)] + "…"


# The Post update form, opened from an owner's DM or the Home tab.
FORM_CALLBACK_ID = "post_update"
FORM_TEXT_BLOCK = "update"
RAG_OPTIONS = (("green", "Green: on track"), ("amber", "Amber: at risk"), ("red", "Red: off track"))


def update_form(about: Message, reference: str) -> View:
    """The modal, under `about` (the action, when it is due, its last update);
    `reference` (JSON) says which board, action and DM it came from."""
    return View(
        type="modal",
        callback_id=FORM_CALLBACK_ID,
        private_metadata=reference,
        title="Post an update",
        submit="Post update",
        close="Cancel",
        blocks=[
            *blocks(about),  # split if long, never cut
            InputBlock(
                block_id=FORM_TEXT_BLOCK,
                label="Update",
                hint="It goes in the action's history, which the board and the minutes read.",
                element=PlainTextInputElement(
                    action_id="text",
                    multiline=True,
                    max_length=3000,
                    placeholder="Where it stands now, and what happens next",
                ),
            ),
            InputBlock(
                block_id="rag",
                label="Status",
                optional=True,
                element=StaticSelectElement(
                    action_id="status",
                    placeholder="Red, amber or green",
                    options=[Option(value=value, text=label) for value, label in RAG_OPTIONS],
                ),
            ),
        ],
    )


# The Record as an action shortcut on a message (its callback id is the manifest's), and
# the form it opens; and Add to the agenda. The forms' blocks are named as the core names
# the fields it refuses.
RECORD_SHORTCUT = "record_action"
RECORD_FORM = "record_action_form"
AGENDA_SHORTCUT = "add_to_agenda"
AGENDA_FORM = "add_to_agenda_form"
OPTION_TEXT_LIMIT = 75
MAX_OPTIONS = 100


def record_form(draft: Draft, name_of: Callable[[str], str], reference: str) -> View:
    """The form a message opens as an action, filled in as the message reads (people it
    mentions by `name_of`); `reference` (JSON) says where it came from."""
    description = readable(draft.description, name_of)
    items = {
        choice.value: Option(
            value=choice.value,
            text=shortened(f"{choice.position}. {choice.title}", OPTION_TEXT_LIMIT - 1),
        )
        for choice in draft.items[:MAX_OPTIONS]
    }
    meeting = draft.items[0].meeting if draft.items else None
    return _message_form(
        RECORD_FORM,
        reference,
        "Record an action",
        "Record",
        f"An action of {draft.board}",
        [
            InputBlock(
                block_id="owner",
                label="Owner",
                element=UserSelectElement(
                    action_id="owner", placeholder="Who will do it", initial_user=draft.owner
                ),
            ),
            InputBlock(
                block_id="description",
                label="Action",
                element=PlainTextInputElement(
                    action_id="text",
                    multiline=True,
                    max_length=parsing.MAX_TEXT,
                    initial_value=description[: parsing.MAX_TEXT] or None,
                    placeholder="What is to be done",
                ),
            ),
            InputBlock(
                block_id="due",
                label="Due",
                optional=True,
                hint="The owner is reminded before it falls due, and told when it is overdue.",
                element=DatePickerElement(
                    action_id="date",
                    initial_date=draft.due_on.isoformat() if draft.due_on else None,
                    placeholder="Pick a date",
                ),
            ),
            *(
                [
                    InputBlock(
                        block_id="item",
                        label=f"Agenda item of M{meeting}",
                        optional=True,
                        hint="The minutes show the action under the item it arose from.",
                        element=StaticSelectElement(
                            action_id="item",
                            placeholder="Pick an item",
                            options=list(items.values()),
                            initial_option=items.get(draft.item.value) if draft.item else None,
                        ),
                    )
                ]
                if items
                else []
            ),
        ],
    )


def agenda_form(draft: ItemDraft, name_of: Callable[[str], str], reference: str) -> View:
    """The form a message opens as an agenda item, its title the message's first line
    (people it mentions by `name_of`), for the next meeting unless another is picked."""
    title = shortened(readable(draft.title, name_of), parsing.MAX_TITLE - 1)
    meetings = [
        Option(value=number, text=shortened(f"{number} · {when}", OPTION_TEXT_LIMIT - 1))
        for number, when in draft.meetings[:MAX_OPTIONS]
    ]
    return _message_form(
        AGENDA_FORM,
        reference,
        "Add to the agenda",
        "Add",
        f"An agenda item of {draft.board}",
        [
            InputBlock(
                block_id="title",
                label="Item",
                element=PlainTextInputElement(
                    action_id="text",
                    max_length=parsing.MAX_TITLE,
                    initial_value=title or None,
                    placeholder="What the board is to discuss",
                ),
            ),
            InputBlock(
                block_id="meeting",
                label="Meeting",
                element=StaticSelectElement(
                    action_id="meeting", options=meetings, initial_option=meetings[0]
                ),
            ),
            InputBlock(
                block_id="presenter",
                label="Presented by",
                optional=True,
                element=UserSelectElement(
                    action_id="presenter",
                    placeholder="Who will present it",
                    initial_user=draft.presenter,
                ),
            ),
            InputBlock(
                block_id="minutes",
                label="Minutes",
                optional=True,
                hint="The time the item is given on the agenda.",
                element=NumberInputElement(
                    action_id="minutes",
                    is_decimal_allowed=False,
                    min_value="1",
                    max_value=str(MAX_ITEM_MINUTES),
                    placeholder="e.g. 20",
                ),
            ),
        ],
    )


def _message_form(
    callback_id: str, reference: str, title: str, submit: str, about: str, fields: list[Block]
) -> View:
    """A form a message's shortcut opens: what it is `about` (which board), then its fields."""
    return View(
        type="modal",
        callback_id=callback_id,
        private_metadata=reference,
        title=title,
        submit=submit,
        close="Cancel",
        blocks=[ContextBlock(elements=[PlainTextObject(text=about)]), *fields],
    )


def submitted(view: dict[str, Any], block_id: str, action_id: str, key: str) -> Any:
    """What a field of a submitted form holds (its `value`, `selected_user`, the `value` of
    its `selected_option`); None if it was left empty, or holds what no form of ours sends."""
    values = (view.get("state") or {}).get("values") or {}
    held = ((values.get(block_id) or {}).get(action_id) or {}).get(key)
    if key == "selected_option":
        held = held.get("value") if isinstance(held, dict) else None
    return held if isinstance(held, str) else None
