"""A text past the core's caps (a flood, not a standard) is refused by the save, the upload and the
preview with the line to look at, and nothing is saved half-way."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from authoring import analysis
from authoring.models import Revision, Standard
from extensions import db

FLOOD = "# 范围\n\n本文件规定了……\n\n" + "# 标题\n" * 20_000  # the 10,001st heading is on line 10,004


def test_a_save_of_a_flood_is_refused_with_its_line_and_nothing_is_saved(
    client, login, save_json, make_standard, drafter
):
    standard = make_standard()
    login(client, drafter)
    response = save_json(client, standard.id, FLOOD, 1)
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"
    assert "过于复杂" in response.json["message"] and "第 10,004 行" in response.json["message"]
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1


def test_an_upload_of_a_flood_gets_a_message_and_no_standard(client, login, secretariat, association):
    login(client, secretariat)
    response = client.post(
        f"/associations/{association.id}/standards/new",
        data={"title_zh": "标准", "upload": (io.BytesIO(FLOOD.encode()), "flood.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "过于复杂" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Standard)) == 0


def test_the_preview_of_a_flood_is_one_finding_with_its_line(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/preview", json={"text": FLOOD})
    assert response.status_code == 200
    findings = response.json["findings"]
    assert len(findings) == 1 and findings[0]["line"] == 10_004 and "过于复杂" in findings[0]["message"]


def test_a_stored_flood_from_before_the_caps_shows_a_message_not_a_page(app):
    result = analysis.analyse(FLOOD)
    assert result.html == "" and result.errors == 1
    assert result.findings[0]["line"] == 10_004 and "10,000" in result.findings[0]["message"]["en"]
