"""`stdforge import FILE.docx -o FILE.md`: the Markdown written, refusals with exit status 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

from stdforge import main


def test_import_writes_the_standard_markdown(tmp_path: Path, community_care_docx: bytes, capsys) -> None:
    source = tmp_path / "cc.docx"
    source.write_bytes(community_care_docx)
    assert main(["import", str(source), "-o", str(tmp_path / "cc.md")]) == 0
    text = (tmp_path / "cc.md").read_text(encoding="utf-8")
    assert "number: T/SZYL 3—2025" in text
    assert "## 人员配置 {#c-staff-config}" in text
    assert "0 unmapped" in capsys.readouterr().out


def test_a_file_that_is_not_a_docx_exits_2_and_writes_nothing(tmp_path: Path, capsys) -> None:
    source = tmp_path / "notes.docx"
    source.write_text("plain text", encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "out.md"), "--lang", "en"]) == 2
    assert "is not a Word document" in capsys.readouterr().err
    assert not (tmp_path / "out.md").exists()


def test_an_old_doc_file_is_told_to_be_saved_as_docx(tmp_path: Path, capsys) -> None:
    source = tmp_path / "old.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert main(["import", str(source), "-o", str(tmp_path / "out.md")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert not (tmp_path / "out.md").exists()
