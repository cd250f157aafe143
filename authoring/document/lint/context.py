"""What every rule needs to know about a document, worked out in one pass over the tree.

Rules read this instead of walking the tree themselves, so a lint run walks the document once
(the speed budget is 1.5× a bare markdown-it parse) and every rule agrees on which chapter is the
scope, which blocks belong where and which ids are cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..tree import Block, BlockKind, CrossRef, Document, Section, SectionKind

_SPACE = re.compile(r"\s+")


def _normal_title(title: str) -> str:
    """Title without white space, lower case: "范　围" and "Normative  References" still match."""
    return _SPACE.sub("", title).lower()


def is_scope_title(title: str) -> bool:
    return _normal_title(title) in {"范围", "scope"}


def is_normref_title(title: str) -> bool:
    return _normal_title(title) in {"规范性引用文件", "normativereferences"}


def is_terms_title(title: str) -> bool:
    """术语和定义, and the combined 术语、定义和缩略语 / Terms, definitions and abbreviated terms."""
    normal = _normal_title(title)
    return normal.startswith("术语") or normal.startswith("terms")


_ASIDES = frozenset({BlockKind.NOTE, BlockKind.EXAMPLE})


@dataclass
class PlacedBlock:
    """A block with the section that holds it and the top-level element that section is in."""

    block: Block
    section: Section
    top: Section
    #: NOTE or EXAMPLE when the block is a note or example or sits inside one, else None
    aside: BlockKind | None
    #: True when the block holds its own text: no list items and no note paragraphs below it
    leaf: bool


@dataclass
class Placed:
    """A section with its parent and the top-level element it belongs to."""

    section: Section
    parent: Section | None
    top: Section


@dataclass
class LintContext:
    """A parsed document and the facts the rules share."""

    doc: Document
    #: every section in source order
    sections: list[Placed] = field(default_factory=list)
    #: every block, list items and note paragraphs included, in source order
    blocks: list[PlacedBlock] = field(default_factory=list)
    #: every cross reference with the section it is written in and that section's top-level element
    refs: list[tuple[CrossRef, Section, Section]] = field(default_factory=list)
    #: section or block id → the top-level element it belongs to
    top_of_id: dict[str, Section] = field(default_factory=dict)
    chapters: list[Section] = field(default_factory=list)
    _citations: object = field(default=None, repr=False)

    @classmethod
    def of(cls, doc: Document) -> LintContext:
        context = cls(doc)
        for top in doc.sections:
            context._visit(top, None, top)
        context.chapters = doc.chapters()
        return context

    def _visit(self, section: Section, parent: Section | None, top: Section) -> None:
        self.sections.append(Placed(section, parent, top))
        self.top_of_id.setdefault(section.id, top)
        for block in section.blocks:
            self._visit_block(block, section, top, None)
        for child in section.children:
            self._visit(child, section, top)

    def _visit_block(self, block: Block, section: Section, top: Section, aside: BlockKind | None) -> None:
        aside = aside or (block.kind if block.kind in _ASIDES else None)
        leaf = not block.items and not block.children
        self.blocks.append(PlacedBlock(block, section, top, aside, leaf))
        if block.id:
            self.top_of_id.setdefault(block.id, top)
        self.refs.extend((ref, section, top) for ref in block.refs)
        for nested in (*block.items, *block.children):
            self._visit_block(nested, section, top, aside)

    @property
    def citations(self):  # -> citations.Citations (imported here: citations imports this module)
        """The citations written in the text, read once for the rules that count or check them."""
        if self._citations is None:
            from .citations import read_citations

            self._citations = read_citations(self)
        return self._citations

    def text_blocks(self) -> Iterator[PlacedBlock]:
        """Blocks that hold their own text (a list's items rather than the list), in source order."""
        return (placed for placed in self.blocks if placed.leaf)

    def chapter(self, number: int) -> Section | None:
        """Chapter `number` (1-based) by position, whatever its title."""
        return self.chapters[number - 1] if len(self.chapters) >= number else None

    @property
    def terms_chapter(self) -> Section | None:
        chapter = self.chapter(3)
        return chapter if chapter is not None and is_terms_title(chapter.title) else None

    @property
    def normref_chapter(self) -> Section | None:
        chapter = self.chapter(2)
        return chapter if chapter is not None and is_normref_title(chapter.title) else None

    @property
    def scope_chapter(self) -> Section | None:
        chapter = self.chapter(1)
        return chapter if chapter is not None and is_scope_title(chapter.title) else None


def where(section: Section) -> tuple[str, str]:
    """How a message names an element: ("第4章", "Clause 4"), ("4.2", "4.2"), ("附录A", "Annex A")."""
    number = section.number
    match section.kind:
        case SectionKind.FOREWORD:
            return "前言", "Foreword"
        case SectionKind.INTRODUCTION:
            return "引言", "Introduction"
        case SectionKind.BIBLIOGRAPHY:
            return "参考文献", "Bibliography"
        case SectionKind.CHAPTER if number:
            return f"第{number}章", f"Clause {number}"
        case SectionKind.ANNEX if number:
            return f"附录{number}", f"Annex {number}"
        case SectionKind.TERM if number:
            return f"术语{number}", f"Term {number}"
        case _ if number:
            return number, number
    return "标题", "Heading"


def title_of(section: Section) -> tuple[str, str]:
    """The title for a message; an untitled clause is named by its id."""
    if section.title:
        return section.title, section.title
    return f"无标题，#{section.id}", f"untitled, #{section.id}"
