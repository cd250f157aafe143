"""The element tree of a parsed standard: plain data shared by lint, render, diff and exports.

The parser builds it, the numbering pass fills `number` and `label`, and everything downstream only
reads it. Lines are 1-based and refer to the whole file (front matter included), so a finding or a
comment points at the line a drafter sees in the editor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class SectionKind(StrEnum):
    """What a heading opens; the values are the `kind` of the outline JSON (spec §4)."""

    FOREWORD = "foreword"
    INTRODUCTION = "introduction"
    CHAPTER = "chapter"
    CLAUSE = "clause"
    TERM = "term"
    ANNEX = "annex"
    BIBLIOGRAPHY = "bibliography"


class BlockKind(StrEnum):
    """The content a section holds between its heading and its first subsection."""

    PARAGRAPH = "paragraph"
    LIST = "list"  #: a bullet or ordered list, or a paragraph of "a) … b) …" items
    NOTE = "note"
    EXAMPLE = "example"
    TABLE = "table"
    FIGURE = "figure"
    FORMULA = "formula"
    SOURCE = "source"  #: a term entry's "[来源：…]" / "[SOURCE: …]" line
    CODE = "code"
    FOOTNOTE = "footnote"  #: a footnote definition `[^label]: …`; its id is "fn-label"
    QUOTE = "quote"
    OTHER = "other"


@dataclass
class CrossRef:
    """A link to `#id` in the body: `[](#id)` prints the target's label, `[text](#id)` keeps text."""

    target: str
    text: str
    line: int
    #: the label printed for an empty link once resolved ("4.2", "表1"); None when the id is unknown
    label: str | None = None


@dataclass
class Block:
    """One piece of content inside a section, with the lines it came from."""

    kind: BlockKind
    line: int
    end_line: int
    #: plain text with inline markup removed and cross references shown by their label; for lint and diff
    text: str
    id: str | None = None
    #: "表1", "图A.1", "(1)" for tables, figures and formulas; for notes and examples "1", "2" when a
    #: clause has several of that kind, None when alone (the label then is just "注：")
    number: str | None = None
    #: the printed label: "表1", "图A.1", "式(1)", "注1：", "注：", "示例：", "NOTE 1", "EXAMPLE"
    label: str | None = None
    #: table and figure captions; "" when written empty, None when absent
    caption: str | None = None
    #: line of the caption (`Table: …`) or of the image, for findings on captions
    caption_line: int | None = None
    #: list items, one per entry, each with its own line (normative references are read from these)
    items: list[Block] = field(default_factory=list)
    #: paragraphs inside a fenced `::: note` or `::: example`
    children: list[Block] = field(default_factory=list)
    refs: list[CrossRef] = field(default_factory=list)
    #: figure image path as written (`figures/flow.png`); formula TeX source
    src: str | None = None
    #: the inline Markdown the block was read from, by source line (note openings and list markers
    #: removed); render prints these, `text` is their plain form
    segments: list[tuple[int, str]] = field(default_factory=list, repr=False, compare=False)
    #: markdown-it block tokens for what render prints as markdown-it does (pipe/grid tables,
    #: Markdown lists, quotes, code, footnotes); inline children are filled by render
    tokens: list = field(default_factory=list, repr=False, compare=False)

    def walk(self) -> Iterator[Block]:
        """This block, its list items and its container children, in source order."""
        stack = [self]
        while stack:
            block = stack.pop()
            yield block
            if block.items or block.children:
                stack.extend(reversed(block.items + block.children))


@dataclass
class Section:
    """A heading and everything under it until the next heading of the same or a higher level."""

    kind: SectionKind
    id: str
    #: True when the author wrote `{#id}`; derived ids are offered back to the editor to keep
    id_explicit: bool
    #: the heading text without attributes; "" for an untitled clause
    title: str
    #: the heading's Markdown level: 1 for chapters, annexes, foreword …; 2–6 clauses; 7+ is too deep
    level: int
    line: int
    end_line: int
    #: "4.2", "3.1", "A.1", "0.1", "A" (annex), None for foreword, introduction, bibliography
    number: str | None = None
    #: what `[](#id)` prints: "4.2", "第4章" / "Clause 4", "附录A" / "Annex A", "3.1"
    label: str | None = None
    classes: list[str] = field(default_factory=list)
    #: other heading attributes, e.g. {"en": "older person"} on a term entry
    attrs: dict[str, str] = field(default_factory=dict)
    #: "normative" or "informative" for annexes, else None
    annex_status: str | None = None
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    #: the Markdown source of this section's heading and blocks, children excluded; diffs compare it
    own_source: str = ""
    #: the heading text as written (inline Markdown, attributes removed), for render
    markdown_title: str = field(default="", repr=False, compare=False)
    #: the line where attributes go: the heading line, or a setext heading's last text line
    attr_line: int = field(default=0, repr=False, compare=False)

    @property
    def untitled(self) -> bool:
        return not self.title

    def walk(self) -> Iterator[Section]:
        """This section and all below it, in source order (iterative: no generator per level)."""
        stack = [self]
        while stack:
            section = stack.pop()
            yield section
            if section.children:
                stack.extend(reversed(section.children))

    def all_blocks(self) -> Iterator[Block]:
        """Blocks of this section and every subsection, in source order."""
        for section in self.walk():
            yield from section.blocks


@dataclass
class Adoption:
    degree: str  #: IDT | MOD | NEQ
    of: str


@dataclass
class FrontMatter:
    """The cover, validated; `lines` maps each top-level key to its line for META-* findings."""

    number: str | None = None
    replaces: list[str] = field(default_factory=list)
    title_zh: str | None = None
    title_en: str | None = None
    ics: str | None = None
    ccs: str | None = None
    adoption: Adoption | None = None
    #: the issuing bodies joined with 、 (one text for the diff, STS and the lint)
    association: str | None = None
    #: the one or two issuing bodies the cover prints, one under the other (GB/T 1.1, 8.1)
    issuers: list[str] = field(default_factory=list)
    proposer: str | None = None
    responsible: str | None = None
    drafting_units: list[str] = field(default_factory=list)
    drafters: list[str] = field(default_factory=list)
    publish_date: date | None = None
    implement_date: date | None = None
    draft: str | None = None
    language: str = "zh"
    lines: dict[str, int] = field(default_factory=dict)
    #: the YAML as read, for keys the product does not model
    raw: dict[str, object] = field(default_factory=dict)
    #: False when the cover is there but is not a YAML mapping: its Problem then says all there is
    readable: bool = True


@dataclass(frozen=True)
class Problem:
    """Something the parser could not accept (a bad key type, a date that is no date)."""

    code: str  #: the lint rule it becomes: META-MISSING, META-NUMBER, META-DATES
    line: int
    zh: str
    en: str


@dataclass
class Document:
    """A parsed, numbered standard."""

    meta: FrontMatter
    #: top-level sections in source order: foreword, introduction, chapters, annexes, bibliography
    sections: list[Section]
    source: str
    #: line where the body starts (after the front matter)
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    #: every id that a cross reference may target (sections, tables, figures, formulas) → its label
    labels: dict[str, str] = field(default_factory=dict)
    #: blocks before the first heading (normally none: the foreword comes first)
    preamble: list[Block] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.meta.language

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in source order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            if section.children:
                stack.extend(reversed(section.children))

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.walk() if s.id == section_id), None)

    def chapters(self) -> list[Section]:
        return [s for s in self.sections if s.kind is SectionKind.CHAPTER]

    def annexes(self) -> list[Section]:
        return [s for s in self.sections if s.kind is SectionKind.ANNEX]
