"""`stdforge lint | outline | render` on the reference documents: options, exit statuses, JSON shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from authoring.examples import example_path, example_paths, example_text
from stdforge import main

EXAMPLE_FILES = [str(path) for path in example_paths()]
CLEAN = "---\ntitle: {zh: 测试}\nassociation: 协会\n---\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("path", EXAMPLE_FILES)
def test_examples_lint_clean(capsys, path):
    assert run(capsys, "lint", path) == (0, "", "")


def test_lint_several_files_at_once(capsys):
    assert run(capsys, "lint", *EXAMPLE_FILES)[0] == 0


def test_lint_json_shape_and_error_status(capsys, tmp_path: Path):
    bad = tmp_path / "bad.md"
    bad.write_text(CLEAN + "# 范围\n\n见[](#nowhere)。\n", encoding="utf-8")
    status, out, _ = run(capsys, "lint", str(bad), "--format", "json", "--lang", "en")
    findings = json.loads(out)
    assert status == 1
    assert findings and all(set(f) == {"rule", "severity", "line", "clause", "message"} for f in findings)
    unresolved = next(f for f in findings if f["rule"] == "REF-UNRESOLVED")
    assert unresolved["line"] == 7 and unresolved["severity"] == "error"


def test_lint_warnings_only_exit_0_and_are_printed(capsys, tmp_path: Path):
    """Spec §4: warnings alone do not fail a CI run, but they are shown."""
    warned = tmp_path / "warned.md"
    text = example_text("community-care")
    warned.write_text(text + "\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    status, out, _ = run(capsys, "lint", str(warned), "--format", "json")
    rules = {(f["rule"], f["severity"]) for f in json.loads(out)}
    assert status == 0
    assert rules == {("TABLE-CAPTION", "warning"), ("TABLE-UNCITED", "warning")}


def test_lint_text_prefixes_file_names_when_several(capsys, tmp_path: Path):
    bad = tmp_path / "bad.md"
    bad.write_text(CLEAN + "# 范围\n\n见[](#nowhere)。\n", encoding="utf-8")
    status, out, _ = run(capsys, "lint", str(bad), EXAMPLE_FILES[0])
    assert status == 1
    assert all(line.startswith(f"{bad}:") for line in out.splitlines())


def test_lint_unreadable_file(capsys, tmp_path: Path):
    status, _, err = run(capsys, "lint", str(tmp_path / "missing.md"))
    assert status == 2 and "missing.md" in err


def test_outline_json_shape(capsys):
    status, out, _ = run(capsys, "outline", str(example_path("community-care")), "--format", "json")
    tree = json.loads(out)
    assert status == 0
    keys = {"id", "kind", "number", "label", "title", "level", "line", "children"}
    assert all(set(entry) == keys for entry in tree)
    chapter4 = tree[5]
    assert (chapter4["id"], chapter4["kind"], chapter4["number"], chapter4["label"]) == (
        "ch-basic",
        "chapter",
        "4",
        "第4章",
    )
    staff = chapter4["children"][1]
    assert (staff["kind"], staff["label"], staff["line"], staff["level"]) == ("clause", "4.2", 133, 2)
    assert tree[-3]["label"] == "附录A" and tree[-3]["kind"] == "annex"
    assert tree[4]["children"][0]["kind"] == "term"


def test_outline_text(capsys):
    status, out, _ = run(capsys, "outline", str(example_path("en-sample")))
    assert status == 0
    assert "  4.1 Data elements" in out and "Annex A (informative) Example of invoice header data" in out


def test_outline_unreadable_input_exits_2_with_a_message(capsys, tmp_path: Path):
    status, out, err = run(capsys, "outline", str(tmp_path / "nope.md"))
    assert (status, out) == (2, "") and "nope.md" in err
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    status, _, err = run(capsys, "outline", str(binary))
    assert status == 2 and "UTF-8" in err


def test_outline_too_large_exits_2(capsys, tmp_path: Path):
    large = tmp_path / "large.md"
    large.write_text("x" * 2_000_001, encoding="utf-8")
    status, _, err = run(capsys, "outline", str(large))
    assert status == 2 and "too large" in err


def test_render_writes_a_page(capsys, tmp_path: Path):
    out = tmp_path / "out.html"
    status, _, _ = run(capsys, "render", str(example_path("community-care")), "-o", str(out))
    assert status == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "社区居家养老服务规范" in page


@pytest.mark.slow
def test_installed_console_script():
    script = Path(sys.executable).parent / "stdforge"
    result = subprocess.run(
        [str(script), "outline", str(example_path("en-sample")), "--format", "json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and json.loads(result.stdout)[0]["kind"] == "foreword"
