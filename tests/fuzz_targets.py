"""One fuzz target for the whole document core, driven by hypothesis (tests/test_fuzz_core.py) and
by atheris (tests/fuzz_atheris.py, coverage-guided, libFuzzer).

`exercise(old, new, mine)` takes three texts (the parent of a save, the revision saved, a concurrent
edit) through everything the server does with a user's text: parse, lint, render, outline, derived
ids, the clause diff and its two renderings, the line diff, the three-way merge of a save, and the
re-anchoring of a comment on each clause. What it may raise is only the documented refusal of an
oversized or flooded text (DocumentTooLarge and its kind DocumentTooComplex, each with a message in
both languages); anything else, or a broken invariant, is a finding. Each input is bounded in CPU
time (`SECONDS`), so a pass worse than linear shows as a failure, not as a slow suite.
"""

from __future__ import annotations

from cpu_time import cpu_seconds

from authoring.document import DocumentTooLarge, parse, with_derived_ids
from authoring.document.diff import diff_documents, diff_text
from authoring.document.diff import render_html as render_diff
from authoring.document.diff import render_text as render_diff_text
from authoring.document.lint import lint
from authoring.document.merge import merge3
from authoring.document.outline import outline
from authoring.document.render import render_page
from workflow.comments.anchoring import Quote, clause_sources, context_of, reanchor

#: CPU seconds one input of a few kilobytes may take through every path (typical: 10–50 ms)
SECONDS = 2.0


def exercise(old: str, new: str, mine: str) -> None:
    """Every path a user's text takes, with the invariants each one promises; see the module doc."""
    spent = cpu_seconds(lambda: _every_path(old, new, mine))
    assert spent < SECONDS, f"{spent:.2f} s of CPU for {len(old) + len(new) + len(mine)} characters"


def _every_path(old: str, new: str, mine: str) -> None:
    _lines_diff(old, new)
    _merge(old, new, mine)
    try:
        before, after = parse(old), parse(new)
    except DocumentTooLarge as refused:
        assert refused.message("zh") and refused.message("en")
        return
    findings = lint(after)
    assert all(0 <= finding.line <= new.count("\n") + 1 for finding in findings), findings
    assert [f.line for f in findings] == sorted(f.line for f in findings)
    render_page(after)
    outline(after)
    with_derived_ids(new)
    difference = diff_documents(before, after)
    render_diff(difference)
    render_diff_text(difference)
    _reanchor(clause_sources(before), clause_sources(after))


def _lines_diff(old: str, new: str) -> None:
    """The line diff reads back as both sides: the history page shows nothing that is not there."""
    ops = diff_text(old, new)
    assert "".join(text for op, text in ops if op != "+") == old
    assert "".join(text for op, text in ops if op != "-") == new


def _merge(base: str, theirs: str, mine: str) -> None:
    """A save merges or conflicts; never loses mine, and a side that changed nothing yields the other."""
    result = merge3(base, mine, theirs)
    if result.clean:
        assert isinstance(result.merged, str)
    assert merge3(base, mine, base).merged == mine
    assert merge3(base, base, theirs).merged == theirs


def _reanchor(old: dict[str, str], new: dict[str, str]) -> None:
    """A comment on the middle words of every clause is placed, edited or outdated, never lost, and
    a placed or edited range holds the words it reports."""
    quotes = []
    for clause, source in old.items():
        start, end = len(source) // 3, len(source) // 3 + min(20, len(source) // 3)
        prefix, suffix = context_of(source, start, end)
        quotes.append(Quote(clause, source[start:end], prefix, suffix, start))
    placements = reanchor(old, new, quotes)
    assert len(placements) == len(quotes)
    for quote, placement in zip(quotes, placements, strict=True):
        assert placement.state in ("placed", "edited", "outdated")
        if placement.state == "outdated":
            assert (placement.clause, placement.exact) == (quote.clause, quote.exact)
            continue
        source = new[placement.clause]
        assert 0 <= placement.start <= placement.end <= len(source)
        assert source[placement.start : placement.end] == placement.exact
        if placement.state == "placed":
            assert placement.exact == quote.exact
