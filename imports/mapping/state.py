"""What the walk over a Word file keeps (where it is, what it wrote, the ids it used) and the few
ways it writes: a block, a heading, an unmapped paragraph."""

from __future__ import annotations

from typing import Any

from imports.cover import Cover
from imports.docx_file import DocxContent, squeeze
from imports.inlines import InlineWriter, Node, plain
from imports.mapping.items import Item, Unmapped, flatten, inline_of
from imports.mapping.patterns import ID


class MapperState:
    """Where the walk is, what it has written and the ids it has used; the mixins share it."""

    def __init__(self, content: DocxContent) -> None:
        self.items = flatten(content.ast.get("blocks", []))
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
        text = " ".join(self.inline.write(inline_of(b)) for b in blocks).strip()
        self.footnotes.append(f"[^{label}]: {text}")
        return label

    def _take_id(self, text: str) -> str | None:
        """The bookmark our export put at the paragraph reading `text`, if it is a usable id."""
        queue = self.bookmarks.get(squeeze(text))
        while queue:
            name = queue.pop(0)
            if ID.fullmatch(name) and name not in self.used_ids:
                self.used_ids.add(name)
                return name
        return None

    def _emit(self, markdown: str, *, list_item: bool = False) -> None:
        if list_item and self.list_run and self.out:
            self.out[-1] += "\n" + markdown
        else:
            self.out.append(markdown)
        self.list_run = list_item

    def _skip(self, item: Item, zh: str, en: str) -> None:
        text = item.text() or plain(item.block.get("c")) if item.kind != "Table" else "(表格)"
        self.unmapped.append(Unmapped(item.position, text[:200], zh, en))

    def _heading(
        self, level: int, title: str, *, ident: str | None, classes: str = "", extra: str = ""
    ) -> None:
        attrs = " ".join(part for part in (f"#{ident}" if ident else "", classes, extra) if part)
        line = "#" * max(1, min(level, 7)) + (f" {title}" if title else "")
        self._emit(f"{line} {{{attrs}}}" if attrs else line)

    def _next_id(self, prefix: str, count: int) -> str:
        scope = f"{self.annex_letter.lower()}-" if self.section == "annex" else ""
        candidate = f"{prefix}-{scope}{count}"
        while candidate in self.used_ids or candidate in self.all_bookmarks:
            candidate += "x"
        self.used_ids.add(candidate)
        return candidate
