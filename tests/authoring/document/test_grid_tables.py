"""Grid tables with merged cells: read exactly as pandoc reads them, shown merged, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cpu_time import cpu_seconds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring.document import parse
from authoring.document.blockrules import block_parser
from authoring.document.grid import GridCell, read_grid, write_grid
from authoring.document.render import render_html
from authoring.document.tree import BlockKind
from exports.pandoc import run_pandoc

#: a header, a cell across two columns, cells down two rows, a first column whose border starts with `|`
SPANS = """\
+------+------+-----+
| 项目 | 要求 | 备注|
+======+======+=====+
| 人员配置    | b   |
+------+------+     +
| c    | d    |     |
+------+      +-----+
| e    |      | f   |
+------+------+-----+
"""

IRREGULAR = """\
+-------------+
| 总标题      |
+------+------+
| 左侧 | 上   |
| 两行 +------+
|      | 下   |
+------+--+---+
| 宽      | 窄|
+---------+---+
"""

CONTINUED_TEXT = """\
+------------+-------+
| 多行单元格 | x     |
| 接着写     |       |
+------------+-------+
| GB/T 1.1   | y     |
| text       |       |
+------------+-------+
"""

#: a corner that only one border has: both rows span the two narrow columns it makes
ONE_CORNER = "+---+---+\n| a | b |\n+-+-+---+\n| c | d |\n+---+---+\n"

#: a second `+===+` starts pandoc's table foot: its rows stay rows of the body, not of the header
WITH_FOOT = "+---+---+\n| H | I |\n+===+===+\n| a | b |\n+===+===+\n| f | g |\n+---+---+\n"

GRIDS = {
    "with a foot": WITH_FOOT,
    "spans": SPANS,
    "irregular": IRREGULAR,
    "continued text": CONTINUED_TEXT,
    "one corner": ONE_CORNER,
}


def _our_cells(text: str) -> list[list[tuple[str, int, int]]]:
    """Each row's cells as (text, rowspan, colspan), header rows first, from our block rule."""
    rows: list[list[tuple[str, int, int]]] = []
    spans = (1, 1)
    for token in block_parser().parse(text):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            spans = (int(token.attrGet("rowspan") or 1), int(token.attrGet("colspan") or 1))
        elif token.type == "inline" and rows:
            rows[-1].append((token.content, *spans))
    return rows


def _stringify(blocks: list) -> str:
    words: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Str":
                words.append(node["c"])
            elif node.get("t") in ("Space", "SoftBreak"):
                words.append(" ")
            else:
                walk(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "".join(words)


def _pandoc_cells(text: str, tmp_path: Path) -> list[list[tuple[str, int, int]]]:
    """The same rows as pandoc's own reader sees them; a line break between two CJK characters is no
    space (east_asian_line_breaks), as our reader joins a cell's lines."""
    ast = json.loads(
        run_pandoc(["-f", "markdown+east_asian_line_breaks", "-t", "json"], stdin=text.encode(), cwd=tmp_path)
    )
    table = next(block for block in ast["blocks"] if block["t"] == "Table")
    head_rows = table["c"][3][1]
    body_rows = [row for body in table["c"][4] for row in body[2] + body[3]]
    return [[(_stringify(cell[4]), cell[2], cell[3]) for cell in row[1]] for row in head_rows + body_rows]


@pytest.mark.parametrize("name", GRIDS)
def test_merged_cells_are_read_as_pandoc_reads_them(name, tmp_path):
    ours = _our_cells(GRIDS[name])
    assert ours == _pandoc_cells(GRIDS[name], tmp_path)
    merged = any(rowspan > 1 or colspan > 1 for row in ours for _, rowspan, colspan in row)
    assert merged == (name in ("spans", "irregular", "one corner"))


@pytest.mark.parametrize(("text", "headers"), [(SPANS, 3), (WITH_FOOT, 2)])
def test_the_header_row_stays_a_header_above_merged_cells(text, headers):
    tokens = block_parser().parse(text)
    header = [t.type for t in tokens[: [t.type for t in tokens].index("thead_close")]]
    assert header.count("th_open") == headers and "td_open" not in header


def test_merged_cells_show_merged_in_the_page(doc_of):
    html = render_html(doc_of("# 范围\n\n" + SPANS + "\nTable: 配置 {#tbl-a}\n"))
    assert '<td colspan="2">人员配置</td>' in html
    assert '<td rowspan="2">b</td>' in html and '<td rowspan="2">d</td>' in html
    assert "------" not in html


def test_a_merged_table_is_one_table_block_with_its_caption(doc_of):
    doc = doc_of("# 范围\n\n" + SPANS + "\nTable: 配置 {#tbl-a}\n")
    table = doc.sections[0].blocks[0]
    assert (table.kind, table.id, table.label) == (BlockKind.TABLE, "tbl-a", "表1")


MALFORMED = [
    "+---+---+\n| a | b |\n+---+---+\n| c | d |\n+---+----+\n",  # bottom border longer
    "+---+---+\n| a | b  |\n+---+---+\n",  # a row wider than the border
    "+---+---+\n| a | b |\n+---+---+\n| c | d |\n",  # no bottom border
    "+---+---+\n| a   b |\n+---+   +\n| c |   |\n+---+---+\n",  # a cell that is no rectangle
    "+---+---+\n| 字 | b |\n+---+---+\n",  # a wide character counted as one column
    "+---+---+\n+---+---+\n",  # no row at all
]


@pytest.mark.parametrize("text", MALFORMED)
def test_a_malformed_grid_is_kept_as_text(text, doc_of):
    doc = doc_of("# 范围\n\n" + text)
    blocks = doc.sections[0].blocks
    assert blocks and all(block.kind is not BlockKind.TABLE for block in blocks)
    assert "+---+" in render_html(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(SPANS) - 1),
    replacement=st.sampled_from([" ", "-", "+", "|", "=", "字", "\n", ""]),
)
def test_any_one_character_changed_in_a_grid_still_parses(position, replacement):
    text = SPANS[:position] + replacement + SPANS[position + 1 :]
    render_html(parse("# 范围\n\n" + text))


