"""The member import against the files test_member_import_files.py leaves out: a picture or a cut-off
workbook under a spreadsheet's name, a zip that lies about its sizes, a sheet that claims a million
rows, XML entities, and file names that try to be paths or markup. Each is refused in words (or read
harmlessly), quickly, and changes nothing."""

from __future__ import annotations

import pytest
from cpu_time import cpu_seconds
from hostile_files import (
    BILLION_LAUGHS_DTD,
    HOSTILE_NAMES,
    SECRET_MARK,
    XXE_DTD,
    huge_declared_size,
    lying_sizes,
    many_members,
    replaced,
)
from member_files import preview_path, upload, xlsx_bytes
from sqlalchemy import func, select

from accounts.models import Invitation, MemberImport, Role

SHEET = "xl/worksheets/sheet1.xml"
HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'


def member_row(number: int, name: str = "甲") -> str:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>p{number}@example.org</t></is></c>'
        f'<c r="B{number}" t="inlineStr"><is><t>{name}</t></is></c></row>'
    )


def workbook_with_sheet(rows: str, *, prolog: str = "", dimension: str = "") -> bytes:
    xml = prolog + HEAD + dimension + "<sheetData>" + HEADER_ROW + rows + "</sheetData></worksheet>"
    return replaced(xlsx_bytes([("a@example.org", "甲", "", "member", "", "")]), {SHEET: xml})


@pytest.fixture
def association(make_org):
    return make_org(name="深圳市养老服务业协会", code="SZYL")


@pytest.fixture
def as_secretariat(client, login, association, make_member):
    login(client, make_member(association, Role.SECRETARIAT))
    return client


def refused(client, org, db, data: bytes, filename: str, status: int, words: str) -> str:
    answer = upload(client, org, data, filename)
    page = answer.get_data(as_text=True)
    assert answer.status_code == status, page[:500]
    assert words in page
    assert db.session.scalar(select(func.count(MemberImport.id))) == 0
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    return page


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
A_WORKBOOK = xlsx_bytes([("a@example.org", "甲", "", "member", "", "")])


WRONG_KINDS = {
    "png-named-xlsx": (PNG, "members.xlsx", "文件名为 .xlsx，但不是 Excel 工作簿"),
    "png-named-csv": (PNG, "members.csv", "不是文本文件"),
    "truncated-xlsx": (A_WORKBOOK[: len(A_WORKBOOK) // 2], "members.xlsx", "不是可读取的 Excel 工作簿"),
    "empty": (b"", "members.csv", "文件是空的"),
}


def test_a_file_of_the_wrong_kind_is_refused(as_secretariat, association, db):
    for case, (data, filename, words) in WRONG_KINDS.items():
        try:
            refused(as_secretariat, association, db, data, filename, 422, words)
        except AssertionError as failure:
            raise AssertionError(case) from failure


BOMBS = {
    "4-gb-declared": lambda: huge_declared_size(A_WORKBOOK, SHEET),
    "3000-members": lambda: many_members(A_WORKBOOK, 3000),
}


@pytest.mark.parametrize("bomb", BOMBS.values(), ids=BOMBS.keys())
def test_a_zip_bomb_is_refused_before_it_is_inflated(as_secretariat, association, db, bomb):
    data = bomb()
    seconds = cpu_seconds(
        lambda: refused(as_secretariat, association, db, data, "bomb.xlsx", 413, "解压后将超过")
    )
    assert seconds < 1.0


def test_a_sheet_that_holds_more_than_it_declares_is_refused(as_secretariat, association, db):
    """The sheet claims 300 bytes; its stream inflates to megabytes of members."""
    data = lying_sizes(workbook_with_sheet("".join(member_row(n) for n in range(2, 40_000))), SHEET, 300)
    seconds = cpu_seconds(
        lambda: refused(as_secretariat, association, db, data, "lying.xlsx", 422, "不是可读取的 Excel 工作簿")
    )
    assert seconds < 1.0


def test_a_sheet_that_goes_on_to_row_a_million_is_refused_quickly(as_secretariat, association, db):
    """Two members, then a cell in the sheet's last row: openpyxl would hand over a million blank rows."""
    rows = member_row(2) + member_row(3) + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    data = workbook_with_sheet(rows, dimension='<dimension ref="A1:XFD1048576"/>')
    seconds = cpu_seconds(
        lambda: refused(as_secretariat, association, db, data, "tall.xlsx", 413, "工作表超过第 20,000 行")
    )
    assert seconds < 1.0


@pytest.mark.parametrize(
    ("prolog", "entity"), [(BILLION_LAUGHS_DTD, "&lol9;"), (XXE_DTD, "&xxe;")], ids=["billion-laughs", "xxe"]
)
def test_xml_entities_are_refused(as_secretariat, association, db, prolog, entity):
    data = workbook_with_sheet(member_row(2, entity), prolog=prolog)
    page = refused(as_secretariat, association, db, data, "entities.xlsx", 422, "不是可读取的 Excel 工作簿")
    assert SECRET_MARK not in page and "lollol" not in page


#: a name with a line break breaks the part's own header: the form then has no file at all
SENDABLE_NAMES = [name for name in HOSTILE_NAMES if "\n" not in name]


def test_a_hostile_file_name_is_refused_by_content_like_any_other(as_secretariat, association, db):
    for name in SENDABLE_NAMES:
        refused(as_secretariat, association, db, b"%PDF-1.7", name + ".pdf", 422, "请上传 CSV 或 XLSX 文件")


def test_a_file_name_that_breaks_the_form_is_asked_for_again(as_secretariat, association, db):
    """A name werkzeug cannot read as one (a newline) makes the part a text field: a workbook's bytes
    hold NULs, so it is the clean 422 of any field with a NUL; a text file's is asked for again."""
    refused(as_secretariat, association, db, A_WORKBOOK, HOSTILE_NAMES[-1], 422, "U+0000")
    refused(
        as_secretariat,
        association,
        db,
        b"email\r\na@example.org\r\n",
        HOSTILE_NAMES[-1],
        400,
        "请选择要上传的 CSV 或 XLSX 文件",
    )


def test_a_hostile_file_name_of_a_good_list_is_kept_printable_and_shown_as_text(
    as_secretariat, association, db
):
    """Kept for the preview without its NUL (PostgreSQL refuses one), bidi override or length."""
    for name in ("a\x00b<b>x", "\u202egnp.exe", "x" * 300, "../../etc/passwd"):
        preview = as_secretariat.get(
            preview_path(upload(as_secretariat, association, A_WORKBOOK, name + ".xlsx"))
        )
        page = preview.get_data(as_text=True)
        assert preview.status_code == 200
        assert "<b>x" not in page and "\u202e" not in page and "\x00" not in page
    kept = db.session.scalars(select(MemberImport.file_name).order_by(MemberImport.id)).all()
    assert kept[0] == "ab<b>x.xlsx" and kept[1] == "gnp.exe.xlsx"
    assert len(kept[2]) == 255 and kept[3] == "../../etc/passwd.xlsx"
