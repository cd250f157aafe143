"""A grid table's merged cells show merged in the read view (Chromium): one cell as tall as two rows,
one as wide as two columns."""

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

MERGED_TABLE = """
## 合并演示 {#c-merge-demo}

见[](#tbl-merge-demo)。

+----------+----------+---------------+
| 服务项目 | 服务内容 | 服务频次      |
+==========+==========+===============+
| 生活照料 | 助餐     | 每日          |
|          +----------+---------------+
|          | 助浴     | 每周不少于1次 |
+----------+----------+---------------+
| 健康管理 | 健康档案与定期随访       |
+----------+--------------------------+

Table: 服务项目与频次 {#tbl-merge-demo}
"""


def merged_standard(server: Any) -> int:
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat = find_user_by_email("secretariat@demo.test")
        drafter = find_user_by_email("drafter@demo.test")
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="社区居家养老服务规范（合并单元格）",
            title_en=None,
            committee=None,
            drafters=[drafter.membership_in(association)],
            text=example_text("community-care") + MERGED_TABLE,
            now=utcnow(),
        )
        db.session.commit()
        standard_id = standard.id
        db.session.remove()
        return standard_id


def test_merged_cells_span_their_rows_and_columns_in_the_read_view(live_server, page, browser_login):
    standard_id = merged_standard(live_server)
    browser_login(page, "drafter@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}")

    def box(text: str) -> dict:
        cell = page.locator("#tbl-merge-demo td, #tbl-merge-demo th").filter(has_text=text).first
        found = cell.bounding_box()
        assert found is not None, text
        return found

    tall, meal, bath = box("生活照料"), box("助餐"), box("助浴")
    assert abs(tall["height"] - (bath["y"] + bath["height"] - meal["y"])) < 2  # down two rows
    wide, content, times = box("健康档案与定期随访"), box("服务内容"), box("服务频次")
    assert abs(wide["width"] - (times["x"] + times["width"] - content["x"])) < 2  # across two columns
    assert page.locator("#tbl-merge-demo").inner_text().count("------") == 0
