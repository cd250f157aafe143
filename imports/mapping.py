"""pandoc's AST of a Word standard → Standard Markdown, and what could not be mapped.

The structure is found the way a reader of a GB/T 1.1 document finds it: by the paragraph styles
(Word's headings, our own export's named styles) and, where a file has none, by the typed numbers
("4.2　要求", "A.1", "3.1" over a term). The typed numbers are dropped (ours are generated); the ids
come from the bookmarks our export writes, else the core derives them. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from authoring.document.grid import GridCell, write_grid
from imports.cover import Cover
from imports.docx_file import DocxContent, squeeze
from imports.inlines import InlineWriter, Node, escape, plain

#: a typed clause number and what follows it: "4.2　要求", "A.1.2 General", "0.1 编制背景"
_NUMBERED = re.compile(r"^((?:\d+|[A-Z])(?:\.\d+)*)(?:[\s\u3000]+|(?=[\u3400-\u9fff]))(.*)$", re.S)
_ANNEX = re.compile(
    r"^(?:附\s*录\s*([A-Z])|Annex\s+([A-Z]))\s*[（(]\s*(规范性|资料性|normative|informative)\s*[）)]\s*(.*)$",
    re.S | re.IGNORECASE,
)
_ANNEX_ALONE = re.compile(r"^(?:附\s*录\s*([A-Z])|Annex\s+([A-Z]))$")
_ANNEX_STATUS = re.compile(r"^[（(]\s*(规范性|资料性|normative|informative)\s*[）)]$", re.IGNORECASE)
_TERM_NUMBER = re.compile(r"^3(\.\d+)+$")
_NOTE = re.compile(r"^(注|示例)\s*(\d+)?\s*[：:]\s*|^(NOTE|EXAMPLE)(\s+\d+)?(\s*:\s*|[\s\u2003]+)")
_LIST_ALPHA = re.compile(r"^([a-z])[)）]\s*")
_LIST_DIGIT = re.compile(r"^(\d{1,2})[)）]\s*")
_LIST_DASH = re.compile(r"^(——|—|•|·|●|○|■|–)\s*")
_CAPTION = re.compile(
    r"^(?:表|Table)\s*([A-Z]\.)?\d+\s*(?:（续）|\(continued\))?[\s\u3000—–-]*(.*)$", re.S | re.IGNORECASE
)
_FIGURE_CAPTION = re.compile(r"^(?:图|Figure)\s*([A-Z]\.)?\d+[\s\u3000—–-]*(.*)$", re.S | re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^(?:图片缺失|Figure missing)[：:]\s*figures/(\S+)$")
_EQUATION_NUMBER = re.compile(r"^[（(]([A-Z]\.)?\d+[)）]$")
_FIXED = {
    "前言": "foreword",
    "foreword": "foreword",
    "引言": "introduction",
    "introduction": "introduction",
    "参考文献": "bibliography",
    "bibliography": "bibliography",
}
_TOC_TITLES = {"目次", "目录", "contents", "table of contents"}
_ID = re.compile(r"[A-Za-z][\w.-]{0,80}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPLIT_TERM = re.compile(r"^(.*?[\u3400-\u9fff）)\]】])[\s\u3000]*([A-Za-z].*)$")
_PICTURE = {"png": "png", "jpg": "jpg", "jpeg": "jpg"}


@dataclass(frozen=True)
class Unmapped:
    """A paragraph of the Word file that has no place in the standard, with where it was."""

    position: int  #: its number among the Word file's paragraphs and tables (1 is the first)
    text: str
    zh: str
    en: str

    def reason(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass
class Mapped:
    """The Markdown, what was left out, and the pictures to store as `figures/NAME`."""

    text: str
    unmapped: list[Unmapped] = field(default_factory=list)
    figures: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Item:
    position: int
    style: str
    block: Node

    @property
    def kind(self) -> str:
        return str(self.block.get("t"))

    def text(self) -> str:
        if self.kind in ("Para", "Plain"):
            return plain(self.block["c"]).strip()
        if self.kind == "Header":
            return plain(self.block["c"][2]).strip()
        return ""

    def inlines(self) -> list[Node]:
        if self.kind in ("Para", "Plain"):
            return list(self.block["c"])
        if self.kind == "Header":
            return list(self.block["c"][2])
        return []


def _flatten(blocks: list[Node]) -> list[_Item]:
    """Body blocks in order with their Word paragraph style (pandoc's `custom-style` Divs unwrapped)."""
    items: list[_Item] = []

    def visit(nodes: list[Node], style: str) -> None:
        for node in nodes:
            if node.get("t") == "Div":
                attrs = dict(node["c"][0][2])
                visit(node["c"][1], attrs.get("custom-style", style))
            else:
                items.append(_Item(len(items) + 1, style, node))

    visit(blocks, "")
    return items


def _strip_inlines(nodes: list[Node], count: int) -> list[Node]:
    """`nodes` without their first `count` characters of text (a typed number or a label)."""
    out: list[Node] = []
    left = count
    for index, node in enumerate(nodes):
        if left <= 0:
            out.extend(nodes[index:])
            break
        kind = node.get("t")
        if kind == "Str":
            value = node["c"]
            if len(value) > left:
                out.append({"t": "Str", "c": value[left:]})
            left -= len(value)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            left -= 1
        elif kind == "Span":
            inner = plain(node["c"][1])
            if len(inner) > left:
                out.extend(_strip_inlines(node["c"][1], left))
            left -= len(inner)
        else:
            out.extend(nodes[index:])
            break
    while out and out[0].get("t") in ("Space", "SoftBreak", "LineBreak"):
        out.pop(0)
    if out and out[0].get("t") == "Str":
        out[0] = {"t": "Str", "c": out[0]["c"].lstrip(" \u3000\u2003")}
    return out


def _line_start(text: str) -> str:
    """A paragraph's first characters escaped where Markdown would read a heading, list or quote."""
    if re.match(r"(#|>|[-+*]\s|\d+[.)]\s|[a-z][)]\s|:::|\||Table:)", text):
        return "\\" + text if not text[0].isdigit() and not text[0].islower() else _escape_number(text)
    return text


def _escape_number(text: str) -> str:
    return re.sub(r"^(\w+)([.)])", r"\1\\\2", text, count=1)


class _Mapper:
    def __init__(self, content: DocxContent) -> None:
        self.items = _flatten(content.ast.get("blocks", []))
        self.bookmarks = {key: list(names) for key, names in content.bookmarks.items()}
        self.all_bookmarks = {name for names in content.bookmarks.values() for name in names}
        self.media = content.media
        self.cover = Cover()
        self.out: list[str] = []
        self.unmapped: list[Unmapped] = []
        self.figures: dict[str, bytes] = {}
        self.footnotes: list[str] = []
        self.used_ids: set[str] = set()
        self.inline = InlineWriter(self.all_bookmarks.__contains__, self._footnote)
        self.phase = "cover"
        self.section = ""  # foreword, introduction, chapter, annex, bibliography
        self.chapter = 0
        self.annex_letter = ""
        self.table_count = 0
        self.figure_count = 0
        self.formula_count = 0
        self.pending_caption: tuple[str, str | None] | None = None
        self.list_run = False
        self.foreword_facts: dict[str, Any] = {}
        #: decided by the foreword's title (前言 or Foreword), else by the cover's titles
        self.english: bool | None = None

    # -- helpers -----------------------------------------------------------------------------------

    def _footnote(self, blocks: list[Node]) -> str:
        label = str(len(self.footnotes) + 1)
        text = " ".join(self.inline.write(_inline_of(b)) for b in blocks).strip()
        self.footnotes.append(f"[^{label}]: {text}")
        return label

    def _take_id(self, text: str) -> str | None:
        """The bookmark our export put at the paragraph reading `text`, if it is a usable id."""
        queue = self.bookmarks.get(squeeze(text))
        while queue:
            name = queue.pop(0)
            if _ID.fullmatch(name) and name not in self.used_ids:
                self.used_ids.add(name)
                return name
        return None

    def _emit(self, markdown: str, *, list_item: bool = False) -> None:
        if list_item and self.list_run and self.out:
            self.out[-1] += "\n" + markdown
        else:
            self.out.append(markdown)
        self.list_run = list_item

    def _skip(self, item: _Item, zh: str, en: str) -> None:
        text = item.text() or plain(item.block.get("c")) if item.kind != "Table" else "(表格)"
        self.unmapped.append(Unmapped(item.position, text[:200], zh, en))

    def _heading(
        self, level: int, title: str, *, ident: str | None, classes: str = "", extra: str = ""
    ) -> None:
        attrs = " ".join(part for part in (f"#{ident}" if ident else "", classes, extra) if part)
        line = "#" * max(1, min(level, 7)) + (f" {title}" if title else "")
        self._emit(f"{line} {{{attrs}}}" if attrs else line)

    # -- the walk ----------------------------------------------------------------------------------

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
            item.kind in ("Para", "Plain") and not text and not _images(item)
        ):
            return index + 1
        fixed = _FIXED.get(text.lower()) if item.kind in ("Para", "Plain", "Header") else None
        if text.lower() in _TOC_TITLES or style == "TOC Heading":
            self.phase = "toc"
            return index + 1
        if fixed:
            self._open_fixed(item, fixed)
            return index + 1
        if self.phase == "cover":
            if item.kind == "Header":
                self.phase = "body"
            else:
                self.cover.read(text, style, item.position)
                return index + 1
        if self.phase == "toc":
            if item.kind != "Header" and not _NUMBERED.match(text):
                return index + 1
            self.phase = "body"
        return self._body_item(index, item, text)

    def _open_fixed(self, item: _Item, kind: str) -> None:
        self.phase = "body"
        self.section = kind
        title = item.text()
        if kind == "foreword":
            self.english = not _CJK.search(title)
        self._heading(1, escape(title), ident=None, classes=f".{kind}")

    def _body_item(self, index: int, item: _Item, text: str) -> int:
        style = item.style
        if style == "Standard Title" or (self.chapter == 0 and self._is_title(text)):
            return index + 1
        if item.kind in ("Para", "Plain", "Header"):
            annex = _ANNEX.match(text)
            if annex is None and _ANNEX_ALONE.match(text) and index + 2 < len(self.items):
                status, title = self.items[index + 1].text(), self.items[index + 2].text()
                if _ANNEX_STATUS.match(status):
                    annex = _ANNEX.match(f"{text}{status}{title}")
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
                _Item(item.position, item.style, block) for block in item.block["c"]
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

    def _annex(self, match: re.Match[str], item: _Item, text: str) -> None:
        self.section = "annex"
        self.annex_letter = (match.group(1) or match.group(2)).upper()
        status = "normative" if match.group(3).lower() in ("规范性", "normative") else "informative"
        title = re.sub(r"\s+", " ", match.group(4)).strip()
        ident = self._take_id(text)
        self._heading(1, escape(title), ident=ident, classes=f".annex .{status}")

    def _header(self, item: _Item, text: str) -> None:
        numbered = _NUMBERED.match(text)
        inlines = item.inlines()
        level = int(item.block["c"][0])
        if numbered:
            number = numbered.group(1)
            inlines = _strip_inlines(inlines, len(text) - len(numbered.group(2)))
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

    def _term(self, item: _Item, *, number_text: str, title: str) -> None:
        ident = self._take_id(number_text) if number_text else None
        ident = ident or self._take_id(item.text())
        zh, en = _split_term(title)
        extra = f'en="{en.replace(chr(34), "&quot;")}"' if en else ""
        self._heading(2, escape(zh), ident=ident, extra=extra)

    def _paragraph(self, index: int, item: _Item, text: str) -> int:
        style = item.style
        images = _images(item)
        if images:
            self._figure(item, images[0], index)
            return index + 1
        if match := _PLACEHOLDER.match(text):
            ident = self._take_id(text)
            caption, skip = self._caption_after(index)
            self._figure_reference(f"figures/{match.group(1)}", caption, ident)
            return index + 1 + skip
        if style in ("Image Caption", "Figure Caption") or (
            _FIGURE_CAPTION.match(text)
            and self.pending_caption is None
            and index > 0
            and _images(self.items[index - 1])
        ):
            return index + 1  # consumed with its figure
        caption = _CAPTION.match(text)
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        if (
            (
                style == "Table Caption"
                or (caption and len(caption.group(2)) <= 60 and not re.search(r"[。.]$", text))
            )
            and following is not None
            and following.kind == "Table"
            and not plain(_caption_blocks(following.block)).strip()
        ):
            self.pending_caption = (caption.group(2).strip() if caption else text, self._take_id(text))
            return index + 1
        if (
            self.section == "chapter"
            and self.chapter == 3
            and (style == "Term Number" or _TERM_NUMBER.match(text))
        ) and index + 1 < len(self.items):
            term = self.items[index + 1]
            self._term(term, number_text=text, title=term.text())
            return index + 2
        if style == "Untitled Clause" or style.startswith("Heading") or style == "Intro Heading":
            numbered = _NUMBERED.match(text)
            if numbered:
                return self._typed_heading(index, item, text, numbered, untitled=style == "Untitled Clause")
        numbered = _NUMBERED.match(text)
        if numbered and self._looks_like_heading(numbered, text):
            return self._typed_heading(index, item, text, numbered, untitled=False)
        if item.kind == "Para" and _display_math(item):
            self._formula(item)
            return index + 1
        note = _NOTE.match(text)
        if note or style in ("Note", "Example"):
            kind = (
                "example"
                if (note and (note.group(1) == "示例" or note.group(3) == "EXAMPLE")) or style == "Example"
                else "note"
            )
            inlines = _strip_inlines(item.inlines(), note.end()) if note else item.inlines()
            self._emit(f"::: {kind}\n{_line_start(self.inline.write(inlines).strip())}\n:::")
            return index + 1
        if (
            self.section == "chapter"
            and self.chapter == 2
            and (style == "Reference" or _looks_like_reference(text))
        ):
            self._emit(f"- {self.inline.write(item.inlines()).strip()}", list_item=True)
            return index + 1
        for pattern, bullet in ((_LIST_ALPHA, None), (_LIST_DIGIT, None), (_LIST_DASH, "-")):
            if style == "Reference":
                break
            if match := pattern.match(text):
                rest = self.inline.write(_strip_inlines(item.inlines(), match.end())).strip()
                marker = bullet or f"{match.group(1)})"
                self._emit(f"{marker} {rest}", list_item=True)
                return index + 1
        if self.section == "foreword":
            self._foreword_fact(text)
        self._emit(_line_start(self.inline.write(item.inlines()).strip()))
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
        self, index: int, item: _Item, text: str, numbered: re.Match[str], *, untitled: bool
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
        rest = _strip_inlines(item.inlines(), len(text) - len(numbered.group(2)))
        if untitled:
            self._heading(level, "", ident=ident, classes=".untitled")
            self._emit(_line_start(self.inline.write(rest).strip()))
        else:
            self._heading(level, self.inline.write(rest).strip(), ident=ident)
        return index + 1

    def _foreword_fact(self, text: str) -> None:
        if match := re.match(r"^本文件由(.+?)提出(?:并归口)?。$", text):
            self.foreword_facts["proposer"] = match.group(1)
            if "归口" in text:
                self.foreword_facts["responsible"] = match.group(1)
        elif match := re.match(r"^本文件由(.+?)归口。$", text):
            self.foreword_facts["responsible"] = match.group(1)
        elif match := re.match(r"^本文件起草单位：(.+?)。?$", text):
            self.foreword_facts["drafting_units"] = [u for u in re.split(r"[、，,]", match.group(1)) if u]
        elif match := re.search(r"(?:参考|采用)(.+?)《.*一致性程度为(等同|修改|非等效)", text):
            degree = {"等同": "IDT", "修改": "MOD", "非等效": "NEQ"}[match.group(2)]
            self.foreword_facts["adoption"] = {"degree": degree, "of": match.group(1).strip()}
        elif match := re.match(r"^本文件主要起草人：(.+?)。?$", text):
            self.foreword_facts["drafters"] = [u for u in re.split(r"[、，,]", match.group(1)) if u]

    # -- tables, figures, formulas, lists ----------------------------------------------------------

    def _next_id(self, prefix: str, count: int) -> str:
        scope = f"{self.annex_letter.lower()}-" if self.section == "annex" else ""
        candidate = f"{prefix}-{scope}{count}"
        while candidate in self.used_ids or candidate in self.all_bookmarks:
            candidate += "x"
        self.used_ids.add(candidate)
        return candidate

    def _table(self, item: _Item) -> None:
        self.table_count += 1
        caption, ident = self.pending_caption or ("", None)
        self.pending_caption = None
        inner_caption = plain(_caption_blocks(item.block)).strip()
        if inner_caption and not caption:
            match = _CAPTION.match(inner_caption)
            caption = match.group(2).strip() if match else inner_caption
            ident = self._take_id(inner_caption)
        ident = ident or self._next_id("tbl", self.table_count)
        rows, spans = _table_rows(item.block, self.inline)
        if not rows:
            return
        # merged cells stay merged: a grid table with the same spans (a pipe table has none)
        table = _merged_table(item.block, self.inline) if spans else _markdown_table(rows)
        self._emit(table + f"\n\nTable: {escape(caption)} {{#{ident}}}")

    def _caption_after(self, index: int) -> tuple[str, int]:
        """The figure caption in the paragraph after `index` ("图1　…"), and 1 if there is one."""
        if index + 1 < len(self.items):
            following = self.items[index + 1]
            match = _FIGURE_CAPTION.match(following.text())
            if following.style in ("Image Caption", "Figure Caption") or match:
                return (match.group(2).strip() if match else following.text()), 1
        return "", 0

    def _figure(self, item: _Item, image: Node, index: int) -> None:
        url = str(image["c"][2][0])
        caption, found = self._caption_after(index)
        ident = self._take_id(self.items[index + 1].text()) if found else None
        caption = caption or plain(image["c"][1]).strip()
        self._store_picture(item, url, caption, ident)

    def _figure_block(self, item: _Item) -> None:
        images = [n for b in item.block["c"][2] for n in _inline_of(b) if n.get("t") == "Image"]
        caption_text = plain([n for b in item.block["c"][1][1] for n in _inline_of(b)]).strip()
        match = _FIGURE_CAPTION.match(caption_text)
        caption = match.group(2).strip() if match else caption_text
        if not images:
            self._skip(item, "图中没有图片，已略去。", "A figure without a picture; left out.")
            return
        self._store_picture(item, str(images[0]["c"][2][0]), caption, self._take_id(caption_text))

    def _store_picture(self, item: _Item, url: str, caption: str, ident: str | None) -> None:
        self.figure_count += 1
        ident = ident or self._next_id("fig", self.figure_count)
        data = self.media.get(url)
        extension = url.rsplit(".", 1)[-1].lower() if "." in url else ""
        if data is None or extension not in _PICTURE:
            self._skip(
                item,
                f"图片 {url} 不是 PNG 或 JPEG（或不在文件中）：请另存为 PNG 后作为图上传。",
                f"The picture {url} is not a PNG or JPEG (or is not in the file): save it as PNG and upload it as a figure.",
            )
            name = f"{ident}.png"
        else:
            name = f"{ident}.{_PICTURE[extension]}"
            self.figures[name] = data
        self._figure_reference(f"figures/{name}", caption, ident)

    def _figure_reference(self, reference: str, caption: str = "", ident: str | None = None) -> None:
        if ident is None:
            self.figure_count += 1
            ident = self._next_id("fig", self.figure_count)
        self._emit(f"![{escape(caption)}]({reference}){{#{ident}}}")

    def _formula(self, item: _Item) -> None:
        self.formula_count += 1
        tex = " ".join(n["c"][1].strip() for n in item.inlines() if n.get("t") == "Math")
        tex = re.sub(r"^\\displaystyle\s*", "", tex)
        rest = plain([n for n in item.inlines() if n.get("t") != "Math"]).strip()
        ident = self._take_id(rest) if _EQUATION_NUMBER.match(rest) else None
        ident = ident or self._next_id("eq", self.formula_count)
        self._emit(f"$$ {tex} $$ {{#{ident}}}")

    def _list(self, item: _Item) -> None:
        ordered = item.kind == "OrderedList"
        entries = item.block["c"][1] if ordered else item.block["c"]
        lines = []
        for number, entry in enumerate(entries):
            text = " ".join(self.inline.write(_inline_of(b)).strip() for b in entry).strip()
            marker = f"{chr(ord('a') + number)})" if ordered and number < 26 else "-"
            lines.append(f"{marker} {text}")
        if lines:
            self._emit("\n".join(lines))

    # -- front matter ------------------------------------------------------------------------------

    def _front_matter(self) -> str:
        cover = self.cover
        english = self.english
        if english is None:
            english = (cover.title_zh is None and cover.title_en is not None) or (
                cover.title_zh is not None and not _CJK.search(cover.title_zh)
            )
        if english and cover.title_zh and not cover.title_en:
            cover.title_en, cover.title_zh = cover.title_zh, None
        meta: dict[str, Any] = {}
        if cover.number:
            meta["number"] = cover.number
        if cover.replaces:
            meta["replaces"] = cover.replaces
        title = {k: v for k, v in (("zh", cover.title_zh), ("en", cover.title_en)) if v}
        if title:
            meta["title"] = title
        for key in ("ics", "ccs", "association"):
            if getattr(cover, key):
                meta[key] = getattr(cover, key)
        meta.update(self.foreword_facts)
        for key in ("publish_date", "implement_date"):
            if getattr(cover, key):
                try:
                    meta[key] = date.fromisoformat(getattr(cover, key))
                except ValueError:
                    meta[key] = getattr(cover, key)
        if cover.draft:
            meta["draft"] = cover.draft
        meta["language"] = "en" if english else "zh"
        for position, line in cover.unread:
            self.unmapped.insert(
                0,
                Unmapped(
                    position,
                    line,
                    "封面上的这一行无法对应到封面信息，已略去。",
                    "A cover line that matches no cover field; left out.",
                ),
            )
        dumped = yaml.safe_dump(
            meta, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
        )
        return f"---\n{dumped}---\n"


