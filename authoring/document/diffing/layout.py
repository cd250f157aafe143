"""A reading-view hunk laid out for the renderers: a heading, paragraphs and tables with marked runs.

The engine diffs `reading` texts as it diffs sources (lines, then words for English and characters
for Chinese); this splits its ops back into what a reader sees: the title line of the section, then
paragraphs (text, captions, notes) and tables whose cells carry their own insertions and deletions.
The web page, the HTML redline, Word and Typst all draw from this one layout. A table with merged
cells also comes placed on one grid (`Table.grid`), for a renderer that can draw the merges.
"""

from __future__ import annotations

from dataclasses import dataclass

from authoring.document.diffing import reading
from authoring.document.diffing.model import FRONT_MATTER, SectionDiff
from authoring.document.diffing.textdiff import DELETE, EQUAL, INSERT, OpCode, Ops

#: a run of text with what happened to it: "=" kept, "-" deleted, "+" inserted
Runs = tuple[tuple[OpCode, str], ...]

_ROLES = {
    reading.HEADER_ROW: "header-row",
    reading.BODY_ROW: "row",
    reading.CAPTION: "caption",
    reading.NOTE: "note",
}


@dataclass(frozen=True)
class Paragraph:
    """One printed paragraph; `role` is "text", "caption" (of a table or figure) or "note"."""

    role: str
    runs: Runs

    @property
    def changed(self) -> bool:
        return any(op != EQUAL for op, _ in self.runs)


@dataclass(frozen=True)
class Row:
    header: bool
    #: each cell's runs; a cell (or column) added or removed shows as a cell of "+" or "-" runs
    cells: tuple[Runs, ...]
    #: "=" when the row was kept (perhaps with changed cells), "+" added whole, "-" deleted whole
    status: OpCode = EQUAL


@dataclass(frozen=True)
class GridCell:
    """A cell of a table with merged cells, at its place on the grid the two revisions share."""

    runs: Runs
    #: index into `Grid.rows`; the cell covers `rowspan` grid rows from there (deleted rows inside
    #: a merge count) and `colspan` columns from `column`
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    #: a cell kept from the old revision whose merge changed (it covers other rows or columns now)
    merge_changed: bool = False


@dataclass(frozen=True)
class Grid:
    """A table with merged cells in either revision, on the new revision's grid.

    The new revision's rows and cells are placed exactly as it prints them. A row deleted whole goes
    where it stood, under the cells that covered it in the old revision or whose merge in the new one
    goes on below it, its own cells in the places left (its merges end at the next row of the new
    revision). Text deleted from a kept row, a cell or column that is gone included, stays marked
    inside the cell it was in: the old cell has no place of its own on the new grid. So every place
    is covered once, whatever changed, and a renderer never meets two cells in one place."""

    columns: int
    #: (is a header row, "=" / "+" / "-") for each grid row
    rows: tuple[tuple[bool, OpCode], ...]
    cells: tuple[GridCell, ...]

    @property
    def merges_changed(self) -> bool:
        return any(cell.merge_changed for cell in self.cells)


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    #: the table placed on one grid with its merged cells; None when neither revision merges a cell
    #: (then each row's cells are its places)
    grid: Grid | None = None


@dataclass(frozen=True)
class ReadingHunk:
    """The title line (empty for the cover) and the body, in reading order."""

    title: Runs
    body: tuple[Paragraph | Table, ...]


def layout(hunk: SectionDiff) -> ReadingHunk:
    """Split the hunk's ops (over `reading` texts) into its title line, paragraphs and tables."""
    lines = _lines(hunk.ops)
    title: Runs = ()
    if hunk.kind != FRONT_MATTER and lines:
        title = tuple(_strip(lines.pop(0)[1]))
    body: list[Paragraph | Table] = []
    rows: list[Row] = []
    marked: list[list[tuple[OpCode, str]]] = []  # the rows' runs with their markers, for `_grid`
    for broken, line in lines:
        role = _role(line, broken)
        runs = _strip(line)
        if role in ("header-row", "row"):
            if role == "header-row" and rows and not rows[-1].header:
                body.append(_table(rows, marked))  # a header after body rows starts the next table
                rows, marked = [], []
            rows.append(Row(role == "header-row", _cells(runs), _status(runs)))
            marked.append(line)
            continue
        if rows:
            body.append(_table(rows, marked))
            rows, marked = [], []
        if any(text.strip() for _, text in runs):
            body.append(Paragraph(role, tuple(runs)))
    if rows:
        body.append(_table(rows, marked))
    return ReadingHunk(title, tuple(body))


