"""The comment journey in a real browser: a member selects words of the released draft and comments,
the drafter revises that clause and disposes of the comment, the new revision carries the comment on
the new words, and the secretariat downloads the 汇总处理表 (opened with openpyxl and python-docx).

Screenshots: test-artifacts/browser/comments-margin.png (the margin beside the text, the highlight),
comments-margin-revised.png (after the revision) and comments-dashboard.png (the chart).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from app_testing import ARTIFACTS
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.examples import example_text
from authoring.models import Stage, Standard
from extensions import db
from workflow import operations as stages

pytestmark = pytest.mark.browser

QUOTE = "社区居家养老服务的基本要求"


def _released_standard(server) -> int:
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat = find_user_by_email("secretariat@demo.test")
        drafter = find_user_by_email("drafter@demo.test")
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="社区居家养老服务规范（意见测试）",
            title_en=None,
            committee="养老服务标准工作组",
            drafters=[drafter.membership_in(association)],
            text=example_text("community-care"),
            now=utcnow(),
        )
        db.session.flush()
        stages.transition(
            standard,
            secretariat,
            Stage.CONSULTATION,
            now=utcnow(),
            closes_at="2999-12-31",
            audience="members",
        )
        db.session.commit()
        return standard.id


def _close_and_revise(server, standard_id: int) -> int:
    """The secretariat closes the consultation; the drafter saves the scope with the quoted words changed."""
    with server.app.app_context():
        standard = db.session.get(Standard, standard_id)
        stages.close_comment_period(
            standard, find_user_by_email("secretariat@demo.test"), "意见已足够", now=utcnow()
        )
        db.session.commit()
        latest = standard.latest_revision()
        text = latest.text.replace(QUOTE, "社区居家养老服务的总体要求", 1)
        saved = operations.save_revision(
            standard, find_user_by_email("drafter@demo.test"), text, "采纳意见1", latest.number, now=utcnow()
        )
        db.session.commit()
        return saved.revision.number


def _select(page, clause: str, words: str) -> None:
    """Select `words` in the paragraph text of `clause`, as a mouse drag would, and release the mouse."""
    page.evaluate(
        """([clause, words]) => {
          const section = document.querySelector(`section[id="${clause}"]`);
          const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.nodeValue.indexOf(words);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + words.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              section.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
              return;
            }
          }
          throw new Error("words not found");
        }""",
        [clause, words],
    )


def _shot(page, name: str, selector: str | None = None) -> None:
    folder = ARTIFACTS / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    if selector:
        page.locator(selector).screenshot(path=str(folder / f"{name}.png"))
    else:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def test_member_comments_drafter_revises_and_disposes_secretariat_downloads_the_table(
    live_server, page, browser_login
):
    standard_id = _released_standard(live_server)
    url = f"{live_server.url}/standards/{standard_id}"

    # a member selects words of the scope and comments on them
    browser_login(page, "member1@demo.test")
    page.goto(url)
    _select(page, "scope", QUOTE)
    page.locator(".selection-comment-button").click()
    form = page.locator("#comment-form")
    assert form.locator("[name=clause]").input_value() == "scope"
    assert form.locator("[name=exact]").input_value() == QUOTE
    form.locator("[name=type][value=te]").check()
    form.locator("[name=comment]").fill("“基本要求”与第4章标题不一致。\n建议统一。")
    form.locator("[name=proposed_change]").fill("改为“总体要求”。")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/revisions/1#comment-*")
    card = page.locator(".comment-card").first
    assert "“基本要求”与第4章标题不一致。" in card.inner_text()
    mark = page.locator("section#scope mark.comment-mark")
    assert mark.inner_text() == QUOTE
    page.locator("section#scope mark.comment-mark").first.evaluate("m => m.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    # the card stands level with its words in the margin
    card_top = card.bounding_box()["y"]
    mark_top = mark.bounding_box()["y"]
    assert abs(card_top - mark_top) < 40, (card_top, mark_top)
    _shot(page, "comments-margin")
    page.context.clear_cookies()

    # the consultation closes, the drafter revises the clause: the comment follows the new words
    number = _close_and_revise(live_server, standard_id)
    browser_login(page, "drafter@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}/comments")
    row = page.locator(".comment-row").first
    row.locator("select[name=decision]").select_option("accepted_in_principle")
    row.locator("input[name=reason]").fill("已将“基本要求”改为“总体要求”")
    row.locator("input[name=applied_in_revision]").fill(str(number))
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".comment-row .decision-accepted_in_principle").count() == 1
    page.goto(url)
    assert page.locator("section#scope mark.comment-mark").inner_text() == "社区居家养老服务的总体要求"
    assert page.locator(".comment-card .anchor-edited").count() == 1
    page.locator("section#scope mark.comment-mark").first.evaluate("m => m.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    _shot(page, "comments-margin-revised")
    page.goto(f"{live_server.url}/standards/{standard_id}/comments/dashboard")
    assert page.locator("svg.comment-chart rect.bar-disposed").count() == 1
    _shot(page, "comments-dashboard")
    page.context.clear_cookies()

    # the secretariat downloads the 汇总处理表 with that row
    browser_login(page, "secretariat@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}/comments")
    with page.expect_download() as xlsx:
        page.locator("a.download-table-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == ("序号", "章条编号", "意见内容", "提出单位", "处理意见", "理由")
    first = rows[3]
    assert first[0] == 1 and first[1] == "1"
    assert first[2].startswith("“基本要求”与第4章标题不一致。") and "总体要求" in first[2]
    assert first[5] == "已将“基本要求”改为“总体要求”"
    with page.expect_download() as word:
        page.locator("a.download-table-docx").click()
    table = docx.Document(word.value.path()).tables[0]
    cells = [cell.text for cell in table.rows[1].cells]
    assert cells[0] == "1" and cells[1] == "1" and cells[5] == "已将“基本要求”改为“总体要求”"
