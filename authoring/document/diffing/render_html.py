"""The diff as HTML: a fragment for the history page and a standalone page for `stdforge diff`.

Every piece of document text is escaped here (a standard's text may contain `<script>` as readily as
any other words); the only markup is ours: <ins>, <del>, the summary table and the side-by-side table.
"""

from __future__ import annotations

from html import escape

from authoring.document.diffing.labels import hunk_title, labels, numbers
from authoring.document.diffing.model import DocumentDiff, SectionDiff, Status
from authoring.document.diffing.textdiff import DELETE, EQUAL, INSERT, Ops

STYLE = """
.sf-diff { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; line-height: 1.6; }
.sf-diff-summary { border-collapse: collapse; margin-bottom: 1.5em; }
.sf-diff-summary th, .sf-diff-summary td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; }
.sf-hunk { border-top: 1px solid #ddd; margin: 1.2em 0; }
.sf-hunk h3 { font-size: 1em; margin: .6em 0; }
.sf-status { font-size: .85em; padding: 0 .4em; border-radius: 3px; background: #eee; margin-left: .5em; }
.sf-text, .sf-side td { white-space: pre-wrap; overflow-wrap: anywhere; }
.sf-side { width: 100%; border-collapse: collapse; table-layout: fixed; }
.sf-side th, .sf-side td { border: 1px solid #ddd; padding: .3em .6em; vertical-align: top; text-align: left; }
.sf-diff ins { background: #d7f5dd; text-decoration: none; }
.sf-diff del { background: #fbd9d9; }
""".strip()


def render_html(diff: DocumentDiff, *, inline: bool = True, side_by_side: bool = True) -> str:
    """A `<div class="sf-diff">` fragment: the summary, then each hunk inline and/or side by side."""
    words = labels(diff.language)
    if diff.is_empty:
        return f'<div class="sf-diff"><p>{escape(words["none"])}</p></div>'
    parts = ['<div class="sf-diff">', _summary(diff, words)]
    for hunk in diff.hunks:
        parts.append(_hunk(hunk, words, inline=inline, side_by_side=side_by_side))
    parts.append("</div>")
    return "\n".join(parts)


def render_html_page(diff: DocumentDiff) -> str:
    """A complete HTML page (the `stdforge diff --format html` output)."""
    return html_page(diff, render_html(diff))


def html_page(diff: DocumentDiff, body: str, extra_style: str = "") -> str:
    """`body` (already escaped and sanitised) as a standalone page titled after the diff's standard."""
    words = labels(diff.language)
    title = " — ".join(part for part in (diff.new_title or diff.old_title, words["title"]) if part)
    lang = "en" if diff.language == "en" else "zh-CN"
    style = f"{STYLE}\n{extra_style}" if extra_style else STYLE
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>\n{style}\n</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def inline_html(ops: Ops) -> str:
    """Both texts in one: deletions in <del>, insertions in <ins>."""
    tags = {DELETE: "del", INSERT: "ins"}
    return "".join(
        escape(text) if op == EQUAL else f"<{tags[op]}>{escape(text)}</{tags[op]}>" for op, text in ops
    )


def side_html(ops: Ops, side: str) -> str:
    """One revision's text, its own changes marked: "old" shows <del>, "new" shows <ins>."""
    mine, tag = (DELETE, "del") if side == "old" else (INSERT, "ins")
    return "".join(
        escape(text) if op == EQUAL else f"<{tag}>{escape(text)}</{tag}>"
        for op, text in ops
        if op in (EQUAL, mine)
    )


def _summary(diff: DocumentDiff, words: dict[str, str]) -> str:
    stats = diff.stats
    rows = []
    for hunk in diff.hunks:
        states = [words[hunk.status]] if hunk.status is not Status.UNCHANGED else []
        if hunk.move is not None:
            states.append(
                f"{words['moved']} ({hunk.move.from_parent or words['top']} → {hunk.move.to_parent or words['top']})"
            )
        anchor = f'<a href="#{escape(_anchor(hunk))}">{escape(hunk_title(hunk, words))}</a>'
        rows.append(
            f"<tr><td>{escape(', '.join(states))}</td><td>{escape(numbers(hunk))}</td>"
            f"<td>{anchor}</td><td><code>{escape(hunk.id or '')}</code></td></tr>"
        )
    caption = words["stats"].format(
        inserted=stats.chars_inserted, deleted=stats.chars_deleted, touched=stats.sections_touched
    )
    return (
        f'<table class="sf-diff-summary"><caption>{escape(caption)}</caption>'
        f"<thead><tr><th></th><th>{escape(words['number'])}</th><th>{escape(words['element'])}</th>"
        f"<th>id</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _hunk(hunk: SectionDiff, words: dict[str, str], *, inline: bool, side_by_side: bool) -> str:
    status = f'<span class="sf-status">{escape(words[hunk.status])}</span>'
    if hunk.moved:
        status += f'<span class="sf-status">{escape(words["moved"])}</span>'
    name = " ".join(part for part in (numbers(hunk), hunk_title(hunk, words)) if part)
    parts = [
        f'<section class="sf-hunk sf-{hunk.status}" id="{escape(_anchor(hunk))}">',
        f"<h3>{escape(name)}{status}</h3>",
    ]
    if inline:
        parts.append(f'<div class="sf-text sf-inline">{inline_html(hunk.ops)}</div>')
    if side_by_side:
        parts.append(
            f'<table class="sf-side"><thead><tr><th>{escape(words["old"])}</th><th>{escape(words["new"])}</th>'
            f'</tr></thead><tbody><tr><td class="sf-old">{side_html(hunk.ops, "old")}</td>'
            f'<td class="sf-new">{side_html(hunk.ops, "new")}</td></tr></tbody></table>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def _anchor(hunk: SectionDiff) -> str:
    return f"diff-{hunk.id}" if hunk.id else "diff-front-matter"