def _table(rows: list[Row], marked: list[list[tuple[OpCode, str]]]) -> Table:
    spans = reading.ROWSPAN + reading.COLSPAN
    merged = any(char in spans for line in marked for _, text in line for char in text)
    return Table(tuple(rows), _grid(marked) if merged else None)


def _lines(ops: Ops) -> list[tuple[OpCode, list[tuple[OpCode, str]]]]:
    """The ops cut at line breaks: one list of runs per line of either revision, each with the op of
    the line break before it ("=" for the first line)."""
    lines: list[tuple[OpCode, list[tuple[OpCode, str]]]] = [(EQUAL, [])]
    for op, text in ops:
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append((op, []))
            if piece:
                lines[-1][1].append((op, piece))
    return lines  # empty lines too: the first is the title line, and an untitled clause has none


def _role(runs: list[tuple[OpCode, str]], broken: OpCode = EQUAL) -> str:
    """What the line is in the new revision (in the old one when the whole line was deleted, or when
    its line break was: then its new text goes on the new revision's line above, and the old text is
    the one that starts here, as a table row whose old text the diff ran into the next row)."""
    new = "".join(text for op, text in runs if op != DELETE)
    old = "".join(text for op, text in runs if op != INSERT)
    first = (old if broken == DELETE and old else new or old)[:1]
    return _ROLES.get(first, "text")


def _strip(runs: list[tuple[OpCode, str]]) -> list[tuple[OpCode, str]]:
    """The runs without the line markers (they only tell the role)."""
    stripped = [(op, text.translate(_NO_MARKERS)) for op, text in runs]
    return [(op, text) for op, text in stripped if text]


_NO_MARKERS = {ord(marker): None for marker in reading.MARKERS}


def _cells(runs: list[tuple[OpCode, str]]) -> tuple[Runs, ...]:
    cells: list[list[tuple[OpCode, str]]] = [[]]
    for op, text in runs:
        for index, piece in enumerate(text.split(reading.CELL)):
            if index:
                cells.append([])
            if piece:
                cells[-1].append((op, piece))
    return tuple(tuple(cell) for cell in cells)


def _status(runs: list[tuple[OpCode, str]]) -> OpCode:
    ops = {op for op, _ in runs}
    if ops == {INSERT}:
        return INSERT
    if ops == {DELETE}:
        return DELETE
    return EQUAL


@dataclass
class _GridRow:
    header: bool
    status: OpCode
    #: the row is one of the new revision's rows / of the old one's (a kept row is both)
    in_new: bool
    in_old: bool
    #: each cell: what opened it (the row marker's or the tab's op) and its runs with their markers
    cells: list[tuple[OpCode, list[tuple[OpCode, str]]]]


@dataclass
class _Cover:
    """A placed cell while it reaches down: rows of each revision it still covers below."""

    index: int
    new_rows: int
    old_rows: int


