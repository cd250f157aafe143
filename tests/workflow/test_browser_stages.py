"""The secretariat moves a draft through its stages in a real browser, and everyone sees the stage bar.

Playwright drives Debian's Chromium against the live demo server (tests/conftest.py). A standard of
its own (the community-care text, which lints clean) is released for consultation, closed early
with a reason, submitted for review and, with the review ballot's gate opened in the test (the
ballots issue is not here yet), sent for approval and published. Screenshots go to
test-artifacts/browser/ (stage-bar-consultation.png, stage-bar-published.png).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from app_testing import ARTIFACTS
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from accounts.refusals import Decision
from authoring import operations
from authoring.examples import example_text
from authoring.models import Standard
from extensions import db
from workflow import transitions

pytestmark = pytest.mark.browser


def _fresh_standard(server) -> int:
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat = find_user_by_email("secretariat@demo.test")
        drafter = find_user_by_email("drafter@demo.test")
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="社区居家养老服务规范（阶段测试）",
            title_en=None,
            committee="养老服务标准工作组",
            drafters=[drafter.membership_in(association)],
            text=example_text("community-care"),
            now=utcnow(),
        )
        db.session.commit()
        return standard.id


def _shot(page, name: str) -> Path:
    """The top of the page (stage bar and next stages) as test-artifacts/browser/NAME.png."""
    folder = ARTIFACTS / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
    return folder / f"{name}.png"


def _stored(server, standard_id: int) -> Standard:
    with server.app.app_context():
        standard = db.session.get(Standard, standard_id)
        db.session.expunge(standard)
        return standard


def test_the_secretariat_releases_closes_and_publishes(live_server, page, browser_login, monkeypatch):
    standard_id = _fresh_standard(live_server)
    url = f"{live_server.url}/standards/{standard_id}"

    # a member sees where the draft is and what it waits for, but no form
    browser_login(page, "member1@demo.test")
    page.goto(url)
    bar = page.locator(".stage-bar")
    assert bar.locator("[aria-current=step]").inner_text().startswith("起草")
    assert page.locator("#stage-actions form").count() == 0
    assert "只有协会秘书处可以推进标准的阶段" in page.locator("#stage-actions").inner_text()
    page.context.clear_cookies()

    browser_login(page, "secretariat@demo.test")
    page.goto(url)
    release = page.locator("li[data-move=release] form")
    last_day = date.today() + timedelta(days=30)
    release.locator("input[name=closes_at]").fill(last_day.isoformat())
    release.locator("select[name=audience]").select_option("public")
    release.locator("button[type=submit]").click()
    page.wait_for_url(url)
    assert "现处于“征求意见”阶段" in page.locator(".flashes").inner_text()
    assert bar.locator("[aria-current=step]").inner_text().startswith("征求意见")
    assert bar.locator(".stage-step-done").first.inner_text().startswith("起草")
    actions = page.locator("#stage-actions").inner_text()
    assert "成员和公众" in actions and "第 1 版正在征求意见" in actions
    # the ordinary close waits for the last day, and says so
    closed = page.locator("li[data-move=close]")
    assert closed.locator("button[disabled]").count() == 1
    assert last_day.isoformat() in closed.inner_text()
    assert "发布征求意见稿" in page.locator("#events").inner_text()
    assert _shot(page, "stage-bar-consultation").exists()

    early = page.locator("form.stage-close-early")
    early.locator("input[name=reason]").fill("主要成员单位均已反馈意见")
    early.locator("button[type=submit]").click()
    page.wait_for_url(url)
    assert bar.locator("[aria-current=step]").inner_text().startswith("意见处理")
    events = page.locator("#events").inner_text()
    assert "主要成员单位均已反馈意见" in events and "征求意见 → 意见处理" in events

    page.locator("li[data-move=submit] button[type=submit]").click()
    page.wait_for_url(url)
    assert bar.locator("[aria-current=step]").inner_text().startswith("技术审查")
    approve = page.locator("li[data-move=approve]")
    assert "技术审查表决尚未通过" in approve.inner_text()

    # the ballots issue will open this gate; here the test opens it
    monkeypatch.setattr(transitions, "review_ballot_passed", lambda standard: Decision.yes())
    page.reload()
    page.locator("li[data-move=approve] button[type=submit]").click()
    page.wait_for_url(url)
    assert bar.locator("[aria-current=step]").inner_text().startswith("批准")

    publish = page.locator("li[data-move=publish] form")
    publish.locator("input[name=implement_date]").fill((date.today() + timedelta(days=60)).isoformat())
    publish.locator("button[type=submit]").click()
    page.wait_for_url(url)
    stored = _stored(live_server, standard_id)
    assert stored.number and stored.number.startswith("T/SZYL ") and "\u2014" in stored.number
    assert stored.stage == "published" and stored.published_revision == stored.latest_number
    assert stored.number in page.locator(".flashes").inner_text()
    assert bar.locator("[aria-current=step]").inner_text().startswith("已发布")
    assert stored.number in bar.inner_text()
    assert bar.locator(".stage-step-done").count() == 5
    assert _shot(page, "stage-bar-published").exists()

    # anyone reads a published standard, with its stage bar
    page.context.clear_cookies()
    page.goto(url)
    assert stored.number in page.locator(".stage-bar").inner_text()
