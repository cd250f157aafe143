"""A reading-view hunk laid out for the renderers: a heading, paragraphs and tables with marked runs.

The engine diffs `reading` texts as it diffs sources (lines, then words for English and characters
for Chinese); this splits its ops back into what a reader sees: the title line of the section, then
paragraphs (text, captions, notes) and tables whose cells carry their own insertions and deletions.
The web page, the HTML redline, Word and Typst all draw from this one layout.
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
class Table:
    rows: tuple[Row, ...]


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
        title = tuple(_strip(lines.pop(0)))
    body: list[Paragraph | Table] = []
    rows: list[Row] = []
    for runs in lines:
        role = _role(runs)
        runs = _strip(runs)
        if role in ("header-row", "row"):
            if role == "header-row" and rows and not rows[-1].header:
                body.append(Table(tuple(rows)))  # a header after body rows starts the next table
                rows = []
            rows.append(Row(role == "header-row", _cells(runs), _status(runs)))
            continue
        if rows:
            body.append(Table(tuple(rows)))
            rows = []
        if any(text.strip() for _, text in runs):
            body.append(Paragraph(role, tuple(runs)))
    if rows:
        body.append(Table(tuple(rows)))
    return ReadingHunk(title, tuple(body))


def _lines(ops: Ops) -> list[list[tuple[OpCode, str]]]:
    """The ops cut at line breaks: one list of runs per line of either revision."""
    lines: list[list[tuple[OpCode, str]]] = [[]]
    for op, text in ops:
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append((op, piece))
    return lines  # empty lines too: the first is the title line, and an untitled clause has none


def _role(runs: list[tuple[OpCode, str]]) -> str:
    """What the line is in the new revision (in the old one when the whole line was deleted)."""
    new = "".join(text for op, text in runs if op != DELETE)
    old = "".join(text for op, text in runs if op != INSERT)
    first = (new or old)[:1]
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
