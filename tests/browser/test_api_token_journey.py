"""A drafter makes an API token on the account page in Chromium, reads it once, calls the API with
it, sees its last use, and revokes it: the API then refuses it. Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def _call(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_drafter_makes_uses_and_revokes_a_token(page, live_server, browser_login, screenshot):
    browser_login(page, "drafter@demo.test")
    page.click(".user-menu summary")
    page.click(".user-menu a:has-text('我的账户')")
    assert page.locator("h1").inner_text() == "我的账户"
    assert "您还没有 API 令牌。" in page.locator("main").inner_text()

    page.fill("input[name=name]", "起草组CI")
    page.click("main form button:has-text('创建令牌')")
    secret = page.locator("#new-token input.copy").input_value()
    assert secret.startswith("sf_")
    assert "只显示这一次" in page.locator("#new-token").inner_text()
    screenshot(page, "account-token-created")

    status, body = _call(live_server.url + "/api/v1/agencies", secret)
    assert status == 200 and body["items"][0]["kind"] == "agency"

    page.goto(live_server.url + "/account")
    assert page.locator("#new-token").count() == 0  # shown once
    assert secret not in page.content()
    row = page.locator("table.tokens tbody tr").first
    assert "起草组CI" in row.inner_text() and "从未" not in row.inner_text()  # its last use is shown
    row.locator("button:has-text('吊销')").click()
    assert (
        "不能再使用" in page.locator(".flash, .flashes, main").first.inner_text()
        or "已吊销" in page.content()
    )
    assert "已于" in page.locator("table.tokens tbody tr").first.inner_text()
    screenshot(page, "account-token-revoked")

    status, body = _call(live_server.url + "/api/v1/agencies", secret)
    assert status == 401 and body["error"]["code"] == "unauthenticated"
