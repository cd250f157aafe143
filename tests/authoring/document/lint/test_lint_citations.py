"""Citations in plain text count (issue 14): "见表C.1", "按附录E", "如图2所示", ranges "表C.1～表C.4" or
two cross references with ～ between them; a plain citation of what the document lacks is unresolved,
and one of another document's table ("GB/T 1.1—2020 的表1") is not ours to check."""

from __future__ import annotations

import pytest
from cpu_time import cpu_seconds
from lintcases import case, findings, line_of, planted

from authoring.document import parse
from authoring.document.lint import lint

ZH = case("minimal-zh.md")
EN = case("minimal-en.md")
LINK = "人员配置应符合[](#tbl-staff)的规定。"
ANNEX_LINK = "评价表格式见[](#annex-a)。"


def _rules(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for f in findings(text):
        found.setdefault(f.rule, []).append(f.line)
    return found


def _annex_tables(count: int) -> str:
    """Annex A holding tables A.1 … A.count, none of them linked."""
    tables = "".join(
        f"\n| 项目 | 要求 |\n|---|---|\n| 项{n} | 值{n} |\n\nTable: 调查表{n} {{#tbl-a-{n}}}\n"
        for n in range(1, count + 1)
    )
    return planted(
        ZH,
        "满意度调查表的内容由服务机构根据服务项目确定。",
        "满意度调查表的内容由服务机构根据服务项目确定。\n" + tables,
    )


def test_a_table_named_in_plain_text_counts_as_cited():
    text = planted(ZH, LINK, "人员配置应符合表1的规定。")
    assert "TABLE-UNCITED" not in _rules(text)
    assert "TABLE-UNCITED" in _rules(planted(ZH, LINK, "人员配置应符合规定。"))


def test_an_annex_named_in_plain_text_counts_as_cited():
    assert "ANNEX-UNCITED" not in _rules(planted(ZH, ANNEX_LINK, "评价表格式按附录A。"))
    assert "ANNEX-UNCITED" in _rules(planted(ZH, ANNEX_LINK, "评价表格式由机构确定。"))


def test_a_figure_named_in_plain_text_resolves_and_a_missing_one_does_not():
    text = planted(ZH, LINK, LINK + "\n\n流程如图2所示。")
    assert _rules(text).get("REF-UNRESOLVED") == [line_of(text, "流程如图2所示")]


def test_a_range_of_plain_citations_cites_every_table_between_its_ends():
    text = planted(_annex_tables(4), "满意度调查表的内容由", "满意度调查表见表A.1～表A.4，其内容由")
    assert "TABLE-UNCITED" not in _rules(text)
    text = planted(_annex_tables(4), "满意度调查表的内容由", "满意度调查表见表A.1~A.4，其内容由")
    assert "TABLE-UNCITED" not in _rules(text)
    text = planted(_annex_tables(4), "满意度调查表的内容由", "满意度调查表见表A.1和表A.4，其内容由")
    assert len(_rules(text)["TABLE-UNCITED"]) == 2  # A.2 and A.3: no range, not cited


def test_a_range_of_two_cross_references_cites_every_table_between_them():
    text = planted(
        _annex_tables(4), "满意度调查表的内容由", "满意度调查表见[](#tbl-a-1)～[](#tbl-a-4)，其内容由"
    )
    assert "TABLE-UNCITED" not in _rules(text)


def test_a_citation_of_a_missing_table_annex_or_clause_is_unresolved_at_its_line():
    for citation in ("见表7", "按附录E", "见第9章", "见4.9"):
        text = planted(ZH, LINK, LINK + f"\n\n其他要求{citation}的规定。")
        found = [f for f in findings(text) if f.rule == "REF-UNRESOLVED"]
        assert [f.line for f in found] == [line_of(text, "其他要求")], citation
        assert found[0].clause == "4.2" and citation[1:] in found[0].message("zh")
        assert found[0].message("en") != found[0].message("zh")


def test_another_documents_table_or_clause_is_not_ours_to_resolve():
    for citation in (
        "GB/T 1.1—2020 的表1和表9",
        "GB/T 1.1—2020中的第9章",
        "GB 2894的表5",
        "GB/T 35796—2017，9.3",
    ):
        text = planted(ZH, LINK, LINK + f"\n\n其他要求见{citation}。")
        assert "REF-UNRESOLVED" not in _rules(text), citation


def test_words_that_contain_the_characters_are_not_citations():
    text = planted(ZH, LINK, LINK + "\n\n每个社区代表1名，示意图3仅供参考。")
    assert "REF-UNRESOLVED" not in _rules(text)


def test_english_citations_are_read_the_same_way():
    assert "REF-UNRESOLVED" not in _rules(EN)
    paragraph = next(
        line for line in EN.split("\n") if "[](#" in line and not line.startswith(("#", "Table"))
    )
    text = planted(EN, paragraph, paragraph + "\n\nSee Table 9 and Annex F.")
    assert _rules(text).get("REF-UNRESOLVED") == [line_of(text, "See Table 9"), line_of(text, "See Table 9")]
    other = planted(EN, paragraph, paragraph + "\n\nSee ISO 9001:2015, Table 9 and Table 8 of ISO 19011.")
    assert "REF-UNRESOLVED" not in _rules(other)


@pytest.mark.parametrize(
    "unit", ["[", "[](#a)～", "表1～", "GB/T 1.1—2020的表", "AB", "见1.1.", "Table 1 to "]
)
def test_a_flood_of_citation_openers_is_read_in_linear_time(unit):
    head = "---\ntitle: {zh: 标}\nassociation: 协\n---\n\n# 范围\n\n"

    def seconds(size: int) -> float:
        document = parse(head + unit * (size // len(unit)))
        return cpu_seconds(lambda: lint(document))

    small, large = min(seconds(8_000) for _ in range(2)), seconds(32_000)
    assert large < 2.0 and (large < 0.25 or large < 12 * max(small, 0.06)), (unit, small, large)
