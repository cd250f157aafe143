"""A cover with two issuing bodies (issue 14) comes back from Word as the two bodies; a draft's cover
placeholders (bare ICS and CCS, XXXX-XX-XX dates) and the title over the body of a standard without a
foreword are not taken for cover lines; an English cover, led by its English title, keeps both titles apart."""

from __future__ import annotations

from authoring.document import parse
from exports.api import export_document
from imports.api import import_docx

JOINT = """---
number: GB/T 1.1—2020
title:
  zh: 电动自行车集中充电设施 安全技术要求
  en: Centralized charging facilities for electric bicycles - Safety requirements
association: [国家市场监督管理总局, 国家标准化管理委员会]
---

# 范围

本文件规定了电动自行车集中充电设施的安全技术要求。
"""


def test_two_issuing_bodies_survive_a_word_round_trip() -> None:
    imported = import_docx(export_document(JOINT, "docx").data, "joint.docx")
    meta = parse(imported.text).meta
    assert meta.issuers == ["国家市场监督管理总局", "国家标准化管理委员会"]
    assert meta.title_zh == "电动自行车集中充电设施 安全技术要求"
    assert meta.title_en == "Centralized charging facilities for electric bicycles - Safety requirements"
    assert imported.unmapped == []


def test_an_english_cover_led_by_its_english_title_keeps_both_titles_apart() -> None:
    from authoring.examples import example_text

    imported = import_docx(export_document(example_text("en-sample"), "docx").data, "en.docx")
    meta = parse(imported.text).meta
    assert meta.title_en == "Requirements for electronic invoices in cross-border trade"
    assert meta.title_zh == "跨境贸易电子发票要求"
