"""HTML export: the core's standalone page (numbering, outline, sanitised), not a second renderer."""

from __future__ import annotations

from authoring.document.render import render_page
from authoring.document.tree import Document


def render_standalone(doc: Document, lang: str | None = None) -> str:
    """One self-contained page for the registry; figures stay as their `figures/NAME` references."""
    return render_page(doc, lang=lang)
