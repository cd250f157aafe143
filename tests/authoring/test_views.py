"""The editor's endpoints and the pages, as a drafter's browser talks to them."""

from __future__ import annotations

import base64
import io
import re
from collections import OrderedDict

from sqlalchemy import event, func, select

from authoring import history, operations
from authoring.models import Revision, Standard
from extensions import db

TRAINING_OLD = "在岗服务人员每年接受的继续培训宜不少于24学时。"
TRAINING_NEW = "在岗服务人员每年应接受不少于24学时的继续培训。"


def test_save_answers_the_new_revision(client, login, save_json, make_standard, drafter, community_care):
    standard = make_standard(community_care)
    login(client, drafter)
    text = standard.latest_revision().text.replace(TRAINING_OLD, TRAINING_NEW)
    response = save_json(client, standard.id, text, 1, "培训")
    assert response.status_code == 200
    assert response.json["status"] == "saved" and response.json["revision"] == 2
    assert "2" in response.json["message"]


def test_save_writes_derived_ids_back(client, login, save_json, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    text = standard.latest_revision().text + "\n## 人员要求\n\n服务人员应持证上岗。\n"
    answer = save_json(client, standard.id, text, 1).json
    assert answer["text_changed"] is True
    assert "## 人员要求 {#" in answer["text"]


def test_unchanged_save_says_so(client, login, save_json, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    answer = save_json(client, standard.id, standard.latest_revision().text, 1).json
    assert answer["status"] == "unchanged" and answer["revision"] == 1


def test_stale_overlapping_save_answers_a_conflict_with_both_texts(
    client, login, save_json, make_standard, drafter, secretariat, community_care, clock
):
    standard = make_standard(community_care)
    base = standard.latest_revision().text
    operations.save_revision(
        standard,
        secretariat,
        base.replace(TRAINING_OLD, "在岗服务人员每年应接受继续培训。"),
        "",
        1,
        now=clock.tick(),
    )
    db.session.commit()
    login(client, drafter)
    mine = base.replace(TRAINING_OLD, TRAINING_NEW)
    response = save_json(client, standard.id, mine, 1)
    assert response.status_code == 409
    answer = response.json
    assert answer["status"] == "conflict"
    assert answer["mine"] == mine
    assert answer["latest_revision"] == 2
    assert "在岗服务人员每年应接受继续培训。" in answer["latest_text"]
    assert "<del>" in answer["diff_html"] or "<ins>" in answer["diff_html"]
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 2


def test_conflict_without_script_shows_the_conflict_page(
    client, login, make_standard, drafter, secretariat, community_care, clock
):
    standard = make_standard(community_care)
    base = standard.latest_revision().text
    operations.save_revision(
        standard, secretariat, base.replace(TRAINING_OLD, "改了。"), "", 1, now=clock.tick()
    )
    db.session.commit()
    login(client, drafter)
    mine = base.replace(TRAINING_OLD, TRAINING_NEW)
    response = client.post(f"/standards/{standard.id}/save", data={"text": mine, "base_revision": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'name="base_revision" value="2"' in page
    assert TRAINING_NEW in page  # the drafter's text is on the page
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == mine  # downloadable byte for byte


def test_save_based_on_a_revision_that_does_not_exist_is_refused_with_a_message(
    client, login, save_json, make_standard, drafter
):
    standard = make_standard()
    login(client, drafter)
    response = save_json(client, standard.id, "# x", 9)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict" and response.json["error"]["message"]


def test_malformed_save_request_is_refused_with_a_message(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/save", json={"text": "x", "base_revision": "abc"})
    assert response.status_code == 400
    assert response.json["error"]["message"]


def test_a_save_request_without_its_text_saves_nothing(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/save", json={"base_revision": 1})
    assert response.status_code == 400
    assert response.json["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1


def test_a_text_with_a_broken_character_is_refused_with_a_message(client, login, make_standard, drafter):
    """JSON may carry an unpaired surrogate (half an emoji), which no UTF-8 text can hold."""
    standard = make_standard()
    login(client, drafter)
    body = r'{"text": "\u4e2d\ud83d\u6587", "base_revision": 1}'
    for endpoint in ("save", "preview"):
        response = client.post(
            f"/standards/{standard.id}/{endpoint}", data=body, content_type="application/json"
        )
        assert response.status_code == 422, endpoint
        assert "字符" in response.json["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1


def test_huge_text_is_refused_before_parsing(client, login, make_standard, drafter, analyse_calls):
    standard = make_standard()
    login(client, drafter)
    before = len(analyse_calls)
    response = client.post(f"/standards/{standard.id}/preview", json={"text": "[" * 1_100_000})
    assert response.status_code == 413
    assert "KB" in response.json["error"]["message"]
    assert len(analyse_calls) == before


def test_an_oversized_save_without_script_gets_a_chinese_page(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    text = "x" * (operations.MAX_TEXT_BYTES * 2 + 20_000)
    response = client.post(f"/standards/{standard.id}/save", data={"text": text, "base_revision": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Request Entity Too Large" not in page
    assert "太大" in page


def test_preview_answers_numbered_html_outline_and_findings(
    client, login, make_standard, drafter, community_care
):
    standard = make_standard(community_care)
    login(client, drafter)
    text = standard.latest_revision().text.replace(
        "# 参考文献", "## 4.9 手写编号的条\n\n服务机构必须记录。\n\n# 参考文献", 1
    )
    answer = client.post(f"/standards/{standard.id}/preview", json={"text": text}).json
    assert 'data-line="' in answer["html"]
    assert answer["outline"][0]["kind"] == "foreword"
    rules = {f["rule"] for f in answer["findings"]}
    assert "NUM-MANUAL" in rules
    assert answer["counts"]["errors"] + answer["counts"]["warnings"] == len(answer["findings"])
    assert any(entry["id"] == "scope" for entry in answer["labels"])
    assert answer["foreword_sentences"]


def test_markdown_that_is_nonsense_still_previews(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/preview", json={"text": "---\n: : :\n[[[[\n# {#}\n```"})
    assert response.status_code == 200
    assert response.json["findings"]


def test_editor_page_has_the_text_and_the_bundle_fallback(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    page = client.get(f"/standards/{standard.id}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<textarea name="text" id="source"' in html
    assert "authoring/editor.js" in html
    assert "nonce-" in page.headers["Content-Security-Policy"]


def test_read_view_does_not_render_again(
    client, login, make_standard, drafter, community_care, analyse_calls
):
    standard = make_standard(community_care)
    login(client, drafter)
    before = len(analyse_calls)
    for path in ("", "/history", "/edit"):
        assert client.get(f"/standards/{standard.id}{path}").status_code == 200
    assert len(analyse_calls) == before


def test_history_and_diff_show_the_changes(client, revised_standard):
    standard = revised_standard
    history = client.get(f"/standards/{standard.id}/history").get_data(as_text=True)
    assert "送审稿" in history and "<svg" in history
    assert 'data-clause="t-family-carer"' in history
    diff = client.get(f"/standards/{standard.id}/diff?old=1&new=2&view=source").get_data(as_text=True)
    assert "t-family-carer" in diff and "c-agreement" in diff
    assert "<ins>" in diff and "<del>" in diff


def test_the_diff_names_a_move_by_the_labels_readers_see(client, revised_standard):
    standard = revised_standard
    diff = client.get(f"/standards/{standard.id}/diff?old=1&new=2").get_data(as_text=True)
    # c-agreement moved from chapter 4 (ch-basic) to chapter 5 (ch-process)
    moves = re.findall(r'<span class="muted small">([^<]*第4章[^<]*)</span>', diff)
    assert moves and "第5章" in moves[0] and "ch-basic" not in moves[0]
    assert "（无标题）" in diff  # the untitled clause c-records-file is not named by its id


def test_the_history_page_reads_outlines_not_texts_or_html(client, revised_standard):
    standard = revised_standard
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(f"/standards/{standard.id}/history").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in selects if "render_cache.html" in s]
    assert not [s for s in selects if "revisions.text" in s]


def test_a_diff_shown_again_is_not_computed_again(client, revised_standard, monkeypatch):
    standard = revised_standard
    monkeypatch.setattr(history, "_recent_diffs", OrderedDict())  # nothing remembered from other tests
    calls = []
    real = history.compare_texts
    monkeypatch.setattr(
        history, "compare_texts", lambda old, new, **mode: calls.append(1) or real(old, new, **mode)
    )
    first = client.get(f"/standards/{standard.id}/diff?old=1&new=2").get_data(as_text=True)
    again = client.get(f"/standards/{standard.id}/diff?old=1&new=2").get_data(as_text=True)
    assert first == again and "<ins>" in again
    assert len(calls) == 1


def test_restore_from_history(
    client, login, make_standard, drafter, community_care, community_care_v2, clock
):
    standard = make_standard(community_care)
    operations.save_revision(standard, drafter, community_care_v2, "v2", 1, now=clock.tick())
    db.session.commit()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/revisions/1/restore", data={"message": "退回"})
    assert response.status_code == 302
    latest = db.session.scalar(
        select(Revision).where(Revision.standard_id == standard.id, Revision.number == 3)
    )
    assert latest.text == db.session.scalar(select(Revision.text).where(Revision.number == 1))


def test_create_from_an_upload(client, login, secretariat, association, community_care):
    login(client, secretariat)
    response = client.post(
        f"/associations/{association.id}/standards/new",
        data={"upload": (io.BytesIO(community_care.encode()), "community-care.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "/edit" in response.location


def test_upload_that_is_not_utf8_gets_a_message(client, login, secretariat, association):
    login(client, secretariat)
    response = client.post(
        f"/associations/{association.id}/standards/new",
        data={"title_zh": "标准", "upload": (io.BytesIO("标准".encode("gb18030") * 10), "old.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "UTF-8" in response.get_data(as_text=True)


def test_another_organisations_standard_is_not_found(client, login, make_standard, make_org, make_member):
    standard = make_standard()
    stranger = make_member(make_org(), "secretariat")
    login(client, stranger)
    for path in ("", "/edit", "/history", "/diff", "/revisions/1.md"):
        assert client.get(f"/standards/{standard.id}{path}").status_code == 404


def test_my_desk_lists_the_drafts_i_may_edit(app, make_standard, drafter, association, make_member):
    from authoring.desk import desk_items

    standard = make_standard()
    member = make_member(association, "member")
    with app.test_request_context():
        assert [item.url for item in desk_items(drafter)] == [f"/standards/{standard.id}/edit"]
        assert list(desk_items(member)) == []


def test_the_association_page_leads_its_members_to_its_standards(
    client, login, make_standard, make_org, make_member, drafter, association, community_care
):
    make_standard(community_care)
    login(client, drafter)
    page = client.get(f"/orgs/{association.id}").get_data(as_text=True)
    assert f'href="/associations/{association.id}/standards"' in page
    assert "(1)" in page  # how many standards are behind the link

    agency = make_org("agency", name="深圳市市场监督管理局")
    reviewer = make_member(agency, "reviewer", name="审查员")
    client.post("/logout")
    login(client, reviewer)
    assert "/standards" not in client.get(f"/orgs/{agency.id}").get_data(as_text=True)


def test_a_refusal_reaches_a_browser_as_a_page_with_its_status_and_message(
    client, login, make_standard, drafter
):
    """The one handler: a stale base from a form without script is a 409 page in Chinese, not a 500."""
    standard = make_standard()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/save", data={"text": "# x", "base_revision": "9"})
    assert response.status_code == 409
    assert "9" in response.get_data(as_text=True) and "<html" in response.get_data(as_text=True)


def test_an_upload_over_the_text_cap_is_refused_without_being_read_whole(
    client, login, secretariat, association
):
    login(client, secretariat)
    response = client.post(
        f"/associations/{association.id}/standards/new",
        data={"title_zh": "标准", "upload": (io.BytesIO(b"#" * 5_000_000), "big\u202egnp.md")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "文件 biggnp.md 大于 1000 KB" in page  # the name without its bidi override
    assert db.session.scalar(select(func.count(Standard.id))) == 0


def test_a_picture_named_md_is_refused_as_not_text(client, login, secretariat, association):
    login(client, secretariat)
    response = client.post(
        f"/associations/{association.id}/standards/new",
        data={"title_zh": "标准", "upload": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "a.md")},
        content_type="multipart/form-data",
    )
    assert "UTF-8" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Standard.id))) == 0
