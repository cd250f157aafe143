"""A Word table with merged cells imports as a grid table with the same merges: nothing to fix by hand."""

from __future__ import annotations

import pytest

from authoring.document import parse
from exports.api import export_document
from imports.api import import_docx

pytestmark = pytest.mark.slow

MERGED = """---
title:
  zh: 合并单元格测试
association: 测试协会
---

# 范围

见[](#tbl-services)。

+----------+----------+---------------+
| 服务项目 | 服务内容 | 服务频次      |
+==========+==========+===============+
| 生活照料 | 助餐     | 每日          |
|          +----------+---------------+
|          | 助浴     | 每周不少于1次 |
+----------+----------+---------------+
| 健康管理 | 健康档案与定期随访       |
+----------+--------------------------+

Table: 服务项目与频次 {#tbl-services}
"""


def _cells(text: str) -> list[tuple[str, str | None, str | None, str]]:
    table = next(b for s in parse(text).walk() for b in s.blocks if b.tokens and b.id == "tbl-services")
    out, opening = [], None
    for token in table.tokens:
        if token.type in ("th_open", "td_open"):
            opening = token
        elif token.type == "inline" and opening is not None:
            out.append((token.content, opening.attrGet("rowspan"), opening.attrGet("colspan"), opening.tag))
    return out


def test_merged_cells_of_a_word_table_import_merged_and_without_a_warning():
    imported = import_docx(export_document(MERGED, "docx").data, "merged.docx")
    assert _cells(imported.text) == _cells(MERGED)
    assert ("生活照料", "2", None, "td") in _cells(imported.text)
    assert not [u for u in imported.unmapped if "表格" in u.zh]  # (the bare cover has lines of its own)
