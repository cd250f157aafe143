"""Word tables: caption and id; a pipe table, or a grid table where Word merged cells (same spans)."""

from __future__ import annotations

from typing import Any

from authoring.document.grid import GridCell, write_grid
from imports.inlines import InlineWriter, Node, escape, plain
from imports.mapping.items import Item, inline_of
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
        # merged cells stay merged: a grid table with the same spans (a pipe table has none)
        table = merged_table(item.block, self.inline) if spans else markdown_table(rows)
        self._emit(table + f"\n\nTable: {escape(caption)} {{#{ident}}}")


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


def merged_table(table: Node, writer: InlineWriter) -> str:
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
            text = " ".join(writer.write(inline_of(b)).strip() for b in cell[4]).strip()
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
