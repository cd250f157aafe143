"""STRUCT-HANGING, -LONE, -EMPTY, -DEPTH: the shape of each chapter and clause (GB/T 1.1—2020, 7.x).

A chapter or clause either holds text or is divided into two or more subclauses; text before the
first subclause is a hanging paragraph (悬置段), which cannot be cited. Term entries follow their own
rule (TERM-DEFINITION), and the lead-in sentence of chapters 2 and 3 belongs to the chapter.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..tree import BlockKind, Section, SectionKind
from .context import LintContext, title_of, where
from .findings import Finding, finding

#: sections that may be divided into subclauses, and so can hang or stand alone
_DIVIDED = frozenset({SectionKind.CHAPTER, SectionKind.CLAUSE, SectionKind.ANNEX, SectionKind.INTRODUCTION})
_MAX_LEVEL = 6


def check_sections(ctx: LintContext) -> Iterator[Finding]:
    lead_in_chapters = {id(c) for c in (ctx.chapter(2), ctx.chapter(3)) if c is not None}
    for placed in ctx.sections:
        section = placed.section
        if section.kind is SectionKind.TERM:
            continue
        if section.level > _MAX_LEVEL:
            yield finding(
                "STRUCT-DEPTH",
                section.line,
                section.number or _number_of(placed.parent),
                title=title_of(section),
                level=str(section.level),
            )
        if not section.blocks and not section.children:
            yield finding(
                "STRUCT-EMPTY", section.line, section.number, where=where(section), title=title_of(section)
            )
        if section.kind not in _DIVIDED:
            continue
        subclauses = [child for child in section.children if child.kind is not SectionKind.TERM]
        if not subclauses:
            continue
        if _hanging(section, lead_in=id(section) in lead_in_chapters):
            yield finding(
                "STRUCT-HANGING",
                section.line,
                section.number,
                where=where(section),
                title=title_of(section),
                first=where(subclauses[0]),
            )
        if len(section.children) == 1:
            yield finding(
                "STRUCT-LONE",
                section.line,
                section.number,
                where=where(section),
                title=title_of(section),
                child=where(subclauses[0]),
            )


def _hanging(section: Section, *, lead_in: bool) -> bool:
    blocks = section.blocks
    if lead_in and blocks and blocks[0].kind is BlockKind.PARAGRAPH:
        blocks = blocks[1:]
    return bool(blocks)


def _number_of(section: Section | None) -> str | None:
    return section.number if section is not None else None
