"""The redline between community-care and community-care-v2 shows the known changes as tracked changes."""

from __future__ import annotations

import io
import re
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
