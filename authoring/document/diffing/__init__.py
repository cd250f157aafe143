"""Comparing two revisions of a standard: text diffs, the clause-level summary and its renderings.

`authoring.document.diff` is the public entry point; this package holds its parts so that no file
grows past a screen or two: `textdiff` (fast-diff-match-patch with line, sentence and word or
character units), `model` (the typed result and its JSON), `engine` (aligning sections by id),
`render_text` and `render_html`; for reviewers, `reading` (a clause's printed text), `layout` (a
reading hunk as title, paragraphs and tables) and `render_reading` (the HTML redline).
"""
