"""The editor in a real browser: a drafter's day, and two people saving the same place at once.

Playwright drives Debian's Chromium against the live demo server (tests/conftest.py). Screenshots
go to test-artifacts/authoring/. The source pane is CodeMirror when the bundle was built and a plain
textarea otherwise; the journey goes through the same page script either way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.examples import example_text
from authoring.models import Revision, Standard
from extensions import db

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "authoring"


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def log_in(page: Any, server: Any, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def demo_standard_id(server: Any) -> int:
    with server.app.app_context():
        return db.session.scalar(
            select(Standard.id).where(Standard.title_zh == "社区居家养老服务规范").order_by(Standard.id)
        )


def fresh_standard(server: Any) -> int:
    """A standard of its own for a test that must not disturb the demo one."""
    with server.app.app_context():
        association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
        secretariat, drafter = (
            find_user_by_email("secretariat@demo.test"),
            find_user_by_email("drafter@demo.test"),
        )
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh="社区居家养老服务规范（冲突演练）",
            title_en=None,
            committee=None,
            drafters=[drafter.membership_in(association)],
            text=example_text("community-care-v2"),
            now=utcnow(),
        )
        db.session.commit()
        standard_id = standard.id
        db.session.remove()
        return standard_id


def latest_text(server: Any, standard_id: int) -> tuple[int, str]:
    with server.app.app_context():
        revision = db.session.scalar(
            select(Revision).where(Revision.standard_id == standard_id).order_by(Revision.number.desc())
        )
        result = (revision.number, revision.text)
        db.session.remove()
        return result


def open_editor(page: Any, server: Any, standard_id: int) -> None:
    page.goto(f"{server.url}/standards/{standard_id}/edit")
    page.locator("body[data-source-pane]").wait_for(state="attached")


def line_of(page: Any, prefix: str) -> int:
    return page.evaluate(
        "(prefix) => standardEditor.pane.getText().split('\\n').findIndex(l => l.startsWith(prefix)) + 1",
        prefix,
    )


def type_at_line(page: Any, line: int, text: str) -> None:
    """Put the cursor at the start of `line` and type `text` key by key, as a drafter does."""
    page.evaluate("(line) => standardEditor.pane.goToLine(line)", line)
    for part in text.split("\n")[:-1]:
        page.keyboard.type(part)
        page.keyboard.press("Enter")
    page.keyboard.type(text.split("\n")[-1])


def wait_for_preview(page: Any, text: str) -> None:
    # locators, not wait_for_function: the page's CSP forbids the eval that polling functions need
    page.locator("#preview", has_text=text).wait_for()


def wait_for_status(page: Any, kind: str) -> None:
    page.locator(f"#save-status[data-kind={kind}]").wait_for()


def test_a_drafters_journey(page: Any, live_server: Any) -> None:
    standard_id = demo_standard_id(live_server)
    log_in(page, live_server, "drafter@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}")
    assert page.locator(".document-view .standard").is_visible()
    shot(page, "01-read-view")

    page.click(".tabs a[href$='/edit']")
    page.locator("body[data-source-pane]").wait_for(state="attached")
    pane = page.get_attribute("body", "data-source-pane")
    assert pane in ("codemirror", "textarea")
    start_revision = int(page.inner_text("#revision-number"))
    warnings_before = int(page.inner_text("#count-warnings"))

    # a new clause at the end of chapter 8: the preview numbers it 8.4
    annex_a = line_of(page, "# 服务对象能力评估与服务等级确定")
    type_at_line(page, annex_a, "## 持续改进记录\n\n服务机构应保存持续改进记录，保存期不少于3年。\n\n")
    wait_for_preview(page, "持续改进记录")
    heading = page.locator("#preview h3, #preview h2, #preview h4").filter(has_text="持续改进记录")
    assert heading.first.inner_text().startswith("8.4")
    assert page.locator("#outline a", has_text="持续改进记录").count() == 1
    shot(page, "02-new-clause-numbered")

    # a heading with a hand-typed number: the checker finds it, the toolbar counts it
    annex_a = line_of(page, "# 服务对象能力评估与服务等级确定")
    type_at_line(page, annex_a, "## 8.9 投诉处理\n\n服务机构应在5个工作日内答复投诉。\n\n")
    finding = page.locator("#findings .finding-link", has_text="NUM-MANUAL")
    finding.wait_for()
    assert int(page.inner_text("#count-warnings")) > warnings_before
    finding.click()
    typed_line = line_of(page, "## 8.9 投诉处理")
    assert int(finding.get_attribute("data-line")) == typed_line
    assert page.evaluate("standardEditor.pane.currentLine()") == typed_line
    shot(page, "03-lint-finding-jumped")

    # save with a message, by the keyboard
    page.fill("input[name=message]", "增加持续改进记录和投诉处理")
    page.evaluate("standardEditor.pane.focus()")
    page.keyboard.press("Control+s")
    wait_for_status(page, "saved")
    assert int(page.inner_text("#revision-number")) == start_revision + 1
    number, text = latest_text(live_server, standard_id)
    assert number == start_revision + 1 and "## 持续改进记录 {#" in text  # derived id written back
    shot(page, "04-saved")

    # history: the revision, its message, what it touched, and who last changed the new clause
    page.click(".tabs a[href$='/history']")
    row = page.locator(f"#revision-{number}")
    assert "增加持续改进记录和投诉处理" in row.inner_text()
    assert page.locator(".timeline svg rect").count() >= 2 * number
    last = page.locator(".last-changes tr", has_text="持续改进记录")
    assert f"{number}" in last.inner_text()
    shot(page, "05-history")

    # the diff of that revision, as printed: the added clauses under their numbers, and the 编辑 tab
    row.locator("a[href*='/diff']").click()
    page.wait_for_url(re.compile(r".*/diff\?old=\d+&new=\d+"))
    summary = page.locator(".diff-summary tr", has_text="持续改进记录")
    assert "8.4" in summary.inner_text()
    assert page.locator(".diff-summary .status-added").count() >= 2
    heading = page.locator(".diff-reading .reading-heading", has_text="持续改进记录")
    assert heading.inner_text().startswith("8.4") and heading.locator("ins").count() == 1
    assert page.locator(".standard-head .tabs a[href$='/edit']").is_visible()
    shot(page, "06-diff")
    # the Markdown source is one click away for the drafter
    page.click(".diff-views a[href*='view=source']")
    page.wait_for_url(re.compile(r".*view=source"))
    assert page.locator(".diff-text.inline ins").count() >= 1
    page.click("details.diff-mode:nth-of-type(2) > summary")
    shot(page, "07-diff-side-by-side")

    # restore the revision before it, as a new revision
    page.goto(f"{live_server.url}/standards/{standard_id}/history")
    page.locator(f"#revision-{start_revision} .restore-form button").click()
    page.wait_for_selector(".flash")
    restored_number, restored_text = latest_text(live_server, standard_id)
    assert restored_number == number + 1
    assert restored_text == latest_text_of(live_server, standard_id, start_revision)
    shot(page, "08-restored")

    # the standard page tells what happened, newest first: the restore, then the save with its message
    page.goto(f"{live_server.url}/standards/{standard_id}")
    events = page.locator("#events .event")
    assert "恢复了较早的修订版本" in events.nth(0).inner_text()
    assert f"第 {restored_number} 版" in events.nth(0).inner_text()
    assert "增加持续改进记录和投诉处理" in events.nth(1).inner_text()
    page.locator("#events").scroll_into_view_if_needed()
    page.locator("#events").screenshot(path=str(ARTIFACTS / "08b-events.png"))


def test_a_reviewer_reads_the_review_draft_changes_as_the_standard_prints_them(
    page: Any, live_server: Any
) -> None:
    standard_id = demo_standard_id(live_server)
    log_in(page, live_server, "member1@demo.test")
    page.goto(f"{live_server.url}/standards/{standard_id}/diff?old=1&new=2")
    reading = page.locator(".diff-reading")
    text = reading.inner_text()
    for syntax in ("[](#", "{.", "{en=", "|---", "Table:", "title:", "number:"):
        assert syntax not in text, syntax
    table = reading.locator(".reading-table", has_text="服务类别")
    assert table.is_visible() and table.locator("del", has_text="代办").count() == 1
    assert reading.locator(".reading-caption", has_text="表2").is_visible()
    assert reading.locator(".reading-heading", has_text="服务协议").inner_text().startswith("4.5 → 5.4")
    assert page.locator(".standard-head .tabs a[href$='/edit']").count() == 0  # a member edits nothing
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "09-diff-reading.png"), full_page=True)


def latest_text_of(server: Any, standard_id: int, number: int) -> str:
    with server.app.app_context():
        text = db.session.scalar(
            select(Revision.text).where(Revision.standard_id == standard_id, Revision.number == number)
        )
        db.session.remove()
        return text


def test_an_unsaved_draft_survives_a_crash(browser: Any, live_server: Any) -> None:
    standard_id = fresh_standard(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, live_server, "drafter@demo.test")
    open_editor(page, live_server, standard_id)
    type_at_line(page, line_of(page, "# 范围"), "## 崩溃前写的条\n\n这段文字没有保存。\n\n")
    page.wait_for_timeout(1200)  # the local autosave runs after a short pause
    page.close()  # the tab is gone without saving

    page = context.new_page()
    open_editor(page, live_server, standard_id)
    banner = page.locator("#recovered-draft")
    banner.wait_for(state="visible")
    shot(page, "09-recovered-draft-offered")
    banner.locator(".recover-restore").click()
    assert "这段文字没有保存。" in page.evaluate("standardEditor.pane.getText()")
    context.close()


def test_a_concurrent_save_conflict_is_resolved_in_the_browser(browser: Any, live_server: Any) -> None:
    standard_id = fresh_standard(live_server)
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True) for _ in range(2)
    ]
    first, second = (context.new_page() for context in contexts)
    log_in(first, live_server, "secretariat@demo.test")
    log_in(second, live_server, "drafter@demo.test")
    for page in (first, second):
        open_editor(page, live_server, standard_id)

    training = "服务机构应建立培训制度。"
    # the secretariat adds a sentence to the training rule and saves first
    type_at_line(first, line_of(first, training), "培训记录应保存3年。")
    first.click("#save-button")
    wait_for_status(first, "saved")

    # the drafter, still on the old revision, changes the same paragraph
    type_at_line(second, line_of(second, training), "培训应包括消防演练。")
    mine = second.evaluate("standardEditor.pane.getText()")
    second.fill("input[name=message]", "培训内容")
    second.click("#save-button")
    conflict = second.locator("#conflict")
    conflict.wait_for(state="visible")
    assert second.locator("#save-status").get_attribute("data-kind") == "error"
    assert "培训记录应保存3年。" in second.locator("textarea.conflict-theirs").input_value()
    assert second.locator(".conflict-diff ins, .conflict-diff del").count() >= 1
    shot(second, "10-conflict")

    # the drafter's text is recoverable byte for byte
    with second.expect_download() as download:
        second.click("a.conflict-download")
    assert Path(download.value.path()).read_text(encoding="utf-8") == mine

    # resolve: start from my text, add their sentence too, save on top of the latest revision
    second.click(".conflict-keep-mine")
    type_at_line(second, line_of(second, "培训应包括消防演练。"), "培训记录应保存3年。")
    second.click("#save-button")
    wait_for_status(second, "saved")
    assert second.locator("#conflict").is_hidden()
    number, text = latest_text(live_server, standard_id)
    assert number == 3
    assert f"培训记录应保存3年。培训应包括消防演练。{training}" in text
    shot(second, "11-conflict-resolved")
    for context in contexts:
        context.close()


def test_without_the_bundle_the_textarea_does_everything(browser: Any, live_server: Any) -> None:
    """Where node was missing at build time there is no CodeMirror: the plain textarea still
    previews, checks, inserts and saves."""
    standard_id = fresh_standard(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/static/build/editor.js", lambda route: route.fulfill(status=404, body=""))
    page = context.new_page()
    log_in(page, live_server, "drafter@demo.test")
    open_editor(page, live_server, standard_id)
    assert page.get_attribute("body", "data-source-pane") == "textarea"
    type_at_line(
        page, line_of(page, "# 服务对象能力评估与服务等级确定"), "## 无脚本时写的条\n\n服务机构应记录。\n\n"
    )
    wait_for_preview(page, "无脚本时写的条")
    assert page.locator("#preview h3", has_text="无脚本时写的条").inner_text().startswith("8.4")
    page.click(".insert-menu summary")
    page.click("button[data-insert=note]")
    page.keyboard.press("Control+s")
    wait_for_status(page, "saved")
    number, text = latest_text(live_server, standard_id)
    assert number == 2 and "::: note" in text and "## 无脚本时写的条 {#" in text
    shot(page, "12-textarea-fallback")
    context.close()
