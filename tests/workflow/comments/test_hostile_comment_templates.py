"""The comment-template import takes a stranger's file: the wrong kind, too large, a zip bomb, XML
with entities or a sheet that lies about its size each get the import's clear refusal (never a 500),
quickly, and add no comment."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from app_testing import login
from cpu_time import cpu_seconds
from hostile_files import (
    BILLION_LAUGHS_DTD,
    SECRET_MARK,
    XXE_DTD,
    huge_declared_size,
    lying_sizes,
    many_members,
    nested_zip,
    replaced,
    with_parts,
)

from workflow.comments.importing import MAX_BYTES
from workflow.comments.models import Comment

HEADER = ["MB/NC", "Line number", "Clause/Subclause", "Paragraph/Figure/Table", "Type of comment", "Comments"]
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Clause</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Comments</t></is></c></row>'
)


def template_xlsx(comment: str = "外部意见") -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["某协会", "", "1", "", "te", comment])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_docx(comment: str = "外部意见") -> bytes:
    document = docx.Document()
    table = document.add_table(rows=2, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["某协会", "", "1", "", "te", comment], strict=True):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sheet_xml(rows: str, *, prolog: str = "", dimension: str = "") -> str:
    return (
        prolog
        + SHEET_START.replace("<sheetData>", dimension + "<sheetData>")
        + rows
        + "</sheetData></worksheet>"
    )


@pytest.fixture
def post(in_consultation, drafter, app):
    """post(data, filename) → the comment list page the import redirects to."""
    client = app.test_client()
    login(client, drafter)

    def send(data: bytes, filename: str):
        return client.post(
            f"/standards/{in_consultation.id}/comments/import",
            data={"file": (io.BytesIO(data), filename)},
            follow_redirects=True,
        )

    return send


def refused(post, db, data: bytes, filename: str, words: str) -> str:
    answer = post(data, filename)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, page[:800]
    assert words in page, page[page.find("flash") - 200 : page.find("flash") + 800]
    db.session.rollback()
    assert db.session.query(Comment).count() == 0
    return page


def test_a_real_template_is_imported(post, db):
    for data, name in ((template_xlsx(), "t.xlsx"), (template_docx(), "t.docx")):
        assert post(data, name).status_code == 200
    db.session.rollback()
    assert db.session.query(Comment).count() == 2


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


NOT_A_TEMPLATE = "不是 XLSX 或 DOCX 文件"
UNREADABLE = "无法将文件"
WRONG_KINDS = {
    "png-named-xlsx": (PNG, "t.xlsx", NOT_A_TEMPLATE),
    "png-named-docx": (PNG, "t.docx", NOT_A_TEMPLATE),
    "text-named-xlsx": (b"MB/NC,Clause,Comments\r\n", "t.xlsx", NOT_A_TEMPLATE),
    "empty": (b"", "t.xlsx", NOT_A_TEMPLATE),
    "truncated-xlsx": (template_xlsx()[:2000], "t.xlsx", NOT_A_TEMPLATE),
    "truncated-docx": (template_docx()[:3000], "t.docx", NOT_A_TEMPLATE),
    "zip-not-a-workbook": (with_parts({"readme.txt": "hello"}), "t.xlsx", UNREADABLE),
    "zip-not-a-document": (with_parts({"readme.txt": "hello"}), "t.docx", UNREADABLE),
    "docx-named-xlsx": (template_docx(), "t.xlsx", UNREADABLE),
    "xlsx-named-docx": (template_xlsx(), "t.docx", UNREADABLE),
    "broken-sheet-xml": (
        replaced(template_xlsx(), {SHEET: "<worksheet><sheetData><row"}),
        "t.xlsx",
        UNREADABLE,
    ),
    "broken-document-xml": (
        replaced(template_docx(), {"word/document.xml": "<w:document"}),
        "t.docx",
        UNREADABLE,
    ),
    "broken-workbook-xml": (replaced(template_xlsx(), {"xl/workbook.xml": "not xml"}), "t.xlsx", UNREADABLE),
    "no-content-types": (
        replaced(template_docx(), {"[Content_Types].xml": "<Types/>"}),
        "t.docx",
        UNREADABLE,
    ),
}


def test_a_file_of_the_wrong_kind_is_refused_in_words(post, db):
    for case, (data, filename, words) in WRONG_KINDS.items():  # one app: set-up is most of a case's time
        try:
            refused(post, db, data, filename, words)
        except AssertionError as failure:
            raise AssertionError(case) from failure


def test_an_oversize_file_is_refused(post, db):
    refused(post, db, b"PK\x03\x04" + b"\x00" * MAX_BYTES, "t.xlsx", "有 2001 KB；意见模板最大 2000 KB")


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


BOMBS = {
    "50-mb-member": lambda: with_parts(parts_of(template_xlsx()), bomb="xl/media/zeros.bin", megabytes=50),
    "4-gb-declared": lambda: huge_declared_size(template_xlsx(), SHEET),
    "3000-members": lambda: many_members(template_xlsx(), 3000),
}


@pytest.mark.parametrize("bomb", BOMBS.values(), ids=BOMBS.keys())
def test_a_zip_bomb_is_refused_before_it_is_inflated(post, db, bomb):
    data = bomb()
    assert len(data) < MAX_BYTES
    assert cpu_seconds(lambda: refused(post, db, data, "bomb.xlsx", "解压")) < 1.0


def test_a_docx_bomb_is_refused_before_it_is_inflated(post, db):
    data = with_parts(parts_of(template_docx()), bomb="word/media/zeros.bin", megabytes=50)
    assert cpu_seconds(lambda: refused(post, db, data, "bomb.docx", "解压")) < 1.0


def test_a_sheet_that_holds_more_than_it_declares_is_read_only_as_far_as_it_declares(post, db):
    """The sheet's header claims 300 bytes; the stream behind it inflates to megabytes of rows."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>1</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>意见{n}</t></is></c></row>'
        for n in range(2, 60_000)
    )
    data = lying_sizes(replaced(template_xlsx(), {SHEET: sheet_xml(rows)}), SHEET, 300)
    assert cpu_seconds(lambda: refused(post, db, data, "lying.xlsx", "无法")) < 1.0


