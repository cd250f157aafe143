"""Every lint message, in Chinese and English: data, so wording is reviewed in one place.

Keys are rule codes, or "CODE/variant" where a rule has more than one thing to say. Each message
says what is wrong, quoting the word, id or title concerned, and how to fix it. Placeholders are
filled from the finding's params; `{where}` is an element's name ("第4章" / "Clause 4", "4.2",
"附录A" / "Annex A").
"""

from __future__ import annotations

from typing import Final

NUMBER_FORMAT_ZH = "编号由 T/、团体代号、空格、顺序号、一字线“—”和四位年份组成，如“T/SZAS 12—2025”"
NUMBER_FORMAT_EN = (
    'write T/, the association code, a space, the sequence number, a dash "—" and the four-digit year, '
    'as in "T/SZAS 12—2025"'
)

#: key → (zh, en)
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # front matter
    "META-MISSING/title": (
        "封面缺少中文标题：请在前置信息中填写 title.zh。",
        "The cover has no Chinese title: add title.zh to the front matter.",
    ),
    "META-MISSING/association": (
        "封面缺少发布单位：请在前置信息中填写 association（发布本文件的团体）。",
        "The cover names no publishing association: add association to the front matter.",
    ),
    "META-NUMBER/number": (
        "标准编号“{value}”的格式不正确：" + NUMBER_FORMAT_ZH + "。",
        'The document number "{value}" is malformed: ' + NUMBER_FORMAT_EN + ".",
    ),
    "META-NUMBER/replaces": (
        "被代替标准编号“{value}”的格式不正确：" + NUMBER_FORMAT_ZH + "。",
        'The replaced document number "{value}" is malformed: ' + NUMBER_FORMAT_EN + ".",
    ),
    "META-DATES/order": (
        "实施日期 {implement} 早于发布日期 {publish}：实施日期不能早于发布日期，请核对两个日期。",
        "The implementation date {implement} is earlier than the publication date {publish}: "
        "a standard cannot take effect before it is published; check both dates.",
    ),
    "META-DATES/invalid": (
        "{key} 的值“{value}”不是有效日期：请写成 YYYY-MM-DD，如 2025-06-01。",
        '{key} "{value}" is not a valid date: write it as YYYY-MM-DD, for example 2025-06-01.',
    ),
    # problems the parser found in the front matter carry their own text
    "PROBLEM": ("{zh}", "{en}"),
    # structure
    "STRUCT-FOREWORD/missing": (
        "文件没有前言：请在正文最前面加上“# 前言 {{.foreword}}”。",
        'The document has no foreword: add "# Foreword {{.foreword}}" at the start of the body.',
    ),
    "STRUCT-FOREWORD/not-first": (
        "前言不是文件的第一个要素：请把前言移到“{first}”之前。",
        'The foreword is not the first element: move it before "{first}".',
    ),
    "STRUCT-SCOPE/wrong": (
        "第1章是“{title}”，但第1章应为“范围”：请把范围作为第一个编号章。",
        'Clause 1 is "{title}", but clause 1 must be the scope: make "Scope" the first numbered clause.',
    ),
    "STRUCT-SCOPE/missing": (
        "文件没有“范围”一章：第1章应为范围。",
        'The document has no scope: its first numbered clause must be "Scope".',
    ),
    "STRUCT-NORMREF/wrong": (
        "第2章是“{title}”，但第2章应为“规范性引用文件”（没有引用文件时写“本文件没有规范性引用文件。”）。",
        'Clause 2 is "{title}", but clause 2 must be "Normative references" '
        '(write "There are no normative references in this document." when there are none).',
    ),
    "STRUCT-NORMREF/missing": (
        "文件没有“规范性引用文件”一章：第2章应为规范性引用文件（没有引用文件时写“本文件没有规范性引用文件。”）。",
        'The document has no "Normative references" clause: clause 2 must be that clause '
        '(write "There are no normative references in this document." when there are none).',
    ),
    "STRUCT-TERMS/wrong": (
        "第3章是“{title}”，但第3章应为“术语和定义”（没有术语时写“本文件没有需要界定的术语和定义。”）。",
        'Clause 3 is "{title}", but clause 3 must be "Terms and definitions" '
        '(write "No terms and definitions are listed in this document." when there are none).',
    ),
    "STRUCT-TERMS/missing": (
        "文件没有“术语和定义”一章：第3章应为术语和定义（没有术语时写“本文件没有需要界定的术语和定义。”）。",
        'The document has no "Terms and definitions" clause: clause 3 must be that clause '
        '(write "No terms and definitions are listed in this document." when there are none).',
    ),
    "STRUCT-ORDER": (
        "{where}“{title}”位于{after}之后，顺序不对：要素依次为前言、引言、章、附录、参考文献。",
        '{where} "{title}" comes after {after}, which is out of order: elements go foreword, '
        "introduction, clauses, annexes, bibliography.",
    ),
    "STRUCT-HANGING": (
        "{where}“{title}”在第一个下级条（{first}）之前有悬置段：请把这段文字移入一个新的下级条（如“总则”），或删去。",
        '{where} "{title}" has a hanging paragraph before its first subclause ({first}): move that text '
        'into a subclause of its own (such as "General") or delete it.',
    ),
    "STRUCT-LONE": (
        "{where}“{title}”只有一个下级条（{child}）：同一层次至少要有两个条，请将其并入上级或再增加一条。",
        '{where} "{title}" has a single subclause ({child}): a level needs at least two subclauses; '
        "merge it into its parent or add another.",
    ),
    "STRUCT-DEPTH": (
        "标题“{title}”是第{level}级标题，超过了章以下五级条的限度：请合并层次，或改用列项。",
        'Heading "{title}" is at level {level}, deeper than five subclause levels below a clause: '
        "flatten the structure or use a list.",
    ),
    "STRUCT-EMPTY": (
        "{where}“{title}”既没有内容也没有下级条：请补充内容，或删除这个标题。",
        '{where} "{title}" has neither text nor subclauses: add its content or delete the heading.',
    ),
    "NUM-MANUAL": (
        "标题“{title}”以手工输入的编号“{number}”开头：编号由系统自动生成，请删去“{number}”。",
        'Heading "{title}" begins with the hand-typed number "{number}": numbers are generated, '
        'delete "{number}".',
    ),
    # ids and cross references
    "ID-DUPLICATE": (
        "标识“{id}”重复，第{first}行已使用：请给这里的要素换一个标识。",
        'The id "{id}" is already used on line {first}: give this element another id.',
    ),
    "REF-UNRESOLVED": (
        "交叉引用指向不存在的标识“#{id}”：请检查拼写，或给目标要素加上 {{#{id}}}。",
        'The cross reference points to "#{id}", which no element has: check the spelling or give '
        "the target the id {{#{id}}}.",
    ),
    "REF-UNRESOLVED/text": (
        "正文提及的“{label}”在本文件中不存在：请核对编号，或改用交叉引用 [](#…)；如指其他文件，请在前面写出该文件的编号。",
        'The text cites "{label}", which this document does not have: check the number or use a cross '
        "reference [](#…); if it belongs to another document, put that document's number before it.",
    ),
    # terms
    "TERM-DEFINITION": (
        "术语{number}“{title}”没有定义：术语标题下的第一段应为定义。",
        'Term {number} "{title}" has no definition: the first paragraph under the term must define it.',
    ),
    # provisions
    "SCOPE-PROVISION": (
        "范围中含有要求“{verb}”（“{context}”）：范围只陈述文件的内容和适用界限，请改为陈述句，并把要求移到技术章。",
        'The scope contains the requirement "{verb}" ("{context}"): the scope only states what the '
        "document covers; rephrase it as a statement and move the requirement to a technical clause.",
    ),
    "NOTE-PROVISION": (
        "{kind}中含有要求“{verb}”（“{context}”）：{kind}只提供信息，请改为陈述句，或把要求移到正文。",
        'A {kind} contains the requirement "{verb}" ("{context}"): {kind}s only give information; '
        "rephrase it as a statement or move the requirement into the text.",
    ),
    "VERB-NONSTANDARD/zh": (
        "“必须”不是标准的助动词（“{context}”）：表示要求请用“应”，表示禁止请用“不应”。",
        '"必须" is not a provision verb ("{context}"): write "应" for a requirement and "不应" for a prohibition.',
    ),
    "VERB-NONSTANDARD/en": (
        "“{verb}”不是标准的助动词（“{context}”）：表示要求请用 shall，表示禁止请用 shall not。",
        '"{verb}" is not a provision verb ("{context}"): write "shall" for a requirement and '
        '"shall not" for a prohibition.',
    ),
    # captions
    "TABLE-CAPTION/missing": (
        "表没有表题：请在表格下方加一行“Table: 表题 {{#tbl-…}}”。",
        'The table has no caption: add a line "Table: caption {{#tbl-…}}" below it.',
    ),
    "TABLE-CAPTION/empty": (
        "表“{id}”的表题为空：请在“Table:”后写出表题。",
        'The caption of table "{id}" is empty: write the caption after "Table:".',
    ),
    "FIGURE-CAPTION": (
        "图“{src}”没有图题：请写成“![图题]({src}){{#{id}}}”。",
        'Figure "{src}" has no caption: write it as "![caption]({src}){{#{id}}}".',
    ),
    # citations
    "ANNEX-UNCITED": (
        "正文没有提及{where}“{title}”：请在正文中用 [](#{id}) 引用这个附录。",
        '{where} "{title}" is never referred to in the text: cite it with [](#{id}).',
    ),
    "TABLE-UNCITED": (
        "正文没有提及{label}“{caption}”：请在正文中用 [](#{id}) 引用这个表。",
        '{label} "{caption}" is never referred to in the text: cite it with [](#{id}).',
    ),
    "TABLE-UNCITED/no-id": (
        "这个表没有标识，正文无法引用它：请在表题后加上 {{#tbl-…}}，并在正文中用 [](#tbl-…) 引用。",
        "This table has no id, so the text cannot refer to it: add {{#tbl-…}} after its caption and "
        "cite it with [](#tbl-…).",
    ),
    "NORMREF-UNCITED": (
        "规范性引用文件“{designation}”在正文中没有被引用：请在第4章及以后的条文、附录或术语来源中引用它，或将其移到参考文献。",
        'The normative reference "{designation}" is never cited: cite it in the clauses from clause 4 '
        "on, an annex or a term's source, or move it to the bibliography.",
    ),
}