def _cpu(text: str) -> float:
    return cpu_seconds(lambda: render_html(parse(text)))


FLOODS = {
    "rows without a bottom border": lambda n: "# x\n\n" + "+--+\n| a|\n" * n + "x\n",
    "rows down one merged cell": lambda n: (
        "# x\n\n+--+--+\n" + "| a|  |\n+--+  +\n" * n + "| a|  |\n+--+--+\n"
    ),
    "columns across one merged cell": lambda n: (
        "# x\n\n+" + "--+" * n + "\n|" + "   " * n + "|\n+" + "--+" * n + "\n"
    ),
    "misaligned borders": lambda n: "# x\n\n" + "+--+\n+---+\n| a|\n" * n,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", FLOODS)
def test_a_flood_of_grid_rows_or_columns_parses_in_linear_time(name):
    small = min(_cpu(FLOODS[name](2_000)) for _ in range(2))
    large = _cpu(FLOODS[name](8_000))
    assert large < 0.25 or large < 12 * max(small, 0.25 / 4), f"{name}: {small:.2f}s, then {large:.2f}s"


def _random_grid(data: st.DataObject) -> str:
    """A grid table of up to 4×4 squares cut into random rectangles, drawn as pandoc's writer draws one:
    a rule under a cell that ends, a gap under one that goes on, `|` between two cells."""
    rows, columns = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    owner = [[-1] * columns for _ in range(rows)]
    starts: list[tuple[int, int]] = []
    for r in range(rows):
        for c in range(columns):
            if owner[r][c] >= 0:
                continue
            width = 1
            while c + width < columns and owner[r][c + width] < 0:
                width += 1
            colspan = data.draw(st.integers(1, width))
            rowspan = data.draw(st.integers(1, rows - r))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    owner[rr][cc] = len(starts)
            starts.append((r, c))
    header = rows > 1 and all(owner[0][c] != owner[1][c] for c in range(columns)) and data.draw(st.booleans())

    def border(k: int) -> str:
        rule = "=" if header and k == 1 else "-"
        closed = [k in (0, rows) or owner[k - 1][c] != owner[k][c] for c in range(columns)]
        out = ""
        for c in range(columns + 1):
            if (c > 0 and closed[c - 1]) or (c < columns and closed[c]):
                out += "+"
            else:
                out += "|" if c in (0, columns) or owner[k][c - 1] != owner[k][c] else " "
            if c < columns:
                out += (rule if closed[c] else " ") * 6
        return out

    lines = [border(0)]
    for r in range(rows):
        line = [" "] * (7 * columns + 1)
        for c in range(columns + 1):
            if c in (0, columns) or owner[r][c - 1] != owner[r][c]:
                line[7 * c] = "|"
        for number, (sr, sc) in enumerate(starts):
            if sr == r:
                line[7 * sc + 2 : 7 * sc + 5] = f"c{number:02d}"
        lines.append("".join(line))
        lines.append(border(r + 1))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_layout_of_merged_cells_is_read_as_pandoc_reads_it(data, tmp_path_factory):
    text = _random_grid(data)
    assert _our_cells(text) == _pandoc_cells(text, tmp_path_factory.mktemp("pandoc")), text


ALIGNED = {
    "under the header": "+-------+-------+-------+\n| L     | C     | R     |\n+:======+:=====:+======:+\n"
    "| a     | b     | c     |\n+-------+-------+-------+\n",
    "in the top border": "+:------+:-----:+------:+\n| a     | b     | c     |\n+-------+-------+-------+\n",
}


@pytest.mark.parametrize("name", ALIGNED)
def test_colons_in_the_rule_align_the_columns_as_pandoc_aligns_them(name, tmp_path):
    text = ALIGNED[name]
    ast = json.loads(run_pandoc(["-f", "markdown", "-t", "json"], stdin=text.encode(), cwd=tmp_path))
    theirs = [spec[0]["t"] for spec in ast["blocks"][0]["c"][2]]
    styles = [str(t.attrGet("style")) for t in block_parser().parse(text) if t.type in ("th_open", "td_open")]
    ours = ["Align" + style.removeprefix("text-align:").capitalize() for style in styles[-3:]]
    assert ours == theirs == ["AlignLeft", "AlignCenter", "AlignRight"]


def test_an_aligned_grid_column_shows_aligned_in_the_page(doc_of):
    html = render_html(doc_of("# 范围\n\n" + ALIGNED["under the header"]))
    assert '<td class="align-center">b</td>' in html and '<th class="align-right">R</th>' in html


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    texts=st.lists(st.sampled_from(["", "字", "服务内容", "GB/T 1.1", "a|b", "x"]), min_size=16),
)
def test_a_written_grid_reads_back_as_the_same_cells(data, texts):
    """The Word import writes merged cells with write_grid: what it writes reads back cell for cell."""
    grid = read_grid(_random_grid(data).split("\n")[:-1])
    assert grid is not None
    cells = [
        GridCell(texts[i % len(texts)], c.row, c.column, c.rowspan, c.colspan)
        for i, c in enumerate(cell for row in grid.rows for cell in row)
    ]
    written = write_grid(cells, len(grid.rows), grid.columns, grid.header_rows)
    again = read_grid(written.split("\n"))
    assert again is not None, written
    assert [cell for row in again.rows for cell in row] == cells and again.header_rows == grid.header_rows
