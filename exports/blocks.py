"""The numbered document tree → pandoc blocks with everything a standard prints already resolved.

Numbers are written into the headings ("4.2　标题"), references print their labels, notes and examples
carry their "注1：" labels, tables and figures their "表1　标题" captions, term entries their number,
term and English term, annexes their three-line title. pandoc then only lays the result out.

Two targets share this module: for DOCX the styling travels as `custom-style` (Word paragraph and
character styles from the reference DOCX); for Typst as calls to functions of our template, emitted
as raw Typst around pandoc's own (escaped) output. Raw nodes only ever carry generated text, and any
text from the document inside them goes through `typst_string`.
"""

from __future__ import annotations

import re

from authoring.document.tree import Block, BlockKind, Section, SectionKind
from exports import pandoc_ast as pa
from exports.context import Context
from exports.figures import figure_name
from exports.markdown import blocks_from_tokens, inlines, picture_node
from exports.pandoc_ast import Node
from exports.tables import caption_inlines, table_from_tokens

_ITEM_MARKER = re.compile(r"\s*(?:([-*+])|(\d{1,3}[.)])|([a-z][)）]))")
_TAB = "<w:r><w:tab/></w:r>"


def typst_string(value: str) -> str:
    """A Typst string literal: the only way document text enters raw Typst (no markup, no code)."""
    cleaned = "".join(ch for ch in value if ch >= " " or ch == "\n")
    escaped = cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def sep(ctx: Context) -> Node:
    """Between a number and its title: an ideographic space in Chinese, an em space in English."""
    return {"t": "Str", "c": "\u3000" if ctx.zh else "\u2003"}


def styled(ctx: Context, style: str, content: list[Node], identifier: str = "") -> list[Node]:
    """Blocks in a named style: a Word custom style, or a call to the Typst template's `std-<style>`.

    In Word an `identifier` becomes a bookmark, so a reader of the file (and our import) finds the
    element's id where it begins."""
    if ctx.target == "docx":
        if identifier:
            ctx.anchors.add(identifier)
        return [pa.div(content, custom_style=style, identifier=identifier)]
    function = "std-" + style.lower().replace(" ", "-")
    return [pa.raw_block("typst", f"#{function}["), *content, pa.raw_block("typst", "]")]


def label_inline(ctx: Context, label: str, style: str = "Label") -> Node:
    """A label set in 黑体 at the start of a paragraph ("注1：", "4.4.1", "——")."""
    if ctx.target == "docx":
        return pa.span(pa.text(label), custom_style=style)
    return pa.raw_inline("typst", f"#std-label({typst_string(label)})")


def tab(ctx: Context) -> Node:
    return pa.raw_inline("openxml", _TAB) if ctx.target == "docx" else pa.raw_inline("typst", "#h(0.5em)")


def segment_text(block: Block) -> str:
    return "\n".join(text for _, text in block.segments)


def block_inlines(ctx: Context, block: Block) -> list[Node]:
    if block.segments:
        return inlines(ctx, segment_text(block))
    return pa.text(block.text)


def with_label(ctx: Context, label: str | None, content: list[Node], style: str = "Label") -> list[Node]:
    """Put a label in front of the first paragraph of `content` (or make a paragraph for it)."""
    if not label:
        return content
    suffix = [] if label.endswith(("：", ":")) else [{"t": "Str", "c": "\u3000" if ctx.zh else "\u2003"}]
    prefix = [label_inline(ctx, label, style), *suffix]
    if content and content[0]["t"] in ("Para", "Plain"):
        first = {"t": content[0]["t"], "c": prefix + content[0]["c"]}
        return [first, *content[1:]]
    return [pa.para(prefix), *content]


def list_item(ctx: Context, label: str | None, content: list[Node], level: int = 1) -> list[Node]:
    """One list item with its label written out and the text hanging after it."""
    first, rest = (content[0], content[1:]) if content and content[0]["t"] in ("Para", "Plain") else (
        pa.para([]), content)  # fmt: skip
    lead = [{"t": "Str", "c": label}, tab(ctx)] if label else []
    paragraph = pa.para(lead + first["c"])
    style = "List Item" if level == 1 else "List Item 2"
    return styled(ctx, style, [paragraph]) + rest


