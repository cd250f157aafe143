"""Redlines between two revisions, from the core's clause-level diff (authoring.document.diff).

The diff engine (fast-diff-match-patch underneath) compares each section's own Markdown by id; we only
present its hunks: in Word as real tracked changes (w:ins / w:del with author and date, deleted text in
w:delText) so reviewers accept or reject them in the review pane; in HTML with the core's diff page; in
PDF through Typst with insertions underlined and deletions struck through.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from authoring.document.diff import DocumentDiff, SectionDiff, Status, diff_documents
from authoring.document.tree import Document
from exports import pandoc_ast as pa
from exports.blocks import typst_string
from exports.context import ExportWarning
from exports.docx import run_docx_pandoc
from exports.ooxml import el, sub, to_xml, xml_text

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _title(doc: Document) -> str:
    zh = doc.language != "en"
    name = doc.meta.title_zh if zh else (doc.meta.title_en or doc.meta.title_zh)
    return f"{name or ''}　修订对照" if zh else f"{name or ''}: changes"


_EMPTY_REF = re.compile(r"\[\]\(#([\w-]+)\)")
_TEXT_REF = re.compile(r"\[([^\]\n]+)\]\(#[\w-]+\)")
_ATTRS = re.compile(r"[ \t]*\{(?:[#.]|[\w-]+=)[^{}\n]*\}")
_FENCES = {"::: note": ("注：", "NOTE"), "::: example": ("示例：", "EXAMPLE"), ":::": ("", "")}


def _display(text: str, labels: dict[str, str]) -> str:
    """What the reader sees instead of the Markdown: references as labels, no `{#id}` attributes.

    Applied to each piece of a hunk; a reference cut in two by the diff keeps its source form."""
    text = _EMPTY_REF.sub(lambda m: labels.get(m.group(1), m.group(0)), text)
    text = _TEXT_REF.sub(lambda m: m.group(1), text)
    return _ATTRS.sub("", text)


def _paragraphs(
    ops: list[tuple[str, str]], labels: dict[str, str], zh: bool = True
) -> list[list[tuple[str, str]]]:
    """Split ops at line breaks into paragraphs, each a list of (op, text) runs, shown as printed."""
    paragraphs: list[list[tuple[str, str]]] = [[]]
    for op, text in ops:
        for index, piece in enumerate(text.split("\n")):
            if index:
                paragraphs.append([])
            fence = _FENCES.get(piece.strip())
            if fence is not None:
                piece = fence[0 if zh else 1]
            piece = _display(piece, labels)
            if piece:
                paragraphs[-1].append((op, piece))
    return [p for p in paragraphs if any(t.strip() for _, t in p)]


def _labels(old: Document, new: Document) -> dict[str, str]:
    """Labels of both revisions, the new one winning (a deleted target keeps its old label)."""
    return {**old.labels, **new.labels}


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

    def paragraph(self, runs: list[tuple[str, str]]) -> str:
        p = el("p")
        sub(sub(p, "pPr"), "pStyle", val="BodyText")
        for op, text in runs:
            parent = p
            if op == "+":
                parent = self.mark("ins")
                p.append(parent)
            elif op == "-":
                parent = self.mark("del")
                p.append(parent)
            run = sub(parent, "r")
            t = sub(run, "delText" if op == "-" else "t")
            t.text = xml_text(text)
            t.set(_XML_SPACE, "preserve")
        return to_xml(p)


def _hunk_heading(hunk: SectionDiff, zh: bool) -> str:
    status = {
        Status.ADDED: ("新增", "added"),
        Status.DELETED: ("删除", "deleted"),
        Status.CHANGED: ("修改", "changed"),
        Status.UNCHANGED: ("移动", "moved"),
    }[hunk.status][0 if zh else 1]
    return f"{hunk.label}（{status}）" if zh else f"{hunk.label} ({status})"


def redline_docx(
    diff: DocumentDiff, new: Document, author: str, when: datetime, labels: dict[str, str]
) -> bytes:
    tracker = _Tracker(author, when)
    zh = new.language != "en"
    blocks = [pa.div([pa.para(pa.text(_title(new)))], custom_style="Standard Title")]
    for hunk in diff.hunks:
        blocks.append(pa.header(2, pa.text(_hunk_heading(hunk, zh))))
        blocks.extend(
            pa.raw_block("openxml", tracker.paragraph(runs))
            for runs in _paragraphs(list(hunk.ops), labels, zh)
        )
    ast = pa.document(blocks, {"lang": pa.meta_string("zh-CN" if zh else "en-US")})
    return run_docx_pandoc(ast, new.meta.number or "")


def redline_typst(diff: DocumentDiff, new: Document, labels: dict[str, str]) -> str:
    zh = new.language != "en"
    lines = [
        '#set page(paper: "a4", margin: (top: 25mm, bottom: 20mm, left: 25mm, right: 20mm), numbering: "1")',
        '#set text(font: ("Noto Serif CJK SC",), size: 10.5pt)',
        "#set par(justify: false, spacing: 0.8em)",
        '#let ins(s) = underline(text(fill: rgb("#0645ad"), s))',
        '#let del(s) = strike(text(fill: rgb("#b00020"), s))',
        f'#align(center, text(font: ("Noto Sans CJK SC",), size: 16pt, {typst_string(_title(new))}))',
    ]
    for hunk in diff.hunks:
        heading = typst_string(_hunk_heading(hunk, zh))
        lines.append(f'#block(above: 1.2em, text(font: ("Noto Sans CJK SC",), {heading}))')
        for runs in _paragraphs(list(hunk.ops), labels, zh):
            parts = []
            for op, text in runs:
                literal = typst_string(text)
                parts.append({"+": f"#ins({literal})", "-": f"#del({literal})"}.get(op, f"#{literal}"))
            lines.append("".join(parts) + "\n")
    return "\n".join(lines)


def render_redline(
    old: Document, new: Document, fmt: str, *, author: str = "StandardForge", when: datetime | None = None
) -> tuple[bytes, list[ExportWarning]]:
    diff = diff_documents(old, new)
    labels = _labels(old, new)
    when = when or datetime.now(UTC)
    if fmt == "docx":
        return redline_docx(diff, new, author, when, labels), []
    if fmt == "html":
        from authoring.document.diff import render_html_page

        return render_html_page(diff).encode("utf-8"), []
    from exports.pdf import check_fonts, font_folders, typeset

    paths = font_folders()
    check_fonts(paths)
    with tempfile.TemporaryDirectory(prefix="stdforge-redline-") as tmp:
        main = Path(tmp) / "main.typ"
        main.write_text(redline_typst(diff, new, labels), encoding="utf-8")
        return typeset(main, Path(tmp), paths, source_text=new.source), []
