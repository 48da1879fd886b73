"""Minutes as a Word document a council officer can open and edit, built with python-docx."""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import deepcopy
from functools import cache
from io import BytesIO
from itertools import cycle
from typing import TYPE_CHECKING, cast

from docx import Document
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.table import CT_Tc
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt
from docx.styles.style import BaseStyle

from commands.dates import say_short_date
from commands.roster import Person

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

    from commands.minutes import ActionEntry, Minutes

# Characters XML 1.0 cannot hold; python-docx refuses them rather than dropping them.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADINGS = ("Title", "Heading 1")  # by level
STYLES = (*HEADINGS, "List Bullet")
TABLE_STYLE = "Table Grid"
# Columns and their shares of the page's width (millimetres on A4), wide enough at
# TABLE_TEXT for Organisation, Northamptonshire or AMBER whole.
ATTENDANCE = (("Name", 55), ("Organisation", 70), ("Role", 34))
ACTION_LOG = (
    ("Owner", 25),
    ("Organisation", 37),
    ("Action", 17),
    ("Description", 40),
    ("Due", 22),
    ("RAG", 18),
)
TABLE_TEXT = Pt(10)  # six columns of the body's 11 point break words on an A4 page
A4 = (Mm(210), Mm(297))
MARGIN = Mm(25.4)
TEXT_WIDTH = A4[0] - 2 * MARGIN
# What a style can name: the style it builds on, its character twin, the style after it.
STYLE_LINKS = tuple(qn(tag) for tag in ("w:basedOn", "w:link", "w:next"))


