"""The API's standards, revisions and history, with real tokens over the test client: the shapes of
docs/api.md, who may read and write, and saving through the editor's own save and merge."""

from __future__ import annotations

import re

import pytest
from app_testing import bearer

from authoring.models import Stage, Standard
from extensions import db

ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture
def tokens_of(make_token):
    """tokens_of(user) → a fresh token of that user."""
    return make_token


def _get(client, path: str, token: str | None, **headers: str):
    return client.get(f"/api/v1{path}", headers=bearer(token, **headers))


def _post(client, path: str, token: str | None, body, **headers: str):
    return client.post(f"/api/v1{path}", json=body, headers=bearer(token, **headers))


def test_a_standard_has_the_shape_of_the_contract(client, make_standard, drafter, make_token, association):
    standard = make_standard()
    answer = _get(client, f"/standards/{standard.id}", make_token(drafter))
    assert answer.status_code == 200
    body = answer.json
    assert {
        "id",
        "association",
        "title_zh",
        "title_en",
        "stage",
        "stage_code",
        "number",
        "latest_revision",
        "published_on",
        "implemented_on",
        "replaces",
        "adopted",
        "url",
    } <= set(body)
    assert body["association"] == {
        "id": association.id,
        "kind": "association",
        "code": "SZYL",
        "name": association.name,
    }
    assert (body["stage"], body["stage_code"], body["number"], body["adopted"]) == (
        "drafting",
        "20.00",
        None,
        False,
    )
    assert body["latest_revision"] == 1
    assert body["url"] == f"https://standards.example.org/standards/{standard.id}"


def test_a_published_standard_shows_its_number_dates_and_what_it_replaces(
    client, make_standard, drafter, make_token
):
    from datetime import date

    old, new = make_standard(stage=Stage.PUBLISHED.value), make_standard(stage=Stage.ADOPTED.value)
    old.number, new.number = "T/SZYL 1—2024", "T/SZYL 1—2026"
    new.published_on, new.implemented_on, new.replaces = date(2026, 3, 1), date(2026, 6, 1), old
    db.session.commit()
    body = _get(client, f"/standards/{new.id}", make_token(drafter)).json
    assert body["number"] == "T/SZYL 1—2026" and body["replaces"] == "T/SZYL 1—2024"
    assert (body["published_on"], body["implemented_on"], body["adopted"]) == (
        "2026-03-01",
        "2026-06-01",
        True,
    )
    assert body["stage_code"] is None  # adoption has no ISO code


def test_without_a_token_a_standard_is_401_and_with_a_revoked_one_too(
    client, make_standard, drafter, make_token
):
    from accounts import tokens
    from accounts.database import utcnow
    from accounts.models import ApiToken

    standard = make_standard()
    assert _get(client, f"/standards/{standard.id}", None).status_code == 401
    token = make_token(drafter)
    row = db.session.query(ApiToken).filter_by(user_id=drafter.id).one()
    tokens.revoke_token(drafter, row, now=utcnow())
    db.session.commit()
    answer = _get(client, f"/standards/{standard.id}", token)
    assert answer.status_code == 401 and answer.json["error"]["code"] == "unauthenticated"


def test_another_organisation_s_private_standard_is_404_and_its_published_one_readable(
    client, make_standard, make_org, make_member, make_token
):
    stranger = make_token(make_member(make_org(code="OTHER")))
    private, published = make_standard(), make_standard(stage=Stage.PUBLISHED.value)
    for path in (
        f"/standards/{private.id}",
        f"/standards/{private.id}/revisions",
        f"/standards/{private.id}/revisions/1",
        f"/standards/{private.id}/events",
    ):
        answer = _get(client, path, stranger)
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found", path
    assert _get(client, f"/standards/{published.id}", stranger).status_code == 200
    assert _get(client, f"/standards/{published.id}/revisions/1", stranger).status_code == 200


def test_revisions_are_listed_oldest_first_and_one_comes_with_its_text(
    client, make_standard, drafter, secretariat, make_token, community_care
):
    standard = make_standard()
    token = make_token(drafter)
    saved = _post(
        client,
        f"/standards/{standard.id}/revisions",
        token,
        {"text": community_care, "base_revision": 1, "message": "初稿"},
    )
    assert saved.status_code == 201 and saved.json == {"number": 2, "merged": False, "status": "saved"}
    page = _get(client, f"/standards/{standard.id}/revisions", token).json
    assert [r["number"] for r in page["items"]] == [1, 2] and page["total"] == 2
    first, second = page["items"]
    assert first["author"]["id"] == secretariat.id and first["kind"] == "created"
    assert second["author"] == {
        "id": drafter.id,
        "name": drafter.name,
        "organisation": second["author"]["organisation"],
    }
    assert second["author"]["organisation"]["code"] == "SZYL" and "email" not in second["author"]
    assert second["message"] == "初稿" and ISO_TIME.match(second["created_at"])
    assert "text" not in second and len(second["content_hash"]) == 64
    one = _get(client, f"/standards/{standard.id}/revisions/2", token).json
    assert one["text"] == db.session.get(Standard, standard.id).latest_revision().text
    assert _get(client, f"/standards/{standard.id}/revisions/9", token).status_code == 404


