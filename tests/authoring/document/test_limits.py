"""Limits: a size cap with a clear message, and pathological input parsed and rendered in time
proportional to what bare markdown-it-py takes for it (measured on this machine, so load and speed
do not make the test flaky)."""

from __future__ import annotations

import time
from contextlib import suppress

import pytest
from markdown_it import MarkdownIt

from authoring.document import DocumentTooComplex, DocumentTooLarge, parse
from authoring.document.render import render_html


def test_text_above_the_cap_is_refused_with_a_message_in_both_languages():
    with pytest.raises(DocumentTooLarge) as refused:
        parse("字" * 700_000)  # 2.1 MB of UTF-8
    assert refused.value.size == 2_100_000 and refused.value.limit == 2_000_000
    assert "过大" in refused.value.message("zh") and "too large" in refused.value.message("en")


def test_cap_is_configurable():
    with pytest.raises(DocumentTooLarge):
        parse("x" * 101, max_bytes=100)
    assert parse("x" * 100, max_bytes=100)


def _seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


PATHOLOGICAL = {
    "40K [": "[" * 40_000,
    "40K [ in a chapter": "# 章\n\n" + "[" * 40_000,
    "links": "# 章\n\n" + "[](#a)" * 20_000,
    "deep quotes": ">" * 10_000 + " x\n",
    "deep lists": "".join("  " * i + "- x\n" for i in range(500)),
    "10^5 headings": "# 标题\n" * 100_000,
    "10^5 untitled clauses": "# 章\n" + "## {.untitled}\n" * 100_000,
    "10^4 level-7 headings": "####### x\n" * 10_000,
    "unclosed $$": "$$\n" + "x\n" * 50_000,
    "grid rows": "+--+\n" + "| a|\n" * 50_000,
    "emphasis": "*" * 50_000 + "a" + "_" * 50_000,
    "braces": "# x " + "{" * 50_000,
    "containers": "::: note\n" * 20_000,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_input_finishes_or_is_refused_in_bounded_time(name):
    text = PATHOLOGICAL[name]
    bare = MarkdownIt("commonmark").enable("table")
    baseline = _seconds(lambda: bare.render(text))
    documents = []

    def parse_or_refuse() -> None:
        with suppress(DocumentTooComplex):  # 10^5 headings: past the cap, refused after one cheap pass
            documents.append(parse(text))

    ours = _seconds(parse_or_refuse)
    ours += _seconds(lambda: documents and render_html(documents[0]))
    assert ours <= 4 * baseline + 2.0, f"{name}: {ours:.2f}s against markdown-it's {baseline:.2f}s"
