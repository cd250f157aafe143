"""Properties over any text: parse returns a Document or refuses with DocumentTooLarge; ids are
unique; writing derived ids back changes no id; numbers do not move when text inside a clause does."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring.document import Document, DocumentTooLarge, parse, with_derived_ids
from authoring.document.outline import outline
from authoring.document.render import render_html

PIECES = st.sampled_from(
    [
        "# ", "## ", "### ", "####### ", "{#a}", "{#b .annex .normative}", "{.untitled}", "{", "}",
        "\n", "\n\n", "---\n", "title: x\n", "::: note\n", ":::\n", "$$", " $$ {#eq}", "+--+\n",
        "| a |\n", "+==+\n", "|a|b|\n|-|-|\n", "Table: x {#t}\n", "![a](b){#f}", "[](#a)", "[x](#b)",
        "[^1]", "[^1]: n\n", "注：", "NOTE ", "a) ", "b) ", "[来源：x]", "> ", "- ", "1. ", "```\n",
        "    code\n", "前言", "术语和定义", "x", "应", "\r", "\r\n", "\x00", "\t", "`", "*", "_",
        "<script>", "javascript:", "\ud800", "$x$", "Foreword", "参考文献",
    ]
)  # fmt: skip
MARKDOWNISH = st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=300)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(MARKDOWNISH)
def test_any_text_parses_renders_and_outlines(text):
    try:
        doc = parse(text)
    except DocumentTooLarge:  # pragma: no cover - the strategy stays far below the cap
        return
    assert isinstance(doc, Document)
    render_html(doc)
    outline(doc)


@SETTINGS
@given(MARKDOWNISH)
def test_derived_ids_are_unique_and_survive_being_written_back(text):
    doc = parse(text)
    explicit = [s.id for s in doc.walk() if s.id_explicit]
    derived = [s.id for s in doc.walk() if not s.id_explicit]
    assert len(set(derived)) == len(derived)
    assert not set(derived) & set(explicit)
    assert [s.id for s in parse(with_derived_ids(text)).walk()] == [s.id for s in doc.walk()]


WORDS = st.text(alphabet=st.sampled_from("服务机构应宜可能人员abc 0123，。"), min_size=1, max_size=40)
TEMPLATE = (
    "# 范围\n\n{0}\n\n# 基本要求\n\n## 服务机构\n\n{1}\n\n注：{2}\n\n## 人员\n\n### 配置\n\n{0}\n\n"
    "### 培训\n\n{1}\n\n# 附录 {{#annex-a .annex .normative}}\n\n## 程序\n\n{2}\n"
)


def _numbers(doc: Document) -> list[tuple[str, str | None, str | None]]:
    return [(s.id, s.number, s.label) for s in doc.walk()]


@SETTINGS
@given(WORDS, WORDS, WORDS, WORDS)
def test_numbers_and_ids_do_not_move_when_text_inside_a_clause_changes(a, b, c, d):
    one = parse(TEMPLATE.format(a, b, c))
    two = parse(TEMPLATE.format(d, b + d, c))
    assert _numbers(one) == _numbers(two)
