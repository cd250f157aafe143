"""Numbers and labels exactly as GB/T 1.1 prints them: chapters 1…, clauses 4.2.1, terms 3.1,
introduction 0.1, annexes A with A.1; tables 表1/表A.1, figures 图1/图A.1, formulas (1)/(A.1); notes
and examples within their clause; and what a cross reference to each prints."""

from __future__ import annotations

from dataclasses import dataclass

from .tree import Block, BlockKind, Document, Section, SectionKind

_WORDS = {
    "zh": {
        "chapter": "第{}章", "annex": "附录{}", "table": "表{}", "figure": "图{}", "formula": "式{}",
        "note": "注", "example": "示例", "note_alone": "注：", "example_alone": "示例：",
        "note_n": "注{}：", "example_n": "示例{}：",
        SectionKind.FOREWORD: "前言", SectionKind.INTRODUCTION: "引言", SectionKind.BIBLIOGRAPHY: "参考文献",
    },
    "en": {
        "chapter": "Clause {}", "annex": "Annex {}", "table": "Table {}", "figure": "Figure {}",
        "formula": "Formula {}", "note_alone": "NOTE", "example_alone": "EXAMPLE",
        "note_n": "NOTE {}", "example_n": "EXAMPLE {}",
        SectionKind.FOREWORD: "Foreword", SectionKind.INTRODUCTION: "Introduction",
        SectionKind.BIBLIOGRAPHY: "Bibliography",
    },
}  # fmt: skip


def annex_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: annexes past Z are unheard of, but must not crash."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Counters:
    """Tables, figures and formulas run through the body; each annex restarts them with its letter."""

    prefix: str = ""
    tables: int = 0
    figures: int = 0
    formulas: int = 0


def number_document(document: Document) -> None:
    """Fill `number` and `label` on every section and block and `document.labels`."""
    words = _WORDS["en" if document.language == "en" else "zh"]
    body = _Counters()
    chapters = annexes = 0
    for section in document.sections:
        counters = body
        if section.kind is SectionKind.CHAPTER:
            chapters += 1
            section.number = str(chapters)
            section.label = words["chapter"].format(chapters)
            _number_children(section, section.number)
        elif section.kind is SectionKind.ANNEX:
            section.number = annex_letter(annexes)
            annexes += 1
            section.label = words["annex"].format(section.number)
            counters = _Counters(prefix=f"{section.number}.")
            _number_children(section, section.number)
        elif section.kind is SectionKind.INTRODUCTION:
            section.label = words[section.kind]
            _number_children(section, "0")
        elif section.kind in words:
            section.label = words[section.kind]
        for inner in section.walk():
            _number_blocks(inner, counters, words)
    labels: dict[str, str] = {}
    for section in document.walk():
        if section.id and section.label is not None:
            labels.setdefault(section.id, section.label)
        for top in section.blocks:
            for block in top.walk():
                if block.id and block.label is not None:
                    labels.setdefault(block.id, block.label)
    document.labels = labels


def _number_children(section: Section, number: str) -> None:
    for position, child in enumerate(section.children, start=1):
        child.number = f"{number}.{position}"
        child.label = child.number
        _number_children(child, child.number)


def _number_blocks(section: Section, counters: _Counters, words: dict) -> None:
    notes = [b for b in section.blocks if b.kind is BlockKind.NOTE]
    examples = [b for b in section.blocks if b.kind is BlockKind.EXAMPLE]
    _number_notes(notes, words["note_alone"], words["note_n"])
    _number_notes(examples, words["example_alone"], words["example_n"])
    for block in section.blocks:
        for inner in block.walk():
            _number_float(inner, counters, words)


def _number_notes(blocks: list[Block], alone: str, numbered: str) -> None:
    if len(blocks) == 1:
        blocks[0].number = None
        blocks[0].label = alone
        return
    for position, block in enumerate(blocks, start=1):
        block.number = str(position)
        block.label = numbered.format(position)


def _number_float(block: Block, counters: _Counters, words: dict) -> None:
    if block.kind is BlockKind.TABLE:
        counters.tables += 1
        block.number = block.label = words["table"].format(f"{counters.prefix}{counters.tables}")
    elif block.kind is BlockKind.FIGURE:
        counters.figures += 1
        block.number = block.label = words["figure"].format(f"{counters.prefix}{counters.figures}")
    elif block.kind is BlockKind.FORMULA:
        counters.formulas += 1
        block.number = f"({counters.prefix}{counters.formulas})"
        block.label = words["formula"].format(block.number)
