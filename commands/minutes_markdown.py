"""Minutes as Markdown, from a Jinja2 template in which every value is escaped."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from commands.dates import say_short_date

if TYPE_CHECKING:
    from commands.minutes import Minutes

# An `&` that a renderer would read as the start of an entity (`&amp;`, `&#60;`).
ENTITY_START = re.compile(r"&(?=#?\w+;)")
# Inline structure anywhere in a line: emphasis, code, links, tables, strikethrough, headings.
INLINE = re.compile(r"([\\`*_\[\]|~#])")
# Block structure at the start of a line: list items, setext underlines, ordered lists.
BULLET_START = re.compile(r"^([-+=])")
NUMBER_START = re.compile(r"^(\d+)([.)])")


def escape(value: object) -> str:
    """A value made inert in Markdown, and in Slack, where the file is shared.

    `<` and `>` become entities as Slack escapes them (so `<!channel>` is text,
    and no HTML or blockquote can start), and `&` where it would start one (`A&E`
    reads as typed); other structural characters are backslash-escaped; line
    breaks are kept as hard breaks and blank lines dropped, so a value never
    leaves the paragraph or list item it is in.
    """
    text = ENTITY_START.sub("&amp;", str(value)).replace("<", "&lt;").replace(">", "&gt;")
    text = INLINE.sub(r"\\\1", text)
    lines = [
        NUMBER_START.sub(r"\1\\\2", BULLET_START.sub(r"\\\1", part.strip()))
        for part in text.splitlines()
        if part.strip()
    ]
    return "\\\n".join(lines)


ENVIRONMENT = Environment(
    loader=PackageLoader("commands", "templates"),
    finalize=escape,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.filters["short_date"] = say_short_date


def render(minutes: Minutes) -> str:
    """The minutes as a Markdown document."""
    return ENVIRONMENT.get_template("minutes.md.j2").render(m=minutes)