def _inline_of(block: Node) -> list[Node]:
    if block.get("t") in ("Para", "Plain"):
        return list(block["c"])
    if block.get("t") == "Div":
        return [n for b in block["c"][1] for n in _inline_of(b)]
    if block.get("t") in ("BulletList", "OrderedList"):
        entries = block["c"][1] if block["t"] == "OrderedList" else block["c"]
        return [n for entry in entries for b in entry for n in [*_inline_of(b), {"t": "Space"}]]
    return []


def _images(item: _Item) -> list[Node]:
    return [n for n in item.inlines() if n.get("t") == "Image"] if item.kind in ("Para", "Plain") else []


def _display_math(item: _Item) -> bool:
    """A paragraph that is a formula: display math (or any math in the Formula style, or math and
    a formula number) and nothing else."""
    nodes = item.inlines()
    maths = [n for n in nodes if n.get("t") == "Math"]
    if not maths:
        return False
    rest = plain([n for n in nodes if n.get("t") != "Math"]).strip()
    display = any(n["c"][0]["t"] == "DisplayMath" for n in maths) or item.style == "Formula"
    return (not rest and display) or bool(_EQUATION_NUMBER.match(rest))


def _looks_like_reference(text: str) -> bool:
    return bool(re.match(r"^(GB|ISO|IEC|[A-Z]{2,}|T/|DB\d)[\w/ ]*\s*\d", text))


