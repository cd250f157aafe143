"""Tables: the core's markdown-it table tokens → a pandoc Table with "表1　标题" as its caption."""

from __future__ import annotations

import unicodedata

from markdown_it.token import Token

from exports import pandoc_ast as pa
from exports.context import Context
from exports.pandoc_ast import Node

_ALIGN = {"left": "AlignLeft", "center": "AlignCenter", "right": "AlignRight"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_from_tokens(
    ctx: Context, tokens: list[Token], index: int, caption: list[Node] | None = None, identifier: str = ""
) -> tuple[Node, int]:
    """Read `table_open` … `table_close` at `index`; return the Table node and the index after it."""
    head: list[list[list[Node]]] = []
    body: list[list[list[Node]]] = []
    aligns: list[str] = []
    lengths: list[int] = []
    row: list[list[Node]] = []
    section = body
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "thead_open":
            section = head
        elif kind == "tbody_open":
            section = body
        elif kind in ("th_open", "td_open"):
            column = len(row)
            if section is head or not aligns or column >= len(aligns):
                style = str(token.attrGet("style") or "")
                align = next((v for k, v in _ALIGN.items() if k in style), "AlignDefault")
                if column >= len(aligns):
                    aligns.append(align)
                    lengths.append(0)
        elif kind == "inline":
            from exports.markdown import inlines

            content = token.content
            lengths[len(row)] = max(lengths[len(row)], min(_width(content), 60))
            row.append([pa.plain(inlines(ctx, content))] if content.strip() else [])
        elif kind == "tr_close":
            section.append(row)
            row = []
        elif kind == "table_close":
            index += 1
            break
        index += 1
    if not aligns:
        aligns, lengths = ["AlignDefault"], [1]
    total = sum(max(n, 4) for n in lengths)
    widths = [max(n, 4) / total for n in lengths]
    return pa.table(caption or [], head, body, aligns, identifier, widths), index


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
