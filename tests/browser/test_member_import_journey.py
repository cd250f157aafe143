"""The secretariat imports a member list from an Excel file in Chromium: preview, confirm, links."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.browser


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["邮箱", "姓名", "单位", "角色", "表决权", "权重"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _people_of_the_journey(live_server) -> None:
    """An account that is not yet in the association, and a member whose weight the file changes."""
    from accounts import operations
    from accounts.demo import ASSOCIATION_CODE
    from accounts.models import Organisation, Role
    from accounts.permissions import OPERATOR
    from extensions import db

    with live_server.app.app_context():
        association = db.session.query(Organisation).filter_by(code=ASSOCIATION_CODE).one()
        operations.create_user(
            OPERATOR, "import-known@example.org", "吴已注册", "a long password", check_password=False
        )
        changed = operations.create_user(OPERATOR, "import-changed@example.org", "郑权重", "a long password")
        operations.add_member(OPERATOR, association, changed, Role.MEMBER)
        db.session.commit()
        db.session.remove()


def test_secretariat_imports_an_xlsx_sees_the_preview_confirms_and_gets_the_links(
    page, live_server, browser_login, screenshot, tmp_path
):
    _people_of_the_journey(live_server)
    member_list = tmp_path / "会员名单.xlsx"
    member_list.write_bytes(
        _workbook(
            [
                ("import-new1@example.org", "冯新一", "深圳康养科技有限公司", "成员", "是", 1),
                ("import-new2@example.org", "陈新二", "深圳颐年护理院", "起草人", "否", ""),
                ("import-known@example.org", "", "深圳大学", "member", "yes", ""),
                ("import-changed@example.org", "", "", "成员", "", 3),
                ("member1@demo.test", "", "", "成员", "是", 1),
                ("不是邮箱", "错一", "", "成员", "", ""),
                ("import-bad-role@example.org", "错二", "", "主席", "", ""),
            ]
        )
    )
    browser_login(page, "secretariat@demo.test")
    page.goto(live_server.url + "/")
    page.click(".org-switcher summary")
    page.click(".org-switcher a:has-text('深圳市养老服务业协会')")
    page.click("a:has-text('管理成员')")
    page.click("a:has-text('从文件导入')")
    assert page.locator("h1").inner_text() == "导入成员"
    page.set_input_files("input[type=file]", str(member_list))
    page.click("button:has-text('读取文件并预览')")

    assert page.locator("h1").inner_text() == "导入预览"
    summary = page.locator("#import-summary").inner_text()
    for count, label in [
        ("2", "新账户（邀请）"),
        ("1", "已有账户加入"),
        ("1", "成员资格有变更"),
        ("1", "无变化"),
        ("2", "被拒绝的行"),
    ]:
        assert f"{count} {label}" in summary.replace("\n", " "), (count, label, summary)
    refused = page.locator("#refused-rows").inner_text()
    assert "“不是邮箱”不是电子邮箱地址" in refused and "未知角色“主席”" in refused
    assert "表决权重: 1 → 3" in page.locator("#changed-memberships").inner_text()
    screenshot(page, "member-import-preview")

    page.click("button:has-text('应用 4 项更改')")
    assert page.locator("h1").inner_text() == "导入已应用"
    links = page.locator("#invitation-links input.copy")
    assert links.count() == 2
    assert all(links.nth(i).input_value().startswith(live_server.url + "/invitations/") for i in range(2))
    assert "冯新一" in page.locator("#invitation-links").inner_text()
    screenshot(page, "member-import-links")

    page.click("a:has-text('返回成员管理')")
    assert "深圳大学" in page.locator("tr", has_text="import-known@example.org").inner_text()
    pending = page.locator("section", has_text="未处理的邀请").inner_text()
    assert "import-new1@example.org" in pending and "import-new2@example.org" in pending
