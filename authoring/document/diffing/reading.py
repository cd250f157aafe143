"""The text of a section as a reader sees it printed, for the reviewers' diff (the "reading view").

The source diff compares Markdown; a reviewer reads the standard. This turns one section of the
parsed, numbered tree into its printed text: cross references as their labels ("5.2", "表1"),
notes and examples with "注：" / "示例1：", list items with "a)" or "——", captions with "表1" and
"图1", a term's English name beside it, and tables as rows of cells. The cover becomes readable
fields ("标准编号：T/SZYL 3—2025"), not YAML. The same clause-by-clause engine then diffs these texts.

Each line of the result is one paragraph. A line may start with one marker telling what it is (a
table row, a caption, a note), and table cells are separated by a tab; a merged cell starts with one
ROWSPAN per row it covers below its own and one COLSPAN per column right of its own, so a merge that
changed is a change of the text like any other, and `layout` reads them all back. The markers are
private-use characters, removed from the document's own text first, so a standard cannot forge them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from authoring.document.inline import plain_text
from authoring.document.render import annex_status_text
from authoring.document.tree import Block, BlockKind, FrontMatter, Section, SectionKind

#: a table's header row / body row / a table or figure caption / a note or an example / a term's name
HEADER_ROW = "\ue000"
BODY_ROW = "\ue001"
CAPTION = "\ue002"
NOTE = "\ue003"
TERM = "\ue004"
#: at the start of a merged cell's text, once for each row (column) it covers beyond its own
ROWSPAN = "\ue005"
COLSPAN = "\ue006"
MARKERS = HEADER_ROW + BODY_ROW + CAPTION + NOTE + TERM + ROWSPAN + COLSPAN
#: between the cells of a table row
CELL = "\t"

#: between a number or label and its text: an ideographic space in Chinese (GB/T 1.1), an em space in English
_GAPS = {"zh": "\u3000", "en": "\u2003"}
_FORGED = re.compile(f"[{MARKERS}\t]")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
#: a soft line break of the source: nothing between Chinese characters, a space elsewhere
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_CJK_END = re.compile(f"[{_CJK}]$")
_CJK_START = re.compile(f"^[{_CJK}]")

_COVER_FIELDS = {
    "zh": {
        "number": "标准编号",
        "replaces": "代替",
        "title_zh": "中文名称",
        "title_en": "英文名称",
        "ics": "ICS",
        "ccs": "CCS",
        "adoption": "与国际文件的一致性程度",
        "association": "发布单位",
        "proposer": "提出单位",
        "responsible": "归口单位",
        "drafting_units": "起草单位",
        "drafters": "主要起草人",
        "publish_date": "发布日期",
        "implement_date": "实施日期",
        "draft": "文稿阶段",
        "unreadable": "（封面信息无法读取）",
    },
    "en": {
        "number": "Number",
        "replaces": "Replaces",
        "title_zh": "Chinese title",
        "title_en": "English title",
        "ics": "ICS",
        "ccs": "CCS",
        "adoption": "Degree of correspondence",
        "association": "Published by",
        "proposer": "Proposed by",
        "responsible": "Responsible body",
        "drafting_units": "Drafting organizations",
        "drafters": "Drafters",
        "publish_date": "Publication date",
        "implement_date": "Implementation date",
        "draft": "Draft stage",
        "unreadable": "(the cover cannot be read)",
    },
}


def _lang(language: str) -> str:
    return "en" if language == "en" else "zh"


def gap(language: str) -> str:
    """What separates a number or a label from its text in `language`."""
    return _GAPS[_lang(language)]


def _clean(text: str) -> str:
    """One paragraph's text: soft line breaks joined, no characters that would read as our markers."""
    text = _FORGED.sub(" ", text).strip()

    def join(match: re.Match[str]) -> str:
        before, after = text[: match.start()], text[match.end() :]
        return "" if _CJK_END.search(before) and _CJK_START.search(after) else " "

    return _SOFT_BREAK.sub(join, text)


def reading_text(section: Section, labels: dict[str, str], language: str) -> str:
    """The section's own printed text (children excluded): its title line, then one line per paragraph.

    The number is left out: numbers are generated, and a diff shows them beside the heading (4.5 →
    5.4), so a renumbered clause is not "changed".
    """
    lang = _lang(language)
    lines = [_title_line(section, lang)]
    for block in section.blocks:
        lines.extend(_block_lines(block, labels, lang))
    return "\n".join(lines).rstrip("\n")


def preamble_text(blocks: list[Block], labels: dict[str, str], language: str) -> list[str]:
    """Printed lines of the blocks before the first heading."""
    lang = _lang(language)
    return [line for block in blocks for line in _block_lines(block, labels, lang)]


def cover_text(meta: FrontMatter, language: str) -> list[str]:
    """The cover as "field：value" lines, in the order of a GB/T 1.1 cover."""
    lang = _lang(language)
    words = _COVER_FIELDS[lang]
    if not meta.readable:
        return [words["unreadable"]]
    colon = ": " if lang == "en" else "："
    joiner = ", " if lang == "en" else "、"
    adoption = f"{meta.adoption.of}, {meta.adoption.degree}" if meta.adoption else None
    values: list[tuple[str, str | None]] = [
        ("number", meta.number),
        ("replaces", joiner.join(meta.replaces) or None),
        ("title_zh", meta.title_zh),
        ("title_en", meta.title_en),
        ("ics", meta.ics),
        ("ccs", meta.ccs),
        ("adoption", adoption),
        ("association", meta.association),
        ("proposer", meta.proposer),
        ("responsible", meta.responsible),
        ("drafting_units", joiner.join(meta.drafting_units) or None),
        ("drafters", joiner.join(meta.drafters) or None),
        ("publish_date", meta.publish_date.isoformat() if meta.publish_date else None),
        ("implement_date", meta.implement_date.isoformat() if meta.implement_date else None),
        ("draft", meta.draft),
    ]
    return [f"{words[key]}{colon}{_clean(value)}" for key, value in values if value]


