"""Minutes as a Word document a council officer can open and edit, built with python-docx."""

from __future__ import annotations

import re
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as DocumentType
from docx.table import Table

from commands.dates import say_short_date
from commands.roster import Person

if TYPE_CHECKING:
    from commands.minutes import ActionEntry, Minutes

# Characters XML 1.0 cannot hold; python-docx refuses them rather than dropping them.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BULLET_STYLE_ID = "ListBullet"  # the default template's id of "List Bullet"
TABLE_STYLE = "Table Grid"


def render(minutes: Minutes) -> bytes:
    """The minutes as a .docx: headings, attendance and action-log tables, RESOLVED lines."""
    document = Document()
    document.core_properties.title = _text(f"{minutes.board}: minutes of {minutes.meeting.ref}")
    document.core_properties.author = "Board Bot"
    document.add_heading(_text(minutes.board), level=0)
    if minutes.notice:
        document.add_paragraph().add_run(_text(minutes.notice)).bold = True
    document.add_heading(_text(minutes.heading), level=1)
    own_title = f": {minutes.title}" if minutes.title != minutes.board else ""
    document.add_paragraph(_text(f"Meeting {minutes.meeting.ref}{own_title}"))

    document.add_heading("Present", level=1)
    _attendance(document, minutes.present)
    document.add_heading("Apologies", level=1)
    _attendance(document, minutes.apologies)

    document.add_heading("Matters arising", level=1)
    _matters_arising(document, minutes)

    for item in minutes.items:
        document.add_heading(_text(f"{item.position}. {item.title}"), level=1)
        if item.presenter:
            document.add_paragraph().add_run(_text(f"Presented by {item.presenter}")).italic = True
        for note in item.notes:
            document.add_paragraph(_text(note))
        for decision in item.decisions:
            paragraph = document.add_paragraph()
            paragraph.add_run("RESOLVED: ").bold = True
            paragraph.add_run(_text(decision))
        if item.actions:
            document.add_paragraph("Actions arising:")
            for entry in item.actions:
                state = f" ({entry.state})" if entry.overdue or entry.status != "open" else ""
                due = f", due {entry.due}" if entry.due else ""
                _bullet(
                    document, _text(f"{entry.ref} {entry.description} — {entry.owner}{due}{state}")
                )
        if not (item.notes or item.decisions or item.actions):
            document.add_paragraph("Nothing recorded.")

    document.add_heading("Action log", level=1)
    _action_log(document, minutes)

    document.add_heading("Next meeting", level=1)
    following = minutes.next_meeting
    document.add_paragraph(
        _text(f"{following.said} ({following.ref})") if following else "Not yet scheduled."
    )
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _bullet(document: DocumentType, text: str) -> None:
    """A bulleted paragraph. python-docx finds a named style by scanning every style on
    each use, which dominated a long meeting's render, so the style id is set directly."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = BULLET_STYLE_ID


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _table(document: DocumentType, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = _text(value)
    return table


def _attendance(document: DocumentType, people: Sequence[Person]) -> None:
    if not people:
        document.add_paragraph("None recorded.")
        return
    _table(
        document,
        ("Name", "Organisation", "Role"),
        [(p.name, p.organisation or "", p.role or "") for p in people],
    )


def _matters_arising(document: DocumentType, minutes: Minutes) -> None:
    if minutes.previous is None:
        document.add_paragraph("None: this is the board's first meeting.")
        return
    if not minutes.matters_arising:
        document.add_paragraph(f"None: no actions were outstanding from {minutes.previous.ref}.")
    for entry in minutes.matters_arising:
        paragraph = document.add_paragraph()
        paragraph.add_run(_text(f"{entry.ref} {entry.description}")).bold = True
        due = f"; due {entry.due}" if entry.due else ""
        document.add_paragraph(_text(f"Owner: {entry.owner}{due}; status: {entry.state}"))
        for update in entry.updates:
            rag = f"[{update.rag_label}] " if update.rag_label else ""
            _bullet(
                document,
                _text(f"{say_short_date(update.posted_on)} {update.author}: {rag}{update.text}"),
            )
        if not entry.updates:
            _bullet(document, f"No update since {minutes.previous.ref}.")


def _action_log(document: DocumentType, minutes: Minutes) -> None:
    rows: list[tuple[str, ...]] = []
    for group in minutes.action_log:
        for entry in group.actions:
            rows.append(_log_row(group.owner.name, group.owner.organisation or "", entry))
    if not rows:
        document.add_paragraph("No open actions.")
        return
    _table(document, ("Owner", "Organisation", "Action", "Description", "Due", "RAG"), rows)


def _log_row(owner: str, organisation: str, entry: ActionEntry) -> tuple[str, ...]:
    due = (entry.due or "") + (" (overdue)" if entry.overdue else "")
    return (owner, organisation, entry.ref, entry.description, due, entry.rag_label or "")
