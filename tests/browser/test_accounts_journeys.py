"""Journeys through the real pages in Chromium: each demo role logs in, switches language, logs out;
the secretariat invites a person and manages the members. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

#: (demo login, the name the desk greets, the organisation and role it lists)
DEMO_ROLES = [
    ("secretariat@demo.test", "陈秘书", "深圳市养老服务业协会", "秘书处"),
    ("drafter@demo.test", "林起草", "深圳市养老服务业协会", "起草人"),
    ("member1@demo.test", "张一", "深圳市养老服务业协会", "成员"),
    ("reviewer@demo.test", "周审查", "深圳市市场监督管理局", "审查员"),
    ("admin@demo.test", "平台管理员", "深圳市养老服务业协会", "全部组织（管理员）"),
]


def log_in(page, live_server, email: str, password: str | None = None) -> None:
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password or live_server.password)
    page.click("form.stack button[type=submit]")


def log_out(page) -> None:
    page.click(".user-menu summary")
    page.click(".user-menu button:has-text('退出登录'), .user-menu button:has-text('Log out')")


@pytest.mark.parametrize(
    ("email", "name", "org", "role"), DEMO_ROLES, ids=[r[0].split("@")[0] for r in DEMO_ROLES]
)
def test_each_demo_role_logs_in_switches_language_and_logs_out(
    page, live_server, screenshot, email, name, org, role
):
    log_in(page, live_server, email)
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == f"{name}，您好"
    desk = page.locator("main").inner_text()
    assert org in desk and role in desk
    screenshot(page, f"desk-{email.split('@')[0]}-zh")

    page.click(".lang-switch button:has-text('English')")
    assert page.locator("h1").inner_text() == f"Good to see you, {name}"
    page.reload()
    assert "My desk" in page.locator(".breadcrumb").inner_text()  # remembered
    screenshot(page, f"desk-{email.split('@')[0]}-en")
    page.click(".lang-switch button:has-text('中文')")
    assert "我的工作台" in page.locator(".breadcrumb").inner_text()

    log_out(page)
    page.wait_for_url(re.compile(r".*/login.*"))
    assert "您已退出登录" in page.locator(".flashes").inner_text()
    page.goto(live_server.url + "/")
    assert "/login" in page.url  # the session is really over


def test_a_wrong_password_shows_a_generic_message(page, live_server, screenshot):
    log_in(page, live_server, "member2@demo.test", password="wrong")
    assert "邮箱或密码不正确" in page.locator("main form").inner_text()
    screenshot(page, "login-wrong-password")


def test_secretariat_invites_a_person_and_manages_members(browser, page, live_server, screenshot):
    log_in(page, live_server, "secretariat@demo.test")
    page.wait_for_url(live_server.url + "/")
    page.click(".org-switcher summary")
    page.click(".org-switcher a:has-text('深圳市养老服务业协会')")
    assert page.locator("h1").inner_text() == "深圳市养老服务业协会"
    assert "深圳市养老服务业协会" in page.locator(".breadcrumb").inner_text()
    screenshot(page, "organisation-page")

    page.click("a:has-text('管理成员')")
    page.fill("input[name=email]", "newcomer@example.org")
    page.select_option("select[name=role]", "drafter")
    page.click("button:has-text('生成邀请')")
    link = page.locator("#invitation-link input").input_value()
    assert link.startswith(live_server.url + "/invitations/")
    screenshot(page, "members-invitation-link")

    # give member5 a weight of 2 and take member4 out
    row5 = page.locator("tr", has_text="member5@demo.test")
    assert row5.locator("input[type=checkbox]").is_checked()  # a voting member, shown as such
    row5.locator("input[type=number]").fill("2")
    row5.locator("button:has-text('保存')").click()
    assert "已保存 刘五 的成员信息" in page.locator(".flashes").inner_text()
    page.locator("tr", has_text="member4@demo.test").locator("button:has-text('移除')").click()
    assert "赵四 已不再是本组织成员" in page.locator(".flashes").inner_text()
    assert page.locator("tr", has_text="member4@demo.test").count() == 0
    assert page.locator("tr", has_text="member5@demo.test").locator("input[type=number]").input_value() == "2"
    screenshot(page, "members-managed")

    # the invited person opens the link in their own browser and joins
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    newcomer = context.new_page()
    newcomer.goto(link)
    assert "加入 深圳市养老服务业协会 的邀请" in newcomer.locator("h1").inner_text()
    newcomer.fill("input[name=name]", "新同事")
    newcomer.fill("input[name=password]", "a long password 1")
    newcomer.fill("input[name=confirm]", "a long password 1")
    screenshot(newcomer, "invitation-accept-phone")
    newcomer.click("button:has-text('创建账号并加入')")
    assert "欢迎加入 深圳市养老服务业协会" in newcomer.locator(".flashes").inner_text()
    assert "起草人" in newcomer.locator("tr", has_text="新同事").inner_text()

    newcomer.goto(link)  # the link worked once
    assert "该邀请已被使用" in newcomer.locator("main").inner_text()
    context.close()


def test_the_administrator_creates_and_renames_an_association(page, live_server, screenshot):
    log_in(page, live_server, "admin@demo.test")
    page.wait_for_url(live_server.url + "/")
    page.click(".user-menu summary")
    page.click(".user-menu a:has-text('组织管理')")
    assert page.locator("h1").inner_text() == "组织管理"

    page.select_option("select[name=kind]", "association")
    page.fill("input[name=name]", "深圳市康复辅具协会")
    page.fill("input[name=code]", "szkf-1")  # a hyphen: the page says the rule and keeps what was typed
    page.click("button:has-text('创建组织')")
    assert "协会代号由 2 至 12 个大写字母或数字组成" in page.locator(".field.has-error").inner_text()
    assert page.locator("input[name=name]").input_value() == "深圳市康复辅具协会"
    page.fill("input[name=code]", "szkf")
    page.click("button:has-text('创建组织')")
    assert "已创建 深圳市康复辅具协会" in page.locator(".flashes").inner_text()
    row = page.locator("tr", has_text="深圳市康复辅具协会")
    assert "SZKF" in row.inner_text() and "协会" in row.inner_text()

    row.locator("a:has-text('修改')").click()
    page.fill("form[action$='/name'] input[name=name]", "深圳市康复辅助器具协会")
    page.click("button:has-text('保存名称')")
    assert "组织已更名为 深圳市康复辅助器具协会" in page.locator(".flashes").inner_text()
    assert page.locator("h1").inner_text() == "深圳市康复辅助器具协会"
    page.fill("form[action$='/code'] input[name=code]", "SZKFQJ")
    page.click("button:has-text('保存代号')")
    assert "代号已改为 SZKFQJ" in page.locator(".flashes").inner_text()
    screenshot(page, "admin-organisation-renamed")

    page.click(".breadcrumb a:has-text('组织管理')")
    assert "SZKFQJ" in page.locator("tr", has_text="深圳市康复辅助器具协会").inner_text()
    screenshot(page, "admin-organisations")
