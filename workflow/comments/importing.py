"""Reading the ISO/IEC commenting template (XLSX or DOCX) for comments gathered outside the tool.

A file is a template when one of its first rows names the template's columns (MB/NC, Clause,
Type of comment, Comments, Proposed change … in English or Chinese); each row after it is a comment
anchored by its clause number. Rows that do not parse are reported by their row number; a file that
is not a template, or is too large, is refused whole.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from accounts.refusals import Refused
from accounts.uploads import ZipTooLarge, shown_name, zip_members

#: the largest template taken (a template of a thousand comments is well under 1 MB)
MAX_BYTES = 2_000_000
#: the most rows read
MAX_ROWS = 5_000
#: the most columns read (the template has eight)
MAX_COLUMNS = 30
#: the most members its zip may have, and the most they may inflate to together (a template of a
#: thousand comments is a dozen parts of a few MB)
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
#: the part each kind of file cannot be without
_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
#: header words of each column we read → our name (lower case, spaces removed)
HEADERS = {
    "mb/nc": "member_body",
    "mb": "member_body",
    "提出单位": "member_body",
    "linenumber": "line",
    "clause/subclause": "clause",
    "clause": "clause",
    "章条编号": "clause",
    "paragraph/figure/table": "element",
    "typeofcomment": "type",
    "type": "type",
    "意见类型": "type",
    "comments": "comment",
    "comment": "comment",
    "意见内容": "comment",
    "proposedchange": "proposed_change",
    "建议修改": "proposed_change",
}


@dataclass(frozen=True)
class TemplateRow:
    """One comment row as written in the file, with its row number there."""

    row: int
    member_body: str
    clause: str
    type: str
    comment: str
    proposed_change: str
    element: str = ""


def read_template(data: bytes, filename: str) -> list[TemplateRow]:
    """The comment rows of an ISO/IEC template, or a refusal that says why the file is not one.

    The file's content decides what it is (a PNG named .xlsx is refused like any other), its zip is
    checked against the caps before openpyxl or python-docx inflates a byte, and whatever those
    readers raise on a damaged file becomes the same refusal."""
    name = shown_name(filename)
    if len(data) > MAX_BYTES:
        raise Refused(
            "too_large",
            _(
                "The file %(name)s is %(size)s KB; a comment template may have at most %(limit)s KB.",
                name=name,
                size=-(-len(data) // 1000),
                limit=MAX_BYTES // 1000,
            ),
        )
    lower = filename.lower()
    kind = "xlsx" if lower.endswith(".xlsx") else "docx" if lower.endswith(".docx") else None
    try:
        members = zip_members(data, max_members=MAX_MEMBERS, max_unpacked_bytes=MAX_UNPACKED_BYTES)
    except ZipTooLarge:
        raise Refused(
            "too_large",
            _(
                "The file %(name)s would take more than %(limit)s MB once unpacked: it is not a comment template.",
                name=name,
                limit=MAX_UNPACKED_BYTES // (1024 * 1024),
            ),
        ) from None
    if members is None or kind is None:
        raise Refused(
            "invalid",
            _(
                "The file %(name)s is not an XLSX or DOCX file. Upload the ISO/IEC commenting template as .xlsx or .docx.",
                name=name,
            ),
        )
    unreadable = Refused(
        "invalid", _("The file %(name)s cannot be read as a spreadsheet or Word document.", name=name)
    )
    if _MAIN_PART[kind] not in {member.filename for member in members}:
        raise unreadable
    try:
        table = _xlsx_rows(data) if kind == "xlsx" else _docx_rows(data)
    except Exception as error:  # openpyxl, python-docx and lxml answer a damaged file with many kinds
        raise unreadable from error
    return _rows(table, name)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # both bounds given: a sheet's <dimension> may claim A1:XFD1048576, and openpyxl pads every
        # row to it and fills the gaps between rows with empty ones
        values = sheet.iter_rows(values_only=True, max_row=MAX_ROWS, max_col=MAX_COLUMNS)
        return [["" if v is None else str(v).strip() for v in row] for row in values]
    finally:
        book.close()


def _docx_rows(data: bytes) -> list[list[str]]:
    """The first table's rows as text, one cell per grid column it spans (at most MAX_COLUMNS).

    Not python-docx's `row.cells`: it repeats a cell once per column of its `w:gridSpan` (a span of
    2,000,000,000 is a tuple of two billion) and finds the text of each vertically merged cell by
    walking up the rows, once per cell (quadratic in a table of merged rows)."""
    from docx import Document
    from docx.table import _Cell

    document = Document(io.BytesIO(data))
    if not document.tables:
        return []
    table = document.tables[0]
    rows: list[list[str]] = []
    above: dict[int, str] = {}  # grid column → the text of the cell that starts there, in the row above
    for tr in table._tbl.tr_lst[:MAX_ROWS]:
        cells: list[str] = []
        for tc in tr.tc_lst:
            column = len(cells)
            text = above.get(column, "") if tc.vMerge == "continue" else _Cell(tc, table).text.strip()
            above[column] = text
            cells.extend([text] * min(tc.grid_span, MAX_COLUMNS - column))
            if len(cells) >= MAX_COLUMNS:
                break
        rows.append(cells)
    return rows


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", text.strip().lower())


def _rows(table: list[list[str]], filename: str) -> list[TemplateRow]:
    columns: dict[str, int] = {}
    header_at = -1
    for index, row in enumerate(table[:15]):
        found = {HEADERS[_header_key(cell)]: i for i, cell in enumerate(row) if _header_key(cell) in HEADERS}
        if "clause" in found and "comment" in found:
            columns, header_at = found, index
            break
    if header_at < 0:
        raise Refused(
            "invalid",
            _(
                "The file %(name)s is not an ISO/IEC commenting template: no row names the columns Clause and Comments.",
                name=filename,
            ),
        )

    def value(row: list[str], name: str) -> str:
        at = columns.get(name)
        return row[at] if at is not None and at < len(row) else ""

    rows = []
    for index, row in enumerate(table[header_at + 1 :], start=header_at + 2):
        if not any(cell for cell in row):
            continue
        rows.append(
            TemplateRow(
                row=index,
                member_body=value(row, "member_body"),
                clause=value(row, "clause"),
                type=value(row, "type").lower().strip(),
                comment=value(row, "comment"),
                proposed_change=value(row, "proposed_change"),
                element=value(row, "element"),
            )
        )
    return rows
