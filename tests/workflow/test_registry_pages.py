"""The registry's pages, as an anonymous visitor sees them: the list, search, filters, one standard's
full text and downloads; nothing unpublished is listed or reachable; the list's cost is flat."""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from sqlalchemy import event

from authoring.models import Stage
from extensions import db


def registry_url(number: str) -> str:
    return "/registry/" + quote(number)


@contextmanager
def counted_queries():
    """The number of SQL statements run inside the block (on the app's engine)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_registry_lists_published_standards_for_anyone(client, make_published, make_standard):
    care = make_published("养老机构服务质量评价规范", "养老机构的服务质量", title_en="Service quality")
    make_standard(title="还在起草的规范")
    page = client.get("/registry")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert care.number in html and "养老机构服务质量评价规范" in html and "Service quality" in html
    assert "深圳市养老服务业协会" in html and "现行" in html
    assert "还在起草的规范" not in html
    assert "2026年3月1日" in html  # the publication date, as accounts/dates.py shows it


def test_the_header_links_to_the_registry_on_every_page(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/registry"' in html and "标准目录" in html


def test_searching_a_phrase_of_the_body_shows_its_snippet(client, make_published):
    make_published("养老机构服务质量评价规范", "养老机构生活照料与康复护理的评价方法")
    other = make_published("跨境电子发票技术要求", "电子发票的报文结构")
    html = client.get("/registry", query_string={"q": "照料与康复"}).get_data(as_text=True)
    assert "<mark>照料与康复</mark>" in html
    assert other.number not in html
    assert "1 个标准与“照料与康复”匹配" in html


def test_a_short_query_says_where_it_looked(client, make_published):
    make_published("养老机构服务质量评价规范", "康复护理")
    html = client.get("/registry", query_string={"q": "康复"}).get_data(as_text=True)
    assert "只在编号、标题和协会名称中查找" in html


@pytest.mark.parametrize(
    "query",
    ['"', "电子 OR", "NEAR(a b)", "%_\\", "x" * 5000, "\x01\x1f", "<script>alert(1)</script>"],
)
def test_hostile_queries_answer_a_page(client, make_published, query):
    make_published()
    page = client.get("/registry", query_string={"q": query, "page": "abc", "association": "-1"})
    assert page.status_code == 200
    assert "<script>alert" not in page.get_data(as_text=True)


def test_a_query_with_a_nul_is_a_clean_400(client, make_published):
    """No query of ours holds a NUL (PostgreSQL refuses one in a text): the app answers 400 before
    any view reads it (wsgi.refuse_nul), the same page on every database."""
    make_published()
    page = client.get("/registry", query_string={"q": "养老\x00"})
    assert page.status_code == 400 and "Traceback" not in page.get_data(as_text=True)


def test_the_standard_page_shows_the_text_and_the_downloads(client, make_published):
    care = make_published("养老机构服务质量评价规范", "养老机构生活照料与康复护理的评价方法")
    page = client.get(registry_url(care.number))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "养老机构生活照料与康复护理的评价方法" in html  # the rendered text
    assert care.number in html and "实施日期" in html
    for fmt in ("docx", "pdf"):
        assert f'href="{registry_url(care.number)}/download.{fmt}"' in html


def test_the_number_may_be_given_with_a_hyphen_or_an_encoded_slash(client, make_published):
    care = make_published()
    assert client.get("/registry/" + quote(care.number.replace("\u2014", "-"))).status_code == 200
    assert client.get("/registry/" + quote(care.number, safe="")).status_code == 200


@pytest.mark.parametrize("stage", [Stage.DRAFTING, Stage.CONSULTATION, Stage.APPROVAL, Stage.CANCELLED])
def test_an_unpublished_standard_is_not_reachable(
    client, make_standard, make_published, stage, login, member
):
    make_published()
    draft = make_standard(stage=stage, title="内部草案")
    # the number it would get, and even a number set without publication, are unknown to the registry
    would_be = "T/SZYL 2\u20142026"
    draft.number = would_be if stage is Stage.CANCELLED else None
    db.session.commit()
    assert client.get(registry_url(would_be)).status_code == 404
    assert client.get(registry_url(would_be) + "/download.pdf").status_code == 404
    login(client, member)  # a member of its own association: not in the registry either
    assert client.get(registry_url(would_be)).status_code == 404
    found = client.get("/registry", query_string={"q": "内部草案"}).get_data(as_text=True)
    assert 'class="registry-hit"' not in found and "0 个标准与“内部草案”匹配" in found


def test_a_replaced_standard_links_to_its_replacement(client, make_published):
    from datetime import date

    old = make_published("养老护理员职业技能规范", "护理员", published_on=date(2020, 5, 1))
    new = make_published("养老护理员职业技能规范", "护理员和培训", replaces=old)
    html = client.get(registry_url(old.number)).get_data(as_text=True)
    assert "被代替" in html and f'href="{registry_url(new.number)}"' in html
    html = client.get(registry_url(new.number)).get_data(as_text=True)
    assert f'href="{registry_url(old.number)}"' in html  # "replaces"
    listed = client.get("/registry", query_string={"status": "replaced"}).get_data(as_text=True)
    assert f'href="{registry_url(old.number)}"' in listed
    assert f'href="{registry_url(new.number)}"' not in listed and "被 T/SZYL 1—2026 代替" in listed


def test_a_withdrawn_standard_stays_listed_as_abolished(client, make_published):
    gone = make_published("老年餐桌服务规范", "老年餐桌", stage=Stage.WITHDRAWN)
    html = client.get("/registry", query_string={"status": "withdrawn"}).get_data(as_text=True)
    assert gone.number in html and "废止" in html
    assert client.get(registry_url(gone.number)).status_code == 200


def test_pages_link_to_each_other_keeping_the_query(client, make_published):
    for n in range(1, 24):
        make_published(f"第{n}号服务规范", "同样的服务内容要求")
    html = client.get("/registry", query_string={"q": "服务内容要求"}).get_data(as_text=True)
    assert "第 1 页，共 2 页" in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "第 2 页，共 2 页" in second and second.count('class="registry-hit"') == 3


def test_the_list_costs_the_same_number_of_queries_for_3_or_40_standards(client, make_published, make_org):
    other = make_org("association", name="深圳市标准化协会", code="SZBZ")

    def queries_for(path: str) -> int:
        client.get(path)  # warm: templates compiled, translations read
        with counted_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    for n in range(3):
        make_published(f"第{n}号服务规范", "服务内容要求", publisher=other if n % 2 else None)
    few = [
        queries_for(p) for p in ("/registry", "/registry?q=服务内容要求", "/registry?q=规范&status=current")
    ]
    for n in range(3, 40):
        make_published(f"第{n}号服务规范", "服务内容要求", publisher=other if n % 2 else None)
    many = [
        queries_for(p) for p in ("/registry", "/registry?q=服务内容要求", "/registry?q=规范&status=current")
    ]
    assert few == many, (few, many)
    assert max(many) <= 4, many


def test_downloading_the_published_docx_as_anonymous(app, client, make_published):
    app.config["EXPORT_RUNNER"] = "sync"
    care = make_published()
    answer = client.get(registry_url(care.number) + "/download.docx")
    assert answer.status_code == 200
    assert answer.data[:2] == b"PK"  # a DOCX is a zip
    assert "attachment" in answer.headers["Content-Disposition"]
    again = client.get(registry_url(care.number) + "/download.docx")
    assert again.status_code == 200 and again.data == answer.data  # the stored export, not a new one
    from exports.models import ExportJob

    assert db.session.query(ExportJob).filter_by(standard_id=care.id, format="docx").count() == 1
    assert client.get(registry_url(care.number) + "/download.exe").status_code == 404


def test_a_download_not_ready_yet_goes_to_its_job_page(app, client, make_published):
    app.config["EXPORT_RUNNER"] = "rq"  # a queue that cannot be reached: the job is not done
    app.config["REDIS_URL"] = "redis://127.0.0.1:1"
    care = make_published()
    answer = client.get(registry_url(care.number) + "/download.pdf")
    assert answer.status_code == 303 and answer.location.startswith("/exports/")
    assert client.get(answer.location).status_code == 200  # anonymous may follow it
