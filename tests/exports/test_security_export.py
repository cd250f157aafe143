"""Untrusted Markdown cannot make an export read local files, fetch URLs or pass raw HTML/LaTeX through."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest
from export_helpers import needs

from exports.api import export_document

EVIL = """---
number: T/EVIL 1—2025
title:
  zh: 安全测试标准
association: 测试协会
header-includes: |
  <script>alert("header")</script>
  \\usepackage{evilpackage}
---

# 前言 {.foreword}

本文件用于测试<script>alert("xss")</script>与\\input{/etc/passwd}。

```{=latex}
\\input{/etc/hostname}
```

```{=html}
<iframe src="file:///etc/passwd"></iframe>
```

<div onclick="alert(1)">raw block</div>

# 范围 {#scope}

内联图片![passwd](/etc/passwd)和![remote](http://example.com/x.png)。

![远程图](http://example.com/evil.png){#fig-remote}

![本地文件](/etc/passwd){#fig-passwd}

![穿越](figures/../../../../etc/passwd){#fig-up}

# 规范性引用文件 {#normative-references}

本文件没有规范性引用文件。

# 术语和定义 {#terms-and-definitions}

本文件没有需要界定的术语和定义。

# 要求 {#ch-req}

应满足要求。
"""

PASSWD = "root:x:0:0"


def _docx_texts(data: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


@pytest.mark.slow
def test_docx_has_no_file_content_no_remote_image_and_no_raw_markup():
    result = export_document(EVIL, "docx")
    parts = _docx_texts(result.data)
    assert not [n for n in parts if n.startswith("word/media/")]
    everything = "\n".join(parts.values())
    assert PASSWD not in everything
    assert "example.com" not in everything and "/etc/passwd" not in parts["word/_rels/document.xml.rels"]
    assert "<script" not in everything and "<iframe" not in everything and "evilpackage" not in everything
    assert "&lt;script&gt;" in parts["word/document.xml"]  # shown as the text the author typed
    assert len(result.warnings) == 4  # one per refused reference


@pytest.mark.slow
def test_pdf_has_no_file_content_and_no_fetched_image(tmp_path):
    needs("pdftotext")
    result = export_document(EVIL, "pdf")
    pdf = tmp_path / "evil.pdf"
    pdf.write_bytes(result.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert PASSWD not in text and "evilpackage" not in text
    assert "/Subtype /Image" not in result.data.decode(
        "latin-1"
    ) and "/Subtype/Image" not in result.data.decode("latin-1")


def test_html_keeps_no_image_source_and_no_script():
    import lxml.html

    html = export_document(EVIL, "html").data.decode()
    body = lxml.html.document_fromstring(html).body
    assert not body.xpath(".//script | .//iframe | .//img")
    assert not [a for element in body.iter() for a in element.attrib if a.startswith("on")]
    assert "/etc/passwd" not in html.replace("\\input{/etc/passwd}", "").replace("file:///etc/passwd", "")
    assert "http://example.com" not in html


def test_sts_is_text_only():
    xml = export_document(EVIL, "sts").data.decode()
    assert PASSWD not in xml and "<script" not in xml and "evilpackage" not in xml


@pytest.mark.slow
def test_typst_code_in_the_text_is_printed_not_run(tmp_path):
    """`#read(…)`, `#panic(…)` in paragraphs, math, term attributes, table cells and captions stay text."""
    from pathlib import Path

    needs("pdftotext")
    source = (Path(__file__).parent / "typst-injection.md").read_text(encoding="utf-8")
    pdf = tmp_path / "injection.pdf"
    pdf.write_bytes(export_document(source, "pdf").data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert PASSWD not in text
    assert '#read("/etc/passwd")' in text and '#panic("c")' in text and '#panic("cap")' in text
