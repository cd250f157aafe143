"""The document core: Standard Markdown parsed, numbered and rendered. Pure: no Flask, no database."""

from __future__ import annotations

from .errors import DocumentTooComplex, DocumentTooLarge
from .ids import DerivedId
from .parser import DEFAULT_MAX_BYTES, derived_ids, parse, with_derived_ids, with_derived_ids_parsed
from .tree import (
    Adoption,
    Block,
    BlockKind,
    CrossRef,
    Document,
    FrontMatter,
    Problem,
    Section,
    SectionKind,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Adoption",
    "Block",
    "BlockKind",
    "CrossRef",
    "DerivedId",
    "Document",
    "DocumentTooComplex",
    "DocumentTooLarge",
    "FrontMatter",
    "Problem",
    "Section",
    "SectionKind",
    "derived_ids",
    "parse",
    "with_derived_ids",
    "with_derived_ids_parsed",
]