def _grid(lines: list[list[tuple[OpCode, str]]]) -> Grid:
    """Place a merged table's rows (their runs with markers) on one grid; see `Grid`."""
    rows = _grid_rows(lines)
    cells: list[GridCell] = []
    covering: dict[int, _Cover] = {}  # per column, the cell above that covers it
    for y, row in enumerate(rows):
        for column, cover in list(covering.items()):
            # a row of the new revision is covered as the new revision merges it; a deleted row also
            # when a merge of the new revision goes on below it, or the old revision merged it
            if not (cover.new_rows > 0 or (not row.in_new and cover.old_rows > 0)):
                del covering[column]
                continue
            cells[cover.index] = _grown(cells[cover.index], y)
        for cover in {id(cover): cover for cover in covering.values()}.values():
            cover.new_rows -= 1 if row.in_new else 0
            cover.old_rows -= 1 if row.in_old else 0
        column = 0
        for position, (opened, runs) in enumerate(row.cells):
            while column in covering:
                column += 1
            new_span, old_span = _spans(runs, DELETE), _spans(runs, INSERT)
            # in a kept row: a cell that covers other rows or columns, or the second half of kept text
            # cut in two (a tab inserted between kept text)
            split = (
                opened == INSERT
                and position > 0
                and _keeps_text(runs)
                and _keeps_text(row.cells[position - 1][1])
            )
            kept = row.in_new and row.in_old
            changed = kept and row.status == EQUAL and (split or new_span != old_span)
            colspan = 1
            wanted = new_span[1] if row.in_new else old_span[1]
            while colspan < wanted and column + colspan not in covering:
                colspan += 1
            cover = _Cover(
                len(cells),
                new_span[0] - 1 if row.in_new else 0,
                old_span[0] - 1 if row.in_old else 0,
            )
            covering.update((place, cover) for place in range(column, column + colspan))
            cells.append(GridCell(_cell_text(runs), y, column, 1, colspan, changed))
            column += colspan
    columns = max((cell.column + cell.colspan for cell in cells), default=1)
    return Grid(columns, tuple((row.header, row.status) for row in rows), tuple(cells))


def _grid_rows(lines: list[list[tuple[OpCode, str]]]) -> list[_GridRow]:
    """The rows of the new revision, cut at its tabs, and the rows deleted whole, cut at theirs."""
    rows: list[_GridRow] = []
    for line in lines:
        header = _role(line) == "header-row"
        in_new = any(op != DELETE and _has_row_marker(text) for op, text in line)
        in_old = any(op != INSERT and _has_row_marker(text) for op, text in line)
        if in_new:
            rows.append(_GridRow(header, _status(line), True, in_old, _split_cells(line, skip=DELETE)))
        elif any(op == INSERT for op, _ in line) and rows:
            # an old row's line that holds new text too: the diff ran the new revision's row above
            # across two old ones, so the new text (and its cells) goes on that row, marked
            first, *more = _split_cells(line, skip=DELETE)
            rows[-1].cells[-1][1].extend(first[1])
            rows[-1].cells.extend(more)
        else:
            rows.append(_GridRow(header, DELETE, False, True, _split_cells(line, skip=INSERT)))
    return rows


def _keeps_text(runs: list[tuple[OpCode, str]]) -> bool:
    return any(op == EQUAL and text.translate(_NO_MARKERS) for op, text in runs)


def _grown(cell: GridCell, y: int) -> GridCell:
    return GridCell(cell.runs, cell.row, cell.column, y - cell.row + 1, cell.colspan, cell.merge_changed)


def _has_row_marker(text: str) -> bool:
    return reading.HEADER_ROW in text or reading.BODY_ROW in text


def _split_cells(
    line: list[tuple[OpCode, str]], *, skip: OpCode
) -> list[tuple[OpCode, list[tuple[OpCode, str]]]]:
    """The line cut at the tabs of one revision (those of runs other than `skip`), each cell with the
    op of what opened it (the row marker, then its tab); a tab of the other revision stays inside."""
    opener = next((op for op, text in line if op != skip and _has_row_marker(text)), EQUAL)
    cells: list[tuple[OpCode, list[tuple[OpCode, str]]]] = [(opener, [])]
    for op, text in line:
        pieces = [text] if op == skip else text.split(reading.CELL)
        for index, piece in enumerate(pieces):
            if index:
                cells.append((op, []))
            if piece:
                cells[-1][1].append((op, piece))
    return cells


def _spans(runs: list[tuple[OpCode, str]], skip: OpCode) -> tuple[int, int]:
    """(rowspan, colspan) of a cell in one revision: its markers in the runs other than `skip`."""
    text = "".join(text for op, text in runs if op != skip)
    return 1 + text.count(reading.ROWSPAN), 1 + text.count(reading.COLSPAN)


def _cell_text(runs: list[tuple[OpCode, str]]) -> Runs:
    """A cell's runs without markers; a tab of the other revision left inside reads as a space."""
    return tuple((op, text.replace(reading.CELL, " ")) for op, text in _strip(runs))
