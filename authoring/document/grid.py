"""Pandoc grid tables with merged cells, read as pandoc 3 reads them, in passes linear in the table.

The table's column boundaries are every `+` of every border line; its row boundaries are the border
lines. A cell spans the next column where its row has no `|` at the boundary, and the next row where
the border below it has no `-` run (`+------+      +`). A grid that does not make rectangles
(misaligned borders, a line longer than the first) is no table: the caller falls back to a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

#: the top and bottom lines, and the header's `+===+`: every segment closed
FULL_BORDER = re.compile(r"\+(?:[-=:]+\+)+")
#: a border between rows has a rule from `+` to `+` somewhere; a spanning cell leaves a gap in it
#: (`+------+      +`, `|      +------+`), where its text may go on
_SEGMENT = re.compile(r"\+[-=:]+\+")
_HEADER_RULE = re.compile(r"\+[=:]*=[=:]*\+")
_RULE = frozenset("-=:")
_EDGE = frozenset("+-=:")
_WALL = frozenset("|+")


@dataclass(frozen=True)
class GridCell:
    """One merged or plain cell: its text (lines joined) and the rectangle it covers."""

    text: str
    row: int
    column: int
    rowspan: int
    colspan: int


@dataclass(frozen=True)
class Grid:
    """Cells by the row they start in; `row_lines` are each row's first and last source line offsets;
    `aligns` each column's "left", "center", "right" or None, from the colons of its rule."""

    rows: list[list[GridCell]]
    row_lines: list[tuple[int, int]]
    header_rows: int
    columns: int
    aligns: list[str | None]


def _width(char: str) -> int:
    # the same count as the pipe-table splitter: wide (CJK) characters take two columns
    return 2 if ord(char) > 0x10FF and unicodedata.east_asian_width(char) in "WF" else 1


def _columns_of(line: str) -> tuple[list[int], int]:
    """For each display column, the index of the character that starts there (-1 inside a wide one)."""
    index_of: list[int] = []
    for index, char in enumerate(line):
        index_of.append(index)
        if _width(char) == 2:
            index_of.append(-1)
    return index_of, len(index_of)


def _join(parts: list[str]) -> str:
    """Lines of one cell as one text: no space between two CJK characters."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (ord(out[-1]) > 0x2E80 and ord(part[0]) > 0x2E80):
            out += " "
        out += part
    return out


class _Lines:
    """The table's lines with their display columns, all the width of the first one."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index_of: list[list[int]] = []
        for line in lines:
            index_of, width = _columns_of(line)
            self.index_of.append(index_of)
            if width != len(self.index_of[0]):
                raise ValueError("a line of another width")

    def char(self, line: int, column: int) -> str:
        index = self.index_of[line][column]
        return self.lines[line][index] if index >= 0 else ""

    def between(self, line: int, left: int, right: int) -> str:
        """The text strictly between display columns `left` and `right` (both character starts)."""
        start, stop = self.index_of[line][left], self.index_of[line][right]
        if start < 0 or stop < 0:
            raise ValueError("a wide character across a boundary")
        return self.lines[line][start + 1 : stop]


def read_grid(lines: list[str]) -> Grid | None:
    """The grid of `lines` (right-stripped, from the top border to the bottom one), or None."""
    if len(lines) < 3 or not FULL_BORDER.fullmatch(lines[0]) or not FULL_BORDER.fullmatch(lines[-1]):
        return None
    try:
        return _read(_Lines(lines))
    except ValueError:
        return None


def _read(table: _Lines) -> Grid | None:
    lines = table.lines
    borders = [i for i, line in enumerate(lines) if _SEGMENT.search(line)]
    bounds = sorted({col for line in borders for col in _corners(lines[line], table.index_of[line])})
    columns = len(bounds) - 1
    bands = [(top + 1, bottom - 1) for top, bottom in pairwise(borders)]
    if any(first > last for first, last in bands):
        return None  # two border lines in a row
    closed = [_closed_segments(table, line, bounds) for line in borders]
    walls = [_walls(table, first, last, bounds) for first, last in bands]
    if walls and not all(w[0] and w[-1] for w in walls):
        return None
    # the first `+===+` ends the header (a later one, pandoc's table foot, leaves the rows in the body)
    header_rows = next(
        (k for k, line in enumerate(borders[1:-1], start=1) if _HEADER_RULE.search(lines[line])), 0
    )
    if header_rows and not all(closed[header_rows]):
        return None  # a cell across the header's border
    rows = _cells(table, bounds, bands, closed, walls)
    if rows is None:
        return None
    return Grid(rows, bands, header_rows, columns, _aligns(table, borders[header_rows], bounds))


def _aligns(table: _Lines, line: int, bounds: list[int]) -> list[str | None]:
    """`:---`, `:---:`, `---:` in the header's rule (the top border when there is no header)."""
    out: list[str | None] = []
    for left, right in pairwise(bounds):
        rule = table.between(line, left, right)
        side = {(True, False): "left", (True, True): "center", (False, True): "right"}
        out.append(side.get((rule.startswith(":"), rule.endswith(":"))))
    return out