def _split_term(title: str) -> tuple[str, str]:
    """ "老年人　older person" → ("老年人", "older person"); an English term stays whole."""
    if "\u3000" in title:
        zh, _sep, en = title.partition("\u3000")
        if _CJK.search(zh):
            return zh.strip(), en.strip()
    match = _SPLIT_TERM.match(title)
    if match and _CJK.search(match.group(1)):
        return match.group(1).strip(), match.group(2).strip()
    return title.strip(), ""


def _caption_blocks(table: Node) -> list[Node]:
    caption = table["c"][1]
    return [n for b in (caption[1] or []) for n in _inline_of(b)]


def _table_rows(table: Node, writer: InlineWriter) -> tuple[list[list[str]], bool]:
    """The table as rows of cell texts (head rows first, marked by a None row after them), with
    merged cells split; and whether there were merges."""
    columns = len(table["c"][2])
    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    grid: list[list[str | None]] = []
    spans = False
    pending: dict[tuple[int, int], str] = {}

    def add(rows: list[Any]) -> None:
        nonlocal spans
        for row in rows:
            r = len(grid)
            line: list[str | None] = [None] * columns
            for (rr, cc), value in list(pending.items()):
                if rr == r and cc < columns:
                    line[cc] = value
                    del pending[(rr, cc)]
            column = 0
            for cell in row[1]:
                while column < columns and line[column] is not None:
                    column += 1
                rowspan, colspan = int(cell[2]), int(cell[3])
                text = " ".join(writer.write(_inline_of(b)).strip() for b in cell[4]).strip()
                if rowspan > 1 or colspan > 1:
                    spans = True
                for dc in range(colspan):
                    if column + dc < columns:
                        line[column + dc] = text if dc == 0 else ""
                for dr in range(1, rowspan):
                    for dc in range(colspan):
                        pending[(r + dr, column + dc)] = ""
                column += colspan
            grid.append(line)

    add(head[1])
    header_rows = len(grid)
    for body in bodies:
        add(body[2])
        add(body[3])
    add(foot[1])
    rows = [[cell or "" for cell in line] for line in grid]
    if header_rows == 0 and rows:
        header_rows = 1
    return [*rows[:header_rows], [], *rows[header_rows:]], spans


