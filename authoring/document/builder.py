"""markdown-it block tokens → the section tree, with every element's source lines.

Works on the block pass alone: each block keeps its inline Markdown by line (`Block.segments`) so that
the plain text and cross references are read later, once labels are known.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .headings import is_terms_chapter, parse_attributes, split_attributes, top_level_kind
from .tree import Block, BlockKind, Section, SectionKind

_NOTE_OPENING = re.compile(
    r"(?P<zh>注|示例)[ \t]*(?:[0-9]+)?[ \t]*[：:][ \t]*"
    r"|(?P<en>NOTE|EXAMPLE)(?=[ \t0-9:])[ \t]*(?:[0-9]+)?[ \t]*:?[ \t]*"
)
_ALPHA_ITEM = re.compile(r"[a-z][)）][ \t\u3000]*")
_CAPTION = re.compile(r"[Tt]able:[ \t]*(.*)", re.S)
_FIGURE = re.compile(
    r"!\[(?P<alt>[^\[\]\n]*)\]\([ \t]*(?P<src>[^()\s]*)(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)"
    r"[ \t]*(?:\{(?P<attrs>[^{}\n]*)\})?[ \t]*"
)
_SOURCE = re.compile(r"\[(?:来源|SOURCE)[ \t]*[：:].*\]", re.S)
_CONTAINER_KINDS = {"container_note_open": BlockKind.NOTE, "container_example_open": BlockKind.EXAMPLE}


def _close_index(tokens: list[Token], start: int) -> int:
    """Index of the token closing `tokens[start]`."""
    level = tokens[start].level
    index = start + 1
    while tokens[index].nesting != -1 or tokens[index].level != level:
        index += 1
    return index


class TreeBuilder:
    """Reads the token stream once, keeping a stack of open sections."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.sections: list[Section] = []
        self.preamble: list[Block] = []
        self.stack: list[Section] = []
        self.chapter_count = 0
        self.terms_chapter: Section | None = None

    # sections -----------------------------------------------------------------------------
    def build(self, tokens: list[Token]) -> None:
        blocks = self.read_blocks(tokens, 0, len(tokens), top=True)
        self.preamble.extend(blocks)
        last = len(self.lines)
        for section in self.stack:
            section.end_line = max(section.line, self.last_filled(last))
        for section in self.sections:
            self.fill_own_source(section)

    def open_heading(self, tokens: list[Token], index: int) -> None:
        opening, inline = tokens[index], tokens[index + 1]
        level = min(len(opening.markup), 7) if opening.markup.startswith("#") else int(opening.tag[1])
        line = opening.map[0] + 1
        title, attributes = split_attributes(inline.content)
        while self.stack and self.stack[-1].level >= level:
            closed = self.stack.pop()
            closed.end_line = max(closed.line, self.last_filled(line - 1))
        parent = self.stack[-1] if self.stack else None
        kind = self.kind_of(level, parent, title, attributes.classes)
        section = Section(
            kind=kind,
            id=attributes.id or "",
            id_explicit=attributes.id is not None,
            title=title,
            level=level,
            line=line,
            end_line=line,
            classes=attributes.classes,
            attrs=attributes.attrs,
            annex_status=self.annex_status(kind, attributes.classes),
            markdown_title=title,
            attr_line=line if opening.markup.startswith("#") else opening.map[1] - 1,
        )
        if kind is SectionKind.CHAPTER:
            self.chapter_count += 1
            if self.terms_chapter is None and is_terms_chapter(title, attributes.id, attributes.classes):
                self.terms_chapter = section
        (parent.children if parent else self.sections).append(section)
        self.stack.append(section)

    def kind_of(self, level: int, parent: Section | None, title: str, classes: list[str]) -> SectionKind:
        if parent is None:
            return top_level_kind(title, classes) if level == 1 else SectionKind.CLAUSE
        if parent.kind is SectionKind.TERM or (parent is self.terms_chapter and parent.level < level):
            return SectionKind.TERM
        return SectionKind.CLAUSE

    @staticmethod
    def annex_status(kind: SectionKind, classes: list[str]) -> str | None:
        if kind is not SectionKind.ANNEX:
            return None
        for status in ("normative", "informative"):
            if status in classes:
                return status
        return None

    def last_filled(self, line: int) -> int:
        """The last non-blank line at or before `line` (1-based)."""
        while line > 1 and not self.lines[line - 1].strip():
            line -= 1
        return line

    def fill_own_source(self, section: Section) -> None:
        stop = section.children[0].line - 1 if section.children else section.end_line
        stop = max(section.line, self.last_filled(stop))
        section.own_source = "\n".join(self.lines[section.line - 1 : stop])
        for child in section.children:
            self.fill_own_source(child)

    # blocks -------------------------------------------------------------------------------
    def add_block(self, block: Block, top: bool, out: list[Block]) -> None:
        block.end_line = max(block.line, self.last_filled(block.end_line))
        if top and self.stack:
            self.stack[-1].blocks.append(block)
        else:
            out.append(block)

    def read_blocks(self, tokens: list[Token], start: int, stop: int, top: bool = False) -> list[Block]:
        """Blocks of `tokens[start:stop]` (one nesting level); at the top, headings open sections."""
        out: list[Block] = []
        pending_caption: Block | None = None
        index = start
        while index < stop:
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                if top:
                    pending_caption = self.flush_caption(pending_caption, top, out)
                    self.open_heading(tokens, index)
                    index += 3
                    continue
                block = self.paragraph_like(tokens[index + 1], BlockKind.OTHER)
                index += 3
            elif kind == "paragraph_open":
                block = self.paragraph(tokens[index + 1])
                index += 3
            elif kind == "front_matter":
                index += 1
                continue
            elif token.nesting == 1:
                close = _close_index(tokens, index)
                block = self.container(tokens, index, close)
                index = close + 1
            else:
                block = self.leaf(token)
                index += 1
            if block.kind is BlockKind.TABLE and block.caption is None and pending_caption is not None:
                self.attach_caption(block, pending_caption)
                pending_caption = None
            elif block.caption_line is not None and block.kind is BlockKind.OTHER:  # a `Table:` line
                previous = self.previous_block(top, out)
                if previous is not None and previous.kind is BlockKind.TABLE and previous.caption is None:
                    self.attach_caption(previous, block)
                else:
                    pending_caption = self.flush_caption(pending_caption, top, out)
                    pending_caption = block
                continue
            else:
                pending_caption = self.flush_caption(pending_caption, top, out)
            self.add_block(block, top, out)
        self.flush_caption(pending_caption, top, out)
        return out

    def previous_block(self, top: bool, out: list[Block]) -> Block | None:
        if top and self.stack:
            blocks = self.stack[-1].blocks
            return blocks[-1] if blocks else None
        if top:
            return self.preamble[-1] if self.preamble else None
        return out[-1] if out else None

    def flush_caption(self, caption: Block | None, top: bool, out: list[Block]) -> None:
        """A `Table:` line with no table next to it stays an ordinary paragraph."""
        if caption is not None:
            caption.kind = BlockKind.PARAGRAPH
            caption.caption = None
            caption.caption_line = None
            self.add_block(caption, top, out)

    @staticmethod
    def attach_caption(table: Block, caption: Block) -> None:
        table.caption = caption.caption
        table.caption_line = caption.caption_line
        table.id = table.id or caption.id
        table.segments.insert(0, (caption.line, caption.segments[0][1]))

    def paragraph_like(self, inline: Token, kind: BlockKind) -> Block:
        line = inline.map[0] + 1
        return Block(kind=kind, line=line, end_line=inline.map[1], text="", segments=[(line, inline.content)])

    def paragraph(self, inline: Token) -> Block:
        content = inline.content
        line = inline.map[0] + 1
        end = inline.map[1]
        if content[:1] in ("注", "示", "N", "E"):
            opening = _NOTE_OPENING.match(content)
            if opening is not None:
                kind = (
                    BlockKind.NOTE
                    if opening.group("zh") == "注" or opening.group("en") == "NOTE"
                    else BlockKind.EXAMPLE
                )
                rest = content[opening.end() :]
                return Block(kind=kind, line=line, end_line=end, text="", segments=[(line, rest)])
        if content[:1] == "[" and _SOURCE.fullmatch(content):
            return Block(kind=BlockKind.SOURCE, line=line, end_line=end, text="", segments=[(line, content)])
        if content[:1] == "!":
            figure = _FIGURE.fullmatch(content)
            if figure is not None:
                return self.figure(figure, line, end)
        if content[:6] in ("Table:", "table:"):
            return self.caption(content, line, end)
        if _ALPHA_ITEM.match(content):
            return self.alpha_list(content, line, end)
        return Block(kind=BlockKind.PARAGRAPH, line=line, end_line=end, text="", segments=[(line, content)])

    @staticmethod
    def figure(match: re.Match[str], line: int, end: int) -> Block:
        attributes = parse_attributes(match.group("attrs") or "") if match.group("attrs") else None
        alt = match.group("alt").strip()
        return Block(
            kind=BlockKind.FIGURE,
            line=line,
            end_line=end,
            text="",
            id=attributes.id if attributes else None,
            caption=alt,
            caption_line=line,
            src=match.group("src"),
            segments=[(line, alt)],
        )

    @staticmethod
    def caption(content: str, line: int, end: int) -> Block:
        """A `Table: 标题 {#id}` line, held until the table it belongs to is known (kind OTHER)."""
        body = _CAPTION.fullmatch(content)
        text, attributes = split_attributes(body.group(1) if body else "")
        return Block(
            kind=BlockKind.OTHER,
            line=line,
            end_line=end,
            text="",
            id=attributes.id,
            caption=text,
            caption_line=line,
            segments=[(line, text)],
        )

    @staticmethod
    def alpha_list(content: str, line: int, end: int) -> Block:
        """A paragraph of `a) …` lines (pandoc's fancy lists): one item per marker line."""
        items: list[Block] = []
        for offset, text in enumerate(content.split("\n")):
            marker = _ALPHA_ITEM.match(text)
            if marker is not None or not items:
                at = line + offset
                rest = text[marker.end() :] if marker else text
                items.append(
                    Block(kind=BlockKind.PARAGRAPH, line=at, end_line=at, text="", segments=[(at, rest)])
                )
            else:
                item = items[-1]
                item.end_line = line + offset
                item.segments.append((line + offset, text))
        return Block(kind=BlockKind.LIST, line=line, end_line=end, text="", items=items)

    def leaf(self, token: Token) -> Block:
        line = token.map[0] + 1 if token.map else 1
        end = token.map[1] if token.map else line
        if token.type == "math_block_eqno":
            attributes = parse_attributes(token.info[1:-1]) if token.info else None
            return Block(
                kind=BlockKind.FORMULA, line=line, end_line=end, text="",
                id=attributes.id if attributes else None, src=token.content,
            )  # fmt: skip
        if token.type in ("fence", "code_block"):
            return Block(kind=BlockKind.CODE, line=line, end_line=end, text=token.content, tokens=[token])
        return Block(kind=BlockKind.OTHER, line=line, end_line=end, text="", tokens=[token])

    def container(self, tokens: list[Token], start: int, close: int) -> Block:
        opening = tokens[start]
        line = opening.map[0] + 1
        end = opening.map[1]
        kind = opening.type
        if kind in _CONTAINER_KINDS:
            if end < len(self.lines) and self.lines[end].lstrip().startswith(":::"):
                end += 1  # the plugin's map stops before the closing marker
            children = self.read_blocks(tokens, start + 1, close)
            return Block(kind=_CONTAINER_KINDS[kind], line=line, end_line=end, text="", children=children)
        span = tokens[start : close + 1]
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.markdown_list(tokens, start, close)
        if kind == "table_open":
            segments = [(t.map[0] + 1, "") for t in span if t.type == "tr_open" and t.map]
            rows: dict[int, list[str]] = {}
            for t in span:
                if t.type == "inline" and t.map:
                    rows.setdefault(t.map[0] + 1, []).append(t.content)
            segments = [(row_line, " | ".join(cells)) for row_line, cells in rows.items()]
            return Block(
                kind=BlockKind.TABLE, line=line, end_line=end, text="", segments=segments, tokens=span
            )
        segments = [(t.map[0] + 1, t.content) for t in span if t.type == "inline" and t.map]
        if kind == "blockquote_open":
            return Block(
                kind=BlockKind.QUOTE, line=line, end_line=end, text="", segments=segments, tokens=span
            )
        if kind == "footnote_reference_open":
            label = str(opening.meta.get("label", ""))
            return Block(
                kind=BlockKind.FOOTNOTE, line=line, end_line=end, text="", id=f"fn-{label}",
                segments=segments, tokens=span,
            )  # fmt: skip
        return Block(kind=BlockKind.OTHER, line=line, end_line=end, text="", segments=segments, tokens=span)

    def markdown_list(self, tokens: list[Token], start: int, close: int) -> Block:
        """A Markdown list: one item per `list_item`, its paragraphs as segments, sublists as items."""
        opening = tokens[start]
        block = Block(
            kind=BlockKind.LIST, line=opening.map[0] + 1, end_line=opening.map[1], text="",
            tokens=tokens[start : close + 1],
        )  # fmt: skip
        index = start + 1
        while index < close:
            item_close = _close_index(tokens, index)
            item_open = tokens[index]
            item = Block(
                kind=BlockKind.PARAGRAPH, line=item_open.map[0] + 1, end_line=item_open.map[1], text=""
            )
            inner = index + 1
            while inner < item_close:
                token = tokens[inner]
                if token.type in ("bullet_list_open", "ordered_list_open"):
                    sub_close = _close_index(tokens, inner)
                    item.items.extend(self.markdown_list(tokens, inner, sub_close).items)
                    inner = sub_close + 1
                    continue
                if token.type == "inline" and token.map:
                    item.segments.append((token.map[0] + 1, token.content))
                inner += 1
            block.items.append(item)
            index = item_close + 1
        return block
