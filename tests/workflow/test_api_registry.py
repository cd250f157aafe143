"""The API's public registry: published and adopted standards for anyone, searched in Chinese, and one
standard by its number with the HTML of its text; nothing unpublished is ever answered."""

from __future__ import annotations

from urllib.parse import quote

from app_testing import bearer

from authoring.models import Stage


def test_anyone_searches_the_registry_by_a_chinese_phrase(client, make_published, make_standard):
    found = make_published("养老机构服务质量评价规范", "养老机构服务质量评价的原则、内容和方法")
    make_published("社区食堂运营管理规范", "社区食堂的运营管理要求")
    make_standard(title="起草中的标准")
    answer = client.get("/api/v1/registry", query_string={"q": "质量评价"})
    assert answer.status_code == 200
    body = answer.json
    assert body["total"] == 1 and [s["id"] for s in body["items"]] == [found.id]
    item = body["items"][0]
    assert item["number"] == found.number and item["status"] == "current" and item["stage"] == "published"
    everything = client.get("/api/v1/registry?per_page=1").json
    assert everything["total"] == 2 and len(everything["items"]) == 1 and everything["per_page"] == 1


def test_the_registry_filters_by_association_code_status_and_adoption(client, make_published, association):
    adopted = make_published("已采信的标准", "采信的内容", stage=Stage.ADOPTED)
    make_published("现行的标准", "现行的内容")
    only_adopted = client.get("/api/v1/registry?adopted=true").json
    assert [s["id"] for s in only_adopted["items"]] == [adopted.id] and only_adopted["items"][0][
        "adopted"
    ] is True
    assert client.get(f"/api/v1/registry?association={association.code}").json["total"] == 2
    assert client.get("/api/v1/registry?association=NOBODY").json["total"] == 0
    assert client.get("/api/v1/registry?status=withdrawn").json["total"] == 0


def test_a_bad_filter_is_400_with_fields(client):
    answer = client.get(
        "/api/v1/registry?status=gone&adopted=maybe&per_page=500", headers={"Accept-Language": "en"}
    )
    assert answer.status_code == 400
    assert set(answer.json["error"]["fields"]) in ({"per_page"}, {"status", "adopted", "per_page"})


def test_one_standard_by_its_number_with_its_html(client, make_published):
    standard = make_published("养老机构服务质量评价规范", "养老机构服务质量评价的原则")
    answer = client.get(f"/api/v1/registry/{quote(standard.number)}")
    assert answer.status_code == 200
    assert answer.json["id"] == standard.id and "养老机构服务质量评价的原则" in answer.json["html"]
    # an ASCII hyphen before the year is read as the em dash numbers carry
    assert client.get("/api/v1/registry/" + quote(standard.number.replace("\u2014", "-"))).status_code == 200


def test_an_unpublished_standard_is_not_in_the_registry(client, make_standard, secretariat, make_token):
    draft = make_standard()
    draft.number = "T/SZYL 99—2026"  # a number alone does not list it
    from extensions import db

    db.session.commit()
    answer = client.get("/api/v1/registry/" + quote(draft.number))
    assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
    assert client.get("/api/v1/registry", headers=bearer(make_token(secretariat))).json["total"] == 0


def test_a_revoked_token_is_refused_even_by_the_registry(client):
    assert client.get("/api/v1/registry", headers=bearer("sf_revoked-or-unknown")).status_code == 401
