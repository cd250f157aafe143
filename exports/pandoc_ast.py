"""Constructors for pandoc's JSON AST (pandoc-types 1.23), the input we hand to pandoc.

We build the AST ourselves instead of letting pandoc read the Markdown: every node that reaches pandoc
is one we chose, so raw HTML, raw LaTeX, `header-includes` and includes from the source can never pass
through, and only the exporter itself emits raw OOXML/Typst (from escaped, generated text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Node = dict[str, Any]
Attr = list[Any]

API_VERSION = [1, 23, 1]

_WHITESPACE = re.compile(r"(\s+)")


def attr(identifier: str = "", classes: list[str] | None = None, **keyvals: str) -> Attr:
    return [identifier, classes or [], [[k.replace("_", "-"), v] for k, v in keyvals.items()]]


def text(value: str) -> list[Node]:
    """Text as one Str node, white space runs collapsed to one space.

    pandoc's readers split words into Str/Space nodes; its writers accept spaces inside a Str and
    lay them out the same, and one node per run of text makes the JSON we hand over ~12 % smaller."""
    if not value:
        return []
    collapsed = _WHITESPACE.sub(" ", value)
    return [SPACE] if collapsed == " " else [{"t": "Str", "c": collapsed}]


SPACE: Node = {"t": "Space"}
SOFT_BREAK: Node = {"t": "SoftBreak"}
LINE_BREAK: Node = {"t": "LineBreak"}


def wrap(kind: str, inlines: list[Node]) -> Node:
    """Emph, Strong, Strikeout, Superscript, Subscript."""
    return {"t": kind, "c": inlines}


def code(value: str) -> Node:
    return {"t": "Code", "c": [attr(), value]}


def math(tex: str, display: bool = False) -> Node:
    return {"t": "Math", "c": [{"t": "DisplayMath" if display else "InlineMath"}, tex]}


def link(inlines: list[Node], url: str) -> Node:
    return {"t": "Link", "c": [attr(), inlines, [url, ""]]}


def image(inlines: list[Node], url: str, identifier: str = "") -> Node:
    return {"t": "Image", "c": [attr(identifier), inlines, [url, ""]]}


def span(inlines: list[Node], *, custom_style: str | None = None, identifier: str = "") -> Node:
    keyvals = {"custom_style": custom_style} if custom_style else {}
    return {"t": "Span", "c": [attr(identifier, **keyvals), inlines]}


def raw_inline(fmt: str, value: str) -> Node:
    return {"t": "RawInline", "c": [fmt, value]}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def plain(inlines: list[Node]) -> Node:
    return {"t": "Plain", "c": inlines}


def header(level: int, inlines: list[Node], identifier: str = "") -> Node:
    return {"t": "Header", "c": [level, attr(identifier), inlines]}


def div(blocks: list[Node], *, custom_style: str | None = None, identifier: str = "") -> Node:
    keyvals = {"custom_style": custom_style} if custom_style else {}
    return {"t": "Div", "c": [attr(identifier, **keyvals), blocks]}


def raw_block(fmt: str, value: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, value]}


def code_block(value: str) -> Node:
    return {"t": "CodeBlock", "c": [attr(), value]}


def block_quote(blocks: list[Node]) -> Node:
    return {"t": "BlockQuote", "c": blocks}


@dataclass(frozen=True)
class SpanCell:
    """A cell placed at `column` that covers `rowspan` rows and `colspan` columns; pandoc writes it
    merged (w:vMerge / w:gridSpan in DOCX, table.cell(rowspan:, colspan:) in Typst). The cells it
    covers are not in the row at all, as in pandoc's own AST."""

    blocks: list[Node]
    column: int
    rowspan: int = 1
    colspan: int = 1


def table(
    caption: list[Node],
    head: list[list[Any]],
    body: list[list[Any]],
    aligns: list[str],
    identifier: str = "",
    widths: list[float] | None = None,
) -> Node:
    """A table: rows of cells, each cell a list of blocks (a row short of cells is padded) or a
    SpanCell (the row is taken as complete); aligns per column (AlignLeft …)."""

    def cell(blocks: list[Node], align: str, rowspan: int = 1, colspan: int = 1) -> list[Any]:
        return [attr(), {"t": align}, rowspan, colspan, blocks]

    def row(cells: list[Any]) -> list[Any]:
        if cells and isinstance(cells[0], SpanCell):
            return [attr(), [cell(c.blocks, aligns[c.column], c.rowspan, c.colspan) for c in cells]]
        padded = cells + [[] for _ in range(len(aligns) - len(cells))]
        return [attr(), [cell(c, a) for c, a in zip(padded, aligns, strict=False)]]

    specs = [
        [{"t": a}, {"t": "ColWidth", "c": widths[i]} if widths else {"t": "ColWidthDefault"}]
        for i, a in enumerate(aligns)
    ]
    return {
        "t": "Table",
        "c": [
            attr(identifier),
            [None, [plain(caption)] if caption else []],
            specs,
            [attr(), [row(r) for r in head]],
            [[attr(), 0, [], [row(r) for r in body]]],
            [attr(), []],
        ],
    }


def document(blocks: list[Node], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pandoc-api-version": API_VERSION, "meta": meta or {}, "blocks": blocks}


def meta_string(value: str) -> Node:
    return {"t": "MetaString", "c": value}


def stringify(inlines: list[Node]) -> str:
    """Plain text of inline nodes (for captions in Typst strings, file names, tests)."""
    out: list[str] = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "Underline", "SmallCaps"):
            out.append(stringify(node["c"]))
        elif kind in ("Link", "Image", "Span"):
            out.append(stringify(node["c"][1]))
        elif kind == "Code" or kind == "Math":
            out.append(node["c"][1])
        elif kind == "Quoted":
            out.append(stringify(node["c"][1]))
    return "".join(out)