def _merged_table(table: Node, writer: InlineWriter) -> str:
    """The table as a grid table whose cells span what the Word table's merged cells span."""
    columns = len(table["c"][2])
    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    all_rows = [*head[1], *(row for body in bodies for row in [*body[2], *body[3]]), *foot[1]]
    taken = [[False] * columns for _ in all_rows]
    cells: list[GridCell] = []
    for r, row in enumerate(all_rows):
        column = 0
        for cell in row[1]:
            while column < columns and taken[r][column]:
                column += 1
            if column >= columns:
                break
            rowspan = max(1, min(int(cell[2]), len(all_rows) - r))
            colspan = max(1, min(int(cell[3]), columns - column))
            text = " ".join(writer.write(_inline_of(b)).strip() for b in cell[4]).strip()
            cells.append(GridCell(" ".join(text.split()), r, column, rowspan, colspan))
            for rr in range(r, r + rowspan):
                for cc in range(column, column + colspan):
                    taken[rr][cc] = True
            column += colspan
        for cc in range(columns):  # a row Word left short: empty cells fill it
            if not taken[r][cc]:
                cells.append(GridCell("", r, cc, 1, 1))
                taken[r][cc] = True
    cells.sort(key=lambda cell: (cell.row, cell.column))
    header = len(head[1])
    if any(cell.row < header < cell.row + cell.rowspan for cell in cells):
        header = 0  # a cell down across the header's end: no header row
    return write_grid(cells, len(all_rows), columns, header)


def _markdown_table(rows: list[list[str]]) -> str:
    """A pipe table (head, `|---|`, body); a cell's `|` is escaped."""
    split = rows.index([])
    head, body = rows[:split], rows[split + 1 :]
    width = max(len(r) for r in rows if r)
    lines = []

    def line(cells: list[str]) -> str:
        cells = [c.replace("|", "\\|") or " " for c in cells] + [" "] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    for row in head[:1] or [[""] * width]:
        lines.append(line(row))
    lines.append("|" + "---|" * width)
    for row in [*head[1:], *body]:
        lines.append(line(row))
    return "\n".join(lines)


def map_document(content: DocxContent) -> Mapped:
    """The Word file's AST as Standard Markdown, with the unmapped paragraphs and the pictures."""
    return _Mapper(content).run()
