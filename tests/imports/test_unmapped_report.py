"""The import report: a paragraph with no place in the standard is listed with its position and why."""

from __future__ import annotations

import tempfile
from pathlib import Path

from exports.pandoc import run_pandoc
from imports.api import import_docx

WORD_TEXT = """ICS 03.080

社区居家养老服务规范

本页由打印店加印

# 前言

本文件按照GB/T 1.1—2020的规定起草。

# 1 范围

本文件规定了要求，见表1。
"""


def word_file(markdown: str) -> bytes:
    """A Word file as Word writes one (pandoc's DOCX writer, Word's own heading styles)."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "in.md").write_text(markdown, encoding="utf-8")
        run_pandoc(["in.md", "-o", "out.docx"], stdin=None, cwd=Path(folder))
        return (Path(folder) / "out.docx").read_bytes()


def test_a_cover_line_that_matches_nothing_is_reported_with_its_position():
    imported = import_docx(word_file(WORD_TEXT), "plain.docx")
    (item,) = imported.unmapped
    assert item.text == "本页由打印店加印"
    assert item.position == 3
    assert "封面" in item.reason("zh") and "cover" in item.reason("en")
    assert "title: {zh: 社区居家养老服务规范}" in imported.text
    assert "# 范围" in imported.text  # the typed number of a Word heading is dropped
    assert "本文件规定了要求，见表1。" in imported.text  # no table 1: the text stays as typed
