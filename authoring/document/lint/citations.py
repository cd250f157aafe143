"""Citations written in the text: "见表C.1", "按附录E", "如图2所示", "第4章", "see Table 2", and
ranges ("表C.1～表C.4", or two cross references with ～ between them) that cite all between their ends.

Read in one regular-expression pass over each source line of each block, so a lint run stays linear:
every alternative is bounded, and what a match needs of its neighbours (the character before it, the
text since the previous match) is looked at once. A citation that follows another document's
designation ("GB/T 1.1—2020 的表1", "ISO 9001:2015, Table 2") is that document's and is skipped; a
number the document does not have is reported only where the text reads as a citation, so an unusual
sentence stays silent rather than raising a false error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..tree import Block, BlockKind, Section, SectionKind
from .context import LintContext

_NUMBER = r"(?:[A-Z](?:\.\d{1,4}){0,5}|\d{1,4}(?:\.\d{1,4}){0,5})"
_LINK = r"\[[^\]\n]{{0,300}}\]\(\#(?P<{name}>[^)\s]{{1,200}})\)"
_TO = r"\s{0,3}(?:[～~〜至]|to|–)\s{0,3}"
_CITATION = re.compile(
    rf"""
    (?P<link>{_LINK.format(name="target")}(?:{_TO}{_LINK.format(name="target2")})?)
    | (?P<doc>(?:[A-Z]{{2,10}}(?:\s?/\s?[A-Z]{{1,4}}){{0,2}}|[A-Z]/[A-Z0-9]{{2,12}})\s?\d{{1,6}}
        (?:\.\d{{1,4}}){{0,4}}(?:-\d{{1,3}}){{0,2}}(?:\s?[—–\-:：]\s?\d{{4}})?)
    | (?P<zh>表|图|附录)\s{{0,2}}(?P<zn>{_NUMBER})(?:{_TO}(?:表|图|附录)?\s{{0,2}}(?P<zn2>{_NUMBER}))?
    | \b(?P<en>Table|Figure|Annex)\s{{1,3}}(?P<enn>{_NUMBER})\b
        (?:{_TO}(?:Table|Figure|Annex)?\s{{0,3}}(?P<enn2>{_NUMBER})\b)?
    | 第(?P<chapter>\d{{1,3}})章
    | \bClause\s{{1,3}}(?P<clause>\d{{1,3}}(?:\.\d{{1,4}}){{0,5}})\b
    | (?P<cue>见|按)(?P<sub>\d{{1,3}}(?:\.\d{{1,4}}){{1,5}})(?=[的中条规所）)，,。；;、\s]|$)
    """,
    re.VERBOSE,
)
#: what may stand between a designation and the citation it owns: "的", "中的", ", ", "、", "和"
_JOINER = re.compile(r"[\s的中之,，、和及与或]*|\s*(?:and|or)\s*")
#: "Table 2 of ISO 9001": the designation after the citation owns it
_OF_DOCUMENT = re.compile(r"\s{0,3}(?:of|in)\s{1,3}(?:[A-Z]{2,10}|[A-Z]/[A-Z0-9])")
#: characters before 表/图/附录 after which a number is a citation and not part of a word (代表1名)
_CUES = frozenset("见按照据合和与及或如在于由从至即同足用行依循参列、，,：:（(“")
_KINDS = {
    "表": "table",
    "图": "figure",
    "附录": "annex",
    "Table": "table",
    "Figure": "figure",
    "Annex": "annex",
}
_TEXT_KINDS = frozenset({BlockKind.CODE, BlockKind.FORMULA})


@dataclass(frozen=True)
class Unresolved:
    """A plain-text citation of a table, figure, annex or clause the document does not have."""

    line: int
    label: tuple[str, str]  #: ("表5", "Table 5") as the message prints it
    clause: str | None


@dataclass
class Citations:
    """The ids the text cites (each with the top-level element it is cited from) and the citations
    that name nothing in the document."""

    cited: list[tuple[str, Section]] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


class _Targets:
    """The document's tables, figures, annexes and clauses by number, and each kind in order."""

    def __init__(self, ctx: LintContext) -> None:
        self.by_number: dict[str, dict[str, str]] = {"table": {}, "figure": {}, "annex": {}, "clause": {}}
        self.order: dict[str, tuple[str, int]] = {}
        sequences: dict[str, list[str]] = {"table": [], "figure": []}
        for placed in ctx.blocks:
            block = placed.block
            kind = {BlockKind.TABLE: "table", BlockKind.FIGURE: "figure"}.get(block.kind)
            number = _own_number(block)
            if kind is None or block.id is None:
                continue
            self.order[block.id] = (kind, len(sequences[kind]))
            sequences[kind].append(block.id)
            if number:
                self.by_number[kind].setdefault(number, block.id)
        self.sequences = sequences
        for placed in ctx.sections:
            section = placed.section
            if section.number is None:
                continue
            kind = "annex" if section.kind is SectionKind.ANNEX else "clause"
            self.by_number[kind].setdefault(section.number, section.id)

    def between(self, first: str, last: str) -> list[str]:
        """The ids from `first` to `last` when both are tables (or both figures), else the two."""
        a, b = self.order.get(first), self.order.get(last)
        if a is None or b is None or a[0] != b[0]:
            return [first, last]
        low, high = sorted((a[1], b[1]))
        return self.sequences[a[0]][low : high + 1]


