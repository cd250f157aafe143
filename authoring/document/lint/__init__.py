"""Lint: check a parsed standard against the rules of spec §3, with findings in Chinese and English.

Pure functions over the document tree (no Flask, no database): the CLI, the editor's lint panel and
the approval gate ("no lint errors") all call `lint()`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from ..tree import Document
from . import captions, clauses, content, headings, meta, references, structure
from .codes import SEVERITY, SUMMARY
from .context import LintContext
from .findings import Finding
from .provisions import warm_up

__all__ = ["RULES", "SEVERITY", "SUMMARY", "Finding", "lint", "warm_up"]

Check = Callable[[LintContext], Iterable[Finding]]

#: each check with the codes it can report, in the order of the spec's table
RULES: tuple[tuple[tuple[str, ...], Check], ...] = (
    (("META-MISSING", "META-NUMBER", "META-DATES"), meta.check_front_matter),
    (("STRUCT-FOREWORD",), structure.check_foreword),
    (("STRUCT-SCOPE", "STRUCT-NORMREF", "STRUCT-TERMS"), structure.check_fixed_chapters),
    (("STRUCT-ORDER",), structure.check_order),
    (("STRUCT-HANGING", "STRUCT-LONE", "STRUCT-DEPTH", "STRUCT-EMPTY"), clauses.check_sections),
    (("NUM-MANUAL",), headings.check_manual_numbers),
    (("ID-DUPLICATE",), references.check_ids),
    (("REF-UNRESOLVED",), references.check_refs),
    (("TERM-DEFINITION",), content.check_definitions),
    (("SCOPE-PROVISION",), content.check_scope),
    (("NOTE-PROVISION",), content.check_notes),
    (("VERB-NONSTANDARD",), content.check_nonstandard_verbs),
    (("TABLE-CAPTION", "FIGURE-CAPTION"), captions.check_captions),
    (("ANNEX-UNCITED",), references.check_annexes_cited),
    (("TABLE-UNCITED",), references.check_tables_cited),
    (("NORMREF-UNCITED",), references.check_normrefs_cited),
)


def lint(doc: Document, *, only: Collection[str] | None = None) -> list[Finding]:
    """Every finding in `doc` (or only those of the codes in `only`), by line, then rule."""
    context = LintContext.of(doc)
    found: set[Finding] = set()
    for codes, check in RULES:
        if only is None or any(code in only for code in codes):
            found.update(check(context))
    if only is not None:
        found = {f for f in found if f.rule in only}
    return sorted(found, key=lambda f: (f.line, f.rule, f.clause or "", f.key, f.params))
