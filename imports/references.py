"""Plain-text references ("见5.2", "按表1", "附录A") turned into cross references where they resolve.

A Word file cites by typing the label; Standard Markdown cites by id, so the label follows the text
when it is renumbered. Only labels that exist in the imported text become links; the normative
references, the bibliography, headings, captions and existing links are left alone. Pure.
"""

from __future__ import annotations

import re

from authoring.document import Document, SectionKind

_PROTECTED = re.compile(r"\[[^\]\n]*\]\([^)\n]*\)|\$\$?[^$\n]*\$\$?|`[^`\n]*`")
_LABELLED = re.compile(
    r"(?<![A-Za-z0-9/.])(?:(表|图)\s*((?:[A-Z]\.)?\d+)(?![\d.])|附录\s*([A-Z])(?![A-Za-z])|式\s*[（(]((?:[A-Z]\.)?\d+)[)）])"
)
_NUMBER = r"(?:\d+(?:\.\d+)+|[A-Z]\.\d+(?:\.\d+)*)(?![\d.])(?!\s*[%年月日个])"
#: clause numbers after a citing word ("见5.2", "按4.3"), and the ones listed with it ("见3.7、3.8")
_CLAUSE = re.compile(rf"(?<=[见按照据合足于])({_NUMBER}(?:\s*[、，和及或～~至]\s*{_NUMBER})*)")
_ONE_NUMBER = re.compile(_NUMBER)
_CHAPTER = re.compile(r"第(\d+)章")


def labels_of(doc: Document) -> dict[str, str]:
    """{printed label: id} of every element a text can cite by its label ("4.2", "表1", "附录A")."""
    found: dict[str, str] = {}
    for ident, label in doc.labels.items():
        label = label.replace(" ", "")
        found.setdefault(label, ident)
        if label.startswith("("):
            found.setdefault(f"式{label}", ident)
    return found


def _replace(segment: str, labels: dict[str, str]) -> str:
    def labelled(match: re.Match[str]) -> str:
        if match.group(1):
            key = f"{match.group(1)}{match.group(2)}"
        elif match.group(3):
            key = f"附录{match.group(3)}"
        else:
            key = f"式({match.group(4)})"
        target = labels.get(key)
        return f"[](#{target})" if target else match.group(0)

    def number(match: re.Match[str]) -> str:
        target = labels.get(match.group(0))
        return f"[](#{target})" if target else match.group(0)

    def clause(match: re.Match[str]) -> str:
        return _ONE_NUMBER.sub(number, match.group(0))

    def chapter(match: re.Match[str]) -> str:
        target = labels.get(match.group(0))
        return f"[](#{target})" if target else match.group(0)

    segment = _LABELLED.sub(labelled, segment)
    segment = _CHAPTER.sub(chapter, segment)
    return _CLAUSE.sub(clause, segment)


_LINK = re.compile(r"\[([^\]\n]+)\]\(#([^)\s]+)\)")


def _internal_link(match: re.Match[str], doc: Document) -> str:
    """A link from Word to an element: empty (`[](#id)`) when it prints the element's label, its text
    alone when the target is gone (a bookmark another program moved or dropped)."""
    label = doc.labels.get(match.group(2))
    if label is None:
        return match.group(1)
    if re.sub(r"\s+", "", label) == re.sub(r"\s+", "", match.group(1).replace("\\", "")):
        return f"[](#{match.group(2)})"
    return match.group(0)


def link_references(text: str, doc: Document) -> str:
    """`text` with its plain-text citations of existing elements written as `[](#id)`."""
    text = _LINK.sub(lambda m: _internal_link(m, doc), text)
    labels = labels_of(doc)
    if not labels:
        return text
    skip = {"normative-references"}
    skip_lines: set[int] = set()
    for top in doc.sections:
        for section in top.walk():
            if section.kind is SectionKind.BIBLIOGRAPHY or section.id in skip:
                skip_lines.update(range(section.line, section.end_line + 1))
    lines = text.split("\n")
    in_front = lines[:1] == ["---"]
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if in_front:
            out.append(line)
            if number > 1 and line == "---":
                in_front = False
            continue
        if (
            number in skip_lines
            or line.startswith(("#", "Table:", "![", "|", "$$", "[来源", "[SOURCE"))
            or not line.strip()
        ):
            out.append(line)
            continue
        pieces: list[str] = []
        position = 0
        for protected in _PROTECTED.finditer(line):
            pieces.append(_replace(line[position : protected.start()], labels))
            pieces.append(protected.group(0))
            position = protected.end()
        pieces.append(_replace(line[position:], labels))
        out.append("".join(pieces))
    return "\n".join(out)
