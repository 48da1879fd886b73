"""Reading the pieces of a command: mentions, M#/A#/item numbers, keywords."""

from __future__ import annotations

import re
import unicodedata

from commands.errors import UsageError
from commands.replies import Mention

# Slack sends mentions escaped: <@U0123ABC> or <@U0123ABC|gill>.
USER_ID = r"[UW][A-Z0-9]+"
MENTION = re.compile(rf"<@({USER_ID})(?:\|[^>]*)?>")
# And channels: <#C0123ABC> or <#C0123ABC|csp-board>.
CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
FIRST_WORD = re.compile(rf"(?:<@{USER_ID}\|[^>]*>)?\S*")
MEETING_NUMBER = re.compile(r"^M(\d{1,9})$", re.I)
ACTION_NUMBER = re.compile(r"^A(\d{1,9})$", re.I)
LIST_GLUE = re.compile(r"(?:[\s,.]|\band\b|&)+", re.I)  # between the names of a list
ITEM_NUMBER = re.compile(r"^#?(\d{1,9})$")
# `item 2`, as the agenda is spoken of: the word before an item's number.
ITEM_WORD = re.compile(r"^item\s+(?=#?\d)", re.I)
SENTENCE_PUNCTUATION = ",;:.…!"  # after a number written in a sentence: `A3:`, `M2.`
# Control characters (but tab and newline) carry no meaning in a command, and
# PostgreSQL cannot store NUL at all.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TITLE = 200
MAX_TEXT = 3000


def printable(text: str) -> str:
    """The text without control characters."""
    return CONTROL.sub("", text)


def mention(token: str, what: str = "person") -> str:
    """The user id of a `<@U…>` token, or a clear error."""
    text = token.strip().rstrip(".,")  # the end of a sentence
    if match := MENTION.fullmatch(text):
        return match[1]
    if not text:
        raise UsageError(f"Name the {what} with @, e.g. @gill.")
    if len(MENTION.findall(text)) > 1:
        raise UsageError(f"Name one {what} only.")
    if found := MENTION.search(text):
        before, after = text[: found.start()].strip(), text[found.end() :].strip()
        raise UsageError(
            f"I don't understand “{before or after}” {'before' if before else 'after'} ",
            Mention(found[1]),
            ".",
        )
    if text.startswith("@"):  # typed, not picked from the list Slack offers
        raise UsageError(
            f"“{text}” is plain text, so it names no one. Type @ and pick the {what} from"
            " Slack's list."
        )
    raise UsageError(f"“{text}” is not a mention. Name the {what} with @, e.g. @gill.")


def mentions(text: str) -> list[str]:
    """Every user id in a list of mentions (`@a @b`, `@a, @b and @c`); anything else is
    an error."""
    for word in LIST_GLUE.split(MENTION.sub(" ", text)):
        if word:
            raise UsageError(f"“{word}” is not a mention. Name each person with @, e.g. @gill.")
    if not MENTION.search(text):
        raise UsageError("Name at least one person with @.")
    return MENTION.findall(text)


def meeting_number(token: str) -> int:
    """The number of an `M#` token (`M2` → 2; `M2.` as written in a sentence), or a
    clear error."""
    match = MEETING_NUMBER.match(token.strip().rstrip(SENTENCE_PUNCTUATION))
    if not token.strip():
        raise UsageError("Give the meeting's number, e.g. M2.")
    if not match:
        raise UsageError(
            f"“{token}” is not a meeting number. Meetings are numbered M1, M2, …",
            f" Did you mean M{token.strip()}?" if token.strip().isdigit() else "",
        )
    return int(match[1])


def action_number(token: str) -> int:
    """The number of an `A#` token (`A3` → 3; `A3:` and `A3,` as written in a sentence),
    or a clear error."""
    match = ACTION_NUMBER.match(token.strip().rstrip(SENTENCE_PUNCTUATION))
    if not token.strip():
        raise UsageError("Give the action's number, e.g. A3.")
    if not match:
        raise UsageError(
            f"“{token}” is not an action number. Actions are numbered A1, A2, …",
            f" Did you mean A{token.strip()}?" if token.strip().isdigit() else "",
        )
    return int(match[1])


def item_number(token: str) -> int:
    """The number of an agenda item token (`2` or `#2`; `2:` and `2.` as written in a
    sentence), or a clear error."""
    match = ITEM_NUMBER.match(token.strip().rstrip(SENTENCE_PUNCTUATION))
    if not token.strip():
        raise UsageError("Give the agenda item's number, e.g. 2.")
    if not match or int(match[1]) == 0:
        raise UsageError(f"“{token}” is not an agenda item number. Items are numbered 1, 2, …")
    return int(match[1])


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest; a mention is one word whatever its label holds
    (`<@U04PAUL|Paul V>`)."""
    stripped = text.strip()
    match = FIRST_WORD.match(stripped)
    first = match[0] if match else ""
    return first, stripped[len(first) :].lstrip()


def title(text: str, what: str = "title") -> str:
    """A user-given title: present and at most 200 characters."""
    cleaned = " ".join(text.split())
    _said(cleaned, what)
    if len(cleaned) > MAX_TITLE:
        raise UsageError(f"The {what} is {len(cleaned)} characters; the limit is {MAX_TITLE}.")
    return cleaned


def free_text(text: str, what: str = "text") -> str:
    """A note, update or description, stored verbatim (trimmed)."""
    cleaned = printable(text).strip()
    _said(cleaned, what)
    if len(cleaned) > MAX_TEXT:
        raise UsageError(f"The {what} is {len(cleaned)} characters; the limit is {MAX_TEXT}.")
    return cleaned


def _said(cleaned: str, what: str) -> None:
    """Present, and more than punctuation: `agenda add :` leaves a colon, not a title (a
    symbol or an emoji, `✓`, says something)."""
    if not cleaned:
        raise UsageError(f"The {what} is missing.")
    if all(unicodedata.category(character)[0] in "PZ" for character in cleaned):
        raise UsageError(f"The {what} is missing: “{cleaned}” says nothing.")
