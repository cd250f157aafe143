"""Lint answers any text the parser accepts: no exception, findings in order, lines inside the file."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lintcases import case, findings

from authoring.examples import example_text

#: lines of real documents, recombined in any order: headings, lists, notes, tables, front matter
LINES = sorted(
    {
        line
        for text in (
            case("minimal-zh.md"),
            case("minimal-en.md"),
            example_text("community-care"),
        )
        for line in text.split("\n")
    }
)
ODD_LINES = [
    "---",
    "####### 第七级",
    "## 4.2 手工编号",
    "注：应急时应报告。",
    "[](#nowhere)",
    "Table: {#tbl-x}",
    ":::",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(LINES + ODD_LINES), max_size=80))
@example(["---", "---"])  # a cover and nothing else: findings stay inside the file
def test_any_recombination_lints_without_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    found = findings(text)
    assert [(f.line, f.rule) for f in found] == sorted((f.line, f.rule) for f in found)
    last_line = text.count("\n") + 1
    for f in found:
        assert 1 <= f.line <= last_line
        assert f.message("zh") and f.message("en")
