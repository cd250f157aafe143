"""The registry in a real browser, as a visitor who never logs in: open it from the header, search a
Chinese phrase from the body of a published standard, open the standard, read its text and find the
downloads. Screenshots go to test-artifacts/browser/ (registry-*.png)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.models import Stage, Standard
from extensions import db
from workflow.registry_index import index_published

pytestmark = pytest.mark.browser

NUMBER = "T/SZYL 901\u20142026"
TITLE = "家庭照护者喘息服务规范"
TEXT = (
    f"---\ntitle:\n  zh: {TITLE}\n---\n\n# 范围 {{#scope}}\n\n"
    "本文件规定了为失能老年人的家庭照护者提供短期替代照料的喘息服务要求。\n\n"
    "# 术语和定义 {#terms}\n\n本文件没有需要界定的术语和定义。\n"
)


def publish_in_live_server(server) -> None:
    """A published standard in the demo database (what workflow.operations.publish leaves)."""
    with server.app.app_context():
        if db.session.scalar(select(Standard).where(Standard.number == NUMBER)) is not None:
            return
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        standard = operations.create_standard(
            association,
            find_user_by_email("secretariat@demo.test"),
            title_zh=TITLE,
            title_en="Respite services for family carers",
            committee=None,
            drafters=[],
            text=TEXT,
            now=utcnow(),
        )
        standard.number, standard.sequence = NUMBER, 901
        standard.published_on, standard.implemented_on = date(2026, 2, 1), date(2026, 3, 1)
        standard.published_revision, standard.stage = standard.latest_number, Stage.PUBLISHED.value
        db.session.flush()
        index_published(standard, standard.latest_revision().text)
        db.session.commit()
        db.session.remove()


def test_a_visitor_finds_a_standard_by_a_phrase_of_its_body_and_reads_it(live_server, page, screenshot):
    publish_in_live_server(live_server)
    page.goto(live_server.url + "/login")
    page.click("header a.nav-link")  # 标准目录, on every page
    page.wait_for_url(live_server.url + "/registry")
    assert page.locator("h1").inner_text() == "已发布标准目录"
    screenshot(page, "registry-list")

    page.fill("input[name=q]", "期替代照料")  # cuts through 短期: a substring, not a word
    page.click("form[role=search] button.primary")
    page.wait_for_url("**/registry?q=*")
    hits = page.locator("li.registry-hit")
    assert hits.count() == 1
    assert hits.first.locator("mark").inner_text() == "期替代照料"
    assert NUMBER in hits.first.inner_text() and "现行" in hits.first.inner_text()
    screenshot(page, "registry-search")

    hits.first.locator("a.registry-title").click()
    page.wait_for_url(live_server.url + "/registry/" + quote(NUMBER))
    body = page.locator("article.standard-body")
    assert "为失能老年人的家庭照护者提供短期替代照料的喘息服务要求" in body.inner_text()
    for fmt in ("DOCX", "PDF"):
        link = page.get_by_role("link", name=f"下载 {fmt}")
        assert link.get_attribute("href") == "/registry/" + quote(NUMBER) + f"/download.{fmt.lower()}"
    assert page.get_by_role("link", name="登录").count() == 1  # nobody logged in
    screenshot(page, "registry-standard")
