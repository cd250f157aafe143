"""Caps on what no standard has: a text past one of them is a flood, refused before the tree is built.

Every pass over a text is linear in its size, but the constant differs by what the text is made of:
markdown-it's inline pass costs ~10 µs per link opener, the history page and the diff pay per heading,
typesetting pays per element. A real long standard (300–400 KB) has a few thousand headings, some
tens of thousands of block elements and a few thousand inline marks (the 21 KB example: 28 `[`); the caps sit far above that and
far below what stalls a worker (75,000 headings made the history page take 13 s; 150,000 `![` took
seconds to render).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from markdown_it.token import Token

from .errors import DocumentTooComplex

#: headings per document (each is a section: numbered, linted, diffed, shown in the outline)
MAX_HEADINGS = 10_000
#: block elements per document: paragraphs, list items, table rows and cells, notes, formulas…
MAX_BLOCKS = 100_000
#: inline marks per document: each `[` (links, images, footnotes, references), `*` and `_` (emphasis)
#: and `$` (formulas); markdown-it keeps one delimiter per `*`, so 400,000 of them in a row took 8 s
#: to render, and 450 KB of `$a ` grew the PDF export to 3.5 GB
MAX_MARKS = 50_000

_MARK = re.compile(r"[\[*_$]")


def check_complexity(text: str, tokens: Sequence[Token]) -> None:
    """Raise DocumentTooComplex at the first element past its cap, naming the line it is on."""
    headings = blocks = 0
    for token in tokens:
        if token.nesting == -1 or token.type in ("inline", "front_matter"):
            continue
        blocks += 1
        if token.type == "heading_open":
            headings += 1
            if headings > MAX_HEADINGS:
                raise DocumentTooComplex("headings", MAX_HEADINGS, _line_of(token))
        if blocks > MAX_BLOCKS:
            raise DocumentTooComplex("blocks", MAX_BLOCKS, _line_of(token))
    if sum(text.count(mark) for mark in "[*_$") <= MAX_MARKS:
        return  # fewer characters than the cap: fewer marks too, and no need to find them
    past_the_cap = next(islice(_MARK.finditer(text), MAX_MARKS, None))
    raise DocumentTooComplex("marks", MAX_MARKS, text.count("\n", 0, past_the_cap.start()) + 1)


def _line_of(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1
