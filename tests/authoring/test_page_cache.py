"""Kept read pages (authoring.page_cache): a reload costs one query, and a reader never sees a page
that is not theirs or no longer true: every change the page shows builds it again."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from PIL import Image
from sqlalchemy import event, select

from accounts.database import utcnow
from accounts.models import Membership, Role, new_session_token
from authoring import page_cache
from authoring.figures import upload_figure
from authoring.operations import save_revision
from authoring.page_cache import registered
from exports.jobs import request_export
from extensions import db


@pytest.fixture
def standard(make_standard, community_care):
    return make_standard(community_care)


@pytest.fixture
def member(association, make_member):
    return make_member(association, Role.MEMBER, name="张一")


def selects_during(client, path: str, **kwargs):
    """(SELECT statements sent while `client` GETs `path`, the page's text)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path, **kwargs)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements), response


def test_a_reload_of_an_unchanged_page_is_the_same_page_from_one_query(client, login, member, standard):
    login(client, member)
    _, first = selects_during(client, f"/standards/{standard.id}")
    queries, again = selects_during(client, f"/standards/{standard.id}")
    assert queries == 1
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_kept_page_is_sent_gzipped_and_plain_as_the_reader_asks(client, login, member, standard):
    login(client, member)
    plain = client.get(f"/standards/{standard.id}")
    gzipped = client.get(f"/standards/{standard.id}", headers={"Accept-Encoding": "gzip, br"})
    again_plain = client.get(f"/standards/{standard.id}")
    assert gzipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in gzipped.headers["Vary"]
    assert "Content-Encoding" not in again_plain.headers
    assert again_plain.data == plain.data
    assert gzip.decompress(gzipped.data) == plain.data


def test_a_new_revision_is_shown_at_once(client, login, member, drafter, standard):
    login(client, member)
    client.get(f"/standards/{standard.id}")
    text = standard.latest_revision().text.replace("老年人口规模持续扩大", "老年人口规模继续扩大", 1)
    save_revision(standard, drafter, text, "改名", standard.latest_number, now=utcnow())
    db.session.commit()
    page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert "老年人口规模继续扩大" in page


def test_two_readers_never_get_each_others_page(client, login, member, make_member, association, standard):
    login(client, member)
    assert "张一" in client.get(f"/standards/{standard.id}").get_data(as_text=True)
    client.post("/logout", data={})
    other = make_member(association, Role.MEMBER, name="王二")
    login(client, other)
    header = client.get(f"/standards/{standard.id}").get_data(as_text=True).split("</header>")[0]
    assert "王二" in header and "张一" not in header


def test_a_reader_whose_role_changes_sees_the_actions_of_the_new_role(client, login, member, standard):
    login(client, member)
    edit_link = f'href="/standards/{standard.id}/edit"'
    assert edit_link not in client.get(f"/standards/{standard.id}").get_data(as_text=True)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    membership.role = Role.SECRETARIAT
    db.session.commit()
    assert edit_link in client.get(f"/standards/{standard.id}").get_data(as_text=True)


def test_a_session_ended_elsewhere_gets_the_login_page_not_the_kept_page(client, login, member, standard):
    login(client, member)
    assert client.get(f"/standards/{standard.id}").status_code == 200
    member.session_token = new_session_token()  # "log out everywhere", a password change
    db.session.commit()
    response = client.get(f"/standards/{standard.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_who_leaves_the_association_no_longer_reads_its_draft(client, login, member, standard):
    login(client, member)
    assert client.get(f"/standards/{standard.id}").status_code == 200
    db.session.delete(db.session.scalar(select(Membership).where(Membership.user_id == member.id)))
    db.session.commit()
    assert client.get(f"/standards/{standard.id}").status_code == 404


def test_a_flashed_message_is_shown_on_the_page_after_a_form(client, login, drafter, standard):
    login(client, drafter)
    client.get(f"/standards/{standard.id}")
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, format="PNG")
    page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    response = client.post(
        f"/standards/{standard.id}/figures",
        data={
            "csrf_token": token.group(1) if token else "",
            "figure": (io.BytesIO(picture.getvalue()), "flow.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'alt="flow.png" loading="lazy"' in html
    assert 'class="flash flash-' in html


def test_a_figure_uploaded_meanwhile_is_shown(client, login, member, drafter, standard):
    login(client, member)
    thumbnail = 'alt="flow.png" loading="lazy"'
    assert thumbnail not in client.get(f"/standards/{standard.id}").get_data(as_text=True)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, format="PNG")
    upload_figure(standard, drafter, "flow.png", picture.getvalue(), now=utcnow(), max_bytes=1_000_000)
    db.session.commit()
    assert thumbnail in client.get(f"/standards/{standard.id}").get_data(as_text=True)


def test_an_export_asked_for_meanwhile_is_shown_in_the_panel(app, client, login, member, drafter, standard):
    login(client, member)
    before = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    app.config["EXPORT_QUEUE"] = None
    request_export(standard, standard.latest_revision(), "html", drafter, now=utcnow())
    db.session.commit()
    after = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert after != before


def test_the_reader_switching_language_gets_the_page_in_that_language(client, login, member, standard):
    login(client, member)
    assert "退出登录" in client.get(f"/standards/{standard.id}").get_data(as_text=True)
    member.locale = "en"
    db.session.commit()
    page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert "Log out" in page and "退出登录" not in page


def test_a_page_older_than_its_lifetime_is_built_again(monkeypatch, client, login, member, standard):
    login(client, member)
    client.get(f"/standards/{standard.id}")
    monkeypatch.setattr(page_cache, "PAGE_SECONDS", 0.0)
    queries, page = selects_during(client, f"/standards/{standard.id}")
    assert page.status_code == 200 and queries > 1


def test_a_visitor_never_gets_a_members_page_of_a_draft(app, client, login, member, standard):
    login(client, member)
    client.get(f"/standards/{standard.id}")
    visitor = app.test_client()
    response = visitor.get(f"/standards/{standard.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert len(registered(app).pages) == 1
