"""The blank GB/T 1.1—2020 skeleton a new standard starts from, and the editor's insert snippets.

Both are document text, so they are in the document's language (Chinese by default, English for
`language: en`), not in the reader's interface language.
"""

from __future__ import annotations

import json


def _yaml_string(value: str) -> str:
    """A YAML scalar that survives colons, quotes and leading symbols in a title."""
    return json.dumps(value, ensure_ascii=False)


def blank_standard(
    *,
    title_zh: str,
    title_en: str | None,
    association: str,
    scope: str | None = None,
    drafting_units: list[str] | None = None,
) -> str:
    """Front matter and every required element of GB/T 1.1 in order, with placeholder text; `scope`
    (an accepted proposal's) replaces the scope's placeholder, `drafting_units` fill the front matter."""
    scope_lines = (
        [paragraph.strip() for paragraph in scope.splitlines() if paragraph.strip()]
        if scope and scope.strip()
        else ["本文件规定了……，描述了……。", "本文件适用于……。"]
    )
    lines = [
        "---",
        "title:",
        f"  zh: {_yaml_string(title_zh)}",
    ]
    if title_en:
        lines.append(f"  en: {_yaml_string(title_en)}")
    lines += [
        f"association: {_yaml_string(association)}",
        f"proposer: {_yaml_string(association)}",
        f"responsible: {_yaml_string(association)}",
        f"drafting_units: {json.dumps(drafting_units or [], ensure_ascii=False)}",
        "drafters: []",
        "draft: 工作组讨论稿",
        "language: zh",
        "---",
        "",
        "# 前言 {.foreword}",
        "",
        "本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件的结构和起草规则》的规定起草。",
        "",
        "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。",
        "",
        f"本文件由{association}提出并归口。",
        "",
        "# 范围 {#scope}",
        "",
        *[line for paragraph in scope_lines for line in (paragraph, "")],
        "# 规范性引用文件 {#normative-references}",
        "",
        "本文件没有规范性引用文件。",
        "",
        "# 术语和定义 {#terms}",
        "",
        "本文件没有需要界定的术语和定义。",
        "",
        "# 技术要求 {#c-requirements}",
        "",
        "（在此起草技术内容。）",
        "",
    ]
    return "\n".join(lines)


#: what the insert buttons put at the cursor, per document language; headings get derived ids on
#: save, and "{n}" becomes a short unique token so two inserted tables never share an id
SNIPPETS: dict[str, dict[str, str]] = {
    "zh": {
        "clause": "\n## 条标题\n\n条的内容。\n\n",
        "term": '\n## 术语 {en="term"}\n\n术语的定义。\n\n[来源：GB/T xxxxx—yyyy，3.1]\n\n',
        "note": "\n::: note\n注的内容。\n:::\n\n",
        "example": "\n::: example\n示例的内容。\n:::\n\n",
        "table": "\n| 项目 | 要求 |\n|---|---|\n| 项目一 | 要求一 |\n\nTable: 表标题 {#tbl-{n}}\n\n",
        "annex": "\n# 附录标题 {.annex .informative}\n\n附录的内容。\n\n",
    },
    "en": {
        "clause": "\n## Clause title\n\nText of the clause.\n\n",
        "term": "\n## term\n\ndefinition of the term\n\n[SOURCE: ISO xxxxx:yyyy, 3.1]\n\n",
        "note": "\n::: note\nText of the note.\n:::\n\n",
        "example": "\n::: example\nText of the example.\n:::\n\n",
        "table": "\n| Item | Requirement |\n|---|---|\n| Item 1 | Requirement 1 |\n\nTable: Table title {#tbl-{n}}\n\n",
        "annex": "\n# Annex title {.annex .informative}\n\nText of the annex.\n\n",
    },
}
