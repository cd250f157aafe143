"""Error answers: a page for browsers that never reads the body, JSON for whoever asks for JSON."""

from __future__ import annotations

import io

import pytest

CSRF_ON = {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_a_body_over_the_cap_from_a_logged_in_user_gets_the_413_page(app, client, make_user, login):
    """The page's own forms (log out, language) must not read the refused body again."""
    assert login(client, make_user()).status_code == 302
    cap = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/language", data=b"locale=" + b"x" * cap, content_type="application/x-www-form-urlencoded"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "内容太大" in page and "退出" in page  # the error page, with the logged-in header


@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_a_body_over_the_cap_asking_for_json_gets_json(app, client, make_user, login):
    assert login(client, make_user()).status_code == 302
    cap = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/language",
        data=b"locale=" + b"x" * cap,
        content_type="application/x-www-form-urlencoded",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert "太大" in response.json["error"]["message"]


def test_an_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.is_json
    assert response.json["error"] == {"code": "not_found", "message": response.json["message"]}
    assert "页面不存在" in response.json["message"]


def test_an_unknown_page_answers_json_to_a_script_and_html_to_a_browser(client):
    script = client.get("/no/such/page", headers={"Accept": "application/json"})
    browser = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert script.status_code == browser.status_code == 404
    assert script.json["error"]["code"] == "not_found"
    assert browser.mimetype == "text/html" and "页面不存在" in browser.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT": "1 per minute"}])
def test_too_many_attempts_answer_json_429_to_a_script(client, make_user):
    user = make_user()
    headers = {"Accept": "application/json"}
    client.post("/login", data={"email": user.email, "password": "guess"}, headers=headers)
    response = client.post("/login", data={"email": user.email, "password": "guess"}, headers=headers)
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False}])
def test_a_failure_on_our_side_answers_json_500_to_a_script(app, client):
    def failing_view() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/api/v1/failing", "failing", failing_view)
    response = client.get("/api/v1/failing")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "server_error"
    assert "a bug" not in response.get_data(as_text=True)


def test_a_json_save_after_the_session_ended_gets_a_json_401_not_the_login_form(client):
    response = client.post("/standards/1/save", json={"text": "x", "base_revision": 1})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"
    assert response.get_json()["error"]["message"] == "请先登录。"


def test_a_json_reader_not_logged_in_gets_a_json_401_for_a_draft(client):
    response = client.get("/standards/1", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthenticated"


def test_a_browser_not_logged_in_is_still_sent_to_the_login_page_with_its_next(client):
    response = client.get("/standards/1/edit")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
    assert "请先登录再查看此页面" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_nul_in_a_path_or_query_is_a_clean_refusal_on_every_database(client, make_org, make_member, login):
    """PostgreSQL refuses a NUL in a query's text: each of these was a 500 there."""
    org = make_org()
    login(client, make_member(org, "secretariat"))
    for path in ("/registry/T%00x", "/registry/T%00x/download.pdf", f"/orgs/{org.id}/members/import/a%00b"):
        assert client.get(path).status_code == 404, path
    assert client.get("/registry?q=%00").status_code == 400
    assert client.get("/standards/1/figures/flow.png%00").status_code == 404


def test_a_nul_in_a_form_or_json_body_and_a_bottomless_json_are_refused_on_every_database(
    app, client, make_org, make_member, login
):
    """A NUL in a form field or a JSON string reached PostgreSQL's text and was a 500 there."""
    answer = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert answer.status_code == 422 and "U+0000" in answer.get_data(as_text=True)
    org = make_org()
    member = make_member(org, "secretariat")
    login(client, member)
    answer = client.post(
        "/api/v1/standards",
        json={"title": {"zh": ["深", {"x\x00": 1}]}},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 422 and answer.get_json()["error"]["code"] == "invalid"
    raw = client.post("/api/v1/standards", data='{"t": "\\u0000"}', content_type="application/json")
    assert raw.status_code == 422
    deep = "[" * 100_000 + '"\\u0000"' + "]" * 100_000  # deeper than the JSON parser recurses
    assert client.post("/api/v1/standards", data=deep, content_type="application/json").status_code in (
        400,
        422,
    )


def test_a_nul_in_a_multipart_field_is_refused_when_the_form_is_parsed_on_every_database(
    client, make_org, make_member, login, db
):
    """A multipart body is parsed after its view bounded it: a NUL in one of its texts (here the
    member import's, beside a good file) is the same clean 422, and nothing is imported."""
    from member_files import csv_bytes
    from sqlalchemy import func, select

    from accounts.models import MemberImport

    org = make_org()
    login(client, make_member(org, "secretariat"))
    good = csv_bytes([["wang@example.org", "王五"]])
    for fields in ({"note\x00": "x"}, {"note": "a\x00b"}):
        answer = client.post(
            f"/orgs/{org.id}/members/import",
            data={**fields, "file": (io.BytesIO(good), "members.csv")},
            content_type="multipart/form-data",
        )
        assert answer.status_code == 422 and "U+0000" in answer.get_data(as_text=True), fields
    assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 0
    answer = client.post(
        f"/orgs/{org.id}/members/import",
        data={"file": (io.BytesIO(good), "members.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code in (200, 302)  # the same upload without the NUL goes through
    assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 1
