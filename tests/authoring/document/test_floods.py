"""Floods of every Markdown and Standard Markdown opener: every path that reads a user's text (parse,
lint, render, outline, derived ids, diff, merge) either answers or refuses with the documented
DocumentTooComplex, and its time grows linearly with the text.

Each flood is timed at two sizes, N and 4N characters: a linear pass takes about 4× as long at 4N, a
quadratic one 16×. The sizes are chosen so that a quadratic pass is obviously over: `[^` took 0.5 s
at N and 7 s at 4N before the footnote pattern stopped rescanning the text. Times are CPU times of the test's
thread (tests/cpu_time.py: other engineers' work and other threads do not count), the smaller the better of two runs; a
time under a quarter of a second at 4N is not compared, and one under a sixteenth at N counts as a
sixteenth: too small to show a trend.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cpu_time import cpu_seconds

from authoring.document import DocumentTooComplex, DocumentTooLarge, parse, with_derived_ids
from authoring.document.diff import diff_documents, diff_text
from authoring.document.diff import render_html as render_diff
from authoring.document.diff import render_text as render_diff_text
from authoring.document.limits import MAX_BLOCKS, MAX_HEADINGS, MAX_MARKS
from authoring.document.lint import lint
from authoring.document.merge import merge3
from authoring.document.outline import outline
from authoring.document.render import render_html, render_page
from stdforge import main

SIZE = 8_000  # characters at N; 4N is 32,000
#: a linear pass takes ~4× as long at 4N; quadratic ones took 16× and more
GROWTH = 12
#: below this, a time is noise, not a trend
NOISE = 0.25
#: the 4N flood of any opener, every path together, on a loaded two-core machine
BUDGET = 10.0

OPENERS = [
    "[", "[^", "![", "**", "*", "_", "__", "`", "``", "$", "$$", "{", "{#", "}", "<", "<a:", ">", "|",
    ":::", "#", "#######", "-", "- ", "+", "1.", "1)", "\\", "\\[", "&", "&#", "[](#", "[a](", "[a]",
    "[^a]", "![a](", "]", "(", ")", "~", "^", "=", "---", "***", "    ", "\t", "$`", "：", "注：", "[^a]:",
    "|-", "+-", "```", "~~~", "::: note", "> >", "* *", "<!--", "<http:",
]  # fmt: skip

SHAPES: dict[str, Callable[[str, int], str]] = {
    "run": lambda opener, size: opener * (size // len(opener)),
    "inline": lambda opener, size: "字" + opener * (size // len(opener)),  # never a block (fence, rule)
    "words": lambda opener, size: (opener + "字 ") * (size // (len(opener) + 2)),
    "lines": lambda opener, size: (opener + " 字\n") * (size // (len(opener) + 3)),
}


def _edited(text: str) -> str:
    middle = len(text) // 2
    return text[:middle] + "改\n" + text[middle:]


def _every_path(text: str) -> None:
    """What a save, a preview, the history page and a merge do with `text`; a refusal is an answer."""
    try:
        document = parse(text)
        lint(document)
        render_page(document)
        outline(document)
        with_derived_ids(text)
        changed = parse(_edited(text))
        difference = diff_documents(document, changed)
        render_diff(difference)
        render_diff_text(difference)
    except DocumentTooComplex as refused:
        assert refused.line >= 1 and refused.message("zh") and refused.message("en")
    diff_text(text, _edited(text))
    merge3(text, text + "\n我的\n", "他们的\n" + text)


def _seconds(text: str) -> float:
    return cpu_seconds(lambda: _every_path(text))


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("opener", OPENERS)
def test_a_flood_of_each_opener_is_answered_in_linear_time(opener, shape):
    small = min(_seconds(SHAPES[shape](opener, SIZE)) for _ in range(2))
    large = _seconds(SHAPES[shape](opener, 4 * SIZE))
    assert large < BUDGET, f"{opener!r} {shape}: {large:.2f}s at 4N"
    assert large < NOISE or large < GROWTH * max(small, NOISE / 4), (
        f"{opener!r} {shape}: {small:.2f}s at N, {large:.2f}s at 4N"
    )


@pytest.mark.slow
def test_two_unrelated_huge_texts_diff_and_merge_in_linear_time():
    """Myers' diff is O(N·D): 20,000 lines against 20,000 others took 2 s, 100,000 about a minute."""

    def texts(lines: int) -> tuple[str, str]:
        return (
            "".join(f"旧条款第{i}行。\n" for i in range(lines)),
            "".join(f"新内容{i}号。\n" for i in range(lines)),
        )

    def seconds(lines: int) -> float:
        old, new = texts(lines)
        ops: list = []
        spent = cpu_seconds(lambda: (ops.extend(diff_text(old, new)), merge3(old, old + "我的\n", new)))
        assert (
            "".join(t for op, t in ops if op != "+") == old
            and "".join(t for op, t in ops if op != "-") == new
        )
        return spent

    small, large = seconds(10_000), seconds(40_000)
    assert large < BUDGET and large < GROWTH * max(small, NOISE / 4), f"{small:.2f}s, then {large:.2f}s"