def _corners(line: str, index_of: list[int]) -> list[int]:
    """Display columns of the `+` that end a rule (or the line): a `+` inside a cell's text is text."""
    last = len(line) - 1
    return [
        column
        for column, index in enumerate(index_of)
        if index >= 0
        and line[index] == "+"
        and (index in (0, last) or line[index - 1] in _RULE or line[index + 1] in _RULE)
    ]


def _closed_segments(table: _Lines, line: int, bounds: list[int]) -> list[bool]:
    """For each column of border `line`: is there a rule (`---`) above the row below it?"""
    text_of = table.char
    out = []
    for left, right in pairwise(bounds):
        edge = text_of(line, left) in _EDGE and text_of(line, right) in _EDGE
        out.append(edge and all(ch in _RULE for ch in table.between(line, left, right)))
    return out


def _walls(table: _Lines, first: int, last: int, bounds: list[int]) -> list[bool]:
    """For each boundary of a row (lines `first`…`last`): a `|` on every line of the row."""
    return [all(table.char(line, col) in _WALL for line in range(first, last + 1)) for col in bounds]


def _cells(
    table: _Lines,
    bounds: list[int],
    bands: list[tuple[int, int]],
    closed: list[list[bool]],
    walls: list[list[bool]],
) -> list[list[GridCell]] | None:
    """Every cell from its top-left corner, checked to be a rectangle; each grid square is seen once."""
    columns = len(bounds) - 1
    taken = [[False] * columns for _ in bands]
    rows: list[list[GridCell]] = []
    for row in range(len(bands)):
        cells: list[GridCell] = []
        for column in range(columns):
            if taken[row][column]:
                continue
            colspan = 1
            while column + colspan < columns and not walls[row][column + colspan]:
                colspan += 1
            rowspan = 1
            while row + rowspan < len(bands) and not closed[row + rowspan][column]:
                rowspan += 1
            if not _rectangle(row, column, rowspan, colspan, taken, closed, walls):
                return None
            parts = []
            for inner in range(row, row + rowspan):
                first, last = bands[inner]
                stop = last + 2 if inner < row + rowspan - 1 else last + 1  # with the open border below
                parts.extend(
                    table.between(line, bounds[column], bounds[column + colspan])
                    for line in range(first, stop)
                )
            cells.append(GridCell(_join(parts), row, column, rowspan, colspan))
        rows.append(cells)
    return rows


def _rectangle(
    row: int,
    column: int,
    rowspan: int,
    colspan: int,
    taken: list[list[bool]],
    closed: list[list[bool]],
    walls: list[list[bool]],
) -> bool:
    """Mark the cell's squares; False when its borders do not close around them as one rectangle."""
    for inner in range(row, row + rowspan):
        if not (walls[inner][column] and walls[inner][column + colspan]):
            return False
        if any(walls[inner][column + 1 : column + colspan]):
            return False
        for col in range(column, column + colspan):
            if taken[inner][col]:
                return False
            taken[inner][col] = True
    for col in range(column, column + colspan):
        if not (closed[row][col] and closed[row + rowspan][col]):
            return False
        if any(closed[inner][col] for inner in range(row + 1, row + rowspan)):
            return False
    return True


def write_grid(cells: list[GridCell], rows: int, columns: int, header_rows: int = 0) -> str:
    """A grid table that `read_grid` (and pandoc) read back as exactly `cells`: each cell's text on one
    line of its first row, a gap in the rule under a cell that goes on, `+===+` under the header.

    The cells must tile the `rows` × `columns` squares (as a Word table's merged cells do)."""
    owner = [[-1] * columns for _ in range(rows)]
    for number, cell in enumerate(cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.column, cell.column + cell.colspan):
                owner[r][c] = number
    widths = [3] * columns
    for cell in sorted(cells, key=lambda cell: cell.colspan):  # one column first, then the spans
        room = sum(widths[cell.column : cell.column + cell.colspan]) + cell.colspan - 1
        need = _text_width(cell.text) + 2
        if need > room:
            widths[cell.column + cell.colspan - 1] += need - room
    starts = [0]
    for width in widths:
        starts.append(starts[-1] + width + 1)

    def square(r: int, c: int) -> int:
        return owner[r][c] if 0 <= r < rows and 0 <= c < columns else -1

    def border(k: int) -> str:
        rule = "=" if header_rows and k == header_rows else "-"
        closed = [square(k - 1, c) != square(k, c) for c in range(columns)]
        out = ""
        for c in range(columns + 1):
            if (c > 0 and closed[c - 1]) or (c < columns and closed[c]):
                out += "+"
            else:
                out += "|" if square(k, c - 1) != square(k, c) else " "
            if c < columns:
                out += (rule if closed[c] else " ") * widths[c]
        return out

    lines = [border(0)]
    for r in range(rows):
        line = ""
        for c in range(columns):
            cell = cells[owner[r][c]]
            if cell.column != c:
                continue  # inside a cell across columns, written from its first column
            width = starts[c + cell.colspan] - starts[c] - 1
            text = cell.text if cell.row == r else ""
            line += "| " + text + " " * (width - 1 - _text_width(text))
        lines.append(line + "|")
        lines.append(border(r + 1))
    return "\n".join(lines)


def _text_width(text: str) -> int:
    return sum(_width(char) for char in text)
