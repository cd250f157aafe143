"""The comment pages through the test client: the margin shows a comment beside its clause (and the
page cache builds the page again), the list filters, the dashboard draws its chart, the tables
download with the comment's row, the import reads a template and refuses what is not one."""

from __future__ import annotations

import io

import docx
import openpyxl
from app_testing import login

from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow.comments import operations
from workflow.comments.models import Comment


def test_a_new_comment_shows_in_the_margin_of_a_page_read_before(
    in_consultation, member, drafter, app, comment_on, clock
):
    client = app.test_client()
    login(client, drafter)
    page = f"/standards/{in_consultation.id}"
    assert 'class="comment-card ' not in client.get(page).get_data(as_text=True)
    comment = comment_on(
        in_consultation, member, "scope", "社区居家养老服务的基本要求", comment="<b>请补充</b>\n第二行"
    )
    html = client.get(page).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in html
    assert 'data-exact="社区居家养老服务的基本要求"' in html
    assert "&lt;b&gt;请补充&lt;/b&gt;" in html  # plain text, escaped
    # an edit records no event: the margin's page_version alone builds the kept page again
    operations.edit_comment(comment, member, operations.CommentFields("te", "改过的意见"), now=clock.tick())
    db.session.commit()
    assert "改过的意见" in client.get(page).get_data(as_text=True)


def test_a_member_comments_through_the_form_and_sees_the_refusal_of_foreign_words(
    in_consultation, member, app
):
    client = app.test_client()
    login(client, member)
    page = client.get(f"/standards/{in_consultation.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "revision": "1", "clause": "scope", "type": "te", "comment": "建议"}
    response = client.post(
        f"/standards/{in_consultation.id}/comments", data={**form, "exact": "不在此处的词"}
    )
    assert response.status_code == 302
    assert db.session.query(Comment).count() == 0
    response = client.post(f"/standards/{in_consultation.id}/comments", data={**form, "exact": "基本要求"})
    assert response.status_code == 302 and "#comment-form" not in response.location
    db.session.rollback()  # a fresh read of what the request committed
    assert db.session.query(Comment).one().exact == "基本要求"


def test_list_filters_dashboard_chart_and_tables(
    in_consultation, member, drafter, secretariat, app, comment_on, clock
):
    first = comment_on(in_consultation, member, "scope", "基本要求", type="te", comment="技术意见")
    comment_on(in_consultation, member, "normative-references", "", type="ed", comment="编辑意见")
    stages.close_comment_period(in_consultation, secretariat, "意见已足够", now=clock.tick())
    operations.dispose(first, drafter, "accepted", "已修改范围", now=clock.tick())
    db.session.commit()
    client = app.test_client()
    login(client, secretariat)
    base = f"/standards/{in_consultation.id}/comments"
    assert "编辑意见" not in client.get(base + "?type=te").get_data(as_text=True)
    assert "技术意见" in client.get(base + "?type=te").get_data(as_text=True)
    dashboard = client.get(base + "/dashboard").get_data(as_text=True)
    assert "<svg" in dashboard and "bar-disposed" in dashboard and "bar-open" in dashboard

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/standards/{in_consultation.id}/comment-table.xlsx").data)
    ).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[2] == ["序号", "章条编号", "意见内容", "提出单位", "处理意见", "理由"]
    assert (
        rows[3][0] == 1
        and rows[3][1] == "1"
        and rows[3][2].startswith("技术意见")
        and rows[3][5] == "已修改范围"
    )
    assert rows[4][1] == "2" and rows[4][4] is None
    table = docx.Document(
        io.BytesIO(client.get(f"/standards/{in_consultation.id}/comment-table.docx").data)
    ).tables[0]
    assert [c.text for c in table.rows[1].cells][:2] == ["1", "1"]
    iso = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/standards/{in_consultation.id}/iso-comments.xlsx").data)
    ).active
    assert list(iso.iter_rows(values_only=True))[2][0] == "MB/NC"
    assert docx.Document(
        io.BytesIO(client.get(f"/standards/{in_consultation.id}/iso-comments.docx").data)
    ).tables


def test_import_of_the_iso_template_reports_bad_rows_and_refuses_other_files(in_consultation, drafter, app):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "MB/NC",
            "Line number",
            "Clause/Subclause",
            "Paragraph/Figure/Table",
            "Type of comment",
            "Comments",
            "Proposed change",
        ]
    )
    sheet.append(["某协会", "", "1", "", "te", "外部意见", "改为……"])
    sheet.append(["某协会", "", "99.9", "", "te", "无此条", ""])
    data = io.BytesIO()
    book.save(data)
    client = app.test_client()
    login(client, drafter)
    page = client.get(f"/standards/{in_consultation.id}/comments").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    url = f"/standards/{in_consultation.id}/comments/import"
    response = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(data.getvalue()), "t.xlsx")},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    db.session.rollback()
    imported = db.session.query(Comment).one()
    assert (imported.clause, imported.comment, imported.origin) == ("scope", "外部意见", "imported")
    assert "3" in html and "99.9" in html  # row 3 reported
    response = client.post(
        url, data={"csrf_token": token, "file": (io.BytesIO(b"hello"), "notes.txt")}, follow_redirects=True
    )
    assert db.session.query(Comment).count() == 1
    assert "XLSX" in response.get_data(as_text=True)


def test_the_review_gate_waits_for_every_open_comment(
    in_consultation, member, secretariat, app, comment_on, clock
):
    comment_on(in_consultation, member, "scope")
    stages.close_comment_period(in_consultation, secretariat, "意见已足够", now=clock.tick())
    db.session.commit()
    assert in_consultation.stage == Stage.DISPOSITION.value
    try:
        stages.transition(in_consultation, secretariat, Stage.REVIEW, now=clock.tick())
    except Exception as refused:
        assert getattr(refused, "kind", None) == "gate"
    else:
        raise AssertionError("the review gate let an open comment through")
