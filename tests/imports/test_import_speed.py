"""The Word import parses its Markdown twice, not three times (bench/bench_import.py, issue 14): the
tree that writes the derived ids is the one lint reads, and its findings are those of the text."""

from __future__ import annotations

from authoring.document import parse, with_derived_ids, with_derived_ids_parsed
from authoring.document.lint import lint
from imports.api import import_docx


def test_the_tree_that_writes_the_ids_lints_as_the_written_text(community_care_docx: bytes) -> None:
    from imports.docx_file import read_docx
    from imports.mapping import map_document

    mapped = map_document(read_docx(community_care_docx, "cc.docx")).text
    text, document = with_derived_ids_parsed(mapped)
    assert text == with_derived_ids(mapped) and text != mapped  # ids were written in
    assert lint(document) == lint(parse(text))


def test_an_import_reports_the_findings_of_the_markdown_it_writes(community_care_docx: bytes) -> None:
    imported = import_docx(community_care_docx, "cc.docx")
    assert imported.findings == lint(parse(imported.text))