def test_a_nested_zip_is_never_opened(post, db):
    """Nothing reads an embedded archive, so twenty levels of zips inside zips cost nothing."""
    data = replaced(template_xlsx(), {"xl/embeddings/nested.zip": nested_zip(template_xlsx(), 20)})
    assert cpu_seconds(lambda: post(data, "nested.xlsx")) < 1.0
    db.session.rollback()
    assert [c.comment for c in db.session.query(Comment)] == ["外部意见"]


def test_a_sheet_whose_dimension_claims_every_cell_is_read_in_bounds(post, db):
    """`<dimension ref="A1:XFD1048576">` would pad each row to 16,384 cells and the rows to a million."""
    rows = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>外部意见</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>end</t></is></c></row>'
    )
    data = replaced(template_xlsx(), {SHEET: sheet_xml(rows, dimension='<dimension ref="A1:XFD1048576"/>')})
    assert cpu_seconds(lambda: post(data, "wide.xlsx")) < 1.5
    db.session.rollback()
    assert [c.comment for c in db.session.query(Comment)] == ["外部意见"]


ENTITY_SHEETS = {
    "billion-laughs": sheet_xml(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
        prolog=BILLION_LAUGHS_DTD,
    ),
    "external-entity": sheet_xml(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
        prolog=XXE_DTD,
    ),
}


@pytest.mark.parametrize("sheet", ENTITY_SHEETS.values(), ids=ENTITY_SHEETS.keys())
def test_xml_entities_in_a_sheet_are_refused_or_harmless(post, db, sheet):
    data = replaced(template_xlsx(), {SHEET: sheet})
    assert cpu_seconds(lambda: post(data, "entities.xlsx")) < 1.0
    db.session.rollback()
    texts = [c.comment for c in db.session.query(Comment)]
    assert not any(SECRET_MARK in text or "lollol" in text for text in texts)


