"""Floods in exports: markup nested absurdly deep still exports (its text kept, the markup flattened
past MAX_INLINE_DEPTH), and `stdforge export` refuses a text past the core's caps with a message and
exit status 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cpu_time import cpu_seconds
from export_helpers import docx_part

from authoring.document import DocumentTooComplex, parse
from exports.api import export_document
from exports.context import Context
from exports.docx import docx_ast
from exports.figures import FigureStore
from exports.markdown import MAX_INLINE_DEPTH, inlines
from exports.pdf import typst_ast

#: 10,000 nested `**` (40,000 `*`, under the core's cap on marks) made a pandoc AST too deep for
#: json.dumps: the DOCX and PDF exports failed with a RecursionError
NESTED = "# 范围\n\n" + "**" * 10_000 + "深处的文字" + "**" * 10_000 + "\n"


@pytest.mark.slow
def test_deeply_nested_emphasis_exports_to_docx_with_its_text():
    result = export_document(NESTED, "docx")
    body = docx_part(result.data, "word/document.xml")
    assert "深处的文字" in body


@pytest.mark.slow
def test_deeply_nested_emphasis_exports_to_pdf():
    result = export_document(NESTED, "pdf")
    assert result.data.startswith(b"%PDF")


def test_nesting_past_the_cap_keeps_the_text_and_drops_the_markup():
    context = Context(doc=parse(NESTED), target="docx", figures=FigureStore())
    nodes = inlines(context, NESTED.split("\n")[2])
    depth = 0
    while nodes and nodes[0]["t"] == "Strong":
        depth += 1
        nodes = nodes[0]["c"]
    assert depth == MAX_INLINE_DEPTH and nodes == [{"t": "Str", "c": "深处的文字"}]


@pytest.mark.parametrize(
    "flood",
    ["**" * 100_000 + "字" + "**" * 100_000, "# 标题\n" * 20_000, "![" * 150_000],
    ids=["100,000 nested **", "20,000 headings", "150,000 !["],
)
def test_export_of_a_flood_is_refused_with_a_message_and_exit_2(tmp_path, flood):
    path = tmp_path / "flood.md"
    path.write_text(flood, encoding="utf-8")
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "stdforge",
            "export",
            str(path),
            "--to",
            "docx",
            "-o",
            str(tmp_path / "x.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 2
    assert "too complex" in finished.stderr and "Traceback" not in finished.stderr
    assert not (tmp_path / "x.docx").exists()


OPENERS = [
    "[", "[^", "![", "**", "*", "_", "`", "$", "$$", "{#", "<", "<a:", ">", "|", ":::", "#", "- ", "1.",
    "\\", "&", "[](#", "[a](", "[^a]", "~", "^", "~~", "H~2~", "m^2^", "  \n", "注：",
]  # fmt: skip
SIZE = 10_000  # characters at N; 4N is 40,000


def _export_paths(text: str) -> None:
    """Everything an export does in this process before pandoc or typst: both ASTs as JSON, STS, HTML."""
    try:
        doc = parse("# 范围\n\n" + text)
    except DocumentTooComplex:
        return
    json.dumps(docx_ast(doc, Context(doc=doc, target="docx", figures=FigureStore())))
    json.dumps(typst_ast(doc, Context(doc=doc, target="typst", figures=FigureStore())))
    export_document("# 范围\n\n" + text, "sts")
    export_document("# 范围\n\n" + text, "html")


def _cpu(text: str) -> float:
    return cpu_seconds(lambda: _export_paths(text))


@pytest.mark.slow
@pytest.mark.parametrize("opener", OPENERS)
def test_the_export_of_a_flood_of_each_opener_is_linear(opener):
    small = min(_cpu("字" + opener * (SIZE // len(opener))) for _ in range(2))
    large = _cpu("字" + opener * (4 * SIZE // len(opener)))
    assert large < 10.0, f"{opener!r}: {large:.2f}s at 4N"
    assert large < 0.25 or large < 12 * max(small, 0.25 / 4), f"{opener!r}: {small:.2f}s, then {large:.2f}s"
