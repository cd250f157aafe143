"""One import, for the command line and the pages alike: read, map, link, give ids, lint.

Everything here is slow work on a user's file (pandoc, parsing, lint): callers run it before any
write lock. Bounded: the Word file and its parts are capped (`docx_file`), pandoc runs under its
time and heap limits, and the Markdown it makes is capped like any text a drafter uploads.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authoring.document import DEFAULT_MAX_BYTES, DocumentTooLarge, parse, with_derived_ids_parsed
from imports.docx_file import DocxRejected, read_docx

if TYPE_CHECKING:
    from imports.mapping import Unmapped


@dataclass
class Imported:
    """The Standard Markdown of a Word file, what was left out, its lint findings and its pictures."""

    text: str
    unmapped: list[Unmapped] = field(default_factory=list)
    findings: list = field(default_factory=list)
    figures: dict[str, bytes] = field(default_factory=dict)

    @property
    def title_zh(self) -> str | None:
        return parse(self.text).meta.title_zh


def import_docx(data: bytes, filename: str) -> Imported:
    """`data`, a Word file, as Standard Markdown; `DocxRejected` when it cannot be read."""
    with ThreadPoolExecutor(max_workers=1) as reader:
        # pandoc reads the file in its own process while this one loads what comes after it (mapping,
        # references, lint: a twentieth of a command-line import that would otherwise wait its turn)
        reading = reader.submit(read_docx, data, filename)
        from authoring.document.lint import lint
        from imports.mapping import map_document
        from imports.references import link_references

        content = reading.result()
    mapped = map_document(content)
    too_large = DocxRejected(
        f"文件 {filename} 转换后的文本超过 {DEFAULT_MAX_BYTES // 1000} KB，无法导入。",
        f"The text of {filename} is larger than {DEFAULT_MAX_BYTES // 1000} KB once converted; it cannot be imported.",
        "too_large",
    )
    if len(mapped.text.encode("utf-8")) > DEFAULT_MAX_BYTES:
        raise too_large
    try:
        # one parse to find the labels (the ids it derives are the ones written in below: the links
        # change no heading), one to write the ids whose tree lint then reads (writing ids moves no line)
        text, document = with_derived_ids_parsed(link_references(mapped.text, parse(mapped.text)))
        findings = lint(document)
    except DocumentTooLarge as error:
        raise too_large from error
    return Imported(text, mapped.unmapped, findings, mapped.figures)
