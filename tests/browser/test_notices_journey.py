"""The notices in Chromium: a member turns a category off on the account page and sees the demo's
notices on the desk; the administrator reads the outbox. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.models import User
from accounts.notices import NoticeOptOut
from extensions import db

pytestmark = pytest.mark.browser


def test_a_member_chooses_notices_and_the_administrator_reads_the_outbox(
    page, live_server, browser_login, screenshot
):
    browser_login(page, "member1@demo.test")
    desk = page.locator("#recent-notices")
    assert (
        "表决开始" in desk.inner_text() or "征求意见" in desk.inner_text()
    )  # the demo's ballots and consultations

    page.click("#recent-notices a:has-text('通知设置')")
    settings = page.locator("#notices")
    assert settings.locator("input[name=category]").count() == 8
    settings.locator("label:has-text('征求意见开始') input").uncheck()
    settings.locator("button[type=submit]").click()
    page.wait_for_selector(".flashes")
    assert "您的通知设置已保存。" in page.locator(".flashes").inner_text()
    assert not page.locator("#notices label:has-text('征求意见开始') input").is_checked()
    assert page.locator("#notices label:has-text('表决开始') input").is_checked()
    screenshot(page, "notices-account-settings")
    with live_server.app.app_context():
        member = db.session.scalar(select(User).where(User.email == "member1@demo.test"))
        off = db.session.scalars(select(NoticeOptOut.category).where(NoticeOptOut.user_id == member.id)).all()
        assert off == ["consultation_opened"]

    page.context.clear_cookies()
    browser_login(page, "admin@demo.test")
    page.click("a:has-text('发件箱')")
    page.wait_for_url(live_server.url + "/admin/outbox")
    table = page.locator("table.outbox")
    table.locator("tbody tr").first.wait_for()  # count() does not wait for the new page
    assert table.locator("tbody tr").count() > 0
    text = table.inner_text()
    # written while the demo loaded, when BASE_URL was still the test configuration's
    assert "@demo.test" in text and "https://standards.example.org/" in text
    assert "投递到发件箱" in text
    screenshot(page, "notices-outbox")
