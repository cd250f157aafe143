"""Each rule finds a planted defect at the line and clause the spec names, and nothing else fires.

A row plants one defect in a minimal valid document (cases/minimal-zh.md, cases/minimal-en.md) and
lists every finding the result must have: (rule, a text on the expected line, clause).
"""

from __future__ import annotations

import pytest
from lintcases import case, line_of, places, planted

ZH = "minimal-zh.md"
EN = "minimal-en.md"

Edit = tuple[str, str]
Expected = tuple[str, str | int, str | None]

#: id, base document, edits, expected findings
DEFECTS: list[tuple[str, str, list[Edit], list[Expected]]] = [
    # front matter
    (
        "title-zh-missing",
        ZH,
        [("title:\n  zh: 社区助餐服务规范\n", "title:\n  en: Community meal services\n")],
        [("META-MISSING", "title:", None)],
    ),
    ("title-missing", ZH, [("title:\n  zh: 社区助餐服务规范\n", "")], [("META-MISSING", 2, None)]),
    ("association-missing", ZH, [("association: 深圳市养老服务业协会\n", "")], [("META-MISSING", 2, None)]),
    (
        "number-malformed",
        ZH,
        [("---\ntitle:", "---\nnumber: T/SZYL 3-25\ntitle:")],
        [("META-NUMBER", "number:", None)],
    ),
    (
        "replaces-malformed",
        ZH,
        [("---\ntitle:", "---\nnumber: T/SZYL 3—2025\nreplaces: [T/SZYL 3]\ntitle:")],
        [("META-NUMBER", "replaces:", None)],
    ),
    (
        "implement-before-publish",
        ZH,
        [("implement_date: 2025-06-01", "implement_date: 2025-02-01")],
        [("META-DATES", "implement_date:", None)],
    ),
    (
        "date-no-date",
        ZH,
        [("publish_date: 2025-03-01", "publish_date: 2025-13-01")],
        [("META-DATES", "publish_date:", None)],
    ),
    # elements and their order
    (
        "foreword-missing",
        ZH,
        [
            (
                "# 前言 {.foreword}\n\n本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件的结构和起草规则》的规定起草。\n\n本文件由深圳市养老服务业协会提出并归口。\n\n",
                "",
            )
        ],
        [("STRUCT-FOREWORD", "# 范围", None)],
    ),
    (
        "foreword-not-first",
        ZH,
        [
            (
                "# 前言 {.foreword}\n\n",
                "# 引言 {.introduction}\n\n社区助餐是居家养老的基础服务。\n\n# 前言 {.foreword}\n\n",
            ),
        ],
        [("STRUCT-FOREWORD", "# 前言", None)],
    ),
    ("scope-wrong", ZH, [("# 范围 {#scope}", "# 适用对象 {#scope}")], [("STRUCT-SCOPE", "# 适用对象", "1")]),
    (
        "normref-wrong",
        ZH,
        [("# 规范性引用文件 {#normative-references}", "# 引用文件 {#normative-references}")],
        [("STRUCT-NORMREF", "# 引用文件", "2")],
    ),
    (
        "terms-wrong",
        ZH,
        [("# 术语和定义 {#terms-and-definitions}", "# 定义 {#terms-and-definitions}")],
        [("STRUCT-TERMS", "# 定义", "3")],
    ),
    (
        "chapter-after-annex",
        ZH,
        [
            (
                "# 服务要求 {#ch-service}",
                "# 满意度调查表 {#annex-a .annex .informative}\n\n满意度调查表的内容由服务机构确定。\n\n# 服务要求 {#ch-service}",
            ),
            (
                "# 满意度调查表 {#annex-a .annex .informative}\n\n满意度调查表的内容由服务机构根据服务项目确定。\n",
                "",
            ),
        ],
        [("STRUCT-ORDER", "# 服务要求", "5")],
    ),
    (
        "annex-after-bibliography",
        ZH,
        [("# 满意度调查表", "# 参考文献 {.bibliography}\n\n[1] 《养老机构管理办法》\n\n# 满意度调查表")],
        [("STRUCT-ORDER", "# 满意度调查表", "A")],
    ),
    # the shape of clauses
    (
        "hanging-in-chapter",
        ZH,
        [("# 基本要求 {#ch-basic}\n", "# 基本要求 {#ch-basic}\n\n服务机构和服务人员应符合本章的要求。\n")],
        [("STRUCT-HANGING", "# 基本要求", "4")],
    ),
    (
        "hanging-in-introduction",
        ZH,
        [
            (
                "# 范围 {#scope}",
                "# 引言 {.introduction}\n\n引言的概述。\n\n## 背景 {#i-background}\n\n背景。\n\n## 原则 {#i-principles}\n\n原则。\n\n# 范围 {#scope}",
            )
        ],
        [("STRUCT-HANGING", "# 引言", None)],
    ),
    (
        "hanging-in-annex",
        ZH,
        [
            (
                "满意度调查表的内容由服务机构根据服务项目确定。",
                "满意度调查表的内容由服务机构确定。\n\n## 调查方法 {#a-method}\n\n入户访谈。\n\n## 调查内容 {#a-content}\n\n服务态度。",
            )
        ],
        [("STRUCT-HANGING", "# 满意度调查表", "A")],
    ),
    (
        "lone-subclause",
        ZH,
        [("## 评价 {#c-evaluation}\n\n", "")],
        [("STRUCT-LONE", "# 服务要求", "5")],
    ),
    (
        "lone-subclause-in-annex",
        ZH,
        [("满意度调查表的内容由服务机构根据服务项目确定。", "## 调查内容 {#a-content}\n\n服务态度。")],
        [("STRUCT-LONE", "# 满意度调查表", "A")],
    ),
    (
        "too-deep",
        ZH,
        [
            (
                "送餐应使用密闭保温容器，热食送达时的中心温度不低于60 ℃。",
                "### 容器 {#d1}\n\n#### 保温 {#d2}\n\n##### 材料 {#d3}\n\n###### 厚度 {#d4}\n\n####### 测量 {#d5}\n\n厚度应测量。\n\n"
                "####### 记录 {#d6}\n\n测量结果应记录。\n\n###### 涂层 {#d7}\n\n涂层。\n\n##### 密封 {#d8}\n\n密封。\n\n"
                "#### 清洗 {#d9}\n\n清洗。\n\n### 标识 {#d10}\n\n标识。",
            )
        ],
        [("STRUCT-DEPTH", "# 测量", "5.1.1.1.1.1.1"), ("STRUCT-DEPTH", "# 记录", "5.1.1.1.1.1.2")],
    ),
    (
        "empty-clause",
        ZH,
        [("送餐应使用密闭保温容器，热食送达时的中心温度不低于60 ℃。\n", "")],
        [("STRUCT-EMPTY", "## 送餐", "5.1")],
    ),
    (
        "hand-typed-number",
        ZH,
        [("## 服务机构 {#c-provider}", "## 4.1 服务机构 {#c-provider}")],
        [("NUM-MANUAL", "## 4.1 服务机构", "4.1")],
    ),
    (
        "hand-typed-annex-number",
        ZH,
        [("# 满意度调查表 {#annex-a", "# 附录A 满意度调查表 {#annex-a")],
        [("NUM-MANUAL", "# 附录A", "A")],
    ),
    # ids and references
    (
        "duplicate-section-id",
        ZH,
        [("## 送餐 {#c-delivery}", "## 送餐 {#c-provider}")],
        [("ID-DUPLICATE", "## 送餐", "5.1")],
    ),
    (
        "section-id-of-a-table",
        ZH,
        [("## 评价 {#c-evaluation}", "## 评价 {#tbl-staff}")],
        [("ID-DUPLICATE", "## 评价", "5.2")],
    ),
    (
        "unresolved-reference",
        ZH,
        [("[](#tbl-staff)", "[](#tbl-staf)")],
        [("REF-UNRESOLVED", "[](#tbl-staf)", "4.2"), ("TABLE-UNCITED", "| 岗位 |", "4.2")],
    ),
    (
        "unresolved-reference-with-text",
        ZH,
        [("评价表格式见[](#annex-a)", "评价表格式见[附录](#annex-b)")],
        [("REF-UNRESOLVED", "[附录](#annex-b)", "5.2"), ("ANNEX-UNCITED", "# 满意度调查表", "A")],
    ),
    # terms
    (
        "term-without-definition",
        ZH,
        [("接受助餐服务的老年人。\n\n", "")],
        [("TERM-DEFINITION", "## 服务对象", "3.2")],
    ),
    (
        "term-with-nothing",
        ZH,
        [("接受助餐服务的老年人。\n\n注：服务对象通常居住在服务机构所在的社区。\n\n", "")],
        [("TERM-DEFINITION", "## 服务对象", "3.2")],
    ),
    # provisions
    (
        "scope-requirement",
        ZH,
        [("适用于为老年人提供的助餐服务。", "适用于为老年人提供的助餐服务。\n服务机构应按本文件提供服务。")],
        [("SCOPE-PROVISION", "服务机构应按本文件", "1")],
    ),
    (
        "scope-prohibition",
        EN,
        [
            (
                "provided to older persons in the community.",
                "provided to older persons.\nIt shall not be used for hospitals.",
            )
        ],
        [("SCOPE-PROVISION", "It shall not", "1")],
    ),
    (
        "note-requirement",
        ZH,
        [("注：服务对象通常居住在", "注：服务对象应居住在")],
        [("NOTE-PROVISION", "注：服务对象应居住在", "3.2")],
    ),
    (
        "fenced-note-requirement",
        ZH,
        [("兼职人员按实际工作时间折算。", "兼职人员应按实际工作时间折算。")],
        [("NOTE-PROVISION", "兼职人员应按", "4.2")],
    ),
    (
        "example-requirement-glued",
        ZH,
        [
            (
                "送餐应使用密闭保温容器，热食送达时的中心温度不低于60 ℃。",
                "送餐应使用密闭保温容器。\n\n示例：间距应从容器外壁算起。",
            )
        ],
        [("NOTE-PROVISION", "示例：间距应从", "5.1")],
    ),
    (
        "english-note-requirement",
        EN,
        [("NOTE Part-time staff are counted", "NOTE Part-time staff shall be counted")],
        [("NOTE-PROVISION", "NOTE Part-time staff shall", "4.1")],
    ),
    (
        "must-zh",
        ZH,
        [("服务机构应取得", "服务机构必须取得")],
        [("VERB-NONSTANDARD", "服务机构必须取得", "4.1")],
    ),
    (
        "must-en",
        EN,
        [("Meals shall be delivered", "Meals must be delivered")],
        [("VERB-NONSTANDARD", "Meals must be", "4.2")],
    ),
    # captions
    (
        "table-without-caption",
        ZH,
        [
            ("\nTable: 助餐服务人员配置 {#tbl-staff}\n", ""),
            ("应符合[](#tbl-staff)的规定", "应符合下表的规定"),
        ],
        [("TABLE-CAPTION", "| 岗位 |", "4.2"), ("TABLE-UNCITED", "| 岗位 |", "4.2")],
    ),
    (
        "table-with-empty-caption",
        ZH,
        [("Table: 助餐服务人员配置 {#tbl-staff}", "Table: {#tbl-staff}")],
        [("TABLE-CAPTION", "| 岗位 |", "4.2")],
    ),
    (
        "figure-without-caption",
        EN,
        [
            (
                "Meals shall be delivered",
                "Meals shall be delivered as [](#fig-route) shows.\n\n![](figures/route.png){#fig-route}\n\nMeals shall be delivered",
            )
        ],
        [("FIGURE-CAPTION", "![](figures/route.png)", "4.2")],
    ),
    # citations
    (
        "annex-uncited",
        ZH,
        [("，评价表格式见[](#annex-a)", "")],
        [("ANNEX-UNCITED", "# 满意度调查表", "A")],
    ),
    (
        "table-uncited",
        ZH,
        [("人员配置应符合[](#tbl-staff)的规定", "人员配置应符合下表的规定")],
        [("TABLE-UNCITED", "| 岗位 |", "4.2")],
    ),
    (
        "normref-uncited",
        ZH,
        [("应符合GB 2894的规定", "应符合国家有关规定")],
        [("NORMREF-UNCITED", "- GB 2894", "2")],
    ),
    (
        "normref-cited-only-in-foreword",
        ZH,
        [("应符合GB 2894的规定", "应符合国家有关规定"), ("提出并归口。", "提出并归口。安全标志见GB 2894。")],
        [("NORMREF-UNCITED", "- GB 2894", "2")],
    ),
    (
        "normref-longer-number-is-another-document",
        ZH,
        [("应符合GB 2894的规定", "应符合GB 28940的规定")],
        [("NORMREF-UNCITED", "- GB 2894", "2")],
    ),
    (
        "normref-uncited-en",
        EN,
        [("that conforms to ISO 22000:2018", "that conforms to the law")],
        [("NORMREF-UNCITED", "- ISO 22000:2018", "2")],
    ),
]


