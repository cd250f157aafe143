"""SCOPE-PROVISION, NOTE-PROVISION, VERB-NONSTANDARD, TERM-DEFINITION: what the text says.

The scope states what the document covers and notes and examples only inform, so neither may
require anything (GB/T 1.1—2020, 8.x and 9.x); 必须 and "must" are not provision verbs at all.
A word in quotation marks is mentioned, not used (注：本文件不用“必须”), so it never counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

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
_SENTENCE_END = re.compile(r"[。；;！!？?]|\.(?=\s)")
_QUOTATION = re.compile(r"“[^“”]*”|‘[^‘’]*’|「[^「」]*」|『[^『』]*』|\"[^\"\n]*\"")
#: what a scope says the document does (GB/T 1.1—2020, 8.3; ISO/IEC Directives Part 2, 14)
_CONTENT_VERB = re.compile(
    r"规定了|确立了|给出了|提供了|描述了|界定了|specifies|establishes|gives|provides|describes|defines",
    re.IGNORECASE,
)


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


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text in quotation marks: a word quoted (“必须”, "shall") is mentioned, not used."""
    return [match.span() for match in _QUOTATION.finditer(text)]


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def check_scope(ctx: LintContext) -> Iterator[Finding]:
    """Requirements in the scope, except inside its description of the content ("本文件规定了服务机构应
    具备的条件", "This document specifies requirements that providers shall meet")."""
    scope = ctx.scope_chapter
    if scope is None:
        return
    for placed in ctx.text_blocks():
        if placed.top is scope and placed.aside is None and placed.block.kind not in _QUOTED:
            yield from _requirements(placed, "SCOPE-PROVISION", skip=_describes_content)


def check_notes(ctx: LintContext) -> Iterator[Finding]:
    for placed in ctx.text_blocks():
        if placed.aside is not None:
            yield from _requirements(placed, "NOTE-PROVISION", kind=_ASIDE_NAMES[placed.aside])


def _describes_content(text: str, position: int) -> bool:
    """Whether the sentence up to `position` says what the document specifies, gives, describes."""
    sentence_start = max((match.end() for match in _SENTENCE_END.finditer(text, 0, position)), default=0)
    return _CONTENT_VERB.search(text, sentence_start, position) is not None


def _requirements(
    placed: PlacedBlock,
    rule: str,
    skip: Callable[[str, int], bool] | None = None,
    **params: tuple[str, str],
) -> Iterator[Finding]:
    block = placed.block
    quoted = quoted_spans(block.text)
    for provision in find_requirements(block.text):
        if _inside(quoted, provision.start) or (skip is not None and skip(block.text, provision.start)):
            continue
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
        quoted = quoted_spans(block.text)
        for match in _NONSTANDARD.finditer(block.text):
            if _inside(quoted, match.start()):
                continue
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
