"""STRUCT-HANGING, -LONE, -EMPTY, -DEPTH: the shape of each chapter and clause (GB/T 1.1—2020, 7.x).

A chapter or clause either holds text or is divided into two or more subclauses; text before the
first subclause is a hanging paragraph (悬置段), which cannot be cited. Term entries follow their own
rule (TERM-DEFINITION), and the lead-in sentence of chapters 2 and 3 belongs to the chapter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..tree import BlockKind, Section, SectionKind
from .context import LintContext, title_of, where
from .findings import Finding, finding

#: the sentence GB/T 1.1 adds to the terms lead-in when it repeats terms defined elsewhere
_REPEATED_TERMS = re.compile(r"\s*(?:为了?便于使用|For (?:ease of use|convenience))", re.IGNORECASE)
#: sections that may be divided into subclauses, and so can hang or stand alone
_DIVIDED = frozenset({SectionKind.CHAPTER, SectionKind.CLAUSE, SectionKind.ANNEX, SectionKind.INTRODUCTION})
#: `######` is the fifth clause level below a chapter; pandoc reads `#######` as level 7
_MAX_LEVEL = 6


def check_sections(ctx: LintContext) -> Iterator[Finding]:
    """One pass over the sections for the four rules on their shape."""
    lead_in_chapters = {id(c) for c in (ctx.chapter(2), ctx.chapter(3)) if c is not None}
    for placed in ctx.sections:
        section = placed.section
        if section.kind is SectionKind.TERM:
            continue
        if section.level > _MAX_LEVEL:
            clause = section.number or (placed.parent.number if placed.parent else None)
            yield finding(
                "STRUCT-DEPTH", section.line, clause, title=title_of(section), level=str(section.level)
            )
        if not section.blocks and not section.children:
            yield _about("STRUCT-EMPTY", section)
        if section.kind not in _DIVIDED or not section.children:
            continue
        first = where(section.children[0])
        if _hanging(section, lead_in=id(section) in lead_in_chapters):
            yield _about("STRUCT-HANGING", section, first=first)
        if len(section.children) == 1 and section.children[0].kind is not SectionKind.TERM:
            yield _about("STRUCT-LONE", section, child=first)  # one term entry is fine


def _about(rule: str, section: Section, **params: tuple[str, str]) -> Finding:
    """A finding at a section's heading, naming it."""
    return finding(
        rule, section.line, section.number, where=where(section), title=title_of(section), **params
    )


def _hanging(section: Section, *, lead_in: bool) -> bool:
    """Text before the first subclause, other than the lead-in of chapters 2 and 3 (its first paragraph,
    and GB/T 1.1's "为了便于使用，以下重复列出了……" sentence after it)."""
    blocks = section.blocks
    if lead_in and blocks and blocks[0].kind is BlockKind.PARAGRAPH:
        blocks = blocks[1:]
        while blocks and blocks[0].kind is BlockKind.PARAGRAPH and _REPEATED_TERMS.match(blocks[0].text):
            blocks = blocks[1:]
    return bool(blocks)
