"""SCOPE-PROVISION, NOTE-PROVISION, VERB-NONSTANDARD, TERM-DEFINITION: what the text says.

The scope states what the document covers and notes and examples only inform, so neither may
require anything (GB/T 1.1—2020, 8.x and 9.x); 必须 and "must" are not provision verbs at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..tree import Block, BlockKind, Section, SectionKind
from .context import LintContext, PlacedBlock, title_of
from .findings import Finding, finding
from .provisions import find_requirements

_NONSTANDARD = re.compile(r"必须|(?<![A-Za-z])must(?![A-Za-z])", re.IGNORECASE)
#: the top-level elements whose text holds provisions; the foreword, introduction and bibliography don't
_NORMATIVE_TOPS = frozenset({SectionKind.CHAPTER, SectionKind.ANNEX})
#: blocks whose text is no running prose of the drafters: a term's source, code, TeX
_QUOTED = frozenset({BlockKind.SOURCE, BlockKind.CODE, BlockKind.FORMULA})
_DEFINITION_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.LIST, BlockKind.QUOTE, BlockKind.OTHER})
_ASIDE_NAMES = {BlockKind.NOTE: ("注", "note"), BlockKind.EXAMPLE: ("示例", "example")}
#: characters quoted either side of an offending word, at most
_CONTEXT = 24
_CLAUSE_ENDS = frozenset("。；;！!？?，,：:\n")


def line_at(block: Block, offset: int) -> int:
    """The source line of character `offset` of a block's text (its soft line breaks are kept)."""
    return min(block.line + block.text.count("\n", 0, offset), max(block.end_line, block.line))


def excerpt(text: str, start: int, end: int) -> str:
    """The clause around text[start:end] (between punctuation marks), shortened, to quote in a message."""
    before = start
    while before > 0 and start - before < _CONTEXT and text[before - 1] not in _CLAUSE_ENDS:
        before -= 1
    after = end
    while after < len(text) and after - end < _CONTEXT and text[after] not in _CLAUSE_ENDS:
        after += 1
    cut_before = before > 0 and text[before - 1] not in _CLAUSE_ENDS
    cut_after = after < len(text) and text[after] not in _CLAUSE_ENDS
    quoted = " ".join(text[before:after].split())
    return ("…" if cut_before else "") + quoted + ("…" if cut_after else "")


def check_scope(ctx: LintContext) -> Iterator[Finding]:
    scope = ctx.scope_chapter
    if scope is None:
        return
    for placed in ctx.text_blocks():
        if placed.top is scope and placed.aside is None and placed.block.kind not in _QUOTED:
            yield from _requirements(placed, "SCOPE-PROVISION")


def check_notes(ctx: LintContext) -> Iterator[Finding]:
    for placed in ctx.text_blocks():
        if placed.aside is not None:
            yield from _requirements(placed, "NOTE-PROVISION", kind=_ASIDE_NAMES[placed.aside])


def _requirements(placed: PlacedBlock, rule: str, **params: tuple[str, str]) -> Iterator[Finding]:
    block = placed.block
    for provision in find_requirements(block.text):
        yield finding(
            rule,
            line_at(block, provision.start),
            placed.section.number,
            verb=provision.verb,
            context=excerpt(block.text, provision.start, provision.end),
            **params,
        )


def check_nonstandard_verbs(ctx: LintContext) -> Iterator[Finding]:
    for placed in ctx.text_blocks():
        block = placed.block
        if placed.top.kind not in _NORMATIVE_TOPS or block.kind in _QUOTED:
            continue
        for match in _NONSTANDARD.finditer(block.text):
            yield finding(
                "VERB-NONSTANDARD",
                line_at(block, match.start()),
                placed.section.number,
                "zh" if match.group() == "必须" else "en",
                verb=match.group(),
                context=excerpt(block.text, match.start(), match.end()),
            )


def check_definitions(ctx: LintContext) -> Iterator[Finding]:
    for placed in ctx.sections:
        term = placed.section
        if term.kind is SectionKind.TERM and not _has_definition(term):
            yield finding(
                "TERM-DEFINITION", term.line, term.number, number=term.number or "", title=title_of(term)
            )


def _has_definition(term: Section) -> bool:
    first = term.blocks[0] if term.blocks else None
    return first is not None and first.kind in _DEFINITION_KINDS and bool(first.text.strip())
