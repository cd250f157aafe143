"""Tables: the core's markdown-it table tokens → a pandoc Table with "表1　标题" as its caption, merged
cells with their spans, and column widths from the cells' text that leave every column room."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it.token import Token

from exports import pandoc_ast as pa
from exports.context import Context
from exports.pandoc_ast import Node
from exports.styles import PAGE, SMALL

_ALIGN = {"left": "AlignLeft", "center": "AlignCenter", "right": "AlignRight"}
#: the text width in half-em units of the table's small type (9 pt): about 100 on A4
PAGE_UNITS = int(PAGE.text_width_mm / 25.4 * 72 / (SMALL / 2))
#: what a column's padding and rules cost, in the same units (the PDF's 4 pt inset each side; Word's
#: default cell margins, 0.19 cm each side, are wider)
CELL_PADDING = 3
#: no column narrower than this (two CJK characters), so a short column never reads one per line
MIN_UNITS = 4
#: a word longer than this wraps inside its cell (the PDF breaks it anywhere, Word at its border)
#: instead of widening its column further
LONG_WORD = 24
#: a cell's text counts up to this length: a long paragraph in one cell does not starve the others
LONG_TEXT = 60
_WORD = re.compile(r"[^\s\u2e80-\u9fff\uff00-\uffef]+")
#: in the PDF, a run typst cannot break (no space, no CJK character) this long or longer goes through
#: the template's `std-long-word`, which cuts it into lines that fit its cell
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]{16,}")
#: inlines whose content is a list of inlines
_CONTAINERS = ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _longest_word(text: str) -> int:
    """The widest unit a line cannot break inside: a Latin word, or one CJK character (2)."""
    words = [len(word) for word in _WORD.findall(text)]
    return max([*words, 2 if _width(text) > len(text) else 0])


@dataclass
class _Measure:
    """Per column: the widest text it holds (`wanted`) and the widest word it cannot break (`least`)."""

    wanted: list[int] = field(default_factory=list)
    least: list[int] = field(default_factory=list)

    def grow(self, columns: int) -> None:
        while len(self.wanted) < columns:
            self.wanted.append(0)
            self.least.append(0)

    def add(self, text: str, column: int, colspan: int) -> None:
        """A merged cell shares its text among its columns."""
        self.grow(column + colspan)
        wanted = -(-min(_width(text), LONG_TEXT) // colspan)
        least = -(-min(_longest_word(text), LONG_WORD) // colspan)
        for index in range(column, column + colspan):
            self.wanted[index] = max(self.wanted[index], wanted)
            self.least[index] = max(self.least[index], least)


def column_widths(wanted: list[int], least: list[int], page: int = PAGE_UNITS) -> list[float]:
    """Fractions of the text width: each column its text when the table fits the page; otherwise
    each its longest word (at least MIN_UNITS) and the room left shared by how much more it wants."""
    room = max(page - CELL_PADDING * len(wanted), len(wanted))
    wanted = [max(w, MIN_UNITS) for w in wanted]
    least = [min(max(n, MIN_UNITS), w) for n, w in zip(least, wanted, strict=True)]
    if sum(wanted) <= room:
        units = [float(w) for w in wanted]
    elif sum(least) >= room:
        units = [float(n) for n in least]
    else:
        spare, extra = room - sum(least), sum(w - n for w, n in zip(wanted, least, strict=True))
        units = [n + spare * (w - n) / extra for w, n in zip(wanted, least, strict=True)]
    total = sum(units) + CELL_PADDING * len(units)
    return [(u + CELL_PADDING) / total for u in units]


def table_from_tokens(
    ctx: Context,
    tokens: list[Token],
    index: int,
    caption: list[Node] | None = None,
    identifier: str = "",
    label: str | None = None,
) -> tuple[Node, int]:
    """Read `table_open` … `table_close` at `index`; return the Table node and the index after it.

    Merged cells (`rowspan`/`colspan` on th/td) become pandoc Cells with their spans, placed at the
    first column no cell above still covers; the covered places are left out, as pandoc expects.
    In the PDF the header gets a first row for the continuation caption (see `continued_row`)."""
    from exports.markdown import inlines

    head: list[list[pa.SpanCell]] = []
    body: list[list[pa.SpanCell]] = []
    aligns: dict[int, str] = {}
    measure = _Measure()
    covered: list[int] = []  # per column: rows a cell above still covers, this one included
    row: list[pa.SpanCell] = []
    section = body
    column, spans = 0, (1, 1)
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "thead_open":
            section = head
        elif kind == "tbody_open":
            section = body
        elif kind == "tr_open":
            row, column = [], 0
        elif kind in ("th_open", "td_open"):
            while column < len(covered) and covered[column] > 0:
                column += 1
            spans = (_span(token, "rowspan"), _span(token, "colspan"))
            if column not in aligns or section is head:
                style = str(token.attrGet("style") or "")
                aligns[column] = next((v for k, v in _ALIGN.items() if k in style), "AlignDefault")
        elif kind == "inline":
            rowspan, colspan = spans
            content = token.content
            measure.add(content, column, colspan)
            cell = inlines(ctx, content)
            if ctx.target == "typst":
                cell = wrap_long_words(cell)
            blocks = [pa.plain(cell)] if content.strip() else []
            row.append(pa.SpanCell(blocks, column, rowspan, colspan))
            covered.extend([0] * (column + colspan - len(covered)))
            for place in range(column, column + colspan):
                covered[place] = rowspan
            column += colspan
        elif kind == "tr_close":
            section.append(row)
            covered = [max(0, n - 1) for n in covered]
        elif kind == "table_close":
            index += 1
            break
        index += 1
    columns = max(len(measure.wanted), 1)
    measure.grow(columns)
    _fill(head + body, columns)
    column_aligns = [aligns.get(c, "AlignDefault") for c in range(columns)]
    widths = column_widths(measure.wanted, measure.least)
    if ctx.target == "typst":
        head.insert(0, [continued_row(ctx, label, columns)])
    return pa.table(caption or [], head, body, column_aligns, identifier, widths), index


def wrap_long_words(nodes: list[Node]) -> list[Node]:
    """A cell's inlines for Typst, each unbreakable run (`_UNBREAKABLE`) a `std-long-word` call.

    Marked here, where the text is at hand, rather than by a `show regex` rule on every table cell in
    the template: such a rule ran over all the text of every cell and cost a third of a long
    standard's typesetting, for the few cells that hold a long URL or code."""
    wrapped: list[Node] = []
    for node in nodes:
        kind = node["t"]
        if kind == "Str" and _UNBREAKABLE.search(node["c"]):
            wrapped.extend(_long_word_calls(node["c"], code=False))
        elif kind == "Code" and _UNBREAKABLE.search(node["c"][1]):
            wrapped.extend(_long_word_calls(node["c"][1], code=True))
        elif kind in _CONTAINERS:
            wrapped.append({"t": kind, "c": wrap_long_words(node["c"])})
        elif kind in ("Link", "Span"):  # [attr, inlines, …]
            wrapped.append({"t": kind, "c": [node["c"][0], wrap_long_words(node["c"][1]), *node["c"][2:]]})
        else:
            wrapped.append(node)
    return wrapped


