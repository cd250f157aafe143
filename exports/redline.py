"""Redlines between two revisions for reviewers: the standard as printed, with its changes marked.

The core compares each clause's printed text by id (`diff_documents(..., reading=True)`: numbers
and labels, captions, notes, tables as rows of cells, the cover as fields; never Markdown or YAML) and
lays each hunk out as a title line, paragraphs and tables (`diffing.layout`). We only present that:
in Word as real tracked changes (w:ins / w:del with author and date, deleted text in w:delText, whole
rows as inserted or deleted rows) so reviewers accept or reject them in the review pane; in HTML with
the core's reading page; in PDF through Typst with insertions underlined and deletions struck through.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from authoring.document.diff import DocumentDiff, SectionDiff, diff_documents
from authoring.document.diffing.labels import hunk_title, labels, printed_numbers
from authoring.document.diffing.layout import Paragraph, Runs, Table, layout
from authoring.document.diffing.reading import gap
from authoring.document.diffing.render_reading import hunk_status, render_reading_page
from authoring.document.diffing.textdiff import DELETE, INSERT
from authoring.document.tree import Document
from exports import pandoc_ast as pa
from exports.blocks import typst_string
from exports.context import ExportWarning
from exports.docx import run_docx_pandoc
from exports.ooxml import el, mm_twips, sub, to_xml, xml_text
from exports.styles import PAGE

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: the Word paragraph style of each paragraph role of the layout
_DOCX_STYLES = {"text": "BodyText", "caption": "TableCaption", "note": "Note"}


def _title(doc: Document) -> str:
    zh = doc.language != "en"
    name = doc.meta.title_zh if zh else (doc.meta.title_en or doc.meta.title_zh)
    return f"{name or ''}　修订对照" if zh else f"{name or ''}: changes"


def _heading(hunk: SectionDiff, words: dict[str, str]) -> tuple[str, Runs, str]:
    """(number, the title's runs, "（修改）"): what a hunk's heading prints."""
    laid_title = layout(hunk).title
    number = printed_numbers(hunk, words)
    title: Runs = laid_title or ((("=", hunk_title(hunk, words)),) if not number else ())
    return number, title, words["status-suffix"].format(hunk_status(hunk, words))


class _Tracker:
    """Numbers the revision marks (w:id must be unique) and stamps author and date."""

    def __init__(self, author: str, when: datetime) -> None:
        self.author = author
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 1

    def mark(self, tag: str):
        node = el(tag, id=self.next_id, author=self.author, date=self.date)
        self.next_id += 1
        return node

    def runs(self, p, runs: Runs) -> None:
        """Append `runs` to the paragraph `p`, insertions in w:ins and deletions in w:del."""
        for op, text in runs:
            parent = p
            if op in (INSERT, DELETE):
                parent = self.mark("ins" if op == INSERT else "del")
                p.append(parent)
            run = sub(parent, "r")
            t = sub(run, "delText" if op == DELETE else "t")
            t.text = xml_text(text)
            t.set(_XML_SPACE, "preserve")

    def paragraph_element(self, runs: Runs, style: str):
        p = el("p")
        sub(sub(p, "pPr"), "pStyle", val=style)
        self.runs(p, runs)
        return p

    def paragraph(self, runs: Runs, style: str = "BodyText") -> str:
        return to_xml(self.paragraph_element(runs, style))

    def table(self, table: Table) -> str:
        """A ruled table, every cell's changes tracked; a row added or deleted whole is tracked as a row."""
        columns = max(len(row.cells) for row in table.rows)
        width = mm_twips(PAGE.text_width_mm) // columns
        tbl = el("tbl")
        properties = sub(tbl, "tblPr")
        sub(properties, "tblStyle", val="Table")
        sub(properties, "tblW", w=0, type="auto")
        sub(properties, "jc", val="center")
        grid = sub(tbl, "tblGrid")
        for _ in range(columns):
            sub(grid, "gridCol", w=width)
        for row in table.rows:
            tr = sub(tbl, "tr")
            if row.header or row.status in (INSERT, DELETE):
                row_properties = sub(tr, "trPr")
                if row.header:
                    sub(row_properties, "tblHeader")
                if row.status in (INSERT, DELETE):
                    row_properties.append(self.mark("ins" if row.status == INSERT else "del"))
            for runs in (*row.cells, *([()] * (columns - len(row.cells)))):
                tc = sub(tr, "tc")
                sub(sub(tc, "tcPr"), "tcW", w=width, type="dxa")
                tc.append(self.paragraph_element(runs, "Compact"))
        return to_xml(tbl)


def redline_docx(diff: DocumentDiff, new: Document, author: str, when: datetime) -> bytes:
    tracker = _Tracker(author, when)
    words = labels(diff.language)
    blocks = [pa.div([pa.para(pa.text(_title(new)))], custom_style="Standard Title")]
    for hunk in diff.hunks:
        number, title, suffix = _heading(hunk, words)
        prefix = (("=", f"{number}{gap(diff.language) if title else ''}"),) if number else ()
        blocks.append(
            pa.raw_block("openxml", tracker.paragraph((*prefix, *title, ("=", suffix)), "Heading2"))
        )
        for item in layout(hunk).body:
            if isinstance(item, Paragraph):
                blocks.append(pa.raw_block("openxml", tracker.paragraph(item.runs, _DOCX_STYLES[item.role])))
            else:
                blocks.append(pa.raw_block("openxml", tracker.table(item)))
    ast = pa.document(blocks, {"lang": pa.meta_string("en-US" if diff.language == "en" else "zh-CN")})
    return run_docx_pandoc(ast, new.meta.number or "")


def _typst_runs(runs: Runs) -> str:
    """Runs as Typst markup: every text enters as a string literal, changes through #ins / #del."""
    parts = []
    for op, text in runs:
        literal = typst_string(text)
        parts.append({INSERT: f"#ins({literal})", DELETE: f"#del({literal})"}.get(op, f"#{literal}"))
    return "".join(parts)


#: the fill of a row added or deleted whole
_ROW_FILLS = {INSERT: 'rgb("#eefaf0")', DELETE: 'rgb("#fdeeee")'}
#: the fill of a kept cell whose merge changed (`GridCell.merge_changed`), above its row's fill
_MERGE_CHANGED_FILL = 'rgb("#fff3cc")'


def _typst_cell(runs: Runs, header: bool, place: dict[str, int], fill: str | None) -> str:
    """One `table.cell` at its place (x, y, and a span above 1); every text through `_typst_runs`."""
    body = _typst_runs(runs)
    arguments = [f"{name}: {value}" for name, value in place.items()]
    if fill:
        arguments.append(f"fill: {fill}")
    return f"table.cell({', '.join(arguments)}, {f'strong[{body}]' if header else f'[{body}]'})"


def _typst_table(table: Table, words: dict[str, str]) -> str:
    """A ruled table as the standard prints it (cells centred), its cells' changes marked, a row added
    or deleted whole shaded; a merged table on its `Grid`, every cell at its place with its spans."""
    grid = table.grid
    cells = []
    if grid is None:
        columns = max(len(row.cells) for row in table.rows)
        for y, row in enumerate(table.rows):
            padded = (*row.cells, *([()] * (columns - len(row.cells))))
            for x, runs in enumerate(padded):
                cells.append(_typst_cell(runs, row.header, {"x": x, "y": y}, _ROW_FILLS.get(row.status)))
    else:
        columns = grid.columns
        taken: set[tuple[int, int]] = set()
        for cell in grid.cells:
            header, status = grid.rows[cell.row]
            place = {"x": cell.column, "y": cell.row}
            place |= {"rowspan": cell.rowspan} if cell.rowspan > 1 else {}
            place |= {"colspan": cell.colspan} if cell.colspan > 1 else {}
            fill = _MERGE_CHANGED_FILL if cell.merge_changed else _ROW_FILLS.get(status)
            cells.append(_typst_cell(cell.runs, header, place, fill))
            taken.update(
                (y, x)
                for y in range(cell.row, cell.row + cell.rowspan)
                for x in range(cell.column, cell.column + cell.colspan)
            )
        for y, (header, status) in enumerate(grid.rows):  # a place no cell covers: an empty cell
            for x in range(columns):
                if (y, x) not in taken:
                    cells.append(_typst_cell((), header, {"x": x, "y": y}, _ROW_FILLS.get(status)))
    drawn = (
        f"#align(center, table(columns: {columns}, align: center, stroke: 0.5pt, inset: 4pt,\n  "
        + ",\n  ".join(cells)
        + "\n))\n"
    )
    if grid is not None and grid.merges_changed:
        legend = typst_string(words["merges-changed"])
        drawn += f'#align(center, text(size: 9pt, fill: rgb("#6b5a00"), {legend}))\n'
    return drawn


def redline_typst(diff: DocumentDiff, new: Document) -> str:
    words = labels(diff.language)
    lines = [
        '#set page(paper: "a4", margin: (top: 25mm, bottom: 20mm, left: 25mm, right: 20mm), numbering: "1")',
        '#set text(font: ("Noto Serif CJK SC",), size: 10.5pt)',
        "#set par(justify: false, spacing: 0.8em)",
        "#show table.cell: set par(justify: false)",
        '#let ins(s) = underline(text(fill: rgb("#0645ad"), s))',
        '#let del(s) = strike(text(fill: rgb("#b00020"), s))',
        f'#align(center, text(font: ("Noto Sans CJK SC",), size: 16pt, {typst_string(_title(new))}))',
    ]
    for hunk in diff.hunks:
        number, title, suffix = _heading(hunk, words)
        prefix = (("=", f"{number}{gap(diff.language) if title else ''}"),) if number else ()
        heading = _typst_runs((*prefix, *title, ("=", suffix)))
        lines.append(f'#block(above: 1.4em, below: 0.8em, text(font: ("Noto Sans CJK SC",))[{heading}])')
        for item in layout(hunk).body:
            if isinstance(item, Table):
                lines.append(_typst_table(item, words))
            elif item.role == "caption":
                lines.append(f'#align(center, text(font: ("Noto Sans CJK SC",))[{_typst_runs(item.runs)}])\n')
            elif item.role == "note":
                lines.append(f"#text(size: 9pt)[{_typst_runs(item.runs)}]\n")
            else:
                lines.append(f"#h(2em){_typst_runs(item.runs)}\n")
    return "\n".join(lines)


def render_redline(
    old: Document,
    new: Document,
    fmt: str,
    *,
    author: str = "StandardForge",
    when: datetime | None = None,
    font_paths: list[str] | None = None,
) -> tuple[bytes, list[ExportWarning]]:
    diff = diff_documents(old, new, reading=True)
    when = when or datetime.now(UTC)
    if fmt == "docx":
        return redline_docx(diff, new, author, when), []
    if fmt == "html":
        return render_reading_page(diff).encode("utf-8"), []
    from exports.pdf import check_fonts, font_folders, typeset

    paths = font_folders(font_paths)
    check_fonts(paths)
    with tempfile.TemporaryDirectory(prefix="stdforge-redline-") as tmp:
        main = Path(tmp) / "main.typ"
        main.write_text(redline_typst(diff, new), encoding="utf-8")
        return typeset(main, Path(tmp), paths, source_text=new.source), []
