"""The demo's published standard goes from a dossier to an adoption the registry shows, in a browser.

The secretariat builds the dossier (a job with progress) and submits it; the reviewer works through
the checklist, asks a question, the secretariat answers, the reviewer adopts; the registry marks the
standard adopted and lists it in the adopted catalogue. The dossier downloaded at the end verifies.
Screenshots: test-artifacts/browser/adoption-desk.png, adoption-submission.png, registry-adopted.png.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from authoring.models import Standard
from exports.dossier_manifest import verify_dossier
from extensions import db

pytestmark = pytest.mark.browser

TITLE = "跨境贸易电子发票要求"


def _demo_standard(server) -> tuple[int, str]:
    with server.app.app_context():
        standard = db.session.scalar(select(Standard).where(Standard.title_zh == TITLE))
        return standard.id, standard.number


def test_dossier_review_and_adoption(live_server, page, browser_login, screenshot):
    standard_id, number = _demo_standard(live_server)
    browser_login(page, "secretariat@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}")
    page.locator("#adoption a.button").click()
    page.locator("#note-principles").fill("依据跨境电商发票实践确定主要技术内容。")
    page.locator("#note form button[type=submit], form.note-form button[type=submit]").click()
    assert "编制说明已保存" in page.locator(".flashes").inner_text()
    page.locator("#build-dossier").click()
    page.locator("#dossiers .export-download").wait_for(timeout=60_000)
    page.reload()
    page.locator("#submit-dossier").click()
    page.wait_for_url("**/submissions/*")
    submission_url = page.url
    assert "每个文件均与清单一致" in page.locator("#dossier").inner_text()
    page.context.clear_cookies()

    browser_login(page, "reviewer@demo.test")
    page.goto(live_server.url + "/review")
    assert number in page.locator(".review-queue").inner_text()
    screenshot(page, "adoption-desk")
    page.locator(".review-queue a").first.click()
    note = page.locator("#note").inner_text()
    assert "编制说明" in note and "依据跨境电商发票实践" in note and "未记录表决" in note
    for item in ("procedure", "consensus", "laws", "application", "text_quality"):
        page.locator(f"input[name={item}-met]").check()
    page.locator("textarea[name=application-note]").fill("暂无自我声明，请补充应用情况。")
    page.locator("#save-checklist").click()
    page.locator("#thread-text").fill("请说明本标准的应用范围。")
    page.locator("#send-message").click()
    assert "请说明本标准的应用范围" in page.locator("#thread").inner_text()
    page.context.clear_cookies()

    browser_login(page, "secretariat@demo.test")
    page.goto(submission_url)
    assert "等待协会" in page.locator(".page-head").inner_text()
    page.locator("#thread-text").fill("已在前海 12 家企业应用。")
    page.locator("#send-message").click()
    page.context.clear_cookies()

    browser_login(page, "reviewer@demo.test")
    page.goto(submission_url)
    page.locator("input[name=decision][value=adopt]").check()
    page.locator("input[name=reference]").fill("深市监标〔2026〕12号")
    page.locator("#record-decision").click()
    assert "深市监标〔2026〕12号" in page.locator("#decision-record").inner_text()
    screenshot(page, "adoption-submission")
    events = page.request.get(f"{live_server.url}/standards/{standard_id}").text()
    assert "政府部门采信" in events or "采信" in events

    dossier = page.request.get(submission_url + "/dossier")
    assert verify_dossier(io.BytesIO(dossier.body())).ok

    page.context.clear_cookies()
    page.goto(live_server.url + "/registry?adopted=1")
    hit = page.locator(".registry-hit", has_text=number)
    assert hit.locator(".status-adopted").count() == 1
    screenshot(page, "registry-adopted")

    page.get_by_role("link", name="采信目录").click()
    row = page.locator("table.catalogue tr", has_text=number)
    assert "深市监标〔2026〕12号" in row.inner_text()
    screenshot(page, "adopted-catalogue")
