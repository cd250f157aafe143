"""Covers (issue 14): one or two issuing bodies, long titles kept to the cover's one page, a title
broken between its elements, an English document led by its English title."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from export_helpers import docx_part, needs
from lxml import etree

from authoring.document import parse
from exports.api import export_document
from exports.words import cover_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
pytestmark = pytest.mark.slow  # pandoc and typst runs

#: 60 characters in two elements (main and complementary), and a 200-character English title
LONG_ZH = "电动自行车集中充电设施和充换电柜及其配套的智能监控管理系统在住宅小区与公共场所 安全技术要求与现场检验方法及其评价规则细则"
LONG_EN = (
    "Centralized charging facilities for electric bicycles and battery swapping cabinets with "
    "intelligent monitoring systems in residential communities and public places - Safety technical requirements (1)"
)
assert len(LONG_ZH.replace(" ", "")) == 60 and len(LONG_EN) == 200
JOINT = ("国家市场监督管理总局", "国家标准化管理委员会")


def _standard(
    title_zh: str = LONG_ZH, title_en: str = LONG_EN, issuers: str = f"[{', '.join(JOINT)}]"
) -> str:
    return f"""---
number: T/SZAS 12—2025
replaces: T/SZAS 12—2019
title:
  zh: {title_zh}
  en: {title_en}
association: {issuers}
draft: 征求意见稿
ics: 03.080
ccs: A 12
publish_date: 2025-01-01
implement_date: 2025-03-01
---

# 范围

本文件规定了电动自行车集中充电设施的安全技术要求。
"""


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_two_issuing_bodies_are_read_and_both_printed_with_one_issued_word():
    doc = parse(_standard("标准 要求", "Requirements"))
    assert doc.meta.issuers == list(JOINT)
    assert cover_lines(doc.meta)["issuers"] == "\n".join(JOINT)
    assert not [p for p in doc.problems if p.code == "META-MISSING"]


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    pdf = tmp_path_factory.mktemp("covers") / "long.pdf"
    pdf.write_bytes(export_document(_standard(), "pdf").data)
    return pdf


def test_the_pdf_cover_holds_long_titles_and_both_bodies_on_its_one_page(long_pdf, artifacts):
    needs("pdftotext")
    needs("pdftoppm")
    cover, second = _pages(long_pdf)[:2]
    for text in (LONG_ZH, LONG_EN, *JOINT, "发布", "2025-03-01实施", "征求意见稿"):
        assert _squeeze(text) in _squeeze(cover), text
    assert _squeeze(cover).endswith(_squeeze("".join(JOINT) + "发布")) or _squeeze(cover).endswith(
        _squeeze(f"{JOINT[0]}发布{JOINT[1]}")
    )
    assert "目次" in second and JOINT[1] not in second
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(long_pdf),
            str(artifacts / "long-cover"),
        ],
        check=True,
        capture_output=True,
    )


def test_the_pdf_title_breaks_between_its_elements_and_leaves_no_character_alone(long_pdf):
    cover = _pages(long_pdf)[0]
    title_lines = [
        line.strip() for line in cover.splitlines() if line.strip() and line.strip()[0] in "电管安在现"
    ]
    assert any(line.startswith("安全技术要求") for line in title_lines), title_lines
    assert all(len(line) > 1 for line in title_lines), title_lines


def test_the_pdf_keeps_the_title_on_one_line_in_its_metadata(long_pdf):
    needs("pdfinfo")
    info = subprocess.run(["pdfinfo", str(long_pdf)], capture_output=True, text=True, check=True).stdout
    (title,) = [line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title:")]
    assert title == LONG_ZH


def _document(data: bytes) -> etree._Element:
    return etree.fromstring(docx_part(data, "word/document.xml").encode())


def _styled(root: etree._Element, style_id: str) -> list[etree._Element]:
    return [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='{style_id}']") is not None]


def _cover(root: etree._Element) -> list[etree._Element]:
    """The body's blocks up to and including the first paragraph that ends a section."""
    blocks = []
    for block in root.find(f"{W}body"):
        blocks.append(block)
        if block.find(f"{W}pPr/{W}sectPr") is not None:
            return blocks
    raise AssertionError("the cover ends no section")


def test_the_docx_title_puts_each_element_on_a_line_of_its_own():
    root = _document(export_document(_standard("电动自行车集中充电设施 安全技术要求", "Safety"), "docx").data)
    (title,) = _styled(root, "CoverTitle")
    texts = [t.text for t in title.iter(f"{W}t")]
    assert texts == ["电动自行车集中充电设施", "安全技术要求"]
    assert len(title.findall(f"{W}r/{W}br")) == 1


def test_the_docx_cover_prints_both_bodies_beside_one_issued_word_and_ends_in_one_break():
    root = _document(export_document(_standard(), "docx").data)
    cover = _cover(root)
    (table,) = [block for block in cover if block.tag == f"{W}tbl"]
    names, word = table.findall(f"{W}tr/{W}tc")
    assert ["".join(t.text for t in p.iter(f"{W}t")) for p in names.findall(f"{W}p")] == list(JOINT)
    assert "".join(t.text for t in word.iter(f"{W}t")) == "发布"
    assert len([b for b in cover if b.find(f"{W}pPr/{W}sectPr") is not None]) == 1
    assert not cover[-1].findall(f".//{W}t")  # the section break is an empty paragraph, nothing spills


def test_the_docx_cover_with_long_titles_fits_one_page_in_libreoffice(tmp_path):
    needs("libreoffice")
    needs("pdftotext")
    source = tmp_path / "long.docx"
    source.write_bytes(export_document(_standard(), "docx").data)
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    cover, second = _pages(tmp_path / "long.pdf")[:2]
    for text in (*JOINT, "发布", "2025-03-01实施"):
        assert _squeeze(text) in _squeeze(cover), text
    assert "目次" in second and JOINT[1] not in second


def test_one_issuing_body_keeps_its_one_line():
    root = _document(export_document(_standard("标准 要求", "Requirements", "深圳市标准化协会"), "docx").data)
    cover = _cover(root)
    assert not [block for block in cover if block.tag == f"{W}tbl"]
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in cover]
    assert "深圳市标准化协会　发布" in texts


def test_an_english_cover_leads_with_its_english_title():
    text = "---\ntitle: {en: Safety requirements}\nassociation: A\nlanguage: en\n---\n\n# Scope\n\nThis document.\n"
    root = _document(export_document(text, "docx").data)
    (title,) = _styled(root, "CoverTitle")
    assert "".join(t.text for t in title.iter(f"{W}t")) == "Safety requirements"
