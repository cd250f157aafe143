"""NISO STS XML: well-formed, one sec per chapter, terms as TBX entries, annexes and references in back."""

from __future__ import annotations

from export_helpers import example
from lxml import etree

from authoring.document import parse
from exports.api import export_document

TBX = "urn:iso:std:iso:30042:ed-2"


def _sts(name: str) -> etree._Element:
    return etree.fromstring(export_document(example(name), "sts").data)


def test_every_chapter_is_a_sec_with_label_and_title():
    root = _sts("community-care")
    chapters = root.findall("body/sec")
    expected = parse(example("community-care")).chapters()
    assert [(s.findtext("label"), s.findtext("title")) for s in chapters] == [
        (c.number, c.title) for c in expected
    ]


def test_front_holds_titles_number_dates_ics_and_ccs():
    meta = _sts("community-care").find("front/std-meta")
    assert meta.findtext("title-wrap/main") == "社区居家养老服务规范"
    assert meta.findtext("std-ref") == "T/SZYL 3—2025"
    assert [d.get("date-type") for d in meta.findall("release-date")] == ["published", "implementation"]
    assert meta.findtext("ics-wrap/ics") == "03.080.30"
    custom = {m.findtext("meta-name"): m.findtext("meta-value") for m in meta.iter("custom-meta")}
    assert custom["ccs"] == "A 12"


def test_terms_are_term_secs_with_tbx_entries():
    root = _sts("community-care")
    entries = root.findall(f".//term-sec/{{{TBX}}}termEntry")
    assert len(entries) == 8
    first = entries[0]
    assert first.findtext(f".//{{{TBX}}}term") == "老年人"
    zh, en = first.findall(f"{{{TBX}}}langSet")
    assert zh.findtext(f"{{{TBX}}}definition") == "60周岁及以上的人。"
    assert zh.findtext(f"{{{TBX}}}source").startswith("来源")
    assert en.findtext(f"{{{TBX}}}tig/{{{TBX}}}term") == "older person"


def test_annexes_tables_and_references():
    root = _sts("community-care")
    assert [a.findtext("label") for a in root.findall("back/app-group/app")] == ["附录A", "附录B"]
    assert root.find("back/ref-list[@content-type='bibl']") is not None
    refs = root.findall(".//ref-list[@content-type='norm-refs']/ref/std")
    assert [(r.findtext("std-ref"), r.findtext("title")) for r in refs][2] == (
        "GB/T 35796—2017",
        "养老机构服务质量基本规范",
    )
    assert root.find(".//table-wrap[@id='tbl-staff']/caption/title").text == "服务人员配置要求"


def test_english_sample_is_well_formed_too():
    assert len(_sts("en-sample").findall("body/sec")) == 5


def test_control_characters_pasted_from_word_do_not_fail_the_export():
    """Word pastes a vertical tab for a manual line break; XML cannot hold it, the rest of the text stays."""
    text = example("community-care").replace(
        "服务机构应符合下列要求：", "服务机构应符合\x0b下列\x01要求：", 1
    )
    root = etree.fromstring(export_document(text, "sts").data)
    paragraphs = ["".join(p.itertext()) for p in root.iter("p")]
    assert any("服务机构应符合" in p and "下列" in p and "要求：" in p for p in paragraphs)
