"""Ids for headings that have none: derived from the title (or parent and position), unique, and
offered back to the editor, which writes them into the heading lines on save so they never move."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .headings import split_attributes
from .tree import Document, Section, SectionKind

_NOT_ID = re.compile(r"[^\w]+")
_MAX_SLUG = 48
_PREFIX = {
    SectionKind.CHAPTER: "ch-",
    SectionKind.CLAUSE: "c-",
    SectionKind.TERM: "t-",
    SectionKind.ANNEX: "annex-",
}
_FIXED = {
    SectionKind.FOREWORD: "foreword",
    SectionKind.INTRODUCTION: "introduction",
    SectionKind.BIBLIOGRAPHY: "bibliography",
}
#: the chapters GB/T 1.1 names, with the ids the examples use
_WELL_KNOWN = {
    "范围": "scope",
    "scope": "scope",
    "规范性引用文件": "normative-references",
    "normative references": "normative-references",
    "术语和定义": "terms-and-definitions",
    "terms and definitions": "terms-and-definitions",
}


@dataclass(frozen=True)
class DerivedId:
    """An id the product chose for a heading without one, and the heading's line."""

    line: int
    id: str
    title: str


def slug(title: str) -> str:
    """Lower-case words and CJK characters joined by hyphens: "Data elements" → "data-elements"."""
    text = _NOT_ID.sub("-", title.lower()).strip("-_")
    return text[:_MAX_SLUG].rstrip("-_")


class _IdAllocator:
    """Hands out ids not yet taken; the suffix counter per base keeps 10^5 equal titles linear."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.next_suffix: dict[str, int] = {}

    def free(self, candidate: str) -> bool:
        return candidate not in self.taken

    def take(self, candidate: str) -> str:
        self.taken.add(candidate)
        return candidate

    def suffixed(self, base: str) -> str:
        number = self.next_suffix.get(base, 2)
        while f"{base}-{number}" in self.taken:
            number += 1
        self.next_suffix[base] = number + 1
        return self.take(f"{base}-{number}")


def assign_ids(document: Document) -> list[DerivedId]:
    """Give every section without an explicit id a derived one; explicit ids are never changed."""
    taken = {s.id for s in document.walk() if s.id_explicit}
    taken.update(b.id for s in document.walk() for top in s.blocks for b in top.walk() if b.id)
    allocator = _IdAllocator(taken)
    derived: list[DerivedId] = []
    for section in document.sections:
        _assign(section, None, 0, allocator, derived)
    return derived


def _assign(
    section: Section, parent: Section | None, ordinal: int, allocator: _IdAllocator, out: list[DerivedId]
) -> None:
    if not section.id_explicit:
        section.id = _derive(section, parent, ordinal, allocator)
        out.append(DerivedId(section.attr_line or section.line, section.id, section.title))
    for position, child in enumerate(section.children, start=1):
        _assign(child, section, position, allocator, out)


def _derive(section: Section, parent: Section | None, ordinal: int, allocator: _IdAllocator) -> str:
    fixed = _FIXED.get(section.kind)
    if fixed is None and section.kind is SectionKind.CHAPTER:
        fixed = _WELL_KNOWN.get(section.title.strip().lower())
    if fixed is not None and allocator.free(fixed):
        return allocator.take(fixed)
    words = slug(section.title)
    if not words:
        base = f"{parent.id}-{ordinal}" if parent else f"{_PREFIX.get(section.kind, 'c-')}{max(ordinal, 1)}"
        return allocator.take(base) if allocator.free(base) else allocator.suffixed(base)
    base = _PREFIX.get(section.kind, "") + words
    if allocator.free(base):
        return allocator.take(base)
    if parent is not None:
        qualified = f"{parent.id}-{words}"
        if allocator.free(qualified):
            return allocator.take(qualified)
    return allocator.suffixed(base)


def write_ids(text: str, derived: list[DerivedId]) -> str:
    """`text` with each derived id written into its heading line: `## 标题` → `## 标题 {#c-标题}`,
    `## {.untitled}` → `## {#c-4-1 .untitled}`."""
    if not derived:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for entry in derived:
        index = entry.line - 1
        if index >= len(lines):
            continue
        lines[index] = _with_id(lines[index], entry.id)
    return newline.join(lines)


_ATX_CLOSING = re.compile(r"[ \t]+#+[ \t]*$")


def _with_id(line: str, section_id: str) -> str:
    stripped = line.rstrip()
    if stripped.startswith("#"):
        stripped = _ATX_CLOSING.sub("", stripped)  # `## 标题 ##`: the id goes where the closing #s were
    title, attributes = split_attributes(stripped)
    if stripped.endswith("}") and (attributes.classes or attributes.attrs) and attributes.id is None:
        brace = stripped.rfind("{")
        return f"{stripped[: brace + 1]}#{section_id} {stripped[brace + 1 :]}"
    if (
        stripped.endswith("}")
        and title != stripped.strip()
        and not attributes.classes
        and not attributes.attrs
    ):
        brace = stripped.rfind("{")  # an empty `{}`
        return f"{stripped[: brace + 1]}#{section_id}{stripped[brace + 1 :]}"
    return f"{stripped} {{#{section_id}}}"
