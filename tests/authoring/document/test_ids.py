"""Ids: explicit ones kept, missing ones derived (unique, stable) and written back on save."""

from __future__ import annotations

from authoring.document import derived_ids, parse, with_derived_ids

COVER = "---\ntitle:\n  zh: 测试标准\nassociation: 测试协会\nlanguage: zh\n---\n"


def standard(body: str) -> str:
    return COVER + body


def ids(doc) -> list[str]:
    return [s.id for s in doc.walk()]


def test_explicit_ids_are_kept(community_care):
    assert community_care.section("c-staff").id_explicit


def test_missing_ids_are_derived_from_titles_and_kinds(doc_of):
    doc = doc_of("# 前言\n\n文。\n\n# 范围\n\n文。\n\n# 基本要求\n\n## Data elements\n\n文。\n")
    assert ids(doc) == ["foreword", "scope", "ch-基本要求", "c-data-elements"]
    assert not any(s.id_explicit for s in doc.walk())


def test_terms_get_a_term_prefix(doc_of):
    doc = doc_of(
        "# 范围\n\n文。\n\n# 规范性引用文件\n\n文。\n\n# 术语和定义\n\n## 老年人\n\n60周岁及以上的人。\n"
    )
    assert ids(doc)[-2:] == ["terms-and-definitions", "t-老年人"]


def test_same_titles_are_made_unique_by_their_parent(doc_of):
    doc = doc_of(
        "# 甲 {#ch-a}\n\n## 一般要求\n\n文。\n\n# 乙 {#ch-b}\n\n## 一般要求\n\n文。\n\n## 一般要求\n\n文。\n"
    )
    assert ids(doc) == ["ch-a", "c-一般要求", "ch-b", "ch-b-一般要求", "c-一般要求-2"]


def test_untitled_clauses_take_parent_id_and_position(doc_of):
    doc = doc_of("# 章 {#ch}\n\n## {.untitled}\n\n文。\n\n## {.untitled}\n\n文。\n")
    assert ids(doc) == ["ch", "ch-1", "ch-2"]


def test_derived_ids_never_take_an_explicit_one(doc_of):
    doc = doc_of("# 基本要求\n\n## 其他 {#ch-基本要求}\n\n文。\n")
    assert ids(doc) == ["ch-基本要求-2", "ch-基本要求"]


def test_derived_id_is_stable_when_a_clause_is_inserted_before_it(doc_of):
    before = doc_of("# 章\n\n## 甲\n\n文。\n\n## 乙\n\n文。\n")
    after = doc_of("# 章\n\n## 新\n\n文。\n\n## 甲\n\n文。\n\n## 乙\n\n文。\n")
    assert set(ids(before)) <= set(ids(after))


def test_derived_id_is_stable_when_text_changes(doc_of):
    one = doc_of("# 章\n\n## 甲\n\n服务机构应建立制度。\n")
    two = doc_of("# 章\n\n## 甲\n\n服务机构宜建立完善的制度，并定期评审。\n")
    assert ids(one) == ids(two)


def test_with_derived_ids_writes_them_into_the_heading_lines():
    text = standard("# 前言\n\n文。\n\n## {.untitled}\n\n文。\n\n# 基本要求 {.x}\n\n文。\n")
    written = with_derived_ids(text)
    assert "# 前言 {#foreword}\n" in written
    assert "## {#foreword-1 .untitled}\n" in written
    assert "# 基本要求 {#ch-基本要求 .x}\n" in written
    assert with_derived_ids(written) == written
    assert [s.id for s in parse(written).walk()] == [s.id for s in parse(text).walk()]


def test_with_derived_ids_on_setext_headings_and_crlf():
    text = standard("前言\n====\n\n文。\n").replace("\n", "\r\n")
    written = with_derived_ids(text)
    assert "前言 {#foreword}\r\n====" in written


def test_derived_ids_lists_what_was_chosen_with_lines():
    entries = derived_ids(standard("# 范围\n\n文。\n\n## 一般 {#c-g}\n\n文。\n"))
    assert [(e.line, e.id, e.title) for e in entries] == [(7, "scope", "范围")]


def test_explicit_duplicates_are_kept_for_lint_to_report(doc_of):
    doc = doc_of("# 甲 {#x}\n\n文。\n\n# 乙 {#x}\n\n文。\n")
    assert ids(doc) == ["x", "x"]


def test_closing_hashes_make_way_for_the_id():
    written = with_derived_ids(standard("# 范围 #\n\n文。\n"))
    assert "# 范围 {#scope}\n" in written