class Writer:
    """A document and its styles.

    python-docx resolves a paragraph's style, given by name or as an object, by
    scanning every style in the template, and then searches the paragraph for
    where its properties go, on each use; for a long meeting's hundreds of
    bullets that was most of the render. So each style's properties are made
    once and a copy put first in each new paragraph, where they belong.
    """

    def __init__(self) -> None:
        self.document = Document(BytesIO(_template()))
        self.properties = {name: _properties(self.document.styles[name]) for name in STYLES}
        self.header_text = _table_text(bold=True)
        self.cell_text = _table_text(bold=False)
        self.header_row = _row_properties(header=True)
        self.row = _row_properties(header=False)

    def heading(self, text: str, level: int = 1) -> None:
        self._styled(text, HEADINGS[level])

    def bullet(self, text: str) -> None:
        self._styled(text, "List Bullet")

    def _styled(self, text: str, style: str) -> None:
        self.document.add_paragraph(text)._p.insert(0, deepcopy(self.properties[style]))

    def table(self, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[str]]) -> None:
        """A grid with a bold header row, made at its full size in one step, each
        column given its share of the page's width (python-docx makes them equal, and
        a word like Organisation breaks in two).

        The cells are filled through python-docx's XML layer, one run with one text
        each, its properties a copy: `cell.text` clears the cell, makes a new
        paragraph and copies the text in a character at a time (to turn tabs and line
        breaks into their own elements, which names, dates and one-line descriptions
        never hold), and for an action log of a few hundred rows that was a third of
        the whole render.
        """
        table = self.document.add_table(1 + len(rows), len(columns), TABLE_STYLE)
        shares = [share for _, share in columns]
        twips = [str(Emu(TEXT_WIDTH * share // sum(shares)).twips) for share in shares]
        # The grid's columns, then every cell's width (Word reads these), row by row.
        for column, twip in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
            column.set(qn("w:w"), twip)
        for cell_width, twip in zip(table._tbl.iter(qn("w:tcW")), cycle(twips)):
            cell_width.set(qn("w:w"), twip)
        header, *body = table._tbl.tr_lst
        header.insert(0, deepcopy(self.header_row))
        for cell, (title, _) in zip(header.tc_lst, columns, strict=True):
            _fill(cell, title, self.header_text)
        for row, values in zip(body, rows, strict=True):
            row.insert(0, deepcopy(self.row))
            for cell, value in zip(row.tc_lst, values, strict=True):
                _fill(cell, value, self.cell_text)


def _footer(document: DocumentObject, minutes: Minutes) -> None:
    """On every page, what a printed page is part of: the board, the meeting, the version
    and the date published, and the page number (Word's PAGE field)."""
    said = f"{minutes.board} · minutes of {minutes.meeting.ref}"
    if minutes.version is not None and minutes.published_on is not None:
        said += f" · version {minutes.version}, {say_short_date(minutes.published_on)}"
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(_text(said) + " · page ")
    page = OxmlElement("w:fldSimple", {qn("w:instr"): "PAGE"})
    shown = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    shown.append(number)
    page.append(shown)
    paragraph._p.append(page)


def render(minutes: Minutes) -> bytes:
    """The minutes as a .docx: headings, attendance and action-log tables, decisions."""
    writer = Writer()
    document = writer.document
    properties = document.core_properties
    properties.title = _text(f"{minutes.board}: minutes of {minutes.meeting.ref}")
    properties.author = properties.last_modified_by = "Board Bot"
    properties.created = properties.modified = minutes.as_of
    _footer(document, minutes)
    writer.heading(_text(minutes.board), level=0)
    if minutes.notice:
        document.add_paragraph().add_run(_text(minutes.notice)).bold = True
    writer.heading(_text(minutes.heading), level=1)
    own_title = f": {minutes.title}" if minutes.title != minutes.board else ""
    document.add_paragraph(_text(f"Meeting {minutes.meeting.ref}{own_title}"))

    writer.heading("Present", level=1)
    _attendance(writer, minutes.present)
    writer.heading("Apologies", level=1)
    _attendance(writer, minutes.apologies)

    writer.heading("Matters arising", level=1)
    _matters_arising(writer, minutes)

    for item in minutes.items:
        writer.heading(_text(f"{item.position}. {item.title}"), level=1)
        if item.presenter:
            document.add_paragraph().add_run(_text(f"Presented by {item.presenter}")).italic = True
        for note in item.notes:
            document.add_paragraph(_text(note))
        for decision in item.decisions:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{decision.label}: ").bold = True
            paragraph.add_run(_text(decision.text))
        if item.actions:
            document.add_paragraph("Actions arising:")
            for entry in item.actions:
                state = f" · {entry.state}" if entry.state_is_news else ""
                due = f" · due {entry.due}" if entry.due else ""
                writer.bullet(_text(f"{entry.ref} {entry.description} — {entry.owner}{due}{state}"))
        if not (item.notes or item.decisions or item.actions):
            document.add_paragraph("Nothing recorded.")

    writer.heading("Action log", level=1)
    _action_log(writer, minutes)

    writer.heading("Next meeting", level=1)
    following = minutes.next_meeting
    document.add_paragraph(
        _text(f"{following.said} ({following.ref})") if following else "Not yet scheduled."
    )
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _fill(cell: CT_Tc, text: str, properties: CT_RPr) -> None:
    run = cell.p_lst[0].add_r()
    run.append(deepcopy(properties))
    run.add_t(_text(text))


def _row_properties(*, header: bool) -> BaseOxmlElement:
    """A row kept whole on one page; the header row repeated on every page of the table."""
    properties = OxmlElement("w:trPr")
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))
    return properties


def _table_text(*, bold: bool) -> CT_RPr:
    properties = cast(CT_RPr, OxmlElement("w:rPr"))
    if bold:
        properties.get_or_add_b()
    properties.sz_val = TABLE_TEXT
    return properties


def _properties(style: BaseStyle) -> CT_PPr:
    properties = cast(CT_PPr, OxmlElement("w:pPr"))
    properties.style = style.style_id
    return properties


@cache
def _template() -> bytes:
    """python-docx's default template, keeping only the styles the minutes use.

    The default holds every built-in style of Word twice over (styles.xml and
    Word 2010's stylesWithEffects.xml, 440 KB each): reading them in for every
    render and writing them back out took a quarter of a long meeting's render,
    and made each attachment 30 KB larger. Its thumbnail (a blank page), its Letter
    paper, its comment ("generated by python-docx") and its application properties
    (Word for the Mac, and the statistics of an empty page) go too: the page is A4,
    with Word's margins in the UK.
    """
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = A4
    section.left_margin = section.right_margin = MARGIN
    document.core_properties.comments = ""
    styles = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    kept = {document.styles[name].style_id for name in (*STYLES, TABLE_STYLE)}
    kept |= {id_ for id_, style in by_id.items() if style.get(qn("w:default")) == "1"}
    named = list(kept)
    while named:
        for link in by_id[named.pop()].iterchildren(*STYLE_LINKS):
            if (id_ := link.get(qn("w:val"))) not in kept:
                kept.add(id_)
                named.append(id_)
    for id_, style in by_id.items():
        if id_ not in kept:
            styles.remove(style)
    # The bullet and number lists name the styles that use them; only List Bullet is left.
    for named_style in list(document.part.numbering_part.element.iter(qn("w:pStyle"))):
        if named_style.get(qn("w:val")) not in kept:
            named_style.getparent().remove(named_style)
    for rels in (document.part.rels, document.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail", "/extended-properties")):
                del rels[rel_id]
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _attendance(writer: Writer, people: Sequence[Person]) -> None:
    if not people:
        writer.document.add_paragraph("None recorded.")
        return
    writer.table(ATTENDANCE, [(p.name, p.organisation or "", p.role or "") for p in people])


def _matters_arising(writer: Writer, minutes: Minutes) -> None:
    document = writer.document
    if minutes.previous is None:
        document.add_paragraph("None: no earlier meeting of the board is recorded.")
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
            writer.bullet(
                _text(f"{say_short_date(update.posted_on)} {update.author}: {rag}{update.text}"),
            )
        if entry.silent:
            writer.bullet(f"No update since {minutes.previous.ref}.")


def _action_log(writer: Writer, minutes: Minutes) -> None:
    rows: list[tuple[str, ...]] = []
    for group in minutes.action_log:
        for entry in group.actions:
            rows.append(_log_row(group.owner.name, group.owner.organisation or "", entry))
    if not rows:
        writer.document.add_paragraph("No open actions.")
        return
    writer.table(ACTION_LOG, rows)


def _log_row(owner: str, organisation: str, entry: ActionEntry) -> tuple[str, ...]:
    due = (entry.due or "") + (" (overdue)" if entry.overdue else "")
    latest = f" ({entry.latest_said(rag=False)})" if entry.latest else ""  # RAG: its column
    described = entry.description + latest
    return (owner, organisation, entry.ref, described, due, entry.rag_label or "")
