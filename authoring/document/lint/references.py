"""ID-DUPLICATE, REF-UNRESOLVED, ANNEX-UNCITED, TABLE-UNCITED, NORMREF-UNCITED: ids and citations.

Cross references are links to ids (`[](#tbl-staff)`), so an id must be unique and exist. Annexes and
tables must be referred to from the text (GB/T 1.1—2020, 8.x, 9.x): linked, with or without link
text, or named in plain text ("见表C.1", "按附录E"; lint/citations.py), a range citing all between
its ends. A plain-text citation of a number the document lacks is unresolved like a broken link. A normative reference must be cited where provisions are (chapters 4 on, annexes,
a term's source); the foreword and chapter 2 itself don't count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..tree import Block, BlockKind, SectionKind
from .context import LintContext, title_of, where
from .findings import Finding, finding

#: a document designation at the start of a normative reference item: GB/T 35796—2017, GB 2894,
#: ISO/IEC 27001:2022, EN 16931-1:2017, ISO 3166-1, GB/T 1.1—2020, T/SZAS 12—2025, DB44/T 123
_DESIGNATION = re.compile(
    r"""\s*
    (?P<prefix>[A-Z][A-Za-z0-9]*(?:\s*/\s*[A-Z][A-Za-z]*)*(?:\s+(?:Guide|TS|TR|PAS))?)
    \s*
    (?P<number>\d+(?:\.\d+)*(?:-\d{1,3}(?!\d))*)
    (?:\s*[—–\-－:：]\s*(?P<year>\d{4}))?
    """,
    re.VERBOSE,
)

_TABLE_NUMBER = re.compile(r"(?:[A-Z]\.)?\d+$")
_CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/")


@dataclass(frozen=True)
class Designation:
    """A referenced document's designation and the pattern that finds it cited, dated or not."""

    written: str
    #: starts with the designation's letters, so the regex engine scans for them as a literal
    pattern: re.Pattern[str]

    def cited_in(self, text: str) -> bool:
        """Whether `text` cites it: not as the tail of a longer code (GB/T 2894 is not GB 2894)."""
        return any(
            match.start() == 0 or text[match.start() - 1] not in _CODE_CHARACTERS
            for match in self.pattern.finditer(text)
        )


@lru_cache(maxsize=1024)
def designation(item_text: str) -> Designation | None:
    """The designation a normative-reference item starts with, or None (a law's title, say)."""
    match = _DESIGNATION.match(item_text)
    if match is None:
        return None
    prefix = r"\s*/\s*".join(re.escape(part.strip()) for part in match["prefix"].split("/"))
    prefix = r"\s+".join(prefix.split(r"\ "))
    # any year or dash may follow; a longer number (GB 28940 for GB 2894, 1.10 for 1.1) may not
    pattern = re.compile(rf"{prefix}\s*{re.escape(match['number'])}(?!\d)(?!\.\d)")
    return Designation(match.group().strip(), pattern)


def check_ids(ctx: LintContext) -> Iterator[Finding]:
    """Each id used a second (third …) time, at that occurrence, naming the line of the first."""
    placed_ids: list[tuple[int, str, str | None]] = [
        (placed.section.line, placed.section.id, placed.section.number) for placed in ctx.sections
    ]
    placed_ids.extend(
        (_id_line(placed.block), placed.block.id, placed.section.number)
        for placed in ctx.blocks
        if placed.block.id
    )
    first_line: dict[str, int] = {}
    for line, element_id, clause in sorted(placed_ids, key=lambda entry: entry[0]):
        if element_id in first_line:
            yield finding("ID-DUPLICATE", line, clause, id=element_id, first=str(first_line[element_id]))
        else:
            first_line[element_id] = line


def _id_line(block: Block) -> int:
    """Where a block's `{#id}` is written: a table's caption, a formula's closing `$$`."""
    if block.kind is BlockKind.TABLE and block.caption_line:
        return block.caption_line
    if block.kind is BlockKind.FORMULA:
        return block.end_line
    return block.line


