"""A Word import in a real browser: the secretariat uploads, reads the report, reviews and saves.

Playwright drives Debian's Chromium against the live demo server (tests/conftest.py). Screenshots
go to test-artifacts/imports/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.models import Revision
from extensions import db

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "imports"


def blank_project(server: Any) -> int:
    """A project of its own in drafting, revision 1 the blank skeleton."""
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat = find_user_by_email("secretariat@demo.test")
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="社区居家养老服务规范（导入演练）",
            title_en=None,
            committee=None,
            drafters=[],
            text=None,
            now=utcnow(),
        )
        db.session.commit()
        standard_id = standard.id
        db.session.remove()
        return standard_id


def latest(server: Any, standard_id: int) -> Revision:
    with server.app.app_context():
        revision = db.session.scalar(
            select(Revision).where(Revision.standard_id == standard_id).order_by(Revision.number.desc())
        )
        db.session.expunge(revision)
        db.session.remove()
        return revision


def test_a_new_revision_from_a_word_file_is_reviewed_in_the_editor_then_saved(
    page: Any, live_server: Any, browser_login: Any, community_care_docx: bytes
) -> None:
    standard_id = blank_project(live_server)
    browser_login(page, "secretariat@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}")
    page.click("text=从 Word 文件生成新修订")
    page.set_input_files(
        "input[name=upload]",
        files=[
            {
                "name": "社区居家养老服务规范.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": community_care_docx,
            }
        ],
    )
    page.click("main form button[type=submit]")
    page.locator("h1", has_text="导入报告").wait_for()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-report.png"), full_page=True)
    assert latest(live_server, standard_id).number == 1  # nothing saved before the review

    with page.expect_navigation():
        page.click("form[action$='/import/review'] button[type=submit]")
    page.locator("body[data-source-pane]").wait_for(state="attached")
    text = page.evaluate("() => standardEditor.pane.getText()")
    assert "## 人员配置 {#c-staff-config}" in text
    page.screenshot(path=str(ARTIFACTS / "import-review-editor.png"))
    page.click("#save-button")
    page.locator("#save-status[data-kind=saved]").wait_for()

    revision = latest(live_server, standard_id)
    assert revision.number == 2
    assert "number: T/SZYL 3—2025" in revision.text
    assert re.search(
        r"^# 服务对象能力评估与服务等级确定 \{#annex-a \.annex \.normative\}$", revision.text, re.M
    )
