"""The rule codes of spec §3 and their severities: a public contract that tools filter on."""

from __future__ import annotations

from typing import Final, Literal

Severity = Literal["error", "warning"]

#: code → severity, in the order of the spec's table
SEVERITY: Final[dict[str, Severity]] = {
    "META-MISSING": "error",
    "META-NUMBER": "error",
    "META-DATES": "error",
    "STRUCT-FOREWORD": "error",
    "STRUCT-SCOPE": "error",
    "STRUCT-NORMREF": "error",
    "STRUCT-TERMS": "error",
    "STRUCT-ORDER": "error",
    "STRUCT-HANGING": "error",
    "STRUCT-LONE": "error",
    "STRUCT-DEPTH": "error",
    "STRUCT-EMPTY": "error",
    "NUM-MANUAL": "warning",
    "ID-DUPLICATE": "error",
    "REF-UNRESOLVED": "error",
    "TERM-DEFINITION": "error",
    "SCOPE-PROVISION": "error",
    "NOTE-PROVISION": "error",
    "VERB-NONSTANDARD": "warning",
    "TABLE-CAPTION": "warning",
    "FIGURE-CAPTION": "warning",
    "ANNEX-UNCITED": "warning",
    "TABLE-UNCITED": "warning",
    "NORMREF-UNCITED": "warning",
}

#: what each rule finds, for `--help` texts and the editor's rule list (zh, en)
SUMMARY: Final[dict[str, tuple[str, str]]] = {
    "META-MISSING": ("缺少必填的封面信息（title.zh、association）", "a required front-matter key is missing"),
    "META-NUMBER": (
        "标准编号或被代替标准编号的格式不正确",
        "number or replaces does not follow the number format",
    ),
    "META-DATES": ("实施日期早于发布日期，或日期无效", "implement_date before publish_date, or not a date"),
    "STRUCT-FOREWORD": ("没有前言，或前言不是第一个要素", "no foreword, or the foreword is not first"),
    "STRUCT-SCOPE": ("第1章不是“范围”", "clause 1 is not the scope"),
    "STRUCT-NORMREF": ("第2章不是“规范性引用文件”", "clause 2 is not the normative references"),
    "STRUCT-TERMS": ("第3章不是“术语和定义”", "clause 3 is not the terms and definitions"),
    "STRUCT-ORDER": ("要素顺序不正确", "elements out of order"),
    "STRUCT-HANGING": (
        "悬置段：标题与第一个下级条之间有文字",
        "hanging paragraph before the first subclause",
    ),
    "STRUCT-LONE": ("章或条只有一个下级条", "a clause with exactly one subclause"),
    "STRUCT-DEPTH": ("条的层次超过五级", "more than five subclause levels"),
    "STRUCT-EMPTY": ("章或条既无内容也无下级条", "a clause with neither text nor subclauses"),
    "NUM-MANUAL": ("标题以手工编号开头", "a heading begins with a hand-typed number"),
    "ID-DUPLICATE": ("标识重复", "two elements with the same id"),
    "REF-UNRESOLVED": ("交叉引用指向不存在的标识", "a cross reference to an unknown id"),
    "TERM-DEFINITION": ("术语条目没有定义", "a term entry without a definition"),
    "SCOPE-PROVISION": ("范围中含有要求", "the scope contains a requirement"),
    "NOTE-PROVISION": ("注或示例中含有要求", "a note or example contains a requirement"),
    "VERB-NONSTANDARD": ("使用了“必须”或 must", "必须 or must used as a provision verb"),
    "TABLE-CAPTION": ("表没有表题或表题为空", "a table without a caption"),
    "FIGURE-CAPTION": ("图没有图题", "a figure without a caption"),
    "ANNEX-UNCITED": ("正文没有提及的附录", "an annex the text never refers to"),
    "TABLE-UNCITED": ("正文没有提及的表", "a table the text never refers to"),
    "NORMREF-UNCITED": ("正文没有引用的规范性引用文件", "a normative reference the body never cites"),
}
