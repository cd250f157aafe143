"""The Word import pages: the secretariat uploads, reads the report, reviews the text in the editor."""

from __future__ import annotations

import html
import io
import re

from authoring.models import Revision, Standard
from extensions import db


def upload(client, url: str, data: bytes, name: str = "standard.docx"):
    assert client.get(url).status_code == 200
    return client.post(
        url,
        data={"upload": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_new_project_from_a_word_file_gets_the_import_as_revision_1(
    client, login, association, secretariat, community_care_docx
):
    login(client, secretariat)
    answer = upload(client, f"/associations/{association.id}/standards/import", community_care_docx)
    assert answer.status_code == 200
    assert "导入报告" in answer.text or "Import report" in answer.text
    standard = db.session.scalars(db.select(Standard)).one()
    assert standard.title_zh == "社区居家养老服务规范"
    revision = standard.latest_revision()
    assert revision.kind == "imported"
    assert "## 人员配置 {#c-staff-config}" in revision.text
    assert "number: T/SZYL 3—2025" in revision.text


def test_a_file_that_is_not_a_docx_is_refused_and_changes_nothing(client, login, association, secretariat):
    login(client, secretariat)
    answer = upload(client, f"/associations/{association.id}/standards/import", b"just text", "notes.docx")
    assert answer.status_code == 422
    assert "notes.docx" in answer.text and (
        "不是 Word 文档" in answer.text or "not a Word document" in answer.text
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Standard)) == 0


def test_an_encrypted_word_file_is_refused_with_the_reason(client, login, association, secretariat):
    login(client, secretariat)
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    answer = upload(client, f"/associations/{association.id}/standards/import", encrypted)
    assert answer.status_code == 422
    assert "密码" in answer.text or "password" in answer.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Standard)) == 0


def test_a_new_revision_from_a_word_file_is_saved_only_from_the_editor(
    client, login, secretariat, blank_standard, community_care_docx
):
    login(client, secretariat)
    report = upload(client, f"/standards/{blank_standard.id}/import", community_care_docx)
    assert report.status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Revision)) == 1
    text = re.search(r'name="text" type="hidden" value="([^"]*)"', report.text, re.S).group(1)
    editor = client.post(f"/standards/{blank_standard.id}/import/review", data={"text": html.unescape(text)})
    assert editor.status_code == 200
    assert "社区居家养老服务流程" in editor.text  # the imported text is in the source pane
    assert db.session.scalar(db.select(db.func.count()).select_from(Revision)) == 1


def test_a_drafter_may_not_import_a_word_file(client, login, drafter, blank_standard):
    login(client, drafter)
    assert client.get(f"/standards/{blank_standard.id}/import").status_code == 403
