"""Markdown source of one block → pandoc AST nodes, with markdown-it (HTML off) as the reader.

The document core tells us what each block is and where it is; this module reads the inline markup
inside it (emphasis, code, math, links, images, sub/superscripts) the way pandoc Markdown would, and
resolves what a standard prints instead of the source: `[](#id)` becomes the target's label, a figure
becomes an embedded picture or a placeholder. HTML is disabled in the reader, so `<script>` or
`\\input{…}` are just text; no raw node is ever made from the source.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from authoring.document.blockrules import grid_table, math_block
from exports import pandoc_ast as pa
from exports.context import Context
from exports.pandoc_ast import Node

_SCRIPT = re.compile(r"\^([^\s^]+)\^|~([^\s~]+)~")
#: a label stops at the next `[` (pandoc's rule too), so a flood of `[^` is not rescanned at each one
_FOOTNOTE_REF = re.compile(r"\[\^([^\[\]\s]+)\]")
_SAFE_URL = re.compile(r"(https?://|mailto:)[^\s]+", re.IGNORECASE)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark, HTML off, pipe and grid tables, `$math$`, note/example containers."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, double_inline=False)
    md.use(container_plugin, name="note").use(container_plugin, name="example")
    md.block.ruler.before("table", "grid_table", grid_table, {"alt": ["paragraph", "reference"]})
    md.block.ruler.before("paragraph", "math_block_eqno", math_block)
    return md


def _is_cjk(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff"
        or "\uf900" <= char <= "\ufaff"
        or "\uff00" <= char <= "\uffef"
        or ("\u3000" <= char <= "\u303f")
    )


def _text(value: str) -> list[Node]:
    """Text with pandoc's `^super^` and `~sub~` (m^2^, H~2~O)."""
    out: list[Node] = []
    position = 0
    for match in _SCRIPT.finditer(value):
        out.extend(pa.text(value[position : match.start()]))
        if match.group(1) is not None:
            out.append(pa.wrap("Superscript", pa.text(match.group(1))))
        else:
            out.append(pa.wrap("Subscript", pa.text(match.group(2))))
        position = match.end()
    out.extend(pa.text(value[position:]))
    return out


def _footnotes(ctx: Context, value: str) -> list[Node]:
    """`[^label]` becomes a real footnote (Word's footnotes, Typst's #footnote) with the text of its
    definition; an undefined label stays as typed."""
    out: list[Node] = []
    position = 0
    for match in _FOOTNOTE_REF.finditer(value):
        content = ctx.footnote(match.group(1))
        if content is None:
            continue
        out.extend(_text(value[position : match.start()]))
        out.append({"t": "Note", "c": content})
        position = match.end()
    out.extend(_text(value[position:]))
    return out


def _edge_char(nodes: list[Node], last: bool) -> str:
    """The first (or last) character of some inline nodes, to decide how a soft line break prints."""
    sequence = reversed(nodes) if last else iter(nodes)
    for node in sequence:
        if node["t"] == "Str":
            return node["c"][-1] if last else node["c"][0]
        if node["t"] in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript"):
            found = _edge_char(node["c"], last)
            if found:
                return found
        elif node["t"] in ("Span", "Link"):
            found = _edge_char(node["c"][1], last)
            if found:
                return found
        elif node["t"] != "SoftBreak":
            return "x"
    return ""


def _soft_breaks(nodes: list[Node]) -> list[Node]:
    """A line break in the source between two CJK characters prints nothing; elsewhere a space."""
    out: list[Node] = []
    for index, node in enumerate(nodes):
        if node["t"] != "SoftBreak":
            out.append(node)
            continue
        before, after = _edge_char(out, last=True), _edge_char(nodes[index + 1 :], last=False)
        if not (before and after and _is_cjk(before) and _is_cjk(after)):
            out.append(pa.SPACE)
    return out


#: characters that may start inline markup (or an entity, an escape, a hard break); most Chinese
#: paragraphs have none, and skip markdown-it entirely
_MARKUP = re.compile(r"[\\`*_\[\]!<>&$~^]|  \n")


