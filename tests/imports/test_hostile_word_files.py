"""The Word import against a stranger's file: the wrong kind under a .docx name, a zip bomb, a part
that inflates past what it declares, XML entities and file names that try to be paths or markup.
Each is refused on the form in words (422, never a 500), quickly, and creates nothing."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from cpu_time import cpu_seconds
from hostile_files import (
    BILLION_LAUGHS_DTD,
    SECRET_MARK,
    XXE_DTD,
    huge_declared_size,
    lying_sizes,
    many_members,
    replaced,
    with_parts,
)

from authoring.models import Revision, Standard
from extensions import db
from imports.docx_file import MAX_PARTS

DOCUMENT = "word/document.xml"


def word_file(text: str = "范围") -> bytes:
    document = docx.Document()
    document.add_heading("社区居家养老服务规范", level=0)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_document(body: str, *, prolog: str = "") -> bytes:
    """The Word file with `body` (paragraphs) in place of its own, after `prolog` (a DTD)."""
    xml = parts_of(word_file())[DOCUMENT].decode()
    head, rest = xml.split("<w:body>", 1)
    head = head.split("?>", 1)[1] if head.startswith("<?xml") else head
    return replaced(
        word_file(), {DOCUMENT: prolog + head + "<w:body>" + body + rest[rest.index("<w:sectPr") :]}
    )


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


@pytest.fixture
def send(client, login, association, secretariat):
    """send(data, name) → the answer to the new-project upload."""
    login(client, secretariat)
    url = f"/associations/{association.id}/standards/import"

    def post(data: bytes, name: str = "standard.docx"):
        return client.post(url, data={"upload": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    return post


def refused(send, data: bytes, words: str, name: str = "standard.docx") -> str:
    answer = send(data, name)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422, page[:500]
    assert words in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Standard)) == 0
    return page


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOT_WORD = "不是 Word 文档"
WRONG_KINDS = {
    "png": (PNG, NOT_WORD),
    "empty": (b"", NOT_WORD),
    "truncated": (word_file()[:4000], NOT_WORD),
    "zip-of-text": (with_parts({"readme.txt": "hello"}), NOT_WORD),
    "xlsx": (with_parts({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), NOT_WORD),
    "broken-document-xml": (replaced(word_file(), {DOCUMENT: "<w:document"}), "pandoc 无法读取文件"),
}


def test_a_file_of_the_wrong_kind_is_refused_in_words(send):
    for case, (data, words) in WRONG_KINDS.items():  # one app: set-up is most of a case's time
        try:
            refused(send, data, words)
        except AssertionError as failure:
            raise AssertionError(case) from failure


BOMBS = {
    "130-mb-part": (
        lambda: with_parts(parts_of(word_file()), bomb="word/media/zeros.bin", megabytes=130),
        "解压后过大",
    ),
    "4-gb-declared": (lambda: huge_declared_size(word_file(), DOCUMENT), "解压后过大"),
    "many-parts": (lambda: many_members(word_file(), MAX_PARTS), "个部件"),
}


@pytest.mark.parametrize(("bomb", "words"), BOMBS.values(), ids=BOMBS.keys())
def test_a_zip_bomb_is_refused_before_it_is_inflated(send, bomb, words):
    data = bomb()
    assert cpu_seconds(lambda: refused(send, data, words)) < 1.0


def test_a_part_that_inflates_past_what_it_declares_never_reaches_pandoc_whole(send):
    """document.xml declares its first 2 KB (with their CRC) and inflates to 12 MB: pandoc's reader
    took it all (60 MB took 2.3 s, past the 40 MB cap); now it reads the 2 KB zipfile read."""
    body = paragraph("很长的段落" * 200) * 4_000
    data = lying_sizes(with_document(body), DOCUMENT, 2_000)
    assert len(data) < 150_000
    assert cpu_seconds(lambda: refused(send, data, "pandoc 无法读取文件")) < 1.0


@pytest.mark.parametrize(
    ("prolog", "entity"), [(BILLION_LAUGHS_DTD, "&lol9;"), (XXE_DTD, "&xxe;")], ids=["billion-laughs", "xxe"]
)
def test_xml_entities_are_refused_or_harmless(send, prolog, entity):
    data = with_document(paragraph("范围") + paragraph(entity), prolog=prolog)
    answer = send(data)
    assert answer.status_code in (200, 422)
    assert SECRET_MARK not in answer.get_data(as_text=True)
    texts = db.session.scalars(db.select(Revision.text)).all()
    assert not any(SECRET_MARK in text or "lollol" in text for text in texts)


HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>.docx",
    "../../etc/passwd.docx",
    "\u202excod.exe",
    "a\x00b.docx",
    "x" * 300,
]


def test_a_hostile_file_name_is_shown_as_text_cut_short(send):
    for name in HOSTILE_NAMES:
        page = refused(send, PNG, NOT_WORD, name)
        assert "<img src=x" not in page and "\u202e" not in page and "\x00" not in page, name
        assert "x" * 100 not in page


def test_a_table_cell_spanning_two_billion_columns_is_imported_quickly(send):
    """pandoc keeps the span as a number and the mapping never repeats the cell per column."""
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>宽</w:t></w:r></w:p></w:tc>'
    table = f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>{cell}</w:tr></w:tbl>"
    data = with_document(paragraph("范围") + table)
    answer: list = []
    assert cpu_seconds(lambda: answer.append(send(data))) < 1.0
    assert answer[0].status_code == 200
