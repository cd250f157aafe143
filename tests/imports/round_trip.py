"""What a round trip must keep: the outline (every id, number, title) and the text up to white space."""

from __future__ import annotations

import html
import re
from typing import Any

from authoring.document import parse
from authoring.document.outline import outline
from authoring.document.render import render_html

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def outline_of(text: str) -> list[tuple[Any, ...]]:
    """(kind, id, number, title) of every element, in order."""
    rows: list[tuple[Any, ...]] = []

    def visit(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            rows.append((entry["kind"], entry["id"], entry["number"], entry["title"]))
            visit(entry["children"])

    visit(outline(parse(text)))
    return rows


def printed_text(text: str) -> str:
    """The body as a reader reads it (numbers, labels and cross references resolved), no white space."""
    return _SPACE.sub("", html.unescape(_TAG.sub("", render_html(parse(text)))))
