"""The outputs render: LibreOffice converts the DOCX, both PDFs embed CJK fonts, and the first page and a
table page are saved as PNGs under test-artifacts/exports/ for a person to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from export_helpers import example, needs

from exports.api import export_document
from exports.errors import ExportError

pytestmark = pytest.mark.slow


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def _squeeze(text: str) -> str:
    """pdftotext renders the ideographic space and the layout as ordinary spaces: compare without them."""
    return "".join(text.split())


def _page_with(pdf: Path, needle: str) -> int:
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    return next(i for i, page in enumerate(pages, start=1) if _squeeze(needle) in _squeeze(page))


def _png(pdf: Path, page: int, target: Path) -> Path:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    return target.with_suffix(".png")


def test_libreoffice_converts_the_docx_and_embeds_a_cjk_font(care_docx, artifacts, tmp_path):
    needs("libreoffice")
    needs("pdffonts")
    source = tmp_path / care_docx.filename
    source.write_bytes(care_docx.data)
    done = subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = source.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    fonts = _fonts(pdf)
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines()), fonts
    assert _png(pdf, 1, artifacts / "docx-page-1").exists()
    assert _png(pdf, _page_with(pdf, "表1　服务人员配置要求"), artifacts / "docx-table-page").exists()


def test_the_pdf_embeds_the_song_and_hei_fonts(care_pdf, artifacts, tmp_path):
    needs("pdffonts")
    pdf = tmp_path / care_pdf.filename
    pdf.write_bytes(care_pdf.data)
    fonts = _fonts(pdf)
    assert "NotoSerifCJKsc" in fonts and "NotoSansCJKsc" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])
    assert _png(pdf, 1, artifacts / "pdf-page-1").exists()
    assert _png(pdf, _page_with(pdf, "表1　服务人员配置要求"), artifacts / "pdf-table-page").exists()


def test_the_pdf_contents_lists_chapters_and_annexes_with_pages_but_no_terms(care_pdf, tmp_path):
    pdf = tmp_path / "care.pdf"
    pdf.write_bytes(care_pdf.data)
    contents = _squeeze(
        subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert "4.1服务机构" in contents and "附录A（规范性）" in contents and "参考文献" in contents
    assert "3.1" not in contents and "老年人" not in contents


def test_a_long_table_breaks_across_pages(tmp_path):
    rows = "\n".join(f"| 项目{i} | 要求{i} |" for i in range(150))
    text = example("community-care").replace(
        "# 服务流程 {#ch-process}",
        f"## 长表 {{#c-long}}\n\n见[](#tbl-long)。\n\n| 项目 | 要求 |\n|---|---|\n{rows}\n\nTable: 长表 {{#tbl-long}}\n\n"
        "# 服务流程 {#ch-process}",
    )
    result = export_document(text, "pdf")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(result.data)
    first, last = _page_with(pdf, "项目0 "), _page_with(pdf, "项目149")
    assert last > first


def test_no_cjk_font_is_a_clear_error_not_boxes(monkeypatch):
    from exports import pdf

    monkeypatch.setattr(pdf, "REQUIRED_FAMILIES", ("Noto Serif CJK XX",))
    with pytest.raises(ExportError) as failure:
        export_document(example("community-care"), "pdf")
    assert "fonts-noto-cjk" in failure.value.zh and "Missing CJK fonts" in failure.value.en
