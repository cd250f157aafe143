"""The element tree of the reference documents: kinds, titles, lines and blocks."""

from __future__ import annotations

from authoring.document import BlockKind, Document, SectionKind


def kinds(doc: Document) -> list[str]:
    return [s.kind.value for s in doc.sections]


def test_community_care_has_every_top_level_element_in_order(community_care):
    assert kinds(community_care) == [
        "foreword", "introduction", "chapter", "chapter", "chapter", "chapter", "chapter", "chapter",
        "chapter", "chapter", "annex", "annex", "bibliography",
    ]  # fmt: skip


def test_terms_chapter_headings_are_term_entries_with_english_terms(community_care):
    terms = community_care.section("terms-and-definitions")
    assert [t.kind for t in terms.children] == [SectionKind.TERM] * 8
    older = terms.children[0]
    assert older.title == "老年人"
    assert older.attrs == {"en": "older person"}
    assert [b.kind for b in older.blocks] == [BlockKind.PARAGRAPH, BlockKind.SOURCE]


def test_every_section_knows_its_heading_line_and_last_line(community_care):
    staff = community_care.section("c-staff-config")
    assert (staff.line, staff.end_line) == (135, 155)
    assert community_care.source.split("\n")[staff.line - 1] == "### 人员配置 {#c-staff-config}"


def test_blocks_know_their_lines(community_care):
    staff = community_care.section("c-staff-config")
    table = staff.blocks[1]
    assert (table.kind, table.line, table.end_line) == (BlockKind.TABLE, 139, 145)
    assert (table.caption, table.caption_line, table.id) == ("服务人员配置要求", 147, "tbl-staff")


def test_fenced_notes_hold_their_paragraphs(community_care):
    note = community_care.section("c-staff-config").blocks[2]
    assert note.kind is BlockKind.NOTE
    assert (note.line, note.end_line) == (149, 151)
    assert note.children[0].text.startswith("表中")


def test_notes_and_examples_are_recognised_by_their_opening(doc_of):
    doc = doc_of("# 范围\n\n正文。\n\n注：一个注。\n\n示例1：一个示例。\n\n注塑成型的零件。\n")
    blocks = doc.sections[0].blocks
    assert [b.kind for b in blocks] == [
        BlockKind.PARAGRAPH,
        BlockKind.NOTE,
        BlockKind.EXAMPLE,
        BlockKind.PARAGRAPH,
    ]
    assert blocks[1].text == "一个注。"


def test_english_notes_need_capitals_and_a_separator(doc_of):
    doc = doc_of("# Scope\n\nNOTE 1 A note.\n\nEXAMPLE: one.\n\nNotes made by hand.\n", lang="en")
    assert [b.kind for b in doc.sections[0].blocks] == [
        BlockKind.NOTE,
        BlockKind.EXAMPLE,
        BlockKind.PARAGRAPH,
    ]


def test_paragraph_of_lettered_lines_is_a_list_with_one_item_per_line(community_care):
    items = community_care.section("c-provider").blocks[1]
    assert items.kind is BlockKind.LIST
    assert [i.line for i in items.items] == [126, 127, 128, 129]
    assert items.items[3].text == "投保服务责任保险。"


def test_normative_references_are_list_items(community_care):
    references = community_care.section("normative-references").blocks[1]
    assert references.kind is BlockKind.LIST
    assert references.items[2].text == "GB/T 35796—2017 养老机构服务质量基本规范"


def test_grid_table_is_read_with_its_caption(community_care):
    table = community_care.section("a-service-level").blocks[1]
    assert table.kind is BlockKind.TABLE
    assert (table.id, table.caption, table.line) == ("tbl-a-levels", "能力等级与服务等级对应关系", 411)
    assert "能力中度受损（中度失能） | 三级 | 每周不少于3次" in table.text


