"""Chinese by default, English on request, the choice remembered; every UI string translated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_pages_are_chinese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "登录" in page


def test_switching_to_english_is_remembered_in_a_cookie(client):
    response = client.post("/language", data={"locale": "en", "next": "/login"})
    assert response.status_code == 302
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_a_logged_in_users_choice_is_stored_on_the_account(app, client, login, make_user, db):
    user = make_user()
    login(client, user)
    client.post("/language", data={"locale": "en"})
    db.session.refresh(user)
    assert user.locale == "en"

    other_browser = app.test_client()  # no cookie there: the account remembers
    login(other_browser, user)
    assert "My desk" in other_browser.get("/").get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    assert client.post("/language", data={"locale": "xx"}).status_code == 400


def test_the_login_page_offers_both_languages(client):
    page = client.get("/login").get_data(as_text=True)
    assert "中文" in page and "English" in page


def test_error_pages_are_translated(client):
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "页面不存在" in page


def test_dates_follow_the_readers_locale(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_date

    when = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        with force_locale("zh_CN"):
            chinese = format_date(when, "long")
        with force_locale("en"):
            english = format_date(when, "long")
    assert chinese == "2026年3月5日"
    assert english == "March 5, 2026"


def test_every_user_facing_string_has_a_chinese_translation(tmp_path):
    """Extract with babel.cfg (all packages and templates) and find each msgid translated in zh_Hans_CN."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = sorted(str(i) for i in wanted if not (catalog.get(i) and catalog.get(i).string))
    assert not untranslated, "run `make translations` and translate: " + "; ".join(untranslated[:20])
