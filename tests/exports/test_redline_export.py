"""The redline between community-care and community-care-v2 shows the known changes as tracked changes."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from export_helpers import example

from exports.api import export_redline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redline_xml() -> str:
    result = export_redline(example("community-care"), example("community-care-v2"), "docx", author="王丽华")
    assert result.filename == "T-SZYL-3-2025-redline.docx"
    return zipfile.ZipFile(io.BytesIO(result.data)).read("word/document.xml").decode()


def _inserted(xml: str) -> str:
    return "".join(re.findall(r"<w:ins [^>]*>.*?<w:t[^>]*>([^<]*)</w:t>", xml))


def _deleted(xml: str) -> str:
    return "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml))


def test_changes_carry_author_and_date(redline_xml):
    marks = re.findall(r"<w:(ins|del) ([^>]*)>", redline_xml)
    assert {kind for kind, _ in marks} == {"ins", "del"}
    assert all('w:author="王丽华"' in attrs and "w:date=" in attrs for _, attrs in marks)


def test_known_insertions_are_tracked(redline_xml):
    inserted = _inserted(redline_xml)
    for text in ("家庭照护者", "服务回访", "紧急呼叫装置应每月测试1次", "并同时通知服务对象的紧急联系人"):
        assert text in inserted, text


def test_known_deletions_are_tracked_as_deleted_text(redline_xml):
    deleted = _deleted(redline_xml)
    for text in ("代办服务", "服务机构可为服务对象代购生活用品"):
        assert text in deleted, text
    assert "<w:t>代办服务" not in redline_xml


#: what only the Markdown source or the YAML cover contain, never the printed standard
SOURCE_SYNTAX = (
    "|---",
    "| 服务类别",
    "Table:",
    "title:",
    "number:",
    "  zh:",
    "[](#",
    "{.",
    "{#",
    "{en=",
    ":::",
)


def _paragraph_texts(xml: str) -> str:
    """The document's words, kept and deleted, one paragraph a line (as a reviewer reads them)."""
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    return "\n".join("".join(re.findall(r"<w:(?:t|delText)[^>]*>([^<]*)<", p)) for p in paragraphs)


def test_the_word_redline_has_no_markdown_or_yaml(redline_xml):
    text = _paragraph_texts(redline_xml)
    for syntax in SOURCE_SYNTAX:
        assert syntax not in text, syntax


def test_the_word_redline_shows_the_printed_labels_and_the_cover_as_fields(redline_xml):
    text = _paragraph_texts(redline_xml)
    assert "4.5 → 5.4　服务协议（移动）" in text  # the moved clause under its numbers
    assert "3.9　家庭照护者　family carer（新增）" in text
    assert "表2　社区居家养老服务项目" in text and "注：培训形式通常包括" in text
    assert "等术语和定义（见3.7、3.8、3.9）" in text  # references printed as their targets' labels
    assert "文稿阶段：征求意见送审稿" in text  # the cover field, old and new words both there
    assert re.search(r"<w:del [^>]*><w:r><w:delText[^>]*>征求意见</w:delText>", redline_xml)


def test_a_changed_table_is_a_word_table_with_the_changed_cell_tracked(redline_xml):
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", redline_xml, re.S)
    services = next(t for t in tables if "服务类别" in t)
    assert services.count("<w:tr>") == 6 and services.count("<w:tc>") == 18  # 6 rows of 3 cells
    cell = next(c for c in re.findall(r"<w:tc>.*?</w:tc>", services, re.S) if "助餐" in c)
    assert re.search(r"<w:del [^>]*><w:r><w:delText[^>]*>、代办</w:delText>", cell)


def test_a_table_row_added_is_tracked_as_an_inserted_row():
    old = example("community-care")
    row = "| 紧急救援 | 紧急呼叫响应、意外事件处置 | 远程服务、上门服务 |"
    new = old.replace(row, row + "\n| 康复辅助 | 辅具租赁、康复指导 | 上门服务 |", 1)
    xml = (
        zipfile.ZipFile(io.BytesIO(export_redline(old, new, "docx").data)).read("word/document.xml").decode()
    )
    added = next(r for r in re.findall(r"<w:tr>.*?</w:tr>", xml, re.S) if "康复辅助" in r)
    assert re.search(r"<w:trPr><w:ins [^>]*w:author=", added)


def test_the_html_redline_reads_as_printed_with_tables_and_marks():
    html = export_redline(example("community-care"), example("community-care-v2"), "html").data.decode()
    body = html[html.index("<body>") :]
    for syntax in SOURCE_SYNTAX:
        assert syntax not in body, syntax
    assert "<th>服务类别</th>" in body and "<del>、代办</del>" in body
    assert "表2　社区居家养老服务项目" in body and "文稿阶段：<del>征求意见</del><ins>送审</ins>稿" in body


def test_the_html_redline_escapes_the_standards_text():
    old = example("community-care")
    new = old.replace(
        "服务机构宜为服务对象投保意外伤害保险。", "服务机构宜投保<script>alert(1)</script>保险。", 1
    )
    html = export_redline(old, new, "html").data.decode()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_pdf_redline_prints_the_standard_not_its_source(artifacts):
    pdf = export_redline(example("community-care"), example("community-care-v2"), "pdf").data
    path = artifacts / "redline.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for syntax in SOURCE_SYNTAX:
        assert syntax not in text, syntax
    assert "表2" in text and "服务类别" in text and "4.5 → 5.4" in text
    # the first changed page, for a person to look at
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(path), str(artifacts / "redline")],
        check=True,
    )


def test_html_and_pdf_redlines_are_made():
    html = export_redline(example("community-care"), example("community-care-v2"), "html").data.decode()
    assert "<ins" in html and "<del" in html
    assert export_redline(example("community-care"), example("community-care-v2"), "pdf").data.startswith(
        b"%PDF"
    )


def test_a_control_character_pasted_from_word_does_not_fail_the_redline():
    old = example("community-care")
    new = old.replace("服务机构应符合下列要求：", "服务机构应符合\x0b下列要求：", 1)
    result = export_redline(old, new, "docx")
    xml = zipfile.ZipFile(io.BytesIO(result.data)).read("word/document.xml").decode()
    assert "下列要求" in xml and "\x0b" not in xml
