"""Cross references: resolved to labels, with the line of the link; unknown ids stay unresolved."""

from __future__ import annotations


def test_empty_link_prints_the_label_of_its_target(community_care):
    paragraph = community_care.section("c-staff-config").blocks[0]
    assert paragraph.text.endswith("人员配置应符合表1的规定。")
    (ref,) = paragraph.refs
    assert (ref.target, ref.text, ref.label, ref.line) == ("tbl-staff", "", "表1", 137)


def test_link_with_text_keeps_its_text(community_care):
    paragraph = community_care.section("c-planning").blocks[0]
    (ref,) = paragraph.refs
    assert (ref.text, ref.label) == ("服务计划", "3.7")
    assert "制定服务计划。" in paragraph.text


def test_every_link_of_the_examples_resolves(community_care, en_sample):
    for doc in (community_care, en_sample):
        refs = [r for s in doc.walk() for b in s.all_blocks() for inner in b.walk() for r in inner.refs]
        assert refs and all(r.label is not None for r in refs)


def test_references_in_list_items_are_on_the_items_with_their_lines(community_care):
    changes = community_care.section("foreword").blocks[2]
    assert changes.refs == []
    assert [(r.target, r.line) for r in changes.items[0].refs] == [("t-care-plan", 27), ("t-family-bed", 27)]


def test_unknown_id_has_no_label(doc_of):
    doc = doc_of("# 章\n\n见[](#nowhere)。\n")
    (ref,) = doc.sections[0].blocks[0].refs
    assert ref.label is None and ref.line == 9


def test_reference_on_a_later_line_of_a_paragraph(doc_of):
    doc = doc_of("# 章 {#ch}\n\n第一行\n第二行见[](#ch)。\n")
    (ref,) = doc.sections[0].blocks[0].refs
    assert (ref.line, ref.label) == (10, "第1章")


def test_links_inside_code_are_not_references(doc_of):
    doc = doc_of("# 章 {#ch}\n\n`[](#ch)` 不是引用。\n")
    assert doc.sections[0].blocks[0].refs == []


def test_chapter_clause_term_annex_and_english_labels(doc_of):
    doc = doc_of(
        "# Scope {#scope}\n\nSee [](#scope), [](#sub), [](#annex-x).\n\n## Sub {#sub}\n\nText.\n\n"
        "# Extra {#annex-x .annex .normative}\n\nText.\n",
        lang="en",
    )
    assert doc.sections[0].blocks[0].text == "See Clause 1, 1.1, Annex A."
