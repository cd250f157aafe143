"""Figures reach the DOCX as files of pandoc's work folder: each picture is embedded once, and its
description names the figure instead of carrying its bytes again at every use."""

from __future__ import annotations

import io
import zipfile

from export_helpers import docx_part, png_bytes

from exports.api import export_document

TEXT = """---
title_zh: 图片测试
---

# 范围 {#scope}

本文件规定了服务流程。

![服务流程](figures/flow.png){#fig-flow}

流程见上图。

![服务流程（再次使用）](figures/flow.png){#fig-flow-again}
"""


def test_a_figure_used_twice_is_embedded_once_and_described_by_its_name():
    picture = png_bytes(320, 180)
    result = export_document(TEXT, "docx", figures={"flow.png": picture})
    package = zipfile.ZipFile(io.BytesIO(result.data))
    media = [name for name in package.namelist() if name.startswith("word/media/")]
    assert len(media) == 1 and package.read(media[0]) == picture
    document = docx_part(result.data, "word/document.xml")
    assert document.count('descr="figures/flow.png"') == 2
    assert "base64" not in document
    assert not result.warnings


def test_a_missing_figure_still_gets_its_placeholder_and_a_warning():
    result = export_document(TEXT, "docx", figures={})
    package = zipfile.ZipFile(io.BytesIO(result.data))
    assert not [name for name in package.namelist() if name.startswith("word/media/")]
    assert any("figures/flow.png" in warning.en for warning in result.warnings)
