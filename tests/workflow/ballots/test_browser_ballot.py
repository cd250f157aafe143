"""A review ballot in a real browser: the secretariat opens it, three members vote from their desks
(one changes its vote), the secretariat closes it early, the result page draws the checks against
their thresholds, and the gate to approval opens.

Playwright drives Debian's Chromium against the live demo server. Screenshots go to
test-artifacts/browser/ (ballot-custom-rule.png, ballot-vote-form.png, ballot-result.png).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.models import Stage
from extensions import db
from workflow.ballots.demo import demo_text

pytestmark = pytest.mark.browser


def _standard_in_review(server) -> int:
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat = find_user_by_email("secretariat@demo.test")
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="养老服务表决测试规范",
            title_en=None,
            committee=None,
            drafters=[],
            text=demo_text(),
            now=utcnow(),
        )
        standard.stage = Stage.REVIEW.value
        db.session.commit()
        return standard.id


def _vote(page, server, browser_login, email, choice, reasons=""):
    page.context.clear_cookies()
    browser_login(page, email)
    item = page.locator("#waiting a", has_text="养老服务表决测试规范")  # not the notice listed below it
    assert "尚未投票" in item.inner_text() or "您的投票" in item.inner_text()
    item.click()
    form = page.locator("form.ballot-cast")
    form.locator(f"input[name=choice][value={choice}]").check()
    form.locator("textarea[name=reasons]").fill(reasons)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return page.locator(".flashes").inner_text()


def test_a_review_ballot_from_open_to_the_gate(live_server, page, browser_login, screenshot):
    standard_id = _standard_in_review(live_server)
    url = f"{live_server.url}/standards/{standard_id}"

    browser_login(page, "secretariat@demo.test")
    page.goto(url)
    approve = page.locator("li[data-move=approve]")
    assert "尚未举行技术审查表决" in approve.inner_text() or "技术审查表决尚未通过" in approve.inner_text()
    opening = page.locator("form.ballot-open")
    opening.locator("#custom-rule summary").click()
    assert opening.locator("input[name=quorum]").input_value() == "3/4"  # the association's cn-tc
    opening.screenshot(path=str(screenshot(page, "ballot-custom-rule")))  # the form itself, readable
    opening.locator("select[name=rule]").select_option("iso")
    closes = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    opening.locator("input[name=closes_at]").fill(closes)
    opening.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "表决已发起" in page.locator(".flashes").inner_text()
    ballot_url = page.url
    assert "/ballots/" in ballot_url

    # member1 approves; member2 disapproves (iso asks for reasons), then changes to approve with comments
    assert "已记录" in _vote(page, live_server, browser_login, "member1@demo.test", "approve")
    page.context.clear_cookies()
    browser_login(page, "member2@demo.test")
    page.goto(ballot_url)
    assert "不赞成票必须附理由" in page.locator("#vote").inner_text()
    form = page.locator("form.ballot-cast")
    form.locator("input[name=choice][value=disapprove]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    # the browser's own check (required radio) passes; the server asks for the reasons
    assert "请填写理由" in page.locator(".flashes").inner_text()
    form.locator("input[name=choice][value=disapprove]").check()
    form.locator("textarea[name=reasons]").fill("第5章服务流程与现行规定不一致")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "不赞成" in page.locator("#my-vote").inner_text()
    assert screenshot(page, "ballot-vote-form").exists()
    assert "已记录" in _vote(
        page, live_server, browser_login, "member2@demo.test", "approve_with_comments", "已按意见修改第5章"
    )
    assert "赞成，附意见" in page.locator("#my-vote").inner_text()
    assert "已记录" in _vote(page, live_server, browser_login, "member3@demo.test", "abstain")

    page.context.clear_cookies()
    browser_login(page, "secretariat@demo.test")
    page.goto(ballot_url)
    page.locator("#close input[name=reason]").fill("审查会议已表决")
    page.locator("#close button[type=submit]").click()
    page.wait_for_load_state()
    result = page.locator("#result")
    assert "结果：通过" in result.inner_text()
    assert "赞成票 2/2 达到 2/3" in result.inner_text()
    assert page.locator("svg.ballot-bar").count() == 2
    assert page.locator("svg.ballot-bar line.bar-threshold").count() == 2
    record = page.locator("#record").inner_text()
    assert "王二" in record and "赞成，附意见" in record and "未投票" in record
    assert screenshot(page, "ballot-result").exists()

    page.goto(url)
    assert page.locator("li[data-move=approve] form").count() == 1  # the gate to approval is open
    assert "通过" in page.locator("#ballots").inner_text()
    page.locator("li[data-move=approve] button[type=submit]").click()
    page.wait_for_url(url)
    assert page.locator(".stage-bar [aria-current=step]").inner_text().startswith("批准")