@pytest.mark.slow
def test_a_merge_of_thousands_of_changes_on_both_sides_is_linear():
    """patch_apply copied the whole text once per change: 4,000 changes in 400 KB took 2 s."""

    def seconds(lines: int) -> float:
        base = [f"第{i}行的内容，足够长的一行文字用于测试。\n" for i in range(lines)]
        theirs = [line if i % 4 else "他们改了" + line for i, line in enumerate(base)]
        mine = [line if i % 4 != 2 else "我改了" + line for i, line in enumerate(base)]
        merged = []
        spent = cpu_seconds(lambda: merged.append(merge3("".join(base), "".join(mine), "".join(theirs))))
        result = merged[0]
        assert result.clean and result.applied == lines // 4
        assert result.merged.count("他们改了") == lines // 4 and result.merged.count("我改了") == lines // 4
        return spent

    small, large = seconds(2_000), seconds(16_000)  # 8× the changes: linear is ~8× the time, this was 64×
    assert large < BUDGET and large < 3 * GROWTH * max(small, NOISE / 4), f"{small:.2f}s, then {large:.2f}s"


# -- the reproductions of issue 9, each with its numbers from before the fix --------------------------


def _parse_lint_render(text: str) -> None:
    document = parse(text)
    lint(document)
    render_html(document)


@pytest.mark.slow
def test_a_run_of_footnote_openers_is_read_in_one_pass():
    """The footnote pattern rescanned to the end of the text at every `[^`: 16,000 took 2.6 s to
    parse, 40,000 took 30 s to parse and render."""
    assert cpu_seconds(lambda: _parse_lint_render("[^" * 40_000)) < 5.0


@pytest.mark.slow
def test_a_run_of_backticks_inside_a_paragraph_is_read_in_one_pass():
    """A code span could start at every backtick of a run: 16,000 in a row took 1.6 s, 40,000 ten."""
    assert cpu_seconds(lambda: _parse_lint_render("字" + "`" * 40_000 + "字")) < 2.0


def test_a_flood_of_image_openers_is_refused_at_once_with_its_line():
    """150,000 `![` took 12 s to save (parse, lint, render); now the save is refused in one pass."""
    text = "# 范围\n\n本文件规定了……\n\n" + "![" * 150_000
    refused: list[DocumentTooComplex] = []

    def save() -> None:
        with pytest.raises(DocumentTooComplex) as raised:
            _parse_lint_render(text)
        refused.append(raised.value)

    assert cpu_seconds(save) < 1.0
    assert refused[0].element == "marks" and refused[0].line == 5
    assert "第 5 行" in refused[0].message("zh") and "line 5" in refused[0].message("en")


def test_450_kb_of_inline_formulas_are_refused_before_any_export_typesets_them():
    """450 KB of `$a ` grew the web worker to 3.5 GB during the PDF export."""
    with pytest.raises(DocumentTooComplex) as refused:
        parse("# 范围\n\n" + "$a " * 150_000)
    assert refused.value.element == "marks" and refused.value.line == 3


def test_75000_headings_are_refused_naming_the_line_past_the_cap():
    """75,000 headings made the history page take 13 s and the diff 21 s on every load."""
    with pytest.raises(DocumentTooComplex) as refused:
        parse("# 标题\n" * 75_000)
    assert refused.value.element == "headings" and refused.value.line == MAX_HEADINGS + 1
    assert "标题超过 10,000 个" in refused.value.message("zh")
    assert "more than 10,000 headings" in refused.value.message("en")


def test_a_document_at_the_caps_is_read():
    headings = parse("# 标题\n" * MAX_HEADINGS)
    assert len(headings.sections) == MAX_HEADINGS
    marks = parse("# 范围\n\n" + "[](#x)" * (MAX_MARKS // 2))
    assert marks.sections[0].blocks[0].refs


@pytest.mark.slow
def test_a_flood_of_paragraphs_is_refused_naming_the_line_past_the_cap():
    with pytest.raises(DocumentTooComplex) as refused:
        parse("段\n\n" * (MAX_BLOCKS + 1))
    assert refused.value.element == "blocks" and refused.value.line == 2 * MAX_BLOCKS + 1


def test_a_refusal_is_a_kind_of_too_large_so_every_caller_refuses_it_the_same_way():
    with pytest.raises(DocumentTooLarge):
        parse("# 标题\n" * (MAX_HEADINGS + 1))


# -- the command line: a message and exit status 2, never a traceback --------------------------------

FLOODS = {
    "headings": "# 标题\n" * 20_000,
    "image openers": "![" * 150_000,
    "nested strong": "**" * 100_000 + "字" + "**" * 100_000,
}


@pytest.mark.parametrize("command", ["lint", "outline", "render", "diff"])
@pytest.mark.parametrize("flood", FLOODS)
def test_the_document_commands_refuse_a_flood_with_a_message(capsys, tmp_path, command, flood):
    path = tmp_path / "flood.md"
    path.write_text(FLOODS[flood], encoding="utf-8")
    arguments = {"render": ["-o", str(tmp_path / "out.html")], "diff": [str(path)]}.get(command, [])
    assert main([command, str(path), *arguments]) == 2
    message = capsys.readouterr().err
    assert "过于复杂" in message or "too complex" in message
    assert "Traceback" not in message and not (tmp_path / "out.html").exists()


def test_a_long_revision_with_a_few_edits_diffs_exactly_as_the_unbounded_diff(monkeypatch):
    """Above EXACT_UNIT_LIMIT lines the diff is anchored on unique lines: for a real revision (most
    lines unique, a few edited, deleted or added) that is the exact diff's answer."""
    from authoring.document.diffing import textdiff

    old = "".join(f"第{i}条 内容{i % 97}。\n" for i in range(30_000))
    edited = old.splitlines(keepends=True)
    for line in range(7, 30_000, 750):
        edited[line] = "改 " + edited[line]
    del edited[500:520]
    edited[9_000:9_000] = ["新增\n"] * 30
    new = "".join(edited)
    bounded = diff_text(old, new)
    monkeypatch.setattr(textdiff, "EXACT_UNIT_LIMIT", 10**9)
    assert bounded == diff_text(old, new)
