"""Helpers for the lint tests: fixture documents, planting a defect, and where a finding should be."""

from __future__ import annotations

from pathlib import Path

from authoring.document import parse
from authoring.document.lint import Finding, lint

CASES = Path(__file__).parent / "cases"


def case(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


def planted(text: str, old: str, new: str) -> str:
    """`text` with `old` (which must occur exactly once) replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the one line that contains `needle`."""
    lines = [number for number, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


def findings(text: str) -> list[Finding]:
    return lint(parse(text))


def places(text: str) -> list[tuple[str, int, str | None]]:
    """(rule, line, clause) of every finding, in lint's order."""
    return [(f.rule, f.line, f.clause) for f in findings(text)]