def inlines(ctx: Context, source: str) -> list[Node]:
    """Inline Markdown → pandoc inlines, references resolved."""
    source = source.strip()
    if not source:
        return []
    if _MARKUP.search(source) is None:
        nodes: list[Node] = []
        for index, line in enumerate(source.split("\n")):
            if index:
                nodes.append(pa.SOFT_BREAK)
            nodes.extend(pa.text(line.strip()))
        return _soft_breaks(nodes)
    tokens = parser().parseInline(source)
    children = tokens[0].children if tokens else []
    return convert_inline(ctx, children or [])


#: emphasis, links and strikeouts nested deeper than this keep their text but lose their markup: no
#: standard nests eight, and 100,000 nested `**` made a pandoc AST too deep to write as JSON (and
#: for Word or Typst to lay out)
MAX_INLINE_DEPTH = 16


def convert_inline(ctx: Context, tokens: list[Token]) -> list[Node]:
    """markdown-it's flat inline tokens → nested pandoc inlines, at most MAX_INLINE_DEPTH deep."""
    stack: list[tuple[Token | None, list[Node]]] = [(None, [])]
    too_deep = 0  # openers past the depth cap whose closers are still to come
    for token in tokens:
        current = stack[-1][1]
        kind = token.type
        if kind in ("text", "text_special"):
            current.extend(_footnotes(ctx, token.content) if "[^" in token.content else _text(token.content))
        elif kind == "softbreak":
            current.append(pa.SOFT_BREAK)
        elif kind == "hardbreak":
            current.append(pa.LINE_BREAK)
        elif kind == "code_inline":
            current.append(pa.code(token.content))
        elif kind in ("math_inline", "math_inline_double"):
            current.append(pa.math(token.content, display=kind.endswith("double")))
        elif kind == "image":
            current.extend(inline_image(ctx, token))
        elif kind.endswith("_open") and len(stack) > MAX_INLINE_DEPTH:
            too_deep += 1
        elif kind.endswith("_close") and too_deep:
            too_deep -= 1
        elif kind.endswith("_open"):
            stack.append((token, []))
        elif kind.endswith("_close") and len(stack) > 1:
            opener, content = stack.pop()
            stack[-1][1].extend(_close(ctx, opener, _soft_breaks(content)))
        else:  # anything unexpected keeps its text, never its markup
            current.extend(_text(token.content))
    while len(stack) > 1:  # unbalanced (cannot happen with markdown-it, but never lose text)
        _, content = stack.pop()
        stack[-1][1].extend(content)
    return _soft_breaks(stack[0][1])


def _close(ctx: Context, opener: Token | None, content: list[Node]) -> list[Node]:
    kind = opener.type if opener is not None else ""
    if kind == "em_open":
        return [pa.wrap("Emph", content)]
    if kind == "strong_open":
        return [pa.wrap("Strong", content)]
    if kind == "s_open":
        return [pa.wrap("Strikeout", content)]
    if kind == "link_open":
        return link(ctx, str(opener.attrGet("href") or ""), content)
    return content


def link(ctx: Context, href: str, content: list[Node]) -> list[Node]:
    """A cross reference prints its target's label; an external link stays a link; anything else is text."""
    if href.startswith("#"):
        target = href[1:]
        if not content:
            label = ctx.label(target)
            if label is None:
                ctx.warn(f"未知的引用目标：{target}", f"Unknown cross-reference target: {target}")
                label = f"[{target}]"
            content = pa.text(label)
        if ctx.target == "docx" and target in ctx.anchors:
            return [pa.link(content, href)]
        return content
    if _SAFE_URL.fullmatch(href) and content:
        return [pa.link(content, href)]
    return content


def inline_image(ctx: Context, token: Token) -> list[Node]:
    """An image inside running text: embedded when it is an allowed figure, else its alt text in brackets."""
    src = str(token.attrGet("src") or "")
    alt = convert_inline(ctx, token.children or [])
    picture = picture_node(ctx, src, alt)
    if picture is None:
        return [{"t": "Str", "c": "["}, *alt, {"t": "Str", "c": "]"}]
    return [picture]


