"""The cover: validated into FrontMatter, with Problems at the key's line in Chinese and English."""

from __future__ import annotations

from datetime import date

from authoring.document import parse
from authoring.document.frontmatter import normalise_number


def problems(text: str) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in parse(text).problems]


def test_examples_have_valid_covers(community_care, en_sample):
    assert community_care.problems == [] and en_sample.problems == []
    meta = community_care.meta
    assert meta.number == "T/SZYL 3—2025" and meta.replaces == ["T/SZYL 3—2019"]
    assert (meta.publish_date, meta.implement_date) == (date(2025, 3, 1), date(2025, 4, 1))
    assert meta.adoption.degree == "NEQ" and meta.adoption.of == "ISO 25551:2021"
    assert meta.lines["association"] == 10 and community_care.body_line == 20
    assert en_sample.language == "en"


def test_numbers_are_read_as_text_not_guessed():
    doc = parse("---\ntitle: {zh: 标题}\nassociation: 协会\nics: 03.080\nlanguage: zh\n---\n")
    assert doc.meta.ics == "03.080"


def test_hyphen_and_en_dash_are_normalised_to_em_dash():
    assert normalise_number("T/SZAS 12-2025") == "T/SZAS 12—2025"
    assert normalise_number("T/SZAS 12–2025") == "T/SZAS 12—2025"
    assert normalise_number("T/szas 12—2025") is None
    assert normalise_number("T/SZAS 123456—2025") is None


def test_national_sector_local_and_enterprise_numbers_are_valid():
    assert normalise_number("GB/T 1.1-2020") == "GB/T 1.1—2020"
    assert normalise_number("GB 2894—2008") == "GB 2894—2008"
    assert normalise_number("GB/Z 20000.1—2002") == "GB/Z 20000.1—2002"
    assert normalise_number("JB/T 10000—2019") == "JB/T 10000—2019"
    assert normalise_number("DB44/T 2000—2022") == "DB44/T 2000—2022"
    assert normalise_number("Q/SZXX 1—2024") == "Q/SZXX 1—2024"
    assert normalise_number("GB/X 1—2020") is None
    assert (
        parse("---\ntitle: {zh: 标}\nassociation: 协\nnumber: T/AB 1-2025\n---\n").meta.number
        == "T/AB 1—2025"
    )


def test_bad_number_is_meta_number_at_its_line():
    text = "---\ntitle: {zh: 标}\nassociation: 协\nnumber: GB/X 1-2025\nreplaces: [T/AB 1—20]\n---\n"
    assert problems(text) == [("META-NUMBER", 4), ("META-NUMBER", 5)]


def test_missing_title_and_association_are_meta_missing():
    assert {code for code, _ in problems("---\nlanguage: zh\n---\n# 前言\n")} == {"META-MISSING"}
    assert len(problems("---\nlanguage: zh\n---\n")) == 2


def test_no_front_matter_at_all_is_one_problem_at_line_one():
    assert problems("# 前言\n") == [("META-MISSING", 1)]


def test_wrong_key_types_are_problems_not_exceptions():
    text = "---\ntitle: [a, b]\nassociation: {a: 1}\ndrafters: {x: y}\nlanguage: fr\n---\n"
    found = problems(text)
    assert ("META-MISSING", 2) in found and ("META-MISSING", 3) in found
    assert ("META-MISSING", 4) in found and ("META-MISSING", 5) in found


def test_a_date_that_is_no_date_and_dates_out_of_order():
    text = "---\ntitle: {zh: 标}\nassociation: 协\npublish_date: 2025-02-30\nimplement_date: soon\n---\n"
    assert problems(text) == [("META-DATES", 4), ("META-DATES", 5)]
    text = (
        "---\ntitle: {zh: 标}\nassociation: 协\npublish_date: 2025-06-01\nimplement_date: 2025-03-01\n---\n"
    )
    assert problems(text) == [("META-DATES", 5)]


def test_problems_speak_both_languages():
    (problem,) = parse("---\ntitle: {zh: 标}\nassociation: 协\nnumber: X\n---\n").problems
    assert "T/" in problem.zh and "format" in problem.en


def test_invalid_yaml_is_a_problem_with_its_line():
    (problem,) = parse("---\ntitle: {zh: 标\nassociation: 协\n---\n").problems
    assert problem.code == "META-MISSING" and problem.line >= 2


def test_a_byte_order_mark_before_the_cover_is_not_text(example_text):
    """Editors on Windows save UTF-8 with a BOM; the cover after it must still be the cover."""
    text = example_text("community-care")
    with_bom = parse("\ufeff" + text)
    assert with_bom.problems == [] and with_bom.meta == parse(text).meta
    assert [s.line for s in with_bom.walk()] == [s.line for s in parse(text).walk()]


def test_one_or_two_issuing_bodies_are_accepted():
    one = parse("---\ntitle: {zh: 标题}\nassociation: 协会\n---\n")
    two = parse("---\ntitle: {zh: 标题}\nassociation: [国家市场监督管理总局, 国家标准化管理委员会]\n---\n")
    assert one.meta.issuers == ["协会"] and one.problems == []
    assert two.meta.issuers == ["国家市场监督管理总局", "国家标准化管理委员会"] and two.problems == []
    assert two.meta.association == "国家市场监督管理总局、国家标准化管理委员会"


def test_three_issuing_bodies_or_a_mapping_are_a_lint_finding_at_the_key():
    from authoring.document.lint import lint

    for value in ("[甲, 乙, 丙]", "{name: 甲}", "[甲, [乙]]"):
        doc = parse(f"---\ntitle: {{zh: 标题}}\nassociation: {value}\n---\n\n# 范围\n\n本文件。\n")
        found = [f for f in lint(doc) if f.rule == "META-MISSING"]
        assert [f.line for f in found] == [3], value
        assert "one or two" in found[0].message("en"), value
