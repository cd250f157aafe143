"""STRUCT-FOREWORD, -SCOPE, -NORMREF, -TERMS, -ORDER: the document's elements and their order.

GB/T 1.1—2020 fixes the sequence: foreword, introduction, chapters (1 scope, 2 normative
references, 3 terms and definitions, then the technical chapters), annexes, bibliography.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..tree import Section, SectionKind
from .context import LintContext, is_normref_title, is_scope_title, is_terms_title, title_of, where
from .findings import Finding, finding

#: position of each top-level kind in the required order; the foreword has its own rule
_RANK = {
    SectionKind.INTRODUCTION: 1,
    SectionKind.CHAPTER: 2,
    SectionKind.ANNEX: 3,
    SectionKind.BIBLIOGRAPHY: 4,
}
#: chapter position → (rule, title test)
_FIXED_CHAPTERS: tuple[tuple[int, str, Callable[[str], bool]], ...] = (
    (1, "STRUCT-SCOPE", is_scope_title),
    (2, "STRUCT-NORMREF", is_normref_title),
    (3, "STRUCT-TERMS", is_terms_title),
)


def check_foreword(ctx: LintContext) -> Iterator[Finding]:
    sections = ctx.doc.sections
    forewords = [s for s in sections if s.kind is SectionKind.FOREWORD]
    if not forewords:  # pointing where it belongs: before the first element
        line = sections[0].line if sections else ctx.doc.body_line
        yield finding("STRUCT-FOREWORD", line, None, "missing")
    elif sections[0] is not forewords[0]:
        yield finding("STRUCT-FOREWORD", forewords[0].line, None, "not-first", first=title_of(sections[0]))


def check_fixed_chapters(ctx: LintContext) -> Iterator[Finding]:
    """Chapters 1, 2 and 3 are the scope, the normative references and the terms, by their titles."""
    for position, rule, has_title in _FIXED_CHAPTERS:
        chapter = ctx.chapter(position)
        if chapter is None:  # at the last chapter, which the missing one should follow
            line = ctx.chapters[-1].line if ctx.chapters else ctx.doc.body_line
            yield finding(rule, line, None, "missing")
        elif not has_title(chapter.title):
            yield finding(rule, chapter.line, chapter.number, "wrong", title=title_of(chapter))


def check_order(ctx: LintContext) -> Iterator[Finding]:
    """Each element out of sequence, named with the later-kind element it follows."""
    latest: Section | None = None
    for section in ctx.doc.sections:
        rank = _RANK.get(section.kind)
        if rank is None:
            continue
        if latest is not None and rank < _RANK[latest.kind]:
            yield finding(
                "STRUCT-ORDER",
                section.line,
                section.number,
                where=where(section),
                title=title_of(section),
                after=where(latest),
            )
        else:
            latest = section