def test_figure_and_formula(community_care):
    figure = community_care.section("c-process-overview").blocks[1]
    assert (figure.kind, figure.id, figure.caption, figure.src) == (
        BlockKind.FIGURE, "fig-service-flow", "社区居家养老服务流程", "figures/service-flow.png",
    )  # fmt: skip
    formula = next(
        b for b in community_care.section("c-eval-indicators").blocks if b.kind is BlockKind.FORMULA
    )
    assert (formula.id, formula.src, formula.line) == (
        "eq-satisfaction",
        r"S = \frac{n}{N} \times 100\%",
        381,
    )


def test_multi_line_formula(doc_of):
    doc = doc_of("# 范围\n\n$$\na = b\n$$ {#eq-a}\n")
    formula = doc.sections[0].blocks[0]
    assert (formula.kind, formula.id, formula.src, formula.line, formula.end_line) == (
        BlockKind.FORMULA, "eq-a", "a = b", 9, 11,
    )  # fmt: skip


def test_table_caption_written_empty_keeps_its_id(doc_of):
    doc = doc_of("# 范围\n\n|a|b|\n|-|-|\n|1|2|\n\nTable: {#tbl-x}\n")
    table = doc.sections[0].blocks[0]
    assert (table.caption, table.id, table.caption_line) == ("", "tbl-x", 13)


def test_table_without_caption_has_none(doc_of):
    table = doc_of("# 范围\n\n|a|b|\n|-|-|\n|1|2|\n").sections[0].blocks[0]
    assert table.caption is None and table.caption_line is None


def test_level_seven_heading_is_a_section_of_level_seven(doc_of):
    doc = doc_of("# 章\n\n## a\n\n### b\n\n#### c\n\n##### d\n\n###### e\n\n####### f\n\n太深。\n")
    deepest = list(doc.walk())[-1]
    assert (deepest.level, deepest.title, deepest.number) == (7, "f", "1.1.1.1.1.1.1")


def test_footnote_definition_is_a_block(doc_of):
    doc = doc_of("# 范围\n\n正文[^a]。\n\n[^a]: 脚注内容。\n")
    footnote = doc.sections[0].blocks[1]
    assert (footnote.kind, footnote.id, footnote.text) == (BlockKind.FOOTNOTE, "fn-a", "脚注内容。")


def test_own_source_excludes_children(community_care):
    staff = community_care.section("c-staff")
    assert staff.own_source == "## 服务人员 {#c-staff}"
    config = community_care.section("c-staff-config")
    assert config.own_source.startswith("### 人员配置 {#c-staff-config}\n\n服务机构应")
    assert config.own_source.endswith("兼职人员按实际工作时间折算为全职人员数量。\n:::")


def test_text_lines_match_source_lines(community_care):
    lines = community_care.source.split("\n")
    for section in community_care.walk():
        for block in section.all_blocks():
            for offset, text in enumerate(block.text.split("\n")):
                if text and block.kind is BlockKind.PARAGRAPH:
                    assert text[:4] in lines[block.line - 1 + offset], (block.line, text)


def test_blocks_before_the_first_heading_are_the_preamble(doc_of):
    doc = doc_of("开头的文字。\n\n# 前言\n")
    assert [b.text for b in doc.preamble] == ["开头的文字。"]


def test_untitled_clause_has_empty_title(community_care):
    clause = community_care.section("c-records-file")
    assert clause.untitled and clause.classes == ["untitled"]


def test_annex_status(community_care, en_sample):
    assert [a.annex_status for a in community_care.annexes()] == ["normative", "informative"]
    assert en_sample.annexes()[0].annex_status == "informative"


def test_english_sample_titles_make_foreword_and_bibliography(en_sample):
    assert kinds(en_sample)[0] == "foreword" and kinds(en_sample)[-1] == "bibliography"


def test_caption_written_before_the_table_is_attached(doc_of):
    doc = doc_of("# 范围\n\nTable: 在前 {#tbl-a}\n\n|a|b|\n|-|-|\n|1|2|\n")
    (table,) = doc.sections[0].blocks
    assert (table.kind, table.caption, table.id) == (BlockKind.TABLE, "在前", "tbl-a")


def test_caption_line_without_a_table_stays_a_paragraph(doc_of):
    doc = doc_of("# 范围\n\nTable: 孤立\n\n正文。\n")
    assert [b.kind for b in doc.sections[0].blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
