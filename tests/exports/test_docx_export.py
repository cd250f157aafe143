"""The Word export of the example standards reads like a GB/T 1.1 standard and is well-formed."""

from __future__ import annotations

import io
import re

import docx
import pytest
from export_helpers import docx_part, example, png_bytes
from lxml import etree

from authoring.document import parse
from exports.api import export_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
pytestmark = pytest.mark.slow  # one pandoc run per document


def _styles(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(docx_part(data, "word/styles.xml").encode())
    return {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}


def _east_asia(style: etree._Element) -> str | None:
    fonts = style.find(f"{W}rPr/{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def _text(data: bytes) -> str:
    root = etree.fromstring(docx_part(data, "word/document.xml").encode())
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


def test_body_and_headings_set_chinese_fonts_explicitly(care_docx):
    styles = _styles(care_docx.data)
    assert _east_asia(styles["BodyText"]) == "宋体"
    assert _east_asia(styles["Normal"]) == "宋体"
    for heading in ("Heading1", "Heading2", "PrefaceHeading", "AnnexHeading", "Caption", "Label"):
        assert _east_asia(styles[heading]) == "黑体", heading
    defaults = etree.fromstring(docx_part(care_docx.data, "word/styles.xml").encode()).find(f"{W}docDefaults")
    assert defaults.find(f".//{W}rFonts").get(f"{W}eastAsia") == "宋体"
    assert "SimSun" in docx_part(care_docx.data, "word/fontTable.xml")
    assert 'typeface="宋体"' in docx_part(care_docx.data, "word/theme/theme1.xml")


def test_header_carries_the_standard_number(care_docx):
    assert "T/SZYL 3—2025" in docx_part(care_docx.data, "word/header-odd.xml")
    assert "T/SZYL 3—2025" in docx_part(care_docx.data, "word/header-even.xml")
    reopened = docx.Document(io.BytesIO(care_docx.data))
    assert any("T/SZYL 3—2025" in p.text for s in reopened.sections for p in s.header.paragraphs)


def test_contents_is_a_toc_field_over_two_levels(care_docx):
    document = docx_part(care_docx.data, "word/document.xml")
    assert '<w:fldChar w:fldCharType="begin"/>' in document
    instruction = re.search(r"<w:instrText[^>]*>([^<]*)</w:instrText>", document).group(1)
    assert 'TOC \\o "1-2"' in instruction


def test_term_entries_are_not_toc_headings(care_docx):
    reopened = docx.Document(io.BytesIO(care_docx.data))
    term_numbers = [p for p in reopened.paragraphs if p.text == "3.1"]
    assert term_numbers and all(p.style.name == "Term Number" for p in term_numbers)
    headings = {p.text for p in reopened.paragraphs if p.style.name.startswith("Heading")}
    assert "4.1　服务机构" in headings and "5.3.1　评估要求" in headings
    assert not any(text.startswith("3.1") for text in headings)


def test_front_matter_pages_are_roman_and_the_body_starts_at_one(care_docx):
    root = etree.fromstring(docx_part(care_docx.data, "word/document.xml").encode())
    formats = [(n.get(f"{W}fmt"), n.get(f"{W}start")) for n in root.iter(f"{W}pgNumType")]
    assert formats == [("upperRoman", "1"), ("decimal", "1")]
    sizes = {(s.get(f"{W}w"), s.get(f"{W}h")) for s in root.iter(f"{W}pgSz")}
    assert sizes == {("11906", "16838")}  # A4
    margins = {
        (m.get(f"{W}top"), m.get(f"{W}bottom"), m.get(f"{W}left"), m.get(f"{W}right"))
        for m in root.iter(f"{W}pgMar")
    }
    assert margins == {("1417", "1134", "1417", "1134")}  # 25/20/25/20 mm


def test_cover_shows_codes_number_titles_dates_and_draft_notice(care_docx):
    text = _text(care_docx.data)
    for expected in (
        "ICS 03.080.30",
        "CCS A 12",
        "团体标准",
        "T/SZYL 3—2025",
        "代替 T/SZYL 3—2019",
        "社区居家养老服务规范",
        "Specification for community home-based elderly care services",
        "2025-03-01 发布",
        "2025-04-01 实施",
        "深圳市养老服务业协会　发布",
        "（征求意见稿）",
        "请将您知道的相关专利连同支持性文件一并附上",
    ):
        assert expected in text, expected


def test_every_clause_number_is_printed():
    text_by_name = {}
    for name in ("community-care", "en-sample"):
        result = export_document(example(name), "docx")
        text_by_name[name] = _text(result.data)
        for section in parse(example(name)).walk():
            if section.number:
                assert section.number in text_by_name[name], (name, section.number)
    assert "according to Clause 4" in text_by_name["en-sample"]


def test_tables_have_their_caption_directly_above(care_docx):
    root = etree.fromstring(docx_part(care_docx.data, "word/document.xml").encode())
    tables = list(root.iter(f"{W}tbl"))
    captions = (
        "表1　服务人员配置要求",
        "表2　社区居家养老服务项目",
        "表3　服务质量评价指标",
        "表A.1　能力等级与服务等级对应关系",
        "表B.1　服务满意度调查内容",
    )
    for table, caption in zip(tables, captions, strict=True):
        above = table.getprevious()
        assert "".join(t.text or "" for t in above.iter(f"{W}t")) == caption
        assert above.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TableCaption"


def test_cross_references_print_labels_and_notes_their_labels(care_docx):
    text = _text(care_docx.data)
    assert "人员配置应符合表1的规定" in text
    assert "应符合附录A的规定" in text
    assert "注1：" in text and "注2：" in text and "示例：" in text
    assert "](#" not in text


def test_annex_title_is_three_centred_lines(care_docx):
    reopened = docx.Document(io.BytesIO(care_docx.data))
    annex = next(p for p in reopened.paragraphs if p.style.name == "Annex Heading")
    assert annex.text.split("\n") == ["附录A", "（规范性）", "服务对象能力评估与服务等级确定"]


def test_the_end_line_is_the_last_paragraph(care_docx):
    reopened = docx.Document(io.BytesIO(care_docx.data))
    assert reopened.paragraphs[-1].style.name == "End Line"


def test_a_figure_is_embedded_and_a_missing_one_is_a_placeholder_with_a_warning(care_docx):
    names = [n for n in __import__("zipfile").ZipFile(io.BytesIO(care_docx.data)).namelist() if "media" in n]
    assert len(names) == 1 and not care_docx.warnings
    missing = export_document(example("community-care"), "docx")
    assert "图片缺失：figures/service-flow.png" in _text(missing.data)
    assert "图1　社区居家养老服务流程" in _text(missing.data)
    assert [w.en for w in missing.warnings] == [
        "Figure missing or not allowed, replaced by a placeholder: figures/service-flow.png"
    ]


def test_file_name_and_hash_come_with_the_file(care_docx):
    import hashlib

    assert care_docx.filename == "T-SZYL-3-2025.docx"
    assert care_docx.sha256 == hashlib.sha256(care_docx.data).hexdigest()
    assert care_docx.media_type.endswith("wordprocessingml.document")


def test_png_helper_is_a_png():
    assert png_bytes().startswith(b"\x89PNG")
