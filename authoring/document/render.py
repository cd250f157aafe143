"""The standard as HTML in GB/T 1.1 style: numbered headings, term entries, three-line annex headings,
captions, notes in small type, cross references as labels. Every section and block carries an `id`
(comments point at it) and `data-line` (the editor syncs scrolling with it). Output is sanitised."""

from __future__ import annotations

from html import escape

from .inline_html import figure_src, render_inline, render_tokens, sanitise
from .tree import Block, BlockKind, Document, Section, SectionKind

_STATUS = {
    "zh": {"normative": "（规范性）", "informative": "（资料性）"},
    "en": {"normative": "(normative)", "informative": "(informative)"},
}
_GAP = "\u3000"  # GB/T 1.1 puts an ideographic space between a number and its title


#: shown in place of an image whose source is not a file of the standard's figures/ folder
_NO_FIGURE = {
    "zh": "图片不可用（只能引用 figures/ 中的图片）",
    "en": "Figure not available (only figures/ files are shown)",
}


def annex_status_text(status: str | None, lang: str) -> str:
    """ "（规范性）" / "(informative)": the second line of an annex heading."""
    return _STATUS["en" if lang == "en" else "zh"].get(status or "", "")


def render_page(doc: Document, *, lang: str | None = None) -> str:
    """A standalone HTML page: cover lines, a clickable outline and the body, with a small stylesheet."""
    from .page import page

    return page(doc, render_html(doc), lang=lang or doc.language)


def render_html(doc: Document) -> str:
    """An HTML fragment of the whole standard body (no cover, no outline): safe to embed."""
    renderer = _Renderer(doc)
    parts: list[str] = ['<div class="standard">']
    if doc.preamble:
        parts.append('<div class="preamble">')
        parts.extend(renderer.blocks(doc.preamble, "preamble"))
        parts.append("</div>")
    for section in doc.sections:
        renderer.section(section, 0, parts)
    parts.append("</div>")
    return sanitise("".join(parts))


def _attrs(anchor: str, line: int) -> str:
    return f' id="{escape(anchor)}" data-line="{line}"'