@pytest.mark.parametrize("prolog", [BILLION_LAUGHS_DTD, XXE_DTD], ids=["billion-laughs", "external-entity"])
def test_xml_entities_in_a_docx_template_are_refused_or_harmless(post, db, prolog):
    data = template_docx("外部意见")
    document = parts_of(data)["word/document.xml"].decode()
    entity = "&lol9;" if "lol" in prolog else "&xxe;"
    body = document.split("?>", 1)[1].replace("外部意见", entity)
    data = replaced(data, {"word/document.xml": prolog + body})
    assert cpu_seconds(lambda: post(data, "entities.docx")) < 1.0
    db.session.rollback()
    texts = [c.comment for c in db.session.query(Comment)]
    assert not any(SECRET_MARK in text or "lollol" in text for text in texts)


def test_a_hostile_file_name_is_shown_escaped(post, db):
    for filename in ("<img src=x onerror=alert(1)>.xlsx", "../../etc/passwd.xlsx", "\u202egnp.xlsx"):
        page = refused(post, db, PNG, filename, "不是 XLSX 或 DOCX 文件")
        assert "<img src=x" not in page and "\u202e" not in page, filename


def test_a_body_larger_than_a_template_is_refused_from_its_header(post, db):
    """Ten megabytes: refused before the form is parsed (the 32 MB cap of every request is far above)."""
    refused(post, db, b"PK\x03\x04" + b"\x00" * 10_000_000, "t.xlsx", "文件大于 2000 KB，超出意见模板的上限")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_table(rows: list[str]) -> bytes:
    """A Word file whose body is one table of `rows` (each a <w:tr> element's XML)."""
    body = f"<w:tbl><w:tblGrid>{'<w:gridCol/>' * len(HEADER)}</w:tblGrid>{''.join(rows)}</w:tbl>"
    return replaced(
        template_docx(), {"word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>"}
    )


def tc(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_a_cell_spanning_two_billion_columns_is_read_as_thirty(post, db):
    """python-docx's row.cells repeats a cell once per column it spans: a tuple of two billion."""
    header = "<w:tr>" + "".join(tc(text) for text in HEADER) + "</w:tr>"
    row = "<w:tr>" + "".join(tc(text) for text in ["某协会", "", "1", "", "te"])
    row += tc("外部意见", '<w:gridSpan w:val="2000000000"/>') + "</w:tr>"
    data = docx_table([header, row])
    assert cpu_seconds(lambda: post(data, "span.docx")) < 1.0
    db.session.rollback()
    assert [c.comment for c in db.session.query(Comment)] == ["外部意见"]


def test_a_column_merged_down_nine_hundred_rows_is_read_in_one_pass(app):
    """python-docx finds a merged cell's text by walking up the rows, once per cell: quadratic (300
    rows took 3 s of CPU, so 900 about 27 s; near 1,000 rows it fails past the recursion limit)."""
    from workflow.comments.importing import read_template

    header = "<w:tr>" + "".join(tc(text) for text in HEADER) + "</w:tr>"
    first = (
        "<w:tr>"
        + tc("某协会", '<w:vMerge w:val="restart"/>')
        + "".join(tc(t) for t in ["", "1", "", "te", "意见"])
    )
    rest = "<w:tr>" + tc("", "<w:vMerge/>") + "".join(tc(t) for t in ["", "1", "", "te", "意见"]) + "</w:tr>"
    data = docx_table([header, first + "</w:tr>", *[rest] * 900])
    with app.test_request_context():
        rows: list = []
        assert cpu_seconds(lambda: rows.extend(read_template(data, "merged.docx"))) < 1.0
    assert len(rows) == 901 and {row.member_body for row in rows} == {"某协会"}
