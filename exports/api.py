"""The one entry point the command line and the web app's export jobs call.

`export_document(text, fmt, figures=…, progress=…)` parses once and returns the finished file with its
name, media type, SHA-256 and warnings; the web app caches results per revision, format, template
version and figures (`exports.models.job_cache_key`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from authoring.document import Document, parse
from exports import TEMPLATE_VERSION
from exports.context import Context, ExportWarning
from exports.errors import ExportError
from exports.figures import FigureStore

Progress = Callable[[int, str], None]

FORMATS: dict[str, tuple[str, str]] = {
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("pdf", "application/pdf"),
    "html": ("html", "text/html; charset=utf-8"),
    "sts": ("xml", "application/xml"),
}
REDLINE_FORMATS = ("docx", "html", "pdf")


@dataclass(frozen=True)
class ExportResult:
    data: bytes
    filename: str
    media_type: str
    warnings: list[ExportWarning] = field(default_factory=list)
    template_version: str = TEMPLATE_VERSION

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def file_stem(doc: Document, suffix: str = "") -> str:
    """`T/SZYL 3—2025` → `T-SZYL-3-2025`; a draft without a number is named after its title."""
    # the number and titles are typed in the text's front matter: whatever is not a letter, digit or
    # dot (a slash, quote, backslash, line break, NUL or bidi override) becomes "-" in the saved name
    number = doc.meta.number
    if number:
        stem = re.sub(r"[^\w.]+", "-", number).strip("-.")
    else:
        stem = re.sub(r"[^\w-]+", "-", doc.meta.title_en or doc.meta.title_zh or "standard").strip("-")
    return (stem or "standard") + suffix


def _store(figures: Mapping[str, bytes] | Path | None) -> FigureStore:
    if figures is None:
        return FigureStore()
    if isinstance(figures, Path):
        return FigureStore(folder=figures)
    return FigureStore(files=figures)


def _notify(progress: Progress | None, percent: int, step: str) -> None:
    if progress is not None:
        progress(percent, step)


def export_document(
    text: str,
    fmt: str,
    *,
    figures: Mapping[str, bytes] | Path | None = None,
    progress: Progress | None = None,
    font_paths: list[str] | None = None,
) -> ExportResult:
    """Export Standard Markdown `text` as `fmt` (docx, pdf, html, sts).

    `figures` is either the uploaded figures by name (`{"flow.png": b"…"}`) or the `figures/` folder
    next to the Markdown file. `progress(percent, step)` is called as the export advances.
    Raises ExportError (bilingual message) when the export cannot be made.
    """
    if fmt not in FORMATS:
        raise ExportError(f"不支持的导出格式：{fmt}", f"Unsupported export format: {fmt}")
    _notify(progress, 5, "parse")
    doc = parse(text)
    return export_parsed(doc, fmt, figures=figures, progress=progress, font_paths=font_paths)


def export_parsed(
    doc: Document,
    fmt: str,
    *,
    figures: Mapping[str, bytes] | Path | None = None,
    progress: Progress | None = None,
    font_paths: list[str] | None = None,
) -> ExportResult:
    """Like export_document, for a document already parsed (the web app keeps the parse of a revision)."""
    extension, media_type = FORMATS[fmt]
    store = _store(figures)
    _notify(progress, 20, "build")
    if fmt == "docx":
        from exports.docx import render_docx

        ctx = Context(doc=doc, target="docx", figures=store)
        _notify(progress, 40, "pandoc")
        data = render_docx(doc, ctx)
    elif fmt == "pdf":
        from exports.pdf import render_pdf

        ctx = Context(doc=doc, target="typst", figures=store)
        _notify(progress, 40, "typst")
        data = render_pdf(doc, ctx, font_paths=font_paths)
    elif fmt == "html":
        from exports.html import render_standalone

        ctx = Context(doc=doc, target="docx", figures=store)
        data = render_standalone(doc, ctx).encode("utf-8")
    else:
        from exports.sts import render_sts

        ctx = Context(doc=doc, target="docx", figures=store)
        data = render_sts(doc)
    _notify(progress, 100, "done")
    return ExportResult(data, f"{file_stem(doc)}.{extension}", media_type, ctx.warnings)


def export_redline(
    old_text: str,
    new_text: str,
    fmt: str,
    *,
    author: str = "StandardForge",
    progress: Progress | None = None,
    font_paths: list[str] | None = None,
) -> ExportResult:
    """The changes from `old_text` to `new_text`: DOCX with tracked changes, or HTML/PDF marked up."""
    if fmt not in REDLINE_FORMATS:
        raise ExportError(f"修订对比不支持该格式：{fmt}", f"Redline is not available as {fmt}")
    _notify(progress, 5, "parse")
    old, new = parse(old_text), parse(new_text)
    from exports.redline import render_redline

    _notify(progress, 30, "diff")
    data, warnings = render_redline(old, new, fmt, author=author, font_paths=font_paths)
    _notify(progress, 100, "done")
    extension, media_type = FORMATS[fmt]
    return ExportResult(data, f"{file_stem(new, '-redline')}.{extension}", media_type, warnings)
