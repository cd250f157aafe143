"""Every example of the format lints clean, through lint() and through `stdforge lint`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lintcases import findings

from authoring.examples import example_paths

EXAMPLE_FILES = example_paths()


def test_there_are_examples() -> None:
    assert len(EXAMPLE_FILES) >= 3


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_example_has_no_finding(path: Path) -> None:
    assert [f.as_json("en") for f in findings(path.read_text(encoding="utf-8"))] == []


def test_stdforge_lint_prints_nothing_for_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    from stdforge import main

    assert main(["lint", "--format", "json", *map(str, EXAMPLE_FILES)]) == 0
    assert json.loads(capsys.readouterr().out) == []
