"""An uploaded member list is a stranger's file: too large, the wrong kind, a zip bomb or formulas all
get a clear message and change nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from member_files import csv_bytes, preview_path, upload, xlsx_bytes
from sqlalchemy import func, select

from accounts.member_files import MAX_FILE_BYTES, MAX_ROWS
from accounts.models import Invitation, MemberImport, Role


@pytest.fixture
def association(make_org):
    return make_org(name="深圳市养老服务业协会", code="SZYL")


@pytest.fixture
def as_secretariat(client, login, association, make_member):
    login(client, make_member(association, Role.SECRETARIAT))
    return client


def _refused(client, org, data: bytes, filename: str, status: int, words: str, db) -> None:
    answer = upload(client, org, data, filename)
    page = answer.get_data(as_text=True)
    assert answer.status_code == status, page[:500]
    assert words in page
    assert 'role="alert"' in page  # beside the file field, not a bare error page
    assert db.session.scalar(select(func.count(MemberImport.id))) == 0
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_a_file_over_two_megabytes_is_refused(as_secretariat, association, db):
    row = "a@example.org,名字,单位,member,yes,1\r\n"
    data = (
        "email,name,organisation,role,voting,weight\r\n" + row * (MAX_FILE_BYTES // len(row.encode()) + 10)
    ).encode()
    assert len(data) > MAX_FILE_BYTES
    _refused(as_secretariat, association, data, "big.csv", 413, "成员名单最大 2 MB", db)


def test_more_than_five_thousand_rows_are_refused(as_secretariat, association, db):
    data = csv_bytes([(f"p{n}@example.org", "", "", "member", "", "") for n in range(MAX_ROWS + 1)])
    assert len(data) < MAX_FILE_BYTES
    _refused(as_secretariat, association, data, "many.csv", 413, "成员行超过 5,000 行", db)


def test_five_thousand_rows_are_read(as_secretariat, association, db):
    data = xlsx_bytes([(f"p{n}@example.org", f"人{n}", "", "member", "", "") for n in range(MAX_ROWS)])
    page = as_secretariat.get(preview_path(upload(as_secretariat, association, data, "all.xlsx"))).get_data(
        as_text=True
    )
    assert "应用 5000 项更改" in page


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"%PDF-1.7 not a member list", "members.pdf", "请上传 CSV 或 XLSX 文件"),
        (b"just some text, not a workbook", "members.xlsx", "文件名为 .xlsx，但不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "members.xls", "旧版 Excel 文件（.xls）"),
        (b"PK\x03\x04 a broken zip", "members.xlsx", "不是可读取的 Excel 工作簿"),
        (b"email,name,role\r\na@example.org,\x00\x00,member\r\n", "members.csv", "不是文本文件"),
        (b"\xff\xfe\x00\xd8broken", "members.csv", "无法识别文件的字符编码"),
        (b"   \r\n", "members.csv", "文件是空的"),
        (b"email,role\r\n", "members.csv", "文件只有表头，没有成员"),
    ],
    ids=[
        "pdf",
        "text-named-xlsx",
        "old-xls",
        "broken-zip",
        "binary-csv",
        "bad-utf16",
        "empty",
        "header-only",
    ],
)
def test_a_file_of_the_wrong_kind_is_refused(as_secretariat, association, db, data, filename, words):
    _refused(as_secretariat, association, data, filename, 422, words, db)


def test_a_zip_that_is_not_a_workbook_is_refused(as_secretariat, association, db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(
        as_secretariat, association, out.getvalue(), "members.xlsx", 422, "不是可读取的 Excel 工作簿", db
    )


def test_a_zip_bomb_is_refused_before_it_is_inflated(as_secretariat, association, db):
    """A workbook whose sheet inflates to 100 MB of zeros, compressed to about 100 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"\x00" * (1024 * 1024)
            for _megabyte in range(100):
                sheet.write(block)
    data = out.getvalue()
    assert len(data) < MAX_FILE_BYTES
    _refused(as_secretariat, association, data, "bomb.xlsx", 413, "解压后将超过 40 MB", db)


def test_a_formula_is_text_never_evaluated(as_secretariat, association, db):
    data = xlsx_bytes(
        [
            ('=HYPERLINK("mailto:a@example.org","a@example.org")', "甲", "", "member", "", ""),
            ("b@example.org", "=1+1", '=HYPERLINK("https://evil.example","点我")', "member", "", ""),
        ]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data, "f.xlsx")))
    page = preview.get_data(as_text=True)
    assert "邮箱单元格是公式" in page
    as_secretariat.post(preview.request.path)
    (invitation,) = db.session.scalars(select(Invitation)).all()
    assert invitation.email == "b@example.org"
    assert invitation.name == "=1+1"  # kept as the text typed, not 2
    assert invitation.unit == '=HYPERLINK("https://evil.example","点我")'


def test_a_semicolon_csv_and_quoted_cells_are_read(as_secretariat, association, db):
    data = 'email;name;organisation;role\r\na@example.org;"甲, 乙";"某公司; 分部";member\r\n'.encode()
    as_secretariat.post(
        preview_path(upload(as_secretariat, association, data)).removeprefix("http://localhost")
    )
    (invitation,) = db.session.scalars(select(Invitation)).all()
    assert (invitation.name, invitation.unit) == ("甲, 乙", "某公司; 分部")


def test_a_header_naming_a_column_twice_is_refused(as_secretariat, association, db):
    data = csv_bytes([("a@example.org", "b@example.org", "member")], header=("email", "邮箱", "role"))
    _refused(as_secretariat, association, data, "m.csv", 422, "两次出现 email / 邮箱 列", db)


def test_an_upload_without_a_file_is_asked_for_again(as_secretariat, association):
    answer = as_secretariat.post(f"/orgs/{association.id}/members/import", data={})
    assert answer.status_code == 400
    assert "请选择要上传的 CSV 或 XLSX 文件" in answer.get_data(as_text=True)


def test_the_messages_are_english_for_an_english_reader(as_secretariat, association, db, client):
    client.post("/language", data={"locale": "en"})
    answer = upload(client, association, b"just text", "m.xlsx")
    assert "The file is named .xlsx but is not an Excel workbook" in answer.get_data(as_text=True)
