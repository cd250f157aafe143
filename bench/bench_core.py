"""The document core against bare markdown-it-py on the ~300 KB corpus (targets from issue 3):
parse + number + lint ≤ 1.5 × `MarkdownIt("commonmark").enable("table").parse`, render ≤ 1.5 × its
`render`. markdown-it's `render` parses too, so the like-for-like row is text → HTML on both sides
(our parse + render_html); render_html alone on a parsed tree is shown as well, as saves cache it."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt

from authoring.document import parse
from authoring.document.render import render_html
from bench.corpus import standard_text
from bench.run import paired_times


def run(report: Callable[[str, float, float, float], None]) -> None:
    from authoring.document.lint import lint

    text = standard_text()
    bare = MarkdownIt("commonmark").enable("table")
    lint(parse(text))  # warm caches: jieba's dictionary, compiled parsers
    ours_parse, bare_parse = paired_times(lambda: lint(parse(text)), lambda: bare.parse(text))
    report(f"parse+number+lint ({len(text.encode()) // 1000} KB)", ours_parse, bare_parse, 1.5)
    ours_html, bare_html = paired_times(lambda: render_html(parse(text)), lambda: bare.render(text))
    report("text → HTML: parse+render_html vs render", ours_html, bare_html, 1.5)
    document = parse(text)
    ours_render, bare_render = paired_times(lambda: render_html(document), lambda: bare.render(text))
    report("  render_html of a parsed tree vs render", ours_render, bare_render, 1.5)