def _own_number(block: Block) -> str | None:
    match = re.search(r"(?:[A-Z]\.)?\d+$", block.number or block.label or "")
    return match.group() if match else None


def read_citations(ctx: LintContext) -> Citations:
    """Every citation in the body's text, in one pass per source line."""
    targets = _Targets(ctx)
    found = Citations()
    for placed in ctx.text_blocks():
        if placed.block.kind in _TEXT_KINDS:
            continue
        for line, text in placed.block.segments:
            _read_line(text, line, placed.section.number, placed.top, targets, found)
    return found


def _read_line(
    text: str, line: int, clause: str | None, top: Section, targets: _Targets, found: Citations
) -> None:
    foreign_until = -1  # the end of the last match that belongs to another document
    for match in _CITATION.finditer(text):
        start = match.start()
        owned = foreign_until >= 0 and _JOINER.fullmatch(text, foreign_until, start) is not None
        if match["doc"]:
            foreign_until = match.end()
            continue
        if match["link"]:
            ends = [match["target"], match["target2"]] if match["target2"] else [match["target"]]
            ids = targets.between(*ends) if len(ends) == 2 else ends
            found.cited.extend((element, top) for element in ids)
            foreign_until = -1
            continue
        if owned or _OF_DOCUMENT.match(text, match.end()):
            foreign_until = match.end()
            continue
        foreign_until = -1
        kind, first, last, label = _reading(match)
        cue = (
            bool(match["cue"]) or start == 0 or text[start - 1] in _CUES or not _is_ideograph(text[start - 1])
        )
        ids = []
        for number in (first, last) if last else (first,):
            if kind == "annex":  # 附录A, Annex B: a letter; "附录A.1" names annex A
                number = number.split(".")[0]
                if not number.isalpha():
                    continue
            element = targets.by_number[kind].get(number)
            if element is not None:
                ids.append(element)
            elif cue:
                found.unresolved.append(Unresolved(line, label(number), clause))
        if len(ids) == 2:
            ids = targets.between(*ids)
        found.cited.extend((element, top) for element in ids)


def _reading(match: re.Match[str]):
    """(kind, first number, last number or None, how to print a number) of a citation match."""
    if match["zh"] or match["en"]:
        word = match["zh"] or match["en"]
        kind = _KINDS[word]
        first, last = (match["zn"], match["zn2"]) if match["zh"] else (match["enn"], match["enn2"])
        zh_word = {"table": "表", "figure": "图", "annex": "附录"}[kind]
        en_word = {"table": "Table", "figure": "Figure", "annex": "Annex"}[kind]
        return kind, first, last, lambda n: (f"{zh_word}{n}", f"{en_word} {n}")
    number = match["chapter"] or match["clause"] or match["sub"]
    if match["chapter"] or match["clause"]:
        return "clause", number, None, lambda n: (f"第{n}章", f"Clause {n}")
    return "clause", number, None, lambda n: (n, n)


def _is_ideograph(character: str) -> bool:
    return "\u4e00" <= character <= "\u9fff"