class _Renderer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lang = "en" if doc.language == "en" else "zh"
        self.env: dict = {"labels": doc.labels}

    def inline(self, markdown: str) -> str:
        return render_inline(markdown, self.env)

    # sections -----------------------------------------------------------------------------
    def section(self, section: Section, depth: int, out: list[str]) -> None:
        kind = section.kind.value
        css = f"{kind} deep" if section.level > 6 else kind
        out.append(f'<section class="{css}"{_attrs(section.id, section.line)}>')
        out.append(self.heading(section, depth))
        if section.kind is SectionKind.TERM:
            out.append(self.term_name(section))
        out.extend(self.blocks(section.blocks, section.id))
        for child in section.children:
            self.section(child, depth + 1, out)
        out.append("</section>")

    def heading(self, section: Section, depth: int) -> str:
        tag = f"h{min(depth + 2, 6)}"
        title = self.inline(section.markdown_title) if section.markdown_title else ""
        if section.kind is SectionKind.ANNEX:
            status = annex_status_text(section.annex_status, self.lang)
            return (
                f'<h2 class="annex-heading"><span class="annex-number">{escape(section.label or "")}</span>'
                f'<span class="annex-status">{status}</span><span class="annex-title">{title}</span></h2>'
            )
        if section.kind is SectionKind.TERM:
            return (
                f'<{tag} class="term-number"><span class="num">{escape(section.number or "")}</span></{tag}>'
            )
        number = f'<span class="num">{escape(section.number)}</span>' if section.number else ""
        if not title:
            return f'<{tag} class="untitled">{number}</{tag}>'
        gap = _GAP if number else ""
        return f'<{tag} class="heading">{number}{gap}<span class="title">{title}</span></{tag}>'

    def term_name(self, section: Section) -> str:
        english = section.attrs.get("en")
        en = f' <span class="term-en" lang="en">{escape(english)}</span>' if english else ""
        return f'<p class="term-name"><strong>{self.inline(section.markdown_title)}</strong>{en}</p>'

    # blocks -------------------------------------------------------------------------------
    def blocks(self, blocks: list[Block], owner: str) -> list[str]:
        return [self.block(block, block.id or f"{owner}-b{i}") for i, block in enumerate(blocks, start=1)]

    def block(self, block: Block, anchor: str) -> str:
        kind = block.kind
        at = _attrs(anchor, block.line)
        if kind is BlockKind.PARAGRAPH:
            return f'<p class="paragraph"{at}>{self.segments(block)}</p>'
        if kind in (BlockKind.NOTE, BlockKind.EXAMPLE):
            return self.note(block, anchor)
        if kind is BlockKind.SOURCE:
            return f'<p class="source"{at}>{self.segments(block)}</p>'
        if kind is BlockKind.LIST:
            return self.list(block, anchor)
        if kind is BlockKind.TABLE:
            return self.table(block, anchor)
        if kind is BlockKind.FIGURE:
            return self.figure(block, anchor)
        if kind is BlockKind.FORMULA:
            return (
                f'<div class="formula"{at}><span class="math display">{escape(block.src or "")}</span>'
                f'<span class="eqno">{escape(block.number or "")}</span></div>'
            )
        if kind is BlockKind.FOOTNOTE:
            body = render_tokens(block.tokens[1:-1], self.env)
            label = escape(anchor.removeprefix("fn-"))
            return f'<div class="footnote"{at}><sup>{label}</sup>{body}</div>'
        if kind is BlockKind.CODE:
            return f'<pre class="code"{at}><code>{escape(block.text)}</code></pre>'
        if kind is BlockKind.QUOTE:
            return f'<blockquote class="quote"{at}>{render_tokens(block.tokens[1:-1], self.env)}</blockquote>'
        if block.tokens:
            return f'<div class="other"{at}>{render_tokens(block.tokens, self.env)}</div>'
        return f'<div class="other"{at}>{self.segments(block)}</div>'

    def segments(self, block: Block) -> str:
        return "\n".join(self.inline(markdown) for _, markdown in block.segments)

    def note(self, block: Block, anchor: str) -> str:
        css = "note" if block.kind is BlockKind.NOTE else "example"
        label = f'<span class="label">{escape(block.label or "")}</span>'
        body = "".join(self.blocks(block.children, anchor)) if block.children else self.segments(block)
        return f'<div class="{css}"{_attrs(anchor, block.line)}>{label}{body}</div>'

    def list(self, block: Block, anchor: str) -> str:
        at = _attrs(anchor, block.line)
        if block.tokens:  # a Markdown list: as markdown-it prints it, with lines on the items
            for token in block.tokens:
                if token.type == "list_item_open" and token.map:
                    token.attrSet("data-line", str(token.map[0] + 1))
            body = render_tokens(block.tokens, self.env)
            return f'<div class="other"{at}>{body}</div>'
        items = []
        for position, item in enumerate(block.items):
            marker = f"{chr(97 + position % 26)})"
            items.append(
                f'<li class="item"{_attrs(f"{anchor}-{position + 1}", item.line)}>'
                f'<span class="marker">{marker}</span>{_GAP}{self.segments(item)}</li>'
            )
        return f'<ol class="alpha"{at}>{"".join(items)}</ol>'

    def table(self, block: Block, anchor: str) -> str:
        caption = ""
        if block.label or block.caption:
            title = self.inline(block.segments[0][1]) if block.caption and block.segments else ""
            caption = (
                f'<p class="table-caption"><span class="num">{escape(block.label or "")}</span>'
                f"{_GAP if title else ''}{title}</p>"
            )
        tokens = block.tokens
        if tokens and tokens[0].type == "table_open":
            tokens[0].attrSet("class", "table")
        return f'<div class="table-wrap"{_attrs(anchor, block.line)}>{caption}{render_tokens(tokens, self.env)}</div>'

    def figure(self, block: Block, anchor: str) -> str:
        src = block.src or ""
        image = ""
        if figure_src(src):
            image = f'<img src="{escape(src)}" alt="{escape(block.caption or "")}">'
        else:  # framed like a missing figure in the exports: the drafter sees what to fix
            image = f'<div class="figure-placeholder">{_NO_FIGURE[self.lang]}</div>'
        caption = self.inline(block.segments[0][1]) if block.segments else ""
        return (
            f'<figure class="figure"{_attrs(anchor, block.line)}>{image}<figcaption class="caption">'
            f'<span class="num">{escape(block.label or "")}</span>{_GAP if caption else ""}{caption}'
            "</figcaption></figure>"
        )