def picture_node(ctx: Context, src: str, alt: list[Node], *, width_mm: float | None = None) -> Node | None:
    """The image node for an allowed figure (a data URI for pandoc, or a file in its work folder when
    `ctx.figure_files`; a file in the Typst root), or None.

    A refused or missing figure is reported once as a warning; the caller prints a placeholder.
    """
    figure = ctx.figures.get(src)
    if figure is None:
        ctx.warn(
            f"图片不存在或不允许使用，已用占位框代替：{src}",
            f"Figure missing or not allowed, replaced by a placeholder: {src}",
        )
        return None
    if width_mm is None:  # the picture's own size at 96 dpi, kept between 40 mm and 150 mm wide
        width_mm = min(150.0, max(40.0, figure.width * 25.4 / 96))
    if ctx.target == "typst":
        name = f"figure-{len(ctx.media) + 1}.{figure.extension}"
        for existing, known in ctx.media.items():
            if known is figure:
                name = existing
        ctx.media[name] = figure
        return pa.raw_inline("typst", f'#image("{name}", width: {width_mm:.0f}mm)')
    if ctx.figure_files:
        source = f"figures/{figure.name}"
        ctx.media[source] = figure
    else:
        source = f"data:{figure.media_type};base64,{base64.b64encode(figure.data).decode('ascii')}"
    node = pa.image(alt, source)
    node["c"][0][2].append(["width", f"{width_mm:.0f}mm"])
    return node


def blocks_from_tokens(ctx: Context, tokens: list[Token]) -> list[Node]:
    """The core's block tokens (a quote, a footnote, an unknown block) → pandoc blocks."""
    out, _ = _blocks(ctx, tokens, 0, None)
    return out


def _inline_token(ctx: Context, token: Token) -> list[Node]:
    """An inline token of the core's block pass has no children: read its content here."""
    if token.children:
        return convert_inline(ctx, token.children)
    return inlines(ctx, token.content)


def _blocks(ctx: Context, tokens: list[Token], index: int, closing: str | None) -> tuple[list[Node], int]:
    out: list[Node] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if closing is not None and kind == closing:
            return out, index + 1
        if kind == "paragraph_open" or kind == "heading_open":
            out.append(pa.para(_inline_token(ctx, tokens[index + 1])))
            index += 3
        elif kind in ("fence", "code_block"):
            out.append(pa.code_block(token.content.rstrip("\n")))
            index += 1
        elif kind in ("math_block", "math_block_eqno"):
            out.append(pa.para([pa.math(token.content, display=True)]))
            index += 1
        elif kind == "hr":
            out.append({"t": "HorizontalRule"})
            index += 1
        elif kind == "table_open":
            from exports.tables import table_from_tokens

            table, index = table_from_tokens(ctx, tokens, index)
            out.append(table)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items, index = _list(ctx, tokens, index)
            out.extend(items)
        elif kind.endswith("_open"):  # blockquote, containers: their content, flattened
            inner, index = _blocks(ctx, tokens, index + 1, kind.replace("_open", "_close"))
            out.append(pa.block_quote(inner) if kind == "blockquote_open" else pa.div(inner))
        else:  # html is off, so what remains is text: keep it as text
            if token.content:
                out.append(pa.para(_text(token.content)))
            index += 1
    return out, index


def _list(ctx: Context, tokens: list[Token], index: int) -> tuple[list[Node], int]:
    """A Markdown list → labelled items ("——" for bullets, "1)" or "1." as written)."""
    from exports.blocks import list_item

    opener = tokens[index]
    closing = opener.type.replace("_open", "_close")
    ordered = opener.type.startswith("ordered")
    number = int(opener.attrGet("start") or 1)
    index += 1
    out: list[Node] = []
    while index < len(tokens) and tokens[index].type != closing:
        if tokens[index].type == "list_item_open":
            content, index = _blocks(ctx, tokens, index + 1, "list_item_close")
            label = f"{number}{opener.markup or ')'}" if ordered else "——"
            out.extend(list_item(ctx, label, content))
            number += 1
        else:
            index += 1
    return out, index + 1
