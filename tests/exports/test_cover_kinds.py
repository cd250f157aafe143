"""The cover label follows the number's prefix (issue 14): national, sector, local, group, enterprise."""

from __future__ import annotations

import pytest

from authoring.document import parse
from exports.cover_kinds import cover_kind
from exports.words import cover_lines


@pytest.mark.parametrize(
    ("number", "label"),
    [
        ("GB/T 1.1—2020", "中华人民共和国国家标准"),
        ("GB 2894—2008", "中华人民共和国国家标准"),
        ("GB/Z 20000.1—2002", "中华人民共和国国家标准化指导性技术文件"),
        ("JB/T 10000—2019", "中华人民共和国机械行业标准"),
        ("DB44/T 2000—2022", "广东省地方标准"),
        ("T/SZAS 12—2025", "团体标准"),
        ("Q/SZXX 1—2024", "企业标准"),
        (None, "团体标准"),
    ],
)
def test_the_cover_label_follows_the_prefix(number, label):
    assert cover_kind(number, "zh") == label


def test_a_gbt_number_is_accepted_and_printed_with_the_national_label():
    doc = parse("---\nnumber: GB/T 1.1-2020\ntitle: {zh: 标}\nassociation: 协\n---\n")
    assert not [p for p in doc.problems if p.code == "META-NUMBER"]
    lines = cover_lines(doc.meta)
    assert lines["number"] == "GB/T 1.1—2020"
    assert lines["kind"] == "中华人民共和国国家标准"


def test_an_english_document_needs_no_chinese_title():
    from authoring.document.lint import lint

    doc = parse("---\ntitle: {en: Requirements}\nassociation: A\nlanguage: en\n---\n")
    assert not [p for p in doc.problems if p.code == "META-MISSING"]
    assert "META-MISSING" not in {f.rule for f in lint(doc)}
    chinese = parse("---\ntitle: {en: Requirements}\nassociation: A\n---\n")
    assert "META-MISSING" in {f.rule for f in lint(chinese)}
