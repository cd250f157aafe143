"""Numbers and labels exactly as GB/T 1.1 prints them, for every element kind."""

from __future__ import annotations

from authoring.document import BlockKind


def numbers(doc) -> dict[str, str | None]:
    return {s.id: s.number for s in doc.walk()}


def test_chapters_clauses_terms_introduction_and_annexes(community_care):
    got = numbers(community_care)
    assert got["foreword"] is None and got["introduction"] is None and got["bibliography"] is None
    assert got["intro-background"] == "0.1" and got["intro-principles"] == "0.2"
    assert got["scope"] == "1" and got["terms-and-definitions"] == "3" and got["ch-evaluation"] == "8"
    assert got["t-older-person"] == "3.1" and got["t-family-bed"] == "3.8"
    assert got["c-staff"] == "4.2" and got["c-staff-training"] == "4.2.3"
    assert got["c-records-platform"] == "4.4.3"  # untitled clauses are numbered too
    assert got["annex-a"] == "A" and got["a-service-level"] == "A.2" and got["b-content"] == "B.2"


def test_labels_of_every_target_kind_in_chinese(community_care):
    labels = community_care.labels
    assert labels["ch-safety"] == "第7章"
    assert labels["c-staff-config"] == "4.2.1"
    assert labels["t-care-plan"] == "3.7"
    assert labels["annex-b"] == "附录B"
    assert labels["tbl-staff"] == "表1" and labels["tbl-eval"] == "表3"
    assert labels["tbl-a-levels"] == "表A.1" and labels["tbl-b-form"] == "表B.1"
    assert labels["fig-service-flow"] == "图1"
    assert labels["eq-satisfaction"] == "式(1)"


def test_labels_in_english(en_sample):
    labels = en_sample.labels
    assert labels["ch-content"] == "Clause 4"
    assert labels["annex-a"] == "Annex A"
    assert labels["tbl-elements"] == "Table 1"
    assert labels["tbl-a-header"] == "Table A.1"


def test_five_clause_levels(doc_of):
    doc = doc_of("# 章\n\n## a\n\n### b\n\n#### c\n\n##### d\n\n###### e\n\n正文。\n")
    assert [s.number for s in doc.walk()] == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.1.1", "1.1.1.1.1.1"]


def test_figures_and_formulas_in_an_annex_carry_its_letter(doc_of):
    doc = doc_of(
        "# 章\n\n![流程](a.png){#fig-a}\n\n$$ x $$ {#eq-a}\n\n"
        "# 附录 {.annex .informative}\n\n![图](b.png){#fig-b}\n\n$$ y $$ {#eq-b}\n\n$$ z $$ {#eq-c}\n"
    )
    assert doc.labels["fig-a"] == "图1" and doc.labels["fig-b"] == "图A.1"
    assert (
        doc.labels["eq-a"] == "式(1)" and doc.labels["eq-b"] == "式(A.1)" and doc.labels["eq-c"] == "式(A.2)"
    )
    formula = doc.annexes()[0].blocks[1]
    assert (formula.number, formula.label) == ("(A.1)", "式(A.1)")


def test_english_formula_and_figure_labels(doc_of):
    doc = doc_of("# Scope\n\n![Flow](a.png){#fig-a}\n\n$$ x $$ {#eq-a}\n", lang="en")
    assert doc.labels["fig-a"] == "Figure 1" and doc.labels["eq-a"] == "Formula (1)"


def test_a_lone_note_is_unnumbered_and_several_are_numbered(community_care):
    alone = community_care.section("c-staff-training").blocks[-1]
    assert (alone.kind, alone.number, alone.label) == (BlockKind.NOTE, None, "注：")
    first, second = community_care.section("c-staff-config").blocks[2:4]
    assert (first.number, first.label, second.label) == ("1", "注1：", "注2：")


def test_examples_are_numbered_apart_from_notes(doc_of):
    doc = doc_of("# 章\n\n正文。\n\n注：甲。\n\n示例：乙。\n\n示例：丙。\n")
    labels = [b.label for b in doc.sections[0].blocks[1:]]
    assert labels == ["注：", "示例1：", "示例2："]


def test_english_note_labels(doc_of):
    doc = doc_of("# Scope\n\nText.\n\nNOTE One.\n\nNOTE Two.\n\nEXAMPLE Three.\n", lang="en")
    assert [b.label for b in doc.sections[0].blocks[1:]] == ["NOTE 1", "NOTE 2", "EXAMPLE"]


def test_notes_are_numbered_within_their_own_clause(doc_of):
    doc = doc_of("# 章\n\n## 甲\n\n文。\n\n注：一。\n\n## 乙\n\n文。\n\n注：二。\n\n注：三。\n")
    first, second = doc.sections[0].children
    assert [b.label for b in first.blocks[1:]] == ["注："]
    assert [b.label for b in second.blocks[1:]] == ["注1：", "注2："]


def test_numbers_follow_structure_not_typed_numbers(doc_of):
    doc = doc_of("# 章\n\n## 4.2 要求\n\n文。\n")
    clause = doc.sections[0].children[0]
    assert (clause.number, clause.title) == ("1.1", "4.2 要求")


def test_annexes_past_z_do_not_crash(doc_of):
    body = "".join(f"# 附录{i} {{.annex .informative}}\n\n文。\n\n" for i in range(28))
    letters = [a.number for a in doc_of(body).annexes()]
    assert letters[:2] == ["A", "B"] and letters[25:] == ["Z", "AA", "AB"]


def test_introduction_subdivisions_nest(doc_of):
    doc = doc_of("# 引言\n\n## 甲\n\n### 乙\n\n文。\n\n### 丙\n\n文。\n")
    assert [s.number for s in doc.walk()] == [None, "0.1", "0.1.1", "0.1.2"]
    assert doc.sections[0].label == "引言"
