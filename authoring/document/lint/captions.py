"""TABLE-CAPTION, FIGURE-CAPTION: every table and figure has a title (GB/T 1.1—2020, 9.x).

An empty caption is no caption: `Table: {#tbl-x}` keeps its id for cross references but prints
"表1" with nothing after it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..tree import BlockKind
from .context import LintContext
from .findings import Finding, finding


def check_captions(ctx: LintContext) -> Iterator[Finding]:
    for placed in ctx.blocks:
        block = placed.block
        clause = placed.section.number
        if block.kind is BlockKind.TABLE and not (block.caption or "").strip():
            if block.caption is None:
                yield finding("TABLE-CAPTION", block.line, clause, "missing")
            else:
                yield finding(
                    "TABLE-CAPTION", block.line, clause, "empty", id=f"#{block.id}" if block.id else ""
                )
        elif block.kind is BlockKind.FIGURE and not (block.caption or "").strip():
            yield finding("FIGURE-CAPTION", block.line, clause, src=block.src or "", id=block.id or "fig-…")
