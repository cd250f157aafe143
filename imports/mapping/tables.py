"""Word tables as pipe tables: caption and id, merged cells split (and reported)."""

from __future__ import annotations

from typing import Any

from imports.inlines import InlineWriter, Node, escape, plain
from imports.mapping.items import Item, Unmapped, inline_of
from imports.mapping.patterns import CAPTION
from imports.mapping.state import MapperState


class TableMapping(MapperState):
    """A table with the caption found before it (or inside it) and its id."""

    def _table(self, item: Item) -> None:
        self.table_count += 1
        caption, ident = self.pending_caption or ("", None)
        self.pending_caption = None
        inner_caption = plain(caption_blocks(item.block)).strip()
        if inner_caption and not caption:
            match = CAPTION.match(inner_caption)
            caption = match.group(2).strip() if match else inner_caption
            ident = self._take_id(inner_caption)
        ident = ident or self._next_id("tbl", self.table_count)
        rows, spans = table_rows(item.block, self.inline)
        if not rows:
            return
        if spans:
            self.unmapped.append(
                Unmapped(
                    item.position,
                    caption or "(表格)",
                    "表格含合并单元格：已拆分为普通单元格，合并处的文字写在第一个单元格中，请核对。",
                    "The table has merged cells: they were split, the text in the first cell of each merge; check it.",
                )
            )
        self._emit(markdown_table(rows) + f"\n\nTable: {escape(caption)} {{#{ident}}}")


def caption_blocks(table: Node) -> list[Node]:
    caption = table["c"][1]
    return [n for b in (caption[1] or []) for n in inline_of(b)]


def table_rows(table: Node, writer: InlineWriter) -> tuple[list[list[str]], bool]:
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
                text = " ".join(writer.write(inline_of(b)).strip() for b in cell[4]).strip()
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


def markdown_table(rows: list[list[str]]) -> str:
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
