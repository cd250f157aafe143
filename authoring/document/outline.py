"""The numbered element tree (spec §4): JSON for tools, indented text for people, and the page's
clickable table of contents."""

from __future__ import annotations

from typing import Any

from .tree import Document, Section, SectionKind


def outline(doc: Document) -> list[dict[str, Any]]:
    """`[{"id", "kind", "number", "label", "title", "level", "line", "children"}]`, in source order."""
    return [_entry(section) for section in doc.sections]


def _entry(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "kind": section.kind.value,
        "number": section.number,
        "label": section.label,
        "title": section.title,
        "level": section.level,
        "line": section.line,
        "children": [_entry(child) for child in section.children],
    }


def heading_text(section: Section, lang: str = "zh") -> str:
    """How the element is listed in a table of contents: "4.2　服务人员", "附录A（规范性）　…"."""
    from .render import annex_status_text

    gap = " " if lang == "en" else "\u3000"
    if section.kind is SectionKind.ANNEX:
        status = annex_status_text(section.annex_status, lang)
        status = f" {status}" if lang == "en" and status else status
        return f"{section.label}{status}{gap}{section.title}".rstrip()
    if section.number:
        return f"{section.number}{gap}{section.title}".rstrip()
    return section.title


def outline_text(doc: Document) -> str:
    """One line per element, indented by depth, with its line in the source."""
    lines: list[str] = []

    def visit(section: Section, depth: int) -> None:
        lines.append(
            f"{'  ' * depth}{heading_text(section, doc.language)}  (line {section.line}, #{section.id})"
        )
        for child in section.children:
            visit(child, depth + 1)

    for section in doc.sections:
        visit(section, 0)
    return "\n".join(lines) + ("\n" if lines else "")