def test_the_secretariat_sees_e_mail_addresses_and_members_do_not(
    client, make_standard, secretariat, association, make_member, make_token
):
    standard = make_standard()
    member = make_token(make_member(association))
    assert (
        "email"
        in _get(client, f"/standards/{standard.id}/revisions", make_token(secretariat)).json["items"][0][
            "author"
        ]
    )
    assert (
        "email" not in _get(client, f"/standards/{standard.id}/revisions", member).json["items"][0]["author"]
    )


def test_a_save_based_on_an_old_revision_is_merged_like_the_editor_s(
    client, make_standard, drafter, secretariat, make_token, community_care
):
    standard = make_standard(community_care)
    token = make_token(drafter)
    theirs = community_care.replace("本文件规定了", "本文件规定了社区", 1)
    mine = community_care.replace("# 范围", "# 范围", 1) + "\n附加的一段。\n"
    assert theirs != community_care
    first = _post(
        client,
        f"/standards/{standard.id}/revisions",
        make_token(secretariat),
        {"text": theirs, "base_revision": 1},
    )
    assert first.status_code == 201 and first.json["number"] == 2
    merged = _post(client, f"/standards/{standard.id}/revisions", token, {"text": mine, "base_revision": 1})
    assert merged.status_code == 201 and merged.json == {"number": 3, "merged": True, "status": "merged"}
    text = db.session.get(Standard, standard.id).latest_revision().text
    assert "本文件规定了社区" in text and "附加的一段。" in text


def test_overlapping_edits_are_409_conflict_with_the_latest_revision(
    client, make_standard, drafter, secretariat, make_token, community_care
):
    standard = make_standard(community_care)
    ours = community_care.replace("本文件规定了", "本文件规定了甲", 1)
    theirs = community_care.replace("本文件规定了", "本文件规定了乙", 1)
    assert (
        _post(
            client,
            f"/standards/{standard.id}/revisions",
            make_token(secretariat),
            {"text": theirs, "base_revision": 1},
        ).status_code
        == 201
    )
    answer = _post(
        client,
        f"/standards/{standard.id}/revisions",
        make_token(drafter),
        {"text": ours, "base_revision": 1},
        **{"Accept-Language": "en"},
    )
    assert answer.status_code == 409
    error = answer.json["error"]
    assert (
        error["code"] == "conflict"
        and error["latest_revision"] == 2
        and "Nothing was saved" in error["message"]
    )
    assert db.session.get(Standard, standard.id).latest_number == 2


def test_an_unchanged_text_makes_no_revision(client, make_standard, drafter, make_token):
    standard = make_standard()
    text = standard.latest_revision().text
    answer = _post(
        client, f"/standards/{standard.id}/revisions", make_token(drafter), {"text": text, "base_revision": 1}
    )
    assert answer.status_code == 200 and answer.json == {"number": 1, "merged": False, "status": "unchanged"}


def test_a_save_in_a_frozen_stage_is_409_closed(client, make_standard, drafter, make_token):
    standard = make_standard(stage=Stage.CONSULTATION.value)
    answer = _post(
        client, f"/standards/{standard.id}/revisions", make_token(drafter), {"text": "x", "base_revision": 1}
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "closed"
    assert db.session.get(Standard, standard.id).latest_number == 1


def test_a_member_who_is_no_drafter_may_read_but_not_save(
    client, make_standard, association, make_member, make_token
):
    standard = make_standard()
    token = make_token(make_member(association))
    assert _get(client, f"/standards/{standard.id}", token).status_code == 200
    answer = _post(client, f"/standards/{standard.id}/revisions", token, {"text": "x", "base_revision": 1})
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"text", "base_revision"}),
        ({"text": 3, "base_revision": "1"}, {"text", "base_revision"}),
        ({"text": "x", "base_revision": 0}, {"base_revision"}),
        ({"text": "x", "base_revision": True}, {"base_revision"}),
        ({"text": "x", "base_revision": 1, "message": ["a"]}, {"message"}),
    ],
)
def test_a_malformed_save_is_400_invalid_with_its_fields(
    client, make_standard, drafter, make_token, body, fields
):
    standard = make_standard()
    answer = _post(client, f"/standards/{standard.id}/revisions", make_token(drafter), body)
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "invalid" and set(answer.json["error"]["fields"]) == fields


