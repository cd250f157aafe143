"""The reference DOCX is generated from the declared style table into the cache, once."""

from __future__ import annotations

import docx
import pytest

from exports import reference_docx
from exports.styles import STYLES


@pytest.mark.slow
def test_built_on_first_use_into_the_cache_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("STDFORGE_CACHE_DIR", str(tmp_path))
    first = reference_docx.reference_docx_path()
    assert first.parent == tmp_path and first.exists()
    stamp = first.stat().st_mtime_ns
    assert reference_docx.reference_docx_path() == first and first.stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_every_declared_style_is_in_the_reference_with_its_font(tmp_path):
    path = tmp_path / "reference.docx"
    path.write_bytes(reference_docx.build_reference_docx())
    document = docx.Document(str(path))
    by_id = {s.style_id: s for s in document.styles}
    for spec in STYLES:
        style = by_id[spec.style_id]
        if spec.font is not None:
            fonts = style.element.rPr.rFonts
            expected = "宋体" if spec.font == "song" else "黑体"
            assert (
                fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
                == expected
            )
        if spec.size is not None:
            assert style.font.size.pt == spec.size
    section = document.sections[-1]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 25 and round(section.left_margin.mm) == 25
