"""`stdforge export` writes the file and says what went wrong otherwise, with a non-zero exit."""

from __future__ import annotations

import shutil

import pytest
from export_helpers import example, png_bytes

from authoring.examples import example_path
from stdforge import main


@pytest.fixture
def standard(tmp_path):
    path = tmp_path / "care.md"
    shutil.copy(example_path("community-care"), path)
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "service-flow.png").write_bytes(png_bytes())
    return path


@pytest.mark.slow
def test_export_docx_reads_figures_next_to_the_file(standard, tmp_path, capsys):
    out = tmp_path / "out.docx"
    assert main(["export", str(standard), "--to", "docx", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"PK")
    captured = capsys.readouterr()
    assert "sha256" in captured.out and "warning" not in captured.err


def test_export_sts_and_html(standard, tmp_path):
    assert main(["export", str(standard), "--to", "sts", "-o", str(tmp_path / "a.xml")]) == 0
    assert main(["export", str(standard), "--to", "html", "-o", str(tmp_path / "a.html")]) == 0
    assert b"<standard" in (tmp_path / "a.xml").read_bytes()


def test_missing_input_is_exit_2_with_a_message(tmp_path, capsys):
    assert main(["export", str(tmp_path / "nope.md"), "--to", "docx", "-o", str(tmp_path / "x.docx")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_unknown_format_is_refused_by_the_parser(standard, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        main(["export", str(standard), "--to", "odt", "-o", str(tmp_path / "x.odt")])
    assert stopped.value.code == 2


def test_redline_to_sts_is_refused(standard, tmp_path, capsys):
    code = main(
        ["export", str(standard), "--redline-from", str(standard), "--to", "sts", "-o", str(tmp_path / "x")]
    )
    assert code == 2 and "redline" in capsys.readouterr().err


def test_unwritable_output_is_exit_2(standard, capsys):
    assert main(["export", str(standard), "--to", "sts", "-o", "/nonexistent-dir/x.xml"]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_progress_is_reported_and_names_follow_the_number():
    from exports.api import export_document

    steps: list[tuple[int, str]] = []
    result = export_document(
        example("en-sample"),
        "sts",
        progress=lambda percent, step: steps.append((percent, step)),
    )
    assert result.filename == "T-SZCBEC-5-2025.xml"
    assert steps[0][0] < steps[-1][0] == 100
