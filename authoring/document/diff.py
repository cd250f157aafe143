"""Compare two revisions of a standard (spec §4 `stdforge diff`, issue 4 "History and diffs").

    diff = diff_documents(parse(old_text), parse(new_text))
    diff.as_json()        # {"changed", "added", "deleted", "moved", "hunks"}: the spec §4 shape
    render_text(diff)     # for a terminal
    render_html(diff)     # a fragment for the history page (style: STYLE); render_html_page(diff) for a file
    diff.stats            # characters inserted and deleted, sections touched, for the history list

    diff_documents(old, new, reading=True)  # the printed texts compared: what reviewers read
    layout(hunk)          # such a hunk as its title line, paragraphs and tables with marked runs
    render_reading_page(diff)  # the HTML redline

Sections are aligned by id, not by position, so a clause cut and pasted elsewhere is "moved" with its
own edits still shown. The summary covers every section by id: foreword, introduction, chapters,
clauses, terms, annexes and bibliography.

- changed: the section's own text (heading and blocks, children excluded) differs. Numbers are
  generated, never in the source, so a renumbered clause is not changed; neither is one whose only
  difference is its heading level (it moved) or a derived `{#id}` written back into its heading.
- added / deleted: the id is only in the new / only in the old revision.
- moved: `{"id", "from_parent", "to_parent"}` when the parent changed (a chapter's parent is null), and
  also when the order among the same parent's children changed (then from_parent == to_parent): among
  siblings the heaviest subsequence kept in order stays, the rest moved, so of a big and a small
  clause that swap places, the small one is reported.

Each hunk, in reading order (a deleted section where it used to be; the front matter first):

    {"id": "c-staff-training" | null (the front matter), "kind": "clause" | ... | "front-matter",
     "title": "培训", "status": "changed" | "added" | "deleted" | "unchanged" (moved only),
     "moved": true | false, "old_number": "4.2.3" | null, "new_number": "4.2.3" | null,
     "ops": [["=", "…"], ["-", "…"], ["+", "…"]]}

The ops cover the whole own text, so "=" and "-" give the old text and "=" and "+" the new one; they
are word level for English and character level for Chinese, after semantic cleanup.
"""

from __future__ import annotations

from authoring.document.diffing.engine import diff_documents, own_text
from authoring.document.diffing.layout import ReadingHunk, layout
from authoring.document.diffing.model import FRONT_MATTER, DiffStats, DocumentDiff, Move, SectionDiff, Status
from authoring.document.diffing.render_html import STYLE, render_html, render_html_page
from authoring.document.diffing.render_reading import render_reading_html, render_reading_page
from authoring.document.diffing.render_text import render_text
from authoring.document.diffing.textdiff import Ops, diff_text

__all__ = [
    "FRONT_MATTER",
    "STYLE",
    "DiffStats",
    "DocumentDiff",
    "Move",
    "Ops",
    "ReadingHunk",
    "SectionDiff",
    "Status",
    "diff_documents",
    "diff_text",
    "layout",
    "own_text",
    "render_html",
    "render_html_page",
    "render_reading_html",
    "render_reading_page",
    "render_text",
]
