"""A pandoc failure reaches the person as pandoc's reason in one line, never a Haskell call stack."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from exports.errors import ExportError
from exports.pandoc import HEAP_LIMIT, pandoc_failure, run_pandoc

#: what pandoc 3 prints when a reader calls `error` (the call stack GHC appends to it)
CALL_STACK = """pandoc: Prelude.!!: index too large
CallStack (from HasCallStack):
  error, called at libraries/base/GHC/List.hs:1368:14 in base:GHC.List
  tooLarge, called at libraries/base/GHC/List.hs:1378:50 in base:GHC.List
"""
#: what the runtime prints when the heap cap (`+RTS -M`) stops it
HEAP = """pandoc: Heap exhausted;
pandoc: Current maximum heap size is 536870912 bytes (512 MB).
pandoc: Use `+RTS -M<size>' to increase it.
"""


def test_the_call_stack_is_cut_off():
    error = pandoc_failure(CALL_STACK)
    assert error.en == "pandoc failed: pandoc: Prelude.!!: index too large"
    assert "CallStack" not in str(error) and "GHC" not in str(error)


def test_the_memory_cap_is_said_in_words():
    error = pandoc_failure(HEAP)
    assert HEAP_LIMIT in error.en and "memory" in error.en and "内存" in error.zh
    assert "+RTS" not in str(error) and "Heap exhausted" not in str(error)


@pytest.mark.slow
def test_a_document_pandoc_cannot_read_is_refused_with_its_reason(tmp_path: Path):
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body>")  # cut short
    with pytest.raises(ExportError) as refused:
        run_pandoc(["-f", "docx", "-t", "json", broken.name], stdin=None, cwd=tmp_path)
    assert refused.value.en.startswith("pandoc failed: ") and "\n" not in refused.value.en
