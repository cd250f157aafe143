"""The walk over a Word file's blocks: cover, 目次, headings (styled or typed), paragraphs, notes,
lists; each kind of content handed to the mixin that knows it."""

from __future__ import annotations

import re

from imports.docx_file import squeeze
from imports.inlines import Node, escape, plain
from imports.mapping.figures import FigureMapping
from imports.mapping.front_matter import FrontMatterMapping
from imports.mapping.items import Item, Mapped, display_math, images_in, inline_of, line_start, strip_inlines
from imports.mapping.patterns import (
    ANNEX,
    ANNEX_ALONE,
    ANNEX_STATUS,
    CAPTION,
    CJK,
    FIGURE_CAPTION,
    FIXED,
    LIST_ALPHA,
    LIST_DASH,
    LIST_DIGIT,
    NOTE,
    NUMBERED,
    PLACEHOLDER,
    TERM_NUMBER,
    TOC_TITLES,
)
from imports.mapping.tables import TableMapping, caption_blocks
from imports.mapping.terms import TermMapping, looks_like_reference


class Mapper(TableMapping, FigureMapping, TermMapping, FrontMatterMapping):
    """One Word file's walk; `run()` once."""

    def run(self) -> Mapped:
        index = 0
        while index < len(self.items):
            index = self._item(index)
        body = "\n\n".join(self.out + self.footnotes)
        return Mapped(self._front_matter() + "\n" + body.strip() + "\n", self.unmapped, self.figures)

    def _item(self, index: int) -> int:
        item = self.items[index]
        text = item.text()
        style = item.style
        if style.lower().startswith("toc") or (
            item.kind in ("Para", "Plain") and not text and not images_in(item)
        ):
            return index + 1
        fixed = FIXED.get(text.lower()) if item.kind in ("Para", "Plain", "Header") else None
        if text.lower() in TOC_TITLES or style == "TOC Heading":
            self.phase = "toc"
            return index + 1
        if fixed:
            self._open_fixed(item, fixed)
            return index + 1
        if self.phase == "cover":
            if item.kind == "Header":
                self.phase = "body"
            elif item.kind == "Table":
                self.cover.read_table(_cell_texts(item.block), item.position)
                return index + 1
            elif style == "Standard Title":  # the title over the body, after a 目次 with no foreword
                return index + 1
            else:
                self.cover.read(text, style, item.position)
                return index + 1
        if self.phase == "toc":
            if item.kind != "Header" and not NUMBERED.match(text):
                return index + 1
            self.phase = "body"
        return self._body_item(index, item, text)

    def _open_fixed(self, item: Item, kind: str) -> None:
        self.phase = "body"
        self.section = kind
        title = item.text()
        if kind == "foreword":
            self.english = not CJK.search(title)
        self._heading(1, escape(title), ident=None, classes=f".{kind}")

    def _body_item(self, index: int, item: Item, text: str) -> int:
        style = item.style
        if style == "Standard Title" or (self.chapter == 0 and self._is_title(text)):
            return index + 1
        if item.kind in ("Para", "Plain", "Header"):
            annex = ANNEX.match(text)
            if annex is None and ANNEX_ALONE.match(text) and index + 2 < len(self.items):
                status, title = self.items[index + 1].text(), self.items[index + 2].text()
                if ANNEX_STATUS.match(status):
                    annex = ANNEX.match(f"{text}{status}{title}")
                    if annex:
                        self._annex(annex, item, text)
                        return index + 3
            if annex:
                self._annex(annex, item, text)
                return index + 1
        if item.kind == "Header":
            self._header(item, text)
            return index + 1
        if item.kind in ("Para", "Plain"):
            return self._paragraph(index, item, text)
        if item.kind == "Table":
            self._table(item)
            return index + 1
        if item.kind in ("BulletList", "OrderedList"):
            self._list(item)
            return index + 1
        if item.kind == "Figure":
            self._figure_block(item)
            return index + 1
        if item.kind == "BlockQuote":
            self.items[index + 1 : index + 1] = [
                Item(item.position, item.style, block) for block in item.block["c"]
            ]
            return index + 1
        if item.kind == "CodeBlock":
            self._emit("```\n" + item.block["c"][1].replace("```", "'''") + "\n```")
            return index + 1
        if item.kind in ("HorizontalRule", "RawBlock", "Null"):
            return index + 1
        self._skip(item, "无法识别的内容，已略去。", "Content of a kind that has no place here; left out.")
        return index + 1

    def _is_title(self, text: str) -> bool:
        titles = {squeeze(t) for t in (self.cover.title_zh, self.cover.title_en) if t}
        return bool(text) and squeeze(text) in titles and self.section in ("introduction", "foreword", "")

    def _annex(self, match: re.Match[str], item: Item, text: str) -> None:
        self.section = "annex"
        self.annex_letter = (match.group(1) or match.group(2)).upper()
        status = "normative" if match.group(3).lower() in ("规范性", "normative") else "informative"
        title = re.sub(r"\s+", " ", match.group(4)).strip()
        ident = self._take_id(text)
        self._heading(1, escape(title), ident=ident, classes=f".annex .{status}")

    def _header(self, item: Item, text: str) -> None:
        numbered = NUMBERED.match(text)
        inlines = item.inlines()
        level = int(item.block["c"][0])
        if numbered:
            number = numbered.group(1)
            inlines = strip_inlines(inlines, len(text) - len(numbered.group(2)))
            level = number.count(".") + 1
            if number.isdigit() and number != "0":
                self.chapter = int(number)
                self.section = "chapter"
        elif level == 1 and self.section in ("", "foreword", "introduction", "chapter"):
            self.section = "chapter"
            self.chapter += 1
        if self.section == "introduction":
            level = 2
        title = self.inline.write(inlines).strip()
        if self.section == "chapter" and self.chapter == 3 and level == 2:
            self._term(item, number_text=numbered.group(1) if numbered else "", title=plain(inlines).strip())
            return
        ident = self._take_id(text)
        self._heading(level, title, ident=ident)

    def _paragraph(self, index: int, item: Item, text: str) -> int:
        style = item.style
        images = images_in(item)
        if images:
            self._figure(item, images[0], index)
            return index + 1
        if match := PLACEHOLDER.match(text):
            ident = self._take_id(text)
            caption, skip = self._caption_after(index)
            self._figure_reference(f"figures/{match.group(1)}", caption, ident)
            return index + 1 + skip
        if style in ("Image Caption", "Figure Caption") or (
            FIGURE_CAPTION.match(text)
            and self.pending_caption is None
            and index > 0
            and images_in(self.items[index - 1])
        ):
            return index + 1  # consumed with its figure
        caption = CAPTION.match(text)
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        if (
            (
                style == "Table Caption"
                or (caption and len(caption.group(2)) <= 60 and not re.search(r"[。.]$", text))
            )
            and following is not None
            and following.kind == "Table"
            and not plain(caption_blocks(following.block)).strip()
        ):
            self.pending_caption = (caption.group(2).strip() if caption else text, self._take_id(text))
            return index + 1
        if (
            self.section == "chapter"
            and self.chapter == 3
            and (style == "Term Number" or TERM_NUMBER.match(text))
        ) and index + 1 < len(self.items):
            term = self.items[index + 1]
            self._term(term, number_text=text, title=term.text())
            return index + 2
        if style == "Untitled Clause" or style.startswith("Heading") or style == "Intro Heading":
            numbered = NUMBERED.match(text)
            if numbered:
                return self._typed_heading(index, item, text, numbered, untitled=style == "Untitled Clause")
        numbered = NUMBERED.match(text)
        if numbered and self._looks_like_heading(numbered, text):
            return self._typed_heading(index, item, text, numbered, untitled=False)
        if item.kind == "Para" and display_math(item):
            self._formula(item)
            return index + 1
        note = NOTE.match(text)
        if note or style in ("Note", "Example"):
            kind = (
                "example"
                if (note and (note.group(1) == "示例" or note.group(3) == "EXAMPLE")) or style == "Example"
                else "note"
            )
            inlines = strip_inlines(item.inlines(), note.end()) if note else item.inlines()
            self._emit(f"::: {kind}\n{line_start(self.inline.write(inlines).strip())}\n:::")
            return index + 1
        if (
            self.section == "chapter"
            and self.chapter == 2
            and (style == "Reference" or looks_like_reference(text))
        ):
            self._emit(f"- {self.inline.write(item.inlines()).strip()}", list_item=True)
            return index + 1
        for pattern, bullet in ((LIST_ALPHA, None), (LIST_DIGIT, None), (LIST_DASH, "-")):
            if style == "Reference":
                break
            if match := pattern.match(text):
                rest = self.inline.write(strip_inlines(item.inlines(), match.end())).strip()
                marker = bullet or f"{match.group(1)})"
                self._emit(f"{marker} {rest}", list_item=True)
                return index + 1
        if self.section == "foreword":
            self._foreword_fact(text)
        self._emit(line_start(self.inline.write(item.inlines()).strip()))
        return index + 1

    def _looks_like_heading(self, numbered: re.Match[str], text: str) -> bool:
        """A typed number starts a heading when the rest is a short title, and the number fits."""
        number, rest = numbered.group(1), numbered.group(2).strip()
        if not rest or len(rest) > 60 or re.search(r"[。；;：:，,]$|[。；]", rest):
            return False
        if number[0].isalpha():
            return self.section == "annex" and number[0] == self.annex_letter and "." in number
        if "." not in number:
            return int(number) == self.chapter + 1 and self.section in ("chapter", "foreword", "introduction")
        return self.section in ("chapter", "introduction") and int(number.split(".")[0]) in (self.chapter, 0)

    def _typed_heading(
        self, index: int, item: Item, text: str, numbered: re.Match[str], *, untitled: bool
    ) -> int:
        number = numbered.group(1)
        level = number.count(".") + 1
        if number[0].isdigit() and number.split(".")[0] != "0":
            if level == 1:
                self.chapter = int(number)
                self.section = "chapter"
        elif number.startswith("0."):
            level = 2
        ident = self._take_id(text)
        rest = strip_inlines(item.inlines(), len(text) - len(numbered.group(2)))
        if untitled:
            self._heading(level, "", ident=ident, classes=".untitled")
            self._emit(line_start(self.inline.write(rest).strip()))
        else:
            self._heading(level, self.inline.write(rest).strip(), ident=ident)
        return index + 1

    def _list(self, item: Item) -> None:
        ordered = item.kind == "OrderedList"
        entries = item.block["c"][1] if ordered else item.block["c"]
        lines = []
        for number, entry in enumerate(entries):
            text = " ".join(self.inline.write(inline_of(b)).strip() for b in entry).strip()
            marker = f"{chr(ord('a') + number)})" if ordered and number < 26 else "-"
            lines.append(f"{marker} {text}")
        if lines:
            self._emit("\n".join(lines))


def _cell_texts(table: Node) -> list[str]:
    """The paragraphs of a table's body cells, row by row, the empty ones left out."""
    texts = [
        plain(inline_of(block)).strip()
        for body in table["c"][4]
        for row in body[3]
        for cell in row[1]
        for block in cell[4]
    ]
    return [text for text in texts if text]
