"""markdown-it block rules for what CommonMark lacks and pandoc reads: level 7+ headings, display math
with an id (`$$ … $$ {#eq-x}`) and grid tables; and the one block parser the document core uses.

Parsing runs the block rules only (no inline pass): the tree needs lines and raw inline text, and the
inline pass is the expensive half of markdown-it; render runs it for the blocks it prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .grid import FULL_BORDER, Grid, read_grid

_DEEP_HEADING = re.compile(r"(#{7,})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*")
_ATTRS_TAIL = re.compile(r"[ \t]*(\{[^{}\n]*\})?[ \t]*")
#: display math: at most this many lines, so a stray `$$` never makes the parser scan the whole file
MAX_MATH_LINES = 200


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _indented_code(state: StateBlock, line: int) -> bool:
    return state.sCount[line] - state.blkIndent >= 4


def deep_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`####### title`: pandoc reads a level-7 heading where CommonMark sees a paragraph."""
    if _indented_code(state, start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("#######", pos):
        return False
    match = _DEEP_HEADING.fullmatch(_line_text(state, start))
    if match is None:
        return False
    if silent:
        return True
    state.line = start + 1
    opening = state.push("heading_open", "h6", 1)
    opening.markup = match.group(1)
    opening.map = [start, state.line]
    inline = state.push("inline", "", 0)
    inline.content = (match.group(2) or "").strip()
    inline.map = [start, state.line]
    inline.children = []
    state.push("heading_close", "h6", -1)
    return True


def math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`$$ tex $$ {#eq-x}` on one line or several: a formula token with its TeX and attributes."""
    if _indented_code(state, start):
        return False
    first = _line_text(state, start)
    if not first.startswith("$$"):
        return False
    rest = first[2:]
    close = rest.find("$$")
    last = start
    if close >= 0:
        tex, tail = rest[:close], rest[close + 2 :]
    else:
        parts = [rest]
        line = start + 1
        tail = None
        while line < end and line - start < MAX_MATH_LINES:
            if state.bMarks[line] + state.tShift[line] >= state.eMarks[line]:
                break  # a blank line ends the paragraph pandoc would read the math in
            text = _line_text(state, line)
            close = text.find("$$")
            if close >= 0:
                parts.append(text[:close])
                tail = text[close + 2 :]
                last = line
                break
            parts.append(text)
            line += 1
        if tail is None:
            return False
        tex = "\n".join(parts)
    attrs = _ATTRS_TAIL.fullmatch(tail)
    if attrs is None or not tex.strip():
        return False
    if silent:
        return True
    state.line = last + 1
    token = state.push("math_block_eqno", "math", 0)
    token.block = True
    token.content = tex.strip()
    token.info = attrs.group(1) or ""
    token.map = [start, state.line]
    return True


#: where a grid table that failed to read ends: a paragraph asks the rule again at every following line
#: (a table may interrupt it), and each would rescan the same lines to the same end
_DEAD_GRID = "stdforge_dead_grid"


def grid_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A pandoc grid table (`+---+` borders, `+===+` under the header, merged cells where a border
    has a gap) as markdown-it table tokens, `rowspan`/`colspan` on the merged cells."""
    if _indented_code(state, start):
        return False
    first = _line_text(state, start).rstrip()
    if not first.startswith(("+-", "+:")) or FULL_BORDER.fullmatch(first) is None:
        return False
    dead = state.env.get(_DEAD_GRID) if isinstance(state.env, dict) else None
    if dead is not None and dead[0] is state.src and dead[1] <= start < dead[2] and dead[3] == end:
        return False
    lines = [first]
    stop = start + 1
    while stop < end:
        text = _line_text(state, stop).rstrip()
        if not text.startswith(("+", "|")):
            break
        lines.append(text)
        stop += 1
    grid = read_grid(lines)
    if grid is None:
        if isinstance(state.env, dict):
            state.env[_DEAD_GRID] = (state.src, start, stop, end)
        return False
    if silent:
        return True
    _push_table(state, start, stop, grid)
    state.line = stop
    return True


def _push_table(state: StateBlock, start: int, stop: int, grid: Grid) -> None:
    table = state.push("table_open", "table", 1)
    table.map = [start, stop]
    groups = [("thead", 0, grid.header_rows, "th"), ("tbody", grid.header_rows, len(grid.rows), "td")]
    for group, first_row, end_row, cell_tag in groups:
        if first_row >= end_row:
            continue
        state.push(f"{group}_open", group, 1)
        for number in range(first_row, end_row):
            first, last = grid.row_lines[number]
            row = state.push("tr_open", "tr", 1)
            row.map = [start + first, start + last + 1]
            for cell in grid.rows[number]:
                opening = state.push(f"{cell_tag}_open", cell_tag, 1)
                if cell.rowspan > 1:
                    opening.attrSet("rowspan", str(cell.rowspan))
                if cell.colspan > 1:
                    opening.attrSet("colspan", str(cell.colspan))
                align = grid.aligns[cell.column]
                if align:  # as markdown-it writes a pipe table's alignment
                    opening.attrSet("style", f"text-align:{align}")
                inline = state.push("inline", "", 0)
                inline.content = cell.text
                inline.map = [start + first, start + grid.row_lines[number + cell.rowspan - 1][1] + 1]
                inline.children = []
                state.push(f"{cell_tag}_close", cell_tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{group}_close", group, -1)
    state.push("table_close", "table", -1)


def _rule(md: MarkdownIt, name: str) -> Callable[[StateBlock, int, int, bool], bool]:
    return next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == name)


def _dispatcher(by_char: dict[str, list[Callable[[StateBlock, int, int, bool], bool]]]):
    """One block rule for all the extras, chosen by the line's first character: markdown-it calls every
    rule on every line, so seven extra rules cost seven calls per line; this costs one."""

    def extras(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:
            return False
        pos = state.bMarks[start] + state.tShift[start]
        rules = by_char.get(state.src[pos : pos + 1])
        if rules is None:
            return False
        return any(rule(state, start, end, silent) for rule in rules)

    return extras


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """CommonMark with HTML off, pipe tables, front matter, footnotes, note/example containers and the
    rules above; only the block pass runs."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.enable("table")
    md.use(front_matter_plugin).use(footnote_plugin)
    md.use(container_plugin, name="note").use(container_plugin, name="example")
    front_matter = _rule(md, "front_matter")
    by_char = {
        "#": [deep_heading],
        "$": [math_block],
        "+": [grid_table],
        ":": [_rule(md, "container_note"), _rule(md, "container_example")],
        "[": [_rule(md, "footnote_def")],
        "-": [lambda state, start, end, silent: start == 0 and front_matter(state, start, end, silent)],
    }
    plugin_rules = ["front_matter", "footnote_def", "container_note", "container_example", "html_block"]
    md.block.ruler.disable(plugin_rules)
    md.block.ruler.before(
        "table",
        "standard_extras",
        _dispatcher(by_char),
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.disable(["inline", "text_join", "footnote_tail"], ignoreInvalid=True)
    return md
