"""A table's column alignment shows in Chromium under our Content-Security-Policy (style-src 'self')."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.examples import example_text
from extensions import db

pytestmark = pytest.mark.browser

ALIGNED_TABLE = """
## 对齐演示 {#c-align-demo}

| 左对齐 | 居中 | 右对齐 |
|:---|:---:|---:|
| 甲 | 乙 | 丙 |

Table: 列的对齐 {#tbl-align-demo}
"""


def aligned_standard(server: Any) -> int:
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat = find_user_by_email("secretariat@demo.test")
        drafter = find_user_by_email("drafter@demo.test")
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="社区居家养老服务规范（对齐）",
            title_en=None,
            committee=None,
            drafters=[drafter.membership_in(association)],
            text=example_text("community-care") + ALIGNED_TABLE,
            now=utcnow(),
        )
        db.session.commit()
        standard_id = standard.id
        db.session.remove()
        return standard_id


def test_table_columns_are_aligned_in_the_read_view_without_a_policy_violation(
    live_server, page, browser_login
):
    standard_id = aligned_standard(live_server)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    browser_login(page, "drafter@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}")
    alignments = page.eval_on_selector_all(
        "#tbl-align-demo th, #tbl-align-demo td", "cells => cells.map(c => getComputedStyle(c).textAlign)"
    )
    assert alignments == ["left", "center", "right", "left", "center", "right"]
    assert not refused, refused