def _title_line(section: Section, lang: str) -> str:
    title = _clean(section.title)
    if section.kind is SectionKind.TERM:
        english = _clean(section.attrs.get("en", ""))
        return f"{title}{gap(lang)}{english}" if english else title
    if section.kind is SectionKind.ANNEX:
        status = annex_status_text(section.annex_status, lang)
        return f"{status}{gap(lang)}{title}" if status and title else status or title
    return title


def _block_lines(block: Block, labels: dict[str, str], lang: str) -> Iterator[str]:
    kind = block.kind
    if kind in (BlockKind.NOTE, BlockKind.EXAMPLE):
        label = block.label or ""
        inner = [line for child in block.children for line in _block_lines(child, labels, lang)]
        if not block.children:
            inner = [_clean(block.text)]
        for index, line in enumerate(inner):
            yield f"{NOTE}{label}{line.lstrip(MARKERS)}" if index == 0 else f"{NOTE}{line.lstrip(MARKERS)}"
        return
    if kind is BlockKind.LIST:
        yield from _list_lines(block, labels, lang)
        return
    if kind is BlockKind.TABLE:
        yield from _table_lines(block, labels, lang)
        return
    if kind is BlockKind.FIGURE:
        caption = _clean(block.caption or "")
        yield f"{CAPTION}{block.label or ''}{gap(lang) if caption else ''}{caption}"
        return
    if kind is BlockKind.FORMULA:
        yield f"{_clean(block.src or '')}{gap(lang)}{block.number or ''}"
        return
    if kind is BlockKind.FOOTNOTE:
        yield f"{NOTE}{(block.id or '').removeprefix('fn-')}){gap(lang)}{_clean(block.text)}"
        return
    if kind is BlockKind.CODE:
        yield from (_FORGED.sub(" ", line) for line in block.text.rstrip("\n").split("\n"))
        return
    for paragraph in re.split(r"\n\s*\n", block.text):
        if paragraph.strip():
            yield _clean(paragraph)


def _list_lines(block: Block, labels: dict[str, str], lang: str, depth: int = 0) -> Iterator[str]:
    ordered = bool(block.tokens) and block.tokens[0].type == "ordered_list_open"
    alpha = not block.tokens
    dash = "—" if lang == "en" else "——"
    for position, item in enumerate(block.items):
        if alpha:
            marker = f"{chr(97 + position % 26)})"
        elif ordered:
            marker = f"{position + 1})"
        else:
            marker = dash
        own = [_clean(plain_text(markdown, line, labels, None)) for line, markdown in item.segments]
        own = [text for text in own if text] or [""]
        space = gap(lang)
        yield f"{space * depth}{marker}{space}{own[0]}"
        yield from (f"{space * (depth + 1)}{text}" for text in own[1:])
        if item.items:
            nested = Block(
                kind=BlockKind.LIST, line=item.line, end_line=item.end_line, text="", items=item.items
            )
            yield from _list_lines(nested, labels, lang, depth + 1)


def _table_lines(block: Block, labels: dict[str, str], lang: str) -> Iterator[str]:
    caption = _clean(block.caption or "")
    if block.label or caption:
        yield f"{CAPTION}{block.label or ''}{gap(lang) if caption else ''}{caption}"
    for header, cells in _rows(block):
        texts = [
            ROWSPAN * (rowspan - 1) + COLSPAN * (colspan - 1) + _clean(plain_text(content, 0, labels, None))
            for content, rowspan, colspan in cells
        ]
        yield (HEADER_ROW if header else BODY_ROW) + CELL.join(texts)


def _rows(block: Block) -> Iterator[tuple[bool, list[tuple[str, int, int]]]]:
    """(is a header row, each cell's Markdown, rowspan and colspan) for each row of a table's
    markdown-it tokens (a grid table's merged cells carry `rowspan`/`colspan` on th/td)."""
    header = False
    cells: list[tuple[str, int, int]] | None = None
    spans = (1, 1)
    for token in block.tokens:
        if token.type == "thead_open":
            header = True
        elif token.type == "thead_close":
            header = False
        elif token.type == "tr_open":
            cells = []
        elif token.type in ("th_open", "td_open"):
            spans = (_span(token.attrGet("rowspan")), _span(token.attrGet("colspan")))
        elif token.type == "inline" and cells is not None:
            cells.append((token.content, *spans))
            spans = (1, 1)
        elif token.type == "tr_close" and cells is not None:
            yield header, cells
            cells = None


#: a span beyond this many rows or columns is read as this many (no table is that large; a hostile
#: attribute must not make the reading text huge)
_MOST_SPAN = 1000


def _span(value: object) -> int:
    text = str(value or "1")
    return min(max(1, int(text)), _MOST_SPAN) if text.isdigit() else 1
