"""`stdforge diff OLD.md NEW.md --format text|json|html` (spec §4)."""

from __future__ import annotations

import json

import pytest

from authoring.examples import example_path
from stdforge import main

OLD = str(example_path("community-care"))
NEW = str(example_path("community-care-v2"))


def test_text_format_prints_the_summary_and_changes(capsys):
    assert main(["diff", OLD, NEW]) == 0
    out = capsys.readouterr().out
    assert "新增 (2):" in out and "[t-family-carer]" in out
    assert "移动 (1):" in out and "4.5 → 5.4" in out
    assert "[-2-]{+4+}" in out


def test_json_format_is_the_spec_shape(capsys):
    assert main(["diff", OLD, NEW, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["changed", "added", "deleted", "moved", "hunks"]
    assert data["deleted"] == ["c-errand"]
    assert data["moved"] == [{"id": "c-agreement", "from_parent": "ch-basic", "to_parent": "ch-process"}]


def test_html_format_is_a_page(capsys):
    assert main(["diff", OLD, NEW, "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>")
    assert "<del>2</del><ins>4</ins>" in out


def test_same_file_twice_exits_0_with_no_differences(capsys):
    assert main(["diff", OLD, OLD, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["hunks"] == []


def test_missing_file_exits_2_with_a_message(tmp_path, capsys):
    assert main(["diff", OLD, str(tmp_path / "missing.md")]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "missing.md" in err


def test_both_unreadable_files_are_named_and_nothing_is_printed(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "old.md"), str(tmp_path / "new.md")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "old.md" in captured.err and "new.md" in captured.err


def test_too_large_file_exits_2(tmp_path, capsys):
    large = tmp_path / "large.md"
    large.write_text("x" * 2_000_001, encoding="utf-8")
    assert main(["diff", OLD, str(large)]) == 2
    assert "too large" in capsys.readouterr().err


def test_non_utf8_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "gbk.md"
    bad.write_bytes("# 范围\n\n本文件。".encode("gbk"))
    assert main(["diff", str(bad), NEW]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_unknown_format_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", OLD, NEW, "--format", "pdf"])
    assert exit_info.value.code == 2
