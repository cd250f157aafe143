"""Compare two revisions of a standard (spec §4 `stdforge diff`, issue 4 "History and diffs").

    diff = diff_documents(parse(old_text), parse(new_text))
    diff.as_json()        # {"changed", "added", "deleted", "moved", "hunks"}
    render_text(diff)     # for a terminal
    render_html(diff)     # a fragment for the history page; render_html_page(diff) for a file
    diff.stats            # characters inserted and deleted, sections touched

The summary covers every section (foreword, introduction, chapters, clauses, terms, annexes,
bibliography) by id. Hunk shape and rules: see `diffing.model.SectionDiff` and `diffing.engine`.
"""

from __future__ import annotations

from authoring.document.diffing.engine import diff_documents, own_text
from authoring.document.diffing.model import FRONT_MATTER, DiffStats, DocumentDiff, Move, SectionDiff, Status
from authoring.document.diffing.render_html import render_html, render_html_page
from authoring.document.diffing.render_text import render_text
from authoring.document.diffing.textdiff import Ops, diff_text

__all__ = [
    "FRONT_MATTER",
    "DiffStats",
    "DocumentDiff",
    "Move",
    "Ops",
    "SectionDiff",
    "Status",
    "diff_documents",
    "diff_text",
    "own_text",
    "render_html",
    "render_html_page",
    "render_text",
]
