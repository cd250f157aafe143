"""The read view of a standard: sent compressed, built from few queries, and right for each reader
although the text's part of it is kept per worker process (authoring.read_fragments)."""

from __future__ import annotations

import gzip
import io

import pytest
from markupsafe import escape
from PIL import Image
from sqlalchemy import event

from accounts.database import utcnow
from accounts.models import Role
from authoring import analysis
from authoring.figures import upload_figure
from authoring.page_cache import registered
from authoring.read_fragments import forget_fragments
from extensions import db

#: the most SELECTs a warm read page may make: user, memberships, standard with its association and
#: drafters, revision with its author, export jobs, figures, the recent events with their actors, and
#: the stage events of workflow's stage bar (the gates of a drafting standard read nothing more), and
#: the comments of the margin (one query; the outline only when there is something to show)
MAX_QUERIES = 9


@pytest.fixture
def standard(make_standard, community_care):
    return make_standard(community_care)


@pytest.fixture
def member(association, make_member):
    return make_member(association, Role.MEMBER, name="张一")


def count_selects(app, client, path: str) -> tuple[int, object]:
    """(SELECT statements sent while `client` GETs `path`, the response)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    db.session.commit()  # the test's own session sends nothing during the request
    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements), response


def test_the_read_page_is_sent_gzipped_to_a_client_that_accepts_gzip(client, login, member, standard):
    login(client, member)
    response = client.get(f"/standards/{standard.id}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    html = gzip.decompress(response.data).decode()
    assert "社区居家养老服务规范" in html and 'class="card document-view standard-body"' in html
    assert len(response.data) * 3 < len(html.encode())
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_read_page_is_sent_plain_to_a_client_that_accepts_no_compression(client, login, member, standard):
    login(client, member)
    response = client.get(f"/standards/{standard.id}")
    assert "Content-Encoding" not in response.headers
    assert "社区居家养老服务规范" in response.get_data(as_text=True)


def test_downloads_are_sent_as_they_are_even_when_gzip_is_accepted(client, login, drafter, standard):
    picture = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(picture, format="PNG")
    upload_figure(standard, drafter, "flow.png", picture.getvalue(), now=utcnow(), max_bytes=1_000_000)
    db.session.commit()
    login(client, drafter)
    source = client.get(f"/standards/{standard.id}/revisions/1.md", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in source.headers
    assert source.data == standard.latest_revision().text.encode()
    figure = client.get(f"/standards/{standard.id}/figures/flow.png", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in figure.headers
    assert int(figure.headers["Content-Length"]) == len(figure.data) and figure.data.startswith(b"\x89PNG")


def test_a_members_read_page_makes_a_bounded_number_of_queries(app, client, login, member, standard):
    login(client, member)
    forget_fragments()
    registered(app).clear()
    cold, first = count_selects(app, client, f"/standards/{standard.id}")
    kept, again = count_selects(app, client, f"/standards/{standard.id}")
    assert first.status_code == again.status_code == 200
    # the page's state (authoring.page_cache), then the page; the stored rendering once per process
    assert cold <= 1 + MAX_QUERIES + 1
    assert kept == 1  # a reload of an unchanged page reads its state and nothing else
    registered(app).clear()
    warm, built = count_selects(app, client, f"/standards/{standard.id}")
    assert built.status_code == 200 and warm <= 1 + MAX_QUERIES
    revision, numbered = count_selects(app, client, f"/standards/{standard.id}/revisions/1")
    assert numbered.status_code == 200 and revision <= 1 + MAX_QUERIES


def test_a_member_reading_after_a_drafter_sees_no_edit_action(client, login, drafter, member, standard):
    forget_fragments()
    login(client, drafter)
    drafter_page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert f'href="/standards/{standard.id}/edit"' in drafter_page
    client.post("/logout", data={})
    login(client, member)
    member_page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert f'href="/standards/{standard.id}/edit"' not in member_page
    assert "只有本标准的起草人和协会秘书处可以编辑" in member_page
    assert "张一" in member_page and "林起草" not in member_page.split("</header>")[0]


def test_findings_follow_each_readers_language_on_the_same_text(
    client, login, make_member, make_standard, association, community_care
):
    forget_fragments()
    standard = make_standard(community_care.replace("服务机构应", "服务机构必须", 1))
    chinese = make_member(association, Role.MEMBER, locale="zh_CN")
    english = make_member(association, Role.MEMBER, locale="en")
    stored = analysis.cached(standard.latest_revision().text)
    zh, en = (str(escape(stored.findings[0]["message"][language])) for language in ("zh", "en"))
    login(client, chinese)
    assert zh in client.get(f"/standards/{standard.id}").get_data(as_text=True)
    client.post("/logout", data={})
    login(client, english)
    english_page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert en in english_page and zh not in english_page


def test_a_read_page_whose_stored_rendering_was_lost_is_computed_again_without_writing(
    client, login, member, standard
):
    """A page view never writes (the save stores the rendering): a lost row costs a render, not a commit."""
    from authoring.models import RenderCache

    forget_fragments()
    db.session.execute(db.delete(RenderCache))
    db.session.commit()
    login(client, member)
    page = client.get(f"/standards/{standard.id}")
    assert page.status_code == 200 and 'id="' in page.get_data(as_text=True)
    assert db.session.get(RenderCache, standard.latest_revision().content_hash) is None
