"""Figures uploaded per standard: PNG/JPEG only, size- and pixel-capped, re-encoded, and shown in exports."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from PIL import Image, PngImagePlugin

from authoring import figures
from authoring.figures import Figure, find_figure
from authoring.models import Stage
from extensions import db


@pytest.fixture
def app_config():
    return {"EXPORT_RUNNER": "sync"}


def png(
    width: int = 320, height: int = 180, *, text: dict[str, str] | None = None, noise: bool = False
) -> bytes:
    picture = Image.new("RGB", (width, height), "white")
    if noise:
        picture = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    picture.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    picture = Image.new("RGB", (200, 100), "navy")
    exif = Image.Exif()
    exif[0x010E] = "GPS and camera secrets"  # ImageDescription
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(client, standard, name: str, data: bytes):
    return client.post(
        f"/standards/{standard.id}/figures",
        data={"figure": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def flashes(client, standard) -> str:
    return client.get(f"/standards/{standard.id}").get_data(as_text=True)


@pytest.fixture
def standard(make_standard, community_care):
    return make_standard(community_care)


@pytest.fixture
def drafter_client(client, login, drafter):
    assert login(client, drafter).status_code == 302
    return client


def test_a_png_is_stored_re_encoded_without_its_metadata(drafter_client, standard):
    original = png(text={"Author": "secret author"})
    response = upload(drafter_client, standard, "flow.png", original)
    assert response.status_code == 302 and response.location.endswith("#figures")
    figure = find_figure(standard, "flow.png")
    assert figure is not None and figure.media_type == "image/png"
    assert figure.data != original and b"secret author" not in figure.data
    assert (figure.width, figure.height) == (320, 180)
    with Image.open(io.BytesIO(figure.data)) as stored:
        assert stored.format == "PNG" and stored.size == (320, 180)
    page = flashes(drafter_client, standard)
    assert "figures/flow.png" in page and f"/standards/{standard.id}/figures/flow.png" in page
    served = drafter_client.get(f"/standards/{standard.id}/figures/flow.png")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == figure.data


def test_a_jpeg_loses_its_exif(drafter_client, standard):
    assert upload(drafter_client, standard, "photo.jpg", jpeg_with_exif()).status_code == 302
    figure = find_figure(standard, "photo.jpg")
    assert figure.media_type == "image/jpeg" and b"camera secrets" not in figure.data


def test_a_text_file_renamed_png_is_refused_with_a_clear_message(drafter_client, standard):
    upload(drafter_client, standard, "flow.png", "这不是图片".encode() * 20)
    assert find_figure(standard, "flow.png") is None
    assert "“flow.png”不是 PNG 或 JPEG 图片（或文件已损坏）。" in flashes(drafter_client, standard)


def test_an_oversized_file_is_refused(app, drafter_client, standard):
    app.config["FIGURE_MAX_BYTES"] = 100_000
    big = png(400, 400, noise=True)
    assert len(big) > 100_000
    upload(drafter_client, standard, "big.png", big)
    assert find_figure(standard, "big.png") is None
    page = flashes(drafter_client, standard)
    assert "大小上限 0.1 MB" in page or "图片不得超过 0.1 MB" in page


def test_a_decompression_bomb_is_refused_before_it_is_decoded(drafter_client, standard):
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 megapixels in a few KB
    upload(drafter_client, standard, "bomb.png", bomb.getvalue())
    assert find_figure(standard, "bomb.png") is None
    assert "12000 × 12000" in flashes(drafter_client, standard)


def test_a_picture_beyond_pillow_s_own_bomb_limit_is_refused(drafter_client, standard):
    bomb = io.BytesIO()
    Image.new("1", (14_000, 14_000)).save(bomb, format="PNG")  # 196 megapixels: Pillow itself refuses
    upload(drafter_client, standard, "bomb.png", bomb.getvalue())
    assert find_figure(standard, "bomb.png") is None
    assert "百万像素" in flashes(drafter_client, standard)


def test_a_name_that_is_not_a_figure_name_is_refused(drafter_client, standard):
    upload(drafter_client, standard, "flow chart.gif", png())
    assert db.session.query(Figure).count() == 0
    assert "不能用作图片文件名" in flashes(drafter_client, standard)


def test_a_path_in_the_file_name_is_dropped(drafter_client, standard):
    upload(drafter_client, standard, "../../etc/流程图.png", png())
    assert find_figure(standard, "流程图.png") is not None


def test_uploading_the_same_name_replaces_the_figure_and_delete_removes_it(drafter_client, standard):
    upload(drafter_client, standard, "flow.png", png(100, 50))
    upload(drafter_client, standard, "flow.png", png(200, 80))
    assert db.session.query(Figure).count() == 1
    assert find_figure(standard, "flow.png").width == 200
    response = drafter_client.post(f"/standards/{standard.id}/figures/flow.png/delete")
    assert response.status_code == 302
    assert find_figure(standard, "flow.png") is None


def test_two_first_uploads_of_one_name_at_once_refuse_the_second_with_a_message(
    drafter_client, standard, monkeypatch
):
    upload(drafter_client, standard, "flow.png", png(100, 50))
    # the second upload looked before the first one was committed: it saw no figure of that name
    monkeypatch.setattr(figures, "find_figure", lambda standard, name: None)
    response = upload(drafter_client, standard, "flow.png", png(200, 80))
    assert response.status_code == 302
    monkeypatch.undo()
    assert find_figure(standard, "flow.png").width == 100
    assert "同时" in flashes(drafter_client, standard)


def test_a_member_sees_the_figures_but_cannot_upload(
    client, login, association, make_member, standard, drafter
):
    member = make_member(association, "member")
    login(client, member)
    assert upload(client, standard, "flow.png", png()).status_code == 403
    page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert 'name="figure"' not in page


def test_no_uploads_once_the_text_is_frozen(drafter_client, standard):
    standard.stage = Stage.CONSULTATION.value
    db.session.commit()
    assert upload(drafter_client, standard, "flow.png", png()).status_code == 403


@pytest.mark.slow
def test_a_figure_referenced_in_the_text_appears_in_the_docx(drafter_client, standard):
    # the demo text shows ![社区居家养老服务流程](figures/service-flow.png)
    missing = drafter_client.post(
        f"/standards/{standard.id}/exports",
        data={"revision": "1", "format": "docx"},
        headers={"Accept": "application/json"},
    ).get_json()
    assert missing["status"] == "done" and any("service-flow.png" in w for w in missing["warnings"])

    upload(drafter_client, standard, "service-flow.png", png())
    job = drafter_client.post(
        f"/standards/{standard.id}/exports",
        data={"revision": "1", "format": "docx"},
        headers={"Accept": "application/json"},
    ).get_json()
    assert job["id"] != missing["id"], "a new figure makes a new export"
    assert job["status"] == "done" and job["warnings"] == []
    docx = zipfile.ZipFile(io.BytesIO(drafter_client.get(job["download_url"]).data))
    media = [name for name in docx.namelist() if name.startswith("word/media/")]
    assert media, docx.namelist()
    stored = find_figure(standard, "service-flow.png").data
    assert any(docx.read(name) == stored for name in media)


def test_the_read_view_and_the_preview_show_the_standard_s_own_figures(drafter_client, standard):
    upload(drafter_client, standard, "service-flow.png", png())
    own = f'src="/standards/{standard.id}/figures/service-flow.png"'
    page = drafter_client.get(f"/standards/{standard.id}").get_data(as_text=True)
    assert own in page and 'src="figures/' not in page
    preview = drafter_client.post(
        f"/standards/{standard.id}/preview", json={"text": standard.revisions[-1].text}
    ).get_json()
    assert own in preview["html"]
    assert drafter_client.get(f"/standards/{standard.id}/figures/service-flow.png").status_code == 200
