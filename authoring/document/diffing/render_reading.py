"""The reading-view diff as HTML: what reviewers read, the standard as printed with its changes marked.

Made from a `diff_documents(..., reading=True)` result: each changed clause under its number and
title, its paragraphs, notes and captions, and its tables drawn as tables with the changed cells
marked. Every piece of document text is escaped, and the whole fragment goes through nh3 with an
allowlist of the tags written here, so nothing of the standard's text can become markup.
"""

from __future__ import annotations

from html import escape

import nh3

from authoring.document.diffing.labels import hunk_title, labels, printed_numbers
from authoring.document.diffing.layout import Paragraph, Runs, Table, layout
from authoring.document.diffing.model import DocumentDiff, SectionDiff, Status
from authoring.document.diffing.render_html import html_page
from authoring.document.diffing.textdiff import DELETE, EQUAL, INSERT

READING_STYLE = """
.sf-reading .sf-hunk h3 .sf-num { margin-right: 1em; }
.sf-reading p { margin: .4em 0; text-indent: 2em; }
.sf-reading p.sf-caption { text-align: center; text-indent: 0; font-family: "Noto Sans CJK SC", sans-serif; }
.sf-reading p.sf-note { font-size: .9em; text-indent: 0; }
.sf-reading table.sf-table { border-collapse: collapse; margin: .4em auto; }
.sf-reading .sf-table th, .sf-reading .sf-table td { border: 1px solid #444; padding: .2em .5em; }
.sf-reading tr.sf-row-added { background: #eefaf0; }
.sf-reading tr.sf-row-deleted { background: #fdeeee; }
""".strip()

_TAGS = {"div", "section", "h3", "p", "span", "ins", "del", "table", "thead", "tbody", "tr", "th", "td"}
_TAGS |= {"caption", "a", "h1"}


def clean(html: str) -> str:
    """Keep only the tags this module writes (with their class and id): the text was escaped already."""
    return nh3.clean(html, tags=_TAGS, attributes={"*": {"class", "id", "lang"}, "a": {"href"}})


def runs_html(runs: Runs) -> str:
    """Runs as HTML: deletions in <del>, insertions in <ins>."""
    tags = {DELETE: "del", INSERT: "ins"}
    return "".join(
        escape(text) if op == EQUAL else f"<{tags[op]}>{escape(text)}</{tags[op]}>" for op, text in runs
    )


def render_reading_html(diff: DocumentDiff) -> str:
    """A `<div class="sf-diff sf-reading">` fragment: the summary, then each hunk as printed."""
    words = labels(diff.language)
    if diff.is_empty:
        return clean(f'<div class="sf-diff sf-reading"><p>{escape(words["none"])}</p></div>')
    parts = ['<div class="sf-diff sf-reading">', _summary(diff, words)]
    parts.extend(_hunk(hunk, index, words) for index, hunk in enumerate(diff.hunks, start=1))
    parts.append("</div>")
    return clean("\n".join(parts))


def render_reading_page(diff: DocumentDiff) -> str:
    """A complete HTML page: the HTML redline that reviewers open."""
    return html_page(diff, render_reading_html(diff), READING_STYLE)


def hunk_status(hunk: SectionDiff, words: dict[str, str]) -> str:
    """ "修改", "新增", "删除", "移动", "修改, 移动": what happened, in words."""
    states = [words[hunk.status]] if hunk.status is not Status.UNCHANGED else []
    if hunk.moved:
        states.append(words["moved"])
    return ", ".join(states)


def _summary(diff: DocumentDiff, words: dict[str, str]) -> str:
    rows = []
    for index, hunk in enumerate(diff.hunks, start=1):
        rows.append(
            f"<tr><td>{escape(hunk_status(hunk, words))}</td><td>{escape(printed_numbers(hunk, words))}</td>"
            f'<td><a href="#sf-hunk-{index}">{escape(hunk_title(hunk, words))}</a></td></tr>'
        )
    return (
        f'<table class="sf-diff-summary"><thead><tr><th></th><th>{escape(words["number"])}</th>'
        f"<th>{escape(words['element'])}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _hunk(hunk: SectionDiff, index: int, words: dict[str, str]) -> str:
    laid = layout(hunk)
    number = printed_numbers(hunk, words)
    # an untitled clause is its number alone, as printed
    title = runs_html(laid.title) if laid.title or number else escape(hunk_title(hunk, words))
    heading = (f'<span class="sf-num">{escape(number)}</span>' if number else "") + title
    parts = [
        f'<section class="sf-hunk sf-{hunk.status}" id="sf-hunk-{index}">',
        f'<h3>{heading}<span class="sf-status">{escape(hunk_status(hunk, words))}</span></h3>',
    ]
    parts.extend(_item(item) for item in laid.body)
    parts.append("</section>")
    return "\n".join(parts)


def _item(item: Paragraph | Table) -> str:
    if isinstance(item, Paragraph):
        return f'<p class="sf-{item.role}">{runs_html(item.runs)}</p>'
    rows = []
    for row in item.rows:
        cell = "th" if row.header else "td"
        css = {INSERT: ' class="sf-row-added"', DELETE: ' class="sf-row-deleted"'}.get(row.status, "")
        cells = "".join(f"<{cell}>{runs_html(runs)}</{cell}>" for runs in row.cells)
        rows.append(f"<tr{css}>{cells}</tr>")
    return f'<table class="sf-table"><tbody>{"".join(rows)}</tbody></table>'
