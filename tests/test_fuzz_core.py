"""Fuzzing the document core (tests/fuzz_targets.py): hypothesis over hostile texts and their edits,
and a bounded atheris run (tests/fuzz_atheris.py), coverage-guided, from the shared examples.

The hypothesis texts are made of every Markdown and Standard Markdown opener, CJK and Latin words,
front matter, grid tables, formulas and stray controls; the edits of a text are what people do to
one (insert, delete, duplicate and move slices of it), so the diff, the merge and the re-anchoring
see related texts, not only unrelated ones. Longer runs: `FUZZ_EXAMPLES=20000` for hypothesis,
`FUZZ_SECONDS=600` for atheris (docs/reliability.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_targets import exercise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring.examples import example_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
ATHERIS_SECONDS = int(os.environ.get("FUZZ_SECONDS", "15"))

PIECES = [
    "[", "[^", "![", "**", "*", "_", "`", "``", "$", "$$", "{", "{#", "}", "<", ">", "|", ":::",
    "# ", "## ", "### ", "####### ", "- ", "+ ", "1. ", "a) ", "\\", "&#", "[](#", "[a](", "[^a]",
    "[^a]: 注\n", "](", "(", ")", "~", "^", "---\n", "***", "    ", "\t", "注：", "示例：", "NOTE ",
    "|-|-|\n", "+--+--+\n", "| a | b |\n", "+==+==+\n", "Table: 表 {#t}\n", "```\n", "~~~\n",
    "::: note\n", "::: example\n", "> > ", "<!--", "<script>", "javascript:", "{#a .annex .normative}",
    "{#b}", "{.untitled}", "$\\frac{a}{b}$", "$$ x $$ {#eq}", "![图](f.png){#fig}", "[来源：GB/T 1.1]",
    "见5.2", "按表1", "附录A", "应", "宜", "可", "社区居家养老服务", "the service shall ", "\n", "\n\n",
    "\r\n", "\x00", "\u200b", "\ud800", "前言", "术语和定义", "参考文献", "Foreword", "字",
]  # fmt: skip
FRONT = st.sampled_from(
    [
        "",
        "---\ntitle: {zh: 标题}\nassociation: 协会\n---\n\n",
        "---\nnumber: T/ABC 12—2025\ndates: {published: 2025-02-30}\n---\n",
        "---\ntitle: [\n---\n",
        "---\nlanguage: en\ntitle: {en: Title}\nassociation: [甲, 乙]\n---\n",
    ]
)
TEXT = st.builds(
    lambda front, body: front + "".join(body), FRONT, st.lists(st.sampled_from(PIECES), max_size=80)
)
TEXTS = TEXT | st.sampled_from([example_text("community-care"), example_text("en-sample")])


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """`text` after a few edits of the kinds people make: insert, delete, duplicate, move a slice."""
    for _ in range(draw(st.integers(0, 4))):
        size = len(text)
        start = draw(st.integers(0, size))
        end = draw(st.integers(start, min(size, start + 400)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "move"]))
        if kind == "insert":
            text = text[:start] + draw(TEXT) + text[start:]
        elif kind == "delete":
            text = text[:start] + text[end:]
        elif kind == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            piece, rest = text[start:end], text[:start] + text[end:]
            at = draw(st.integers(0, len(rest)))
            text = rest[:at] + piece + rest[at:]
    return text


@st.composite
def revisions(draw: st.DrawFn) -> tuple[str, str, str]:
    """A parent, the revision saved on it, and a concurrent edit of the same parent."""
    old = draw(TEXTS)
    return old, draw(edited(old)), draw(edited(old))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(revisions())
def test_any_text_and_its_edits_go_through_every_path_within_bounds(texts):
    exercise(*texts)


@settings(max_examples=EXAMPLES // 4, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=2000), st.text(max_size=2000), st.text(max_size=2000))
def test_any_unicode_goes_through_every_path_within_bounds(old, new, mine):
    exercise(old, new, mine)


@pytest.mark.slow
def test_a_coverage_guided_run_from_the_examples_finds_nothing(tmp_path):
    """atheris (libFuzzer) mutates the shared examples for a bounded time; a finding exits non-zero
    and leaves its input in tmp_path as crash-…"""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("community-care", "community-care-v2", "en-sample"):
        (corpus / name).write_text(example_text(name), encoding="utf-8")
    (corpus / "revision").write_text(
        example_text("community-care") + "\x1e" + example_text("community-care-v2"), encoding="utf-8"
    )
    run = subprocess.run(
        [
            sys.executable, str(ROOT / "tests" / "fuzz_atheris.py"), str(corpus),
            f"-max_total_time={ATHERIS_SECONDS}", "-rss_limit_mb=2048", "-timeout=10",
            "-max_len=200000", f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True, text=True, cwd=ROOT, timeout=ATHERIS_SECONDS + 120,
    )  # fmt: skip
    report = run.stderr[-4000:]
    assert run.returncode == 0, report
    assert "Done" in report and "runs in" in report, report
