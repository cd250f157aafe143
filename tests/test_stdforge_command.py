"""The `stdforge` command as a shell user runs it: composed subcommands, and pipes that close early."""

from __future__ import annotations

import subprocess
import sys

from bench.corpus import standard_text


def test_every_subcommand_of_the_spec_is_offered():
    listed = subprocess.run(
        [sys.executable, "-m", "stdforge", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("lint", "outline", "render", "diff", "export"):
        assert command in listed


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    # `stdforge lint FILE | head -1`: head closes the pipe after one line, long before the thousands
    # of findings of a 300 KB standard with a hand-typed number on every clause heading are written
    numbered = standard_text().replace("\n## ", "\n## 4.2 ")
    large = tmp_path / "numbered.md"
    large.write_text(numbered, encoding="utf-8")
    shell = f"{sys.executable} -m stdforge lint {large} | head -1"
    finished = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
    assert "NUM-MANUAL" in finished.stdout
    assert "Traceback" not in finished.stderr and "BrokenPipeError" not in finished.stderr