#: id, base document, edits: changes that must not produce any finding
CLEAN: list[tuple[str, str, list[Edit]]] = [
    (
        "words-with-ying-in-scope",
        ZH,
        [
            (
                "适用于为老年人提供的助餐服务。",
                "适用于为老年人提供的助餐服务，包括应急送餐、相应的供应链管理和信息系统的应用，以适应和响应服务对象的需求。",
            )
        ],
    ),
    (
        "words-with-ying-in-note",
        ZH,
        [
            (
                "注：服务对象通常居住在服务机构所在的社区。",
                "注：服务对象的应急联系人和相应的供应商信息记入档案，对应表格见应用系统。",
            )
        ],
    ),
    (
        "shallow-and-marshal",
        EN,
        [
            (
                "in the community.",
                "in the community, including shallow-water areas served by the marshal's office.",
            )
        ],
    ),
    (
        "heading-starting-with-digits",
        ZH,
        [
            ("## 送餐 {#c-delivery}", "## 24小时温度监控 {#c-delivery}"),
            ("## 评价 {#c-evaluation}", "## 3D打印餐具 {#c-evaluation}"),
        ],
    ),
    ("heading-starting-with-a-quantity", ZH, [("## 送餐 {#c-delivery}", "## 10 kV 配电 {#c-delivery}")]),
    ("lead-in-of-chapter-3", ZH, []),
    (
        "lead-in-referring-to-a-standard",
        ZH,
        [("下列术语和定义适用于本文件。", "GB/T 35796—2017界定的以及下列术语和定义适用于本文件。")],
    ),
    (
        "injection-moulding-is-no-note",
        ZH,
        [("送餐应使用密闭保温容器", "注塑成型的餐盒应使用食品级材料。送餐应使用密闭保温容器")],
    ),
    (
        "notes-made-is-no-note",
        EN,
        [
            (
                "Meals shall be delivered in",
                "Notes made by the driver shall be kept.\n\nMeals shall be delivered in",
            )
        ],
    ),
    (
        "hyphen-in-number-accepted",
        ZH,
        [("---\ntitle:", "---\nnumber: T/SZYL 3-2025\nreplaces: [T/SZYL 3–2019]\ntitle:")],
    ),
    ("same-day-dates", ZH, [("implement_date: 2025-06-01", "implement_date: 2025-03-01")]),
    (
        "undated-citation-of-dated-reference",
        ZH,
        [("服务质量评价应符合GB/T 35796—2017的规定", "服务质量评价应符合GB/T 35796的规定")],
    ),
    (
        "hyphen-year-citation",
        ZH,
        [("服务质量评价应符合GB/T 35796—2017的规定", "服务质量评价应符合GB/T 35796-2017的规定")],
    ),
    (
        "citation-in-term-source-counts",
        EN,
        [],
    ),
    ("annex-cited-through-its-clause", ZH, [("评价表格式见[](#annex-a)", "评价表格式见[附录A](#annex-a)")]),
    (
        "single-term-is-no-lone-subclause",
        ZH,
        [
            (
                '## 服务对象 {#t-recipient en="service recipient"}\n\n接受助餐服务的老年人。\n\n注：服务对象通常居住在服务机构所在的社区。\n\n',
                "",
            )
        ],
    ),
    (
        "repeated-terms-sentence-is-part-of-the-lead-in",
        ZH,
        [
            (
                "下列术语和定义适用于本文件。",
                "下列术语和定义适用于本文件。\n\n为了便于使用，以下重复列出了GB/T 35796—2017中的某些术语和定义。",
            )
        ],
    ),
    (
        "no-normative-references",
        ZH,
        [
            (
                "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。\n\n- GB/T 35796—2017 养老机构服务质量基本规范\n- GB 2894 安全标志及其使用导则\n",
                "本文件没有规范性引用文件。\n",
            )
        ],
    ),
    (
        "no-terms",
        EN,
        [
            (
                "For the purposes of this document, the following terms and definitions apply.\n\n## meal service {#t-meal}\n\nprovision of meals to older persons, in a dining hall or delivered to their homes\n\n[SOURCE: ISO 3166-1, 3.5, modified]\n\n## recipient {#t-recipient}\n\nolder person who receives a meal service\n",
                "No terms and definitions are listed in this document.\n",
            ),
            ("Meals shall be delivered in", "Country codes follow ISO 3166-1. Meals shall be delivered in"),
        ],
    ),
    (
        "figure-with-caption-need-not-be-cited",
        EN,
        [
            (
                "Meals shall be delivered in",
                "![Delivery route](figures/route.png){#fig-route}\n\nMeals shall be delivered in",
            )
        ],
    ),
    (
        "scope-describing-what-parties-shall-do",
        ZH,
        [
            (
                "本文件规定了社区助餐服务的基本要求和服务要求",
                "本文件规定了服务机构应具备的基本条件和应遵守的服务要求",
            )
        ],
    ),
    (
        "scope-describing-what-parties-shall-do-en",
        EN,
        [
            (
                "specifies requirements for meal services",
                "specifies requirements that providers shall meet for meal services",
            )
        ],
    ),
    (
        "quoted-words-are-mentioned-not-used",
        ZH,
        [
            (
                "注：服务对象通常居住在服务机构所在的社区。",
                "注：本文件不用“必须”，要求用“应”表示，如“送餐应及时”。",
            )
        ],
    ),
    (
        "permission-in-scope-is-no-requirement",
        ZH,
        [("适用于为老年人提供的助餐服务。", "适用于为老年人提供的助餐服务，其他服务可参照使用。")],
    ),
]