class BodyBuilder:
    """Converts sections and blocks; one instance per export."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # sections -------------------------------------------------------------------------------
    def section(self, section: Section) -> list[Node]:
        kind = section.kind
        if kind in (SectionKind.FOREWORD, SectionKind.INTRODUCTION, SectionKind.BIBLIOGRAPHY):
            out = self.preface_heading(section)
        elif kind is SectionKind.ANNEX:
            out = self.annex_heading(section)
        elif kind is SectionKind.TERM:
            out = self.term_heading(section)
        elif section.untitled:
            out = []
        else:
            out = self.clause_heading(section)
        blocks = self.blocks(section.blocks, section)
        if kind is SectionKind.CLAUSE and section.untitled:
            # "4.4.1　text": the number in 黑体 starts the clause's first paragraph, at the margin
            blocks = with_label(self.ctx, section.number or "", blocks, style="Clause Number")
            if blocks and blocks[0]["t"] == "Para":
                blocks = styled(self.ctx, "Untitled Clause", blocks[:1], section.id) + blocks[1:]
        out.extend(blocks)
        for child in section.children:
            out.extend(self.section(child))
        return out

    def title_inlines(self, section: Section) -> list[Node]:
        return inlines(self.ctx, section.markdown_title or section.title)

    def preface_heading(self, section: Section) -> list[Node]:
        title = section.title or section.label or ""
        if self.ctx.target == "typst":
            return [pa.raw_block("typst", f"#std-preface-heading({typst_string(title)})")]
        self.ctx.anchors.add(section.id)
        return [
            pa.div(
                [pa.para(self.title_inlines(section))], custom_style="Preface Heading", identifier=section.id
            )
        ]

    def annex_heading(self, section: Section) -> list[Node]:
        zh = self.ctx.zh
        number = section.label or (f"附录{section.number}" if zh else f"Annex {section.number}")
        status = {"normative": ("（规范性）", "(normative)"), "informative": ("（资料性）", "(informative)")}.get(
            section.annex_status or "", ("", ""))[0 if zh else 1]  # fmt: skip
        if self.ctx.target == "typst":
            args = ", ".join(
                typst_string(v) for v in (number, status, pa.stringify(self.title_inlines(section)))
            )
            return [pa.raw_block("typst", f"#std-annex-heading({args})")]
        lines = [*pa.text(number), pa.LINE_BREAK]
        if status:
            lines += [*pa.text(status), pa.LINE_BREAK]
        self.ctx.anchors.add(section.id)
        return [
            pa.div(
                [pa.para(lines + self.title_inlines(section))],
                custom_style="Annex Heading",
                identifier=section.id,
            )
        ]

    def clause_heading(self, section: Section) -> list[Node]:
        content = [*pa.text(section.number or ""), sep(self.ctx), *self.title_inlines(section)]
        if section.number is None:
            content = self.title_inlines(section)
        parent_is_intro = section.number is not None and section.number.startswith("0.")
        level = max(1, min(section.level, 6))
        if parent_is_intro:
            return styled(self.ctx, "Intro Heading", [pa.para(content)], section.id)
        self.ctx.anchors.add(section.id)
        return [pa.header(level, content, section.id if self.ctx.target == "docx" else "")]

    def term_heading(self, section: Section) -> list[Node]:
        term = self.title_inlines(section)
        english = section.attrs.get("en")
        if self.ctx.target == "typst":
            args = ", ".join(
                typst_string(v) for v in (section.number or "", pa.stringify(term), english or "")
            )
            return [pa.raw_block("typst", f"#std-term-entry({args})")]
        line = term + ([sep(self.ctx), *pa.text(english)] if english else [])
        return [
            pa.div(
                [pa.para(pa.text(section.number or ""))], custom_style="Term Number", identifier=section.id
            ),
            pa.div([pa.para(line)], custom_style="Term"),
        ]

    # blocks ---------------------------------------------------------------------------------
    def blocks(self, blocks: list[Block], section: Section | None) -> list[Node]:
        out: list[Node] = []
        for block in blocks:
            out.extend(self.block(block, section))
        return out

    def block(self, block: Block, section: Section | None) -> list[Node]:
        kind = block.kind
        ctx = self.ctx
        if kind is BlockKind.PARAGRAPH:
            if section is not None and section.kind is SectionKind.BIBLIOGRAPHY:
                return styled(ctx, "Reference", [pa.para(block_inlines(ctx, block))])
            return [pa.para(block_inlines(ctx, block))]
        if kind is BlockKind.SOURCE:
            return [pa.para(block_inlines(ctx, block))]
        if kind in (BlockKind.NOTE, BlockKind.EXAMPLE):
            content = (
                self.blocks(block.children, None) if block.children else [pa.para(block_inlines(ctx, block))]
            )
            style = "Note" if kind is BlockKind.NOTE else "Example"
            return styled(ctx, style, with_label(ctx, block.label, content))
        if kind is BlockKind.LIST:
            return self.list(block, section)
        if kind is BlockKind.TABLE:
            return self.table(block)
        if kind is BlockKind.FIGURE:
            return self.figure(block)
        if kind is BlockKind.FORMULA:
            return self.formula(block)
        if kind is BlockKind.CODE:
            return [pa.code_block(block.text.rstrip("\n"))]
        if kind is BlockKind.FOOTNOTE:
            return []  # printed where it is cited, as a footnote
        if block.tokens:
            return blocks_from_tokens(ctx, block.tokens)
        if block.segments:
            return [pa.para(block_inlines(ctx, block))]
        return [pa.para(pa.text(block.text))] if block.text else []

    def list(self, block: Block, section: Section | None, level: int = 1) -> list[Node]:
        """Lists: normative references and bibliography entries stand alone; other items keep their label."""
        plain_entries = section is not None and (
            (section.kind is SectionKind.CHAPTER and section.number == "2")
            or section.kind is SectionKind.BIBLIOGRAPHY
        )
        out: list[Node] = []
        for item in block.items:
            content = [pa.para(block_inlines(self.ctx, item))]
            if plain_entries:
                out.extend(styled(self.ctx, "Reference", content))
            else:
                out.extend(list_item(self.ctx, self.item_label(item), content, level))
            if item.items:
                nested = Block(
                    kind=BlockKind.LIST, line=item.line, end_line=item.end_line, text="", items=item.items
                )
                out.extend(self.list(nested, section, level + 1))
        return out

    def item_label(self, item: Block) -> str:
        marker = _ITEM_MARKER.match(self.ctx.source_lines(item.line, item.line))
        if marker is None or marker.group(1):
            return "——" if self.ctx.zh else "—"
        return (marker.group(2) or marker.group(3)).replace("）", ")")

    def table(self, block: Block) -> list[Node]:
        ctx = self.ctx
        caption = caption_inlines(ctx, block.label, block.caption)
        start = next((i for i, t in enumerate(block.tokens) if t.type == "table_open"), None)
        if start is None:
            return [pa.para(block_inlines(ctx, block))]
        table, _ = table_from_tokens(ctx, block.tokens, start, caption, block.id or "", block.label)
        if block.id:
            ctx.anchors.add(block.id)
        return [table]

    def figure(self, block: Block) -> list[Node]:
        ctx = self.ctx
        caption = caption_inlines(ctx, block.label, block.caption)
        picture = picture_node(ctx, block.src or "", pa.text(block.caption or ""))
        # a placeholder names the file only when it is a figure reference we would have followed
        shown = block.src if figure_name(block.src or "") else ""
        if ctx.target == "typst":
            text = typst_string(pa.stringify(caption))
            if picture is None:
                return [pa.raw_block("typst", f"#std-figure-missing({typst_string(shown)}, {text})")]
            return [pa.raw_block("typst", f"#std-figure({picture['c'][1][1:]}, {text})")]
        if picture is None:
            missing = "图片缺失：" if ctx.zh else "Figure missing: "
            box = styled(ctx, "Figure Placeholder", [pa.para(pa.text(missing + shown))], block.id or "")
            return box + styled(ctx, "Image Caption", [pa.para(caption)])
        return [
            {
                "t": "Figure",
                "c": [pa.attr(block.id or ""), [None, [pa.plain(caption)]], [pa.plain([picture])]],
            }
        ]

    def formula(self, block: Block) -> list[Node]:
        tex = block.src or block.text
        number = block.number or ""
        if number and not number.startswith("("):
            number = f"({number})"
        if self.ctx.target == "typst":
            return [
                pa.raw_block("typst", f"#std-formula({typst_string(number)})["),
                pa.para([pa.math(tex, display=True)]),
                pa.raw_block("typst", "]"),
            ]
        content = [tab(self.ctx), pa.math("\\displaystyle " + tex), tab(self.ctx), *pa.text(number)]
        return styled(self.ctx, "Formula", [pa.para(content)], block.id or "")
