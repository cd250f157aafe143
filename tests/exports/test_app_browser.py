"""The drafter's journey in Chromium: open the demo standard, export it as PDF, watch the progress,
download the file and check it against the SHA-256 the page shows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from authoring.models import Standard
from extensions import db

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"


def demo_standard_id(live_server) -> int:
    with live_server.app.app_context():
        standard_id = db.session.scalar(
            select(Standard.id).where(Standard.title_zh == "社区居家养老服务规范")
        )
        db.session.remove()
    assert standard_id is not None, "the demo standard is missing"
    return standard_id


def test_drafter_exports_the_demo_standard_as_pdf(page, live_server):
    page.goto(live_server.url + "/login")
    page.fill("input[name=email]", "drafter@demo.test")
    page.fill("input[name=password]", live_server.password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(f"{live_server.url}/standards/{demo_standard_id(live_server)}")
    panel = page.locator(".exports-panel")
    assert "导出" in panel.locator("h2").inner_text()
    panel.locator("button[data-format=pdf]").click()

    row = panel.locator(".export-job[data-format=pdf]")
    row.locator(".export-progress").wait_for(state="visible")  # the bar appears while the job runs
    assert row.locator(".export-step").inner_text().strip()
    link = row.locator("a.export-download")
    link.wait_for(state="visible", timeout=90_000)
    assert "T-SZYL-3-2025.pdf" in link.inner_text()
    shown_sha = row.locator(".export-sha code").inner_text().strip()
    assert len(shown_sha) == 64
    assert row.locator(".export-progress").is_hidden()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "app-export-pdf.png"))

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "T-SZYL-3-2025.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == shown_sha

    # the finished export stays on the page: a reload shows the link at once
    page.reload()
    assert page.locator(".export-job[data-format=pdf] a.export-download").is_visible()