def check_refs(ctx: LintContext) -> Iterator[Finding]:
    labels = ctx.doc.labels
    for ref, section, _top in ctx.refs:
        if ref.target not in labels:
            yield finding("REF-UNRESOLVED", ref.line, section.number, id=ref.target)
    for block in ctx.doc.preamble:  # text before the first heading
        for inner in block.walk():
            for ref in inner.refs:
                if ref.target not in labels:
                    yield finding("REF-UNRESOLVED", ref.line, None, id=ref.target)
    for unresolved in ctx.citations.unresolved:  # "见表5" where the document has no table 5
        yield finding("REF-UNRESOLVED", unresolved.line, unresolved.clause, "text", label=unresolved.label)


def check_annexes_cited(ctx: LintContext) -> Iterator[Finding]:
    """An annex counts as cited when the text outside it links to it or to anything in it, or
    names it or anything in it ("按附录E", "见表E.2")."""
    citing = [(ref.target, top) for ref, _section, top in ctx.refs]
    citing.extend(ctx.citations.cited)
    cited = {
        id(ctx.top_of_id[target])
        for target, top in citing
        if target in ctx.top_of_id and ctx.top_of_id[target] is not top
    }
    for annex in ctx.doc.annexes():
        if id(annex) not in cited:
            yield finding(
                "ANNEX-UNCITED",
                annex.line,
                annex.number,
                where=where(annex),
                title=title_of(annex),
                id=annex.id,
            )


def check_tables_cited(ctx: LintContext) -> Iterator[Finding]:
    targets = {ref.target for ref, _section, _top in ctx.refs}
    targets.update(target for target, _top in ctx.citations.cited)  # "见表C.1", 表C.1～表C.4
    for placed in ctx.blocks:
        table = placed.block
        if table.kind is not BlockKind.TABLE:
            continue
        if table.id is None:
            yield finding("TABLE-UNCITED", table.line, placed.section.number, "no-id")
        elif table.id not in targets:
            yield finding(
                "TABLE-UNCITED",
                table.line,
                placed.section.number,
                label=_table_label(table),
                caption=table.caption or f"#{table.id}",
                id=table.id,
            )


def _table_label(table: Block) -> tuple[str, str]:
    """("表A.1", "Table A.1") whatever the document's language; the parser prints only that one."""
    number = _TABLE_NUMBER.search(table.number or table.label or "")
    if number is None:
        return "表", "The table"
    return f"表{number.group()}", f"Table {number.group()}"


def check_normrefs_cited(ctx: LintContext) -> Iterator[Finding]:
    chapter = ctx.normref_chapter
    if chapter is None:
        return
    items = [
        item
        for section in chapter.walk()
        for block in section.blocks
        if block.kind is BlockKind.LIST
        for item in (block.items or [block])
    ]
    if not items:
        return
    text = _citing_text(ctx)
    for item in items:
        cited = designation(item.text)
        if cited is not None and not cited.cited_in(text):
            yield finding("NORMREF-UNCITED", item.line, chapter.number, designation=cited.written)


def _citing_text(ctx: LintContext) -> str:
    """The text where citing counts: chapters from 4 on, annexes, and the source lines of terms."""
    later_chapters = {id(chapter) for chapter in ctx.chapters[3:]}
    terms = ctx.terms_chapter
    parts = [
        placed.section.title
        for placed in ctx.sections
        if id(placed.top) in later_chapters or placed.top.kind is SectionKind.ANNEX
    ]
    for placed in ctx.text_blocks():
        if (
            id(placed.top) in later_chapters
            or placed.top.kind is SectionKind.ANNEX
            or (placed.top is terms and placed.block.kind is BlockKind.SOURCE)
        ):
            parts.append(placed.block.text)
    return "\n".join(parts)