def _long_word_calls(text: str, *, code: bool) -> list[Node]:
    """`text` as Str (or Code) pieces with each long run a `#std-long-word("…");` call (the `;` ends
    the call, so the text after it cannot be read as more arguments)."""
    from exports.blocks import typst_string

    nodes: list[Node] = []
    start = 0
    for match in _UNBREAKABLE.finditer(text):
        if match.start() > start:
            piece = text[start : match.start()]
            nodes.append(pa.code(piece) if code else {"t": "Str", "c": piece})
        flag = ", code: true" if code else ""
        nodes.append(pa.raw_inline("typst", f"#std-long-word({typst_string(match.group())}{flag});"))
        start = match.end()
    if start < len(text):
        nodes.append(pa.code(text[start:]) if code else {"t": "Str", "c": text[start:]})
    return nodes


def continued_row(ctx: Context, label: str | None, columns: int) -> pa.SpanCell:
    """The header's first row, across the table: "表3（续）" on the pages a table continues on, nothing
    (no height, no rules: the template's table stroke and inset leave row 0 out) on its first page.

    Typst repeats a table's header on every page the table runs over and evaluates the `context` in
    it once per page, so `std-continued` in the template compares its page with the table's first.
    Word repeats header rows too (pandoc marks them w:tblHeader) but has no way to print different
    text on the repeat, so the DOCX continues its tables without a 续 caption."""
    from exports.blocks import typst_string

    words = ""
    if label:
        words = f"{label}（续）" if ctx.zh else f"{label} (continued)"
    call = pa.raw_inline("typst", f"#std-continued({typst_string(words)})")
    return pa.SpanCell([pa.plain([call])], 0, 1, columns)


def _span(token: Token, name: str) -> int:
    value = str(token.attrGet(name) or "1")
    return max(1, int(value)) if value.isdigit() else 1


def _fill(rows: list[list[pa.SpanCell]], columns: int) -> None:
    """Give a row an empty cell at every place no cell covers (a short pipe-table row), in order."""
    covered = [0] * columns
    for row in rows:
        for cell in row:
            for place in range(cell.column, min(cell.column + cell.colspan, columns)):
                covered[place] = cell.rowspan
        free = [c for c in range(columns) if covered[c] == 0]
        if free:
            row.extend(pa.SpanCell([], c) for c in free)
            row.sort(key=lambda cell: cell.column)
        covered = [max(0, n - 1) for n in covered]


def caption_inlines(ctx: Context, label: str | None, caption: str | None) -> list[Node]:
    """ "表1　服务人员配置要求": the label, an ideographic space, the caption's inline Markdown."""
    from exports.markdown import inlines

    parts = pa.text(label) if label else []
    if caption:
        if parts:
            parts.extend(
                [{"t": "Str", "c": "\u3000"}] if ctx.zh else [pa.SPACE, {"t": "Str", "c": "—"}, pa.SPACE]
            )
        parts.extend(inlines(ctx, caption))
    return parts
