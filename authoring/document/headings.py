"""Heading lines: pandoc attributes (`{#id .class key="v"}`) and which element a heading opens."""

from __future__ import annotations

import re

from .tree import SectionKind

_ATTR = re.compile(
    r"[ \t]*(?:#(?P<id>[^\s{}#=\"']+)|\.(?P<cls>[^\s{}#.=\"']+)"
    r"|(?P<key>[A-Za-z_][\w.-]*)=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'{}]+)))"
)

FOREWORD_TITLES = frozenset({"前言", "foreword"})
INTRODUCTION_TITLES = frozenset({"引言", "introduction"})
BIBLIOGRAPHY_TITLES = frozenset({"参考文献", "bibliography"})


class Attributes:
    """What `{…}` after a heading, caption or formula says."""

    __slots__ = ("attrs", "classes", "id")

    def __init__(self) -> None:
        self.id: str | None = None
        self.classes: list[str] = []
        self.attrs: dict[str, str] = {}


def parse_attributes(body: str) -> Attributes | None:
    """The inside of `{…}`, or None when it is not an attribute list (then it is ordinary text)."""
    result = Attributes()
    pos = 0
    body = body.rstrip()
    while pos < len(body):
        match = _ATTR.match(body, pos)
        if match is None or match.end() == pos:
            return None
        pos = match.end()
        if match.group("id") is not None:
            result.id = match.group("id")
        elif match.group("cls") is not None:
            result.classes.append(match.group("cls"))
        else:
            value = match.group("dq") if match.group("dq") is not None else match.group("sq")
            result.attrs[match.group("key")] = value if value is not None else match.group("bare")
    return result


def split_attributes(text: str) -> tuple[str, Attributes]:
    """`服务人员 {#staff}` → ("服务人员", id staff); text without valid trailing attributes is kept whole."""
    text = text.rstrip()
    if not text.endswith("}"):
        return text.strip(), Attributes()
    brace = text.rfind("{")
    body = text[brace + 1 : -1]
    if brace >= 0 and "}" not in body and "\n" not in body:
        attributes = parse_attributes(body)
        if attributes is not None:
            return text[:brace].strip(), attributes
    return text.strip(), Attributes()


def top_level_kind(title: str, classes: list[str]) -> SectionKind:
    """What a `#` heading opens: classes first, then the well-known titles."""
    if "foreword" in classes:
        return SectionKind.FOREWORD
    if "introduction" in classes:
        return SectionKind.INTRODUCTION
    if "annex" in classes:
        return SectionKind.ANNEX
    if "bibliography" in classes:
        return SectionKind.BIBLIOGRAPHY
    folded = title.strip().lower()
    if folded in FOREWORD_TITLES:
        return SectionKind.FOREWORD
    if folded in INTRODUCTION_TITLES:
        return SectionKind.INTRODUCTION
    if folded in BIBLIOGRAPHY_TITLES:
        return SectionKind.BIBLIOGRAPHY
    return SectionKind.CHAPTER


def is_terms_chapter(title: str, section_id: str | None, classes: list[str]) -> bool:
    """The terms and definitions chapter, whose `##` headings are term entries."""
    folded = title.strip().lower()
    return (
        folded.startswith("术语")
        or folded.startswith("terms")
        or "terms" in classes
        or section_id == "terms-and-definitions"
    )