def test_a_base_revision_the_standard_does_not_have_is_409_conflict(
    client, make_standard, drafter, make_token
):
    standard = make_standard()
    answer = _post(
        client, f"/standards/{standard.id}/revisions", make_token(drafter), {"text": "x", "base_revision": 7}
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"


def test_a_text_past_the_limit_is_413(client, make_standard, drafter, make_token):
    standard = make_standard()
    answer = _post(
        client,
        f"/standards/{standard.id}/revisions",
        make_token(drafter),
        {"text": "字" * 400_000, "base_revision": 1},
    )
    assert answer.status_code == 413 and answer.json["error"]["code"] == "too_large"


# -- creating a project ----------------------------------------------------------------------------


def test_the_secretariat_creates_a_project_with_drafters_by_e_mail(
    client, secretariat, drafter, association, make_token
):
    answer = _post(
        client,
        "/associations/SZYL/standards",
        make_token(secretariat),
        {
            "title_zh": "智慧养老平台接口规范",
            "title_en": "Smart care platform interfaces",
            "drafters": [drafter.email.upper()],
        },
    )
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert (body["title_zh"], body["title_en"], body["stage"], body["latest_revision"]) == (
        "智慧养老平台接口规范",
        "Smart care platform interfaces",
        "drafting",
        1,
    )
    standard = db.session.get(Standard, body["id"])
    assert standard.is_drafter(drafter) and standard.association_id == association.id
    events = _get(client, f"/standards/{standard.id}/events", make_token(drafter)).json
    assert [e["kind"] for e in events["items"]] == ["created"]


def test_a_project_from_a_text_takes_its_title(client, secretariat, make_token, community_care):
    answer = _post(client, "/associations/szyl/standards", make_token(secretariat), {"text": community_care})
    assert answer.status_code == 201 and answer.json["title_zh"]


def test_a_drafter_who_is_not_a_member_is_422_with_fields(client, secretariat, make_token, make_user):
    outsider = make_user()
    answer = _post(
        client,
        "/associations/SZYL/standards",
        make_token(secretariat),
        {"title_zh": "标准", "drafters": [outsider.email]},
    )
    assert answer.status_code == 422 and set(answer.json["error"]["fields"]) == {"drafters"}
    assert db.session.query(Standard).count() == 0


def test_only_the_secretariat_creates_and_strangers_see_no_association(
    client, drafter, make_token, make_org, make_member
):
    answer = _post(client, "/associations/SZYL/standards", make_token(drafter), {"title_zh": "标准"})
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
    stranger = make_token(make_member(make_org(code="OTHER"), "secretariat"))
    assert _post(client, "/associations/SZYL/standards", stranger, {"title_zh": "标准"}).status_code == 404
    assert _post(client, "/associations/NOPE/standards", stranger, {"title_zh": "标准"}).status_code == 404


def test_a_project_without_title_or_text_is_400(client, secretariat, make_token):
    answer = _post(client, "/associations/SZYL/standards", make_token(secretariat), {"title_en": "x"})
    assert answer.status_code == 400 and set(answer.json["error"]["fields"]) == {"title_zh"}


# -- history and language --------------------------------------------------------------------------


def test_events_are_oldest_first_paginated_with_the_event_shape(
    client, make_standard, drafter, make_token, community_care
):
    standard = make_standard()
    token = make_token(drafter)
    _post(client, f"/standards/{standard.id}/revisions", token, {"text": community_care, "base_revision": 1})
    page = _get(client, f"/standards/{standard.id}/events?per_page=1", token).json
    assert page["total"] == 2 and page["per_page"] == 1
    (event,) = page["items"]
    assert {"id", "at", "actor", "kind", "from_stage", "to_stage", "revision", "note"} <= set(event)
    assert event["kind"] == "created" and ISO_TIME.match(event["at"])
    second = _get(client, f"/standards/{standard.id}/events?per_page=1&page=2", token).json["items"][0]
    assert second["kind"] == "saved" and second["revision"] == 2 and second["actor"]["id"] == drafter.id


def test_refusals_come_in_the_reader_s_language(client, make_standard, drafter, make_token):
    standard = make_standard(stage=Stage.CONSULTATION.value)
    token = make_token(drafter)
    path = f"/standards/{standard.id}/revisions"
    english = _post(client, path, token, {"text": "x", "base_revision": 1}, **{"Accept-Language": "en"}).json[
        "error"
    ]["message"]
    chinese = _post(client, path, token, {"text": "x", "base_revision": 1}).json["error"]["message"]
    assert "edited" in english and "征求意见" in chinese


def test_agencies_are_listed_for_any_token(client, make_org, make_user, make_token):
    agency = make_org("agency", name="深圳市市场监督管理局")
    make_org(code="ASSOC")
    answer = _get(client, "/agencies", make_token(make_user()))
    assert answer.json["items"] == [{"id": agency.id, "kind": "agency", "name": "深圳市市场监督管理局"}]