@pytest.mark.parametrize(
    ("base", "edits"), [pytest.param(base, edits, id=name) for name, base, edits in CLEAN]
)
def test_no_finding(base: str, edits: list[Edit]) -> None:
    text = case(base)
    for old, new in edits:
        text = planted(text, old, new)
    assert places(text) == []


INTRODUCTION = "# 引言 {.introduction}\n\n## 背景 {#i-background}\n\n背景。\n\n## 原则 {#i-principles}\n\n原则。\n\n# 范围 {#scope}"

#: more planted defects: the introduction, chapter 3's lead-in, English documents
MORE_DEFECTS: list[tuple[str, str, list[Edit], list[Expected]]] = [
    (
        "hanging-in-introduction-subdivision",
        ZH,
        [
            ("# 范围 {#scope}", INTRODUCTION),
            ("背景。", "背景。\n\n### 人口 {#i-population}\n\n人口。\n\n### 政策 {#i-policy}\n\n政策。"),
        ],
        [("STRUCT-HANGING", "## 背景", "0.1")],
    ),
    (
        "lone-introduction-subdivision",
        ZH,
        [("# 范围 {#scope}", INTRODUCTION), ("## 原则 {#i-principles}\n\n原则。\n\n", "")],
        [("STRUCT-LONE", "# 引言", None)],
    ),
    (
        "introduction-after-chapters",
        ZH,
        [("# 满意度调查表", "# 引言 {.introduction}\n\n社区助餐是居家养老的基础服务。\n\n# 满意度调查表")],
        [("STRUCT-ORDER", "# 引言", None)],
    ),
    (
        "second-paragraph-before-terms-hangs",
        ZH,
        [("下列术语和定义适用于本文件。", "下列术语和定义适用于本文件。\n\n本章的术语按字母顺序排列。")],
        [("STRUCT-HANGING", "# 术语和定义", "3")],
    ),
    (
        "note-before-subclauses-hangs",
        ZH,
        [("# 服务要求 {#ch-service}\n", "# 服务要求 {#ch-service}\n\n注：本章适用于送餐上门服务。\n")],
        [("STRUCT-HANGING", "# 服务要求", "5")],
    ),
    (
        "hand-typed-number-on-term",
        ZH,
        [("## 服务对象 {#t-recipient", "## 3.2 服务对象 {#t-recipient")],
        [("NUM-MANUAL", "## 3.2 服务对象", "3.2")],
    ),
    (
        "reference-before-the-first-heading",
        ZH,
        [("# 前言 {.foreword}", "草案说明见[](#draft-note)。\n\n# 前言 {.foreword}")],
        [("REF-UNRESOLVED", "草案说明见", None)],
    ),
    (
        "unresolved-reference-on-a-paragraphs-second-line",
        ZH,
        [
            (
                "健康证明，人员配置应符合[](#tbl-staff)的规定。",
                "健康证明，\n人员配置应符合[](#tbl-staf)的规定。",
            )
        ],
        [("REF-UNRESOLVED", "人员配置应符合[](#tbl-staf)", "4.2"), ("TABLE-UNCITED", "| 岗位 |", "4.2")],
    ),
    (
        "unresolved-reference-in-a-table-cell",
        ZH,
        [("| 厨师 | 不少于1名 |", "| 厨师 | 见[](#nowhere) |")],
        [("REF-UNRESOLVED", "[](#nowhere)", "4.2")],
    ),
    (
        "must-in-a-table-cell",
        ZH,
        [("| 送餐员 | 每30名服务对象不少于1名 |", "| 送餐员 | 必须持证上岗 |")],
        [("VERB-NONSTANDARD", "必须持证上岗", "4.2")],
    ),
    (
        "scope-wrong-en",
        EN,
        [("# Scope {#scope}", "# Purpose {#scope}")],
        [("STRUCT-SCOPE", "# Purpose", "1")],
    ),
    (
        "normref-and-terms-swapped-en",
        EN,
        [
            (
                "# Normative references {#normative-references}",
                "# Terms and definitions {#terms-and-definitions}",
            ),
            (
                "# Terms and definitions {#terms-and-definitions}\n\nFor",
                "# Normative references {#normative-references}\n\nFor",
            ),
        ],
        [("STRUCT-NORMREF", "# Terms and definitions", "2"), ("STRUCT-TERMS", "# Normative references", "3")],
    ),
    (
        "hand-typed-number-en",
        EN,
        [("## Provider {#c-provider}", "## 4.1 Provider {#c-provider}")],
        [("NUM-MANUAL", "## 4.1 Provider", "4.1")],
    ),
    (
        "lone-subclause-en",
        EN,
        [("## Delivery {#c-delivery}\n\n", "")],
        [("STRUCT-LONE", "# Requirements", "4")],
    ),
    (
        "empty-annex-en",
        EN,
        [("The provider can adapt the form to its services.\n", "")],
        [("STRUCT-EMPTY", "# Delivery record form", "A")],
    ),
    (
        "term-without-definition-en",
        EN,
        [("older person who receives a meal service\n", "")],
        [("TERM-DEFINITION", "## recipient", "3.2")],
    ),
    (
        "note-requirement-shall-not-en",
        EN,
        [
            (
                "NOTE Part-time staff are counted by their working hours.",
                "NOTE 1 Part-time staff shall not be counted.\n\nNOTE 2 Drivers are staff.",
            )
        ],
        [("NOTE-PROVISION", "NOTE 1 Part-time", "4.1")],
    ),
]


@pytest.mark.parametrize(
    ("base", "edits", "expected"),
    [pytest.param(base, edits, expected, id=name) for name, base, edits, expected in DEFECTS + MORE_DEFECTS],
)
def test_planted_defect_is_found_where_the_spec_says(
    base: str, edits: list[Edit], expected: list[Expected]
) -> None:
    text = case(base)
    for old, new in edits:
        text = planted(text, old, new)
    wanted = sorted(
        (rule, where if isinstance(where, int) else line_of(text, where), clause)
        for rule, where, clause in expected
    )
    assert sorted(places(text)) == wanted
