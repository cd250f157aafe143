"""Unusual but possible documents still export: drafts without a cover, text before the first heading,
deep clauses, every Markdown construct, unknown references (a warning, not a failure)."""

from __future__ import annotations

import pytest

from exports.api import export_document

CASES = {
    "empty": "",
    "cover only": "---\ntitle:\n  zh: 只有封面\n---\n",
    "no front matter": "# 前言\n\n正文。\n\n# 范围\n\n文字。\n",
    "text before the first heading": "前导文字。\n\n# 范围\n\n文字。\n",
    "too deep": "# 范围\n\n## a\n\n### b\n\n#### c\n\n##### d\n\n###### e\n\n####### f\n\n文字\n",
    "every construct": (
        "# 范围\n\n- a\n  - b\n    - c\n\n1. x\n2. y\n\n> quote **b**\n\n```\ncode <x>\n```\n\n| a |\n|---|\n\n"
        "Table: {#tbl-e}\n\n![](figures/x.png)\n\n[^1]\n\n[^1]: note\n\n---\n\n"
        "H~2~O m^2^ ~~s~~ <http://x.y> &amp; \\* *em* **strong** `code` $x^2$\n"
    ),
    "unknown reference": "# 范围\n\n见[](#nope)。\n",
    "annex only": "# 附录 {.annex .informative}\n\n## x\n\n文字\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "sts"])
@pytest.mark.parametrize("name", list(CASES))
def test_exports_without_failing(name, fmt):
    result = export_document(CASES[name], fmt)
    assert result.data


def test_preamble_text_is_kept():
    from io import BytesIO

    import docx

    result = export_document(CASES["text before the first heading"], "docx")
    assert any(p.text == "前导文字。" for p in docx.Document(BytesIO(result.data)).paragraphs)


def test_an_unknown_reference_is_a_warning_and_prints_its_id():
    result = export_document(CASES["unknown reference"], "docx")
    assert [w.en for w in result.warnings] == ["Unknown cross-reference target: nope"]
