"""Figure uploads beyond test_figures.py: other formats under a picture's name, damaged pictures, a
text chunk that inflates to megabytes, and file names that try to be paths, markup or a different
extension. Each is refused in words or stored under a safe name; the picture is served by name only."""

from __future__ import annotations

import io
import zlib

import pytest
from cpu_time import cpu_seconds
from hostile_files import with_parts
from PIL import Image

from authoring.figures import Figure, find_figure
from extensions import db

NOT_A_PICTURE = "不是 PNG 或 JPEG 图片"
NOT_A_NAME = "不能用作图片文件名"


def png(width: int = 64, height: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def picture_as(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 32), "white").save(out, format=fmt)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def with_ztxt_bomb(data: bytes, megabytes: int) -> bytes:
    """A PNG with a compressed text chunk that inflates to `megabytes` MB, before its image data."""
    text = zlib.compress(b"A" * (megabytes * 1024 * 1024), 9)
    at = data.index(b"IDAT") - 4
    return data[:at] + png_chunk(b"zTXt", b"Comment\x00\x00" + text) + data[at:]


@pytest.fixture
def standard(make_standard, community_care):
    return make_standard(community_care)


@pytest.fixture
def send(client, login, drafter, standard):
    """send(name, data) → the standard page with the flash the upload left."""
    assert login(client, drafter).status_code == 302

    def post(name: str, data: bytes) -> str:
        answer = client.post(
            f"/standards/{standard.id}/figures",
            data={"figure": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
        # a name werkzeug cannot read as one (a newline) makes the part a text field holding the
        # picture's bytes, NULs included: the clean 422 of any field with a NUL
        assert answer.status_code == 302 or (
            answer.status_code == 422 and "U+0000" in answer.get_data(as_text=True)
        )
        return client.get(f"/standards/{standard.id}").get_data(as_text=True)

    return post


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
WRONG_KINDS = {
    "gif": ("flow.png", picture_as("GIF")),
    "webp": ("flow.png", picture_as("WEBP")),
    "bmp": ("flow.jpg", picture_as("BMP")),
    "svg-with-script": ("flow.png", SVG),
    "pdf": ("flow.jpg", b"%PDF-1.7\n" + b"0" * 200),
    "zip": ("flow.png", with_parts({"word/document.xml": "<w:document/>"})),
    "empty": ("flow.png", b""),
    "truncated-png": ("flow.png", png(640, 480)[:200]),
    "truncated-jpeg": ("flow.jpg", picture_as("JPEG")[:300]),
}


def test_a_file_of_another_kind_under_a_picture_s_name_is_refused(send):
    for case, (name, data) in WRONG_KINDS.items():  # one app for all: set-up is most of a case's time
        page = send(name, data)
        assert db.session.query(Figure).count() == 0, case
        assert NOT_A_PICTURE in page or "请选择要上传的 PNG 或 JPEG 文件" in page, case
        assert "<script>alert(1)" not in page, case


def test_a_text_chunk_that_inflates_to_megabytes_is_refused_quickly(send):
    """Pillow caps a text chunk at 1 MB once inflated; the 16 MB behind this one are never allocated."""
    data = with_ztxt_bomb(png(), 16)
    assert len(data) < 200_000
    assert cpu_seconds(lambda: send("flow.png", data)) < 1.0
    assert db.session.query(Figure).count() == 0


def test_a_zip_after_the_picture_is_dropped_by_the_re_encoding(send, standard):
    """A PNG that is also a zip (a polyglot) is stored as the picture alone."""
    polyglot = png() + with_parts({"evil.html": "<script>alert(1)</script>"})
    send("flow.png", polyglot)
    figure = find_figure(standard, "flow.png")
    assert figure is not None and b"PK\x03\x04" not in figure.data and b"<script>" not in figure.data


PATHS = {
    "../../etc/passwd.png": "passwd.png",
    "/etc/passwd.png": "passwd.png",
    # Werkzeug reads a backslash in the part's quoted name as an escape: "....x.png" is no name
    "..\\..\\x.png": None,
    "C:\\Windows\\flow.png": None,
}


def test_a_path_in_the_name_is_never_used_as_one(send, standard):
    for sent, stored in PATHS.items():
        send(sent, png())
        names = [figure.name for figure in db.session.query(Figure)]
        assert names == ([stored] if stored else []), sent
        db.session.query(Figure).delete()
        db.session.commit()


ODD_NAMES = {
    "nul": "a\x00b.png",
    "rtl-override": "\u202egnp.exe",
    "rtl-inside": "flow\u202egnp.exe.png",
    "markup": '"><img src=x onerror=alert(1)>.png',
    "newline": "a\nb.png",
    "long": "x" * 300 + ".png",
    "dots": "..png",
    "no-stem": ".png",
    "double-extension": "flow.png.exe",
}


def test_an_odd_name_is_refused_and_shown_as_text(send):
    for case, sent in ODD_NAMES.items():
        page = send(sent, png())
        assert db.session.query(Figure).count() == 0, case
        assert NOT_A_NAME in page or "请选择要上传的 PNG 或 JPEG 文件" in page or case == "newline", case
        assert "<img src=x" not in page and "\u202e" not in page and "\x00" not in page, case


def test_a_picture_is_served_only_by_its_stored_name(client, login, drafter, send, standard):
    send("flow.png", png())
    base = f"/standards/{standard.id}/figures/"
    assert client.get(base + "flow.png").status_code == 200
    for name in ("..%2F..%2Fetc%2Fpasswd", "..%2Fflow.png", "flow.png%00", "%2Fetc%2Fpasswd"):
        answer = client.get(base + name)
        assert answer.status_code == 404, name
        assert b"root:" not in answer.data
