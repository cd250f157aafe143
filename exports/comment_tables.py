"""The comment tables as files: the 征求意见汇总处理表 and the ISO/IEC commenting template, in XLSX
(openpyxl) and DOCX (python-docx on the standard export's reference DOCX, so the table has the
standard's 宋体/黑体 styles). The rows come from `workflow.comments.tables`; this only lays them out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from accounts.spreadsheets import keep_text
from exports.reference_docx import reference_docx_path
from workflow.comments.tables import IsoRow, SummaryRow, TableHeading

#: the 汇总处理表's columns (its form is Chinese, whatever the reader's language)
SUMMARY_COLUMNS = ("序号", "章条编号", "意见内容", "提出单位", "处理意见", "理由")
SUMMARY_WIDTHS = (6, 12, 48, 20, 14, 36)
#: the ISO/IEC template's columns, in its own words
ISO_COLUMNS = (
    "MB/NC",
    "Line number",
    "Clause/Subclause",
    "Paragraph/Figure/Table",
    "Type of comment",
    "Comments",
    "Proposed change",
    "Observations of the secretariat",
)
ISO_WIDTHS = (16, 8, 12, 24, 8, 40, 36, 32)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _heading_lines(heading: TableHeading, title: str) -> list[str]:
    return [
        f"{heading.title} {title}",
        _("Revision %(number)s · comment period: %(period)s", number=heading.revision, period=heading.period),
    ]


def _xlsx(
    title: str,
    heading: TableHeading,
    columns: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[object]],
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    lines = _heading_lines(heading, title)
    sheet.append([lines[0]])
    sheet.append([lines[1]])
    keep_text([sheet["A1"], sheet["A2"]])  # the heading begins with the standard's title, as typed
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(columns))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(list(row))
        keep_text(sheet[sheet.max_row])
        for cell in sheet[sheet.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(
    title: str,
    heading: TableHeading,
    columns: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[object]],
) -> bytes:
    document = Document(str(reference_docx_path()))
    body = document.element.body
    for child in list(body):  # the reference's sample body goes; its styles and A4 section stay
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    if section.page_width < section.page_height:
        section.page_width, section.page_height = section.page_height, section.page_width
    lines = _heading_lines(heading, title)
    document.add_paragraph(lines[0], style=_style(document, "Cover Title", "Title"))
    document.add_paragraph(lines[1], style=_style(document, "Compact", "Normal"))
    table = document.add_table(rows=1, cols=len(columns))
    table.style = _style(document, "Table", None)
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(widths)
    for column, width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = int(usable * width / total)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = _style(document, "Compact", "Normal")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _style(document: object, name: str, fallback: str | None) -> object:
    styles = document.styles  # type: ignore[attr-defined]
    for candidate in (name, fallback):
        if candidate is None:
            continue
        try:
            return styles[candidate]
        except KeyError:
            continue
    return None


def summary_file(fmt: str, heading: TableHeading, rows: Sequence[SummaryRow]) -> bytes:
    """The 征求意见汇总处理表 as "xlsx" or "docx"."""
    values = [(r.number, r.clause_number, r.comment, r.organisation, r.decision, r.reason) for r in rows]
    maker = _xlsx if fmt == "xlsx" else _docx
    return maker("征求意见汇总处理表", heading, SUMMARY_COLUMNS, SUMMARY_WIDTHS, values)


def iso_file(fmt: str, heading: TableHeading, rows: Sequence[IsoRow]) -> bytes:
    """The ISO/IEC commenting template as "xlsx" or "docx"."""
    values = [
        (r.member_body, r.line, r.clause, r.element, r.type, r.comment, r.proposed_change, r.observations)
        for r in rows
    ]
    maker = _xlsx if fmt == "xlsx" else _docx
    return maker("Template for comments", heading, ISO_COLUMNS, ISO_WIDTHS, values)
