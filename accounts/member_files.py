"""Reading an uploaded member list (CSV or XLSX) into rows of text, within a budget.

The file is whatever a browser sent: its name proves nothing, so the content decides what it is. A
CSV is decoded as UTF-8 (with or without the BOM Excel writes), UTF-16 with a BOM (Excel's "Unicode
text") or GB18030, the superset of the GBK that Excel writes on a Chinese Windows. An XLSX is a zip:
its declared sizes are checked before openpyxl opens it (Python's zipfile never inflates an entry past
its declared size, so the check bounds the memory a zip bomb can take), and openpyxl reads it in
read-only mode with formulas left as their text (`=HYPERLINK(…)` is never evaluated). Every failure
is a `Refused` with words a secretariat can act on; nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from accounts.refusals import Refused
from accounts.uploads import ZipTooLarge, zip_members

#: the largest file accepted, in bytes
MAX_FILE_BYTES = 2 * 1024 * 1024
#: the most member rows (not counting the header and blank rows) one file may have
MAX_ROWS = 5_000
#: columns beyond this are not read (a member list has six)
MAX_COLUMNS = 50
#: the last sheet row read: blank rows between members are skipped, but a sheet that goes on past
#: this is refused (openpyxl fills the gap before a row numbered 1,048,576 with a million empty rows)
MAX_SHEET_ROWS = 4 * MAX_ROWS
#: the most an XLSX may hold once inflated, all its parts together
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
#: the most parts an XLSX may have (a plain workbook has about a dozen)
MAX_ZIP_ENTRIES = 500

_ZIP_MAGIC = b"PK\x03\x04"
#: the old binary Excel format (.xls), and encrypted workbooks, are OLE compound files
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Table:
    """The cells of a file as text: `rows` are (row number as a spreadsheet shows it, cells)."""

    kind: str  #: "csv" or "xlsx"
    encoding: str | None  #: the encoding a CSV was read in; None for XLSX
    rows: list[tuple[int, list[str]]]


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def read_table(filename: str, data: bytes) -> Table:
    """The rows of an uploaded CSV or XLSX file, or `Refused` saying why it cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise Refused(
            "too_large",
            _(
                "The file is %(size)s MB; a member list may be at most %(limit)s MB.",
                size=megabytes(len(data)),
                limit=megabytes(MAX_FILE_BYTES),
            ),
        )
    if not data.strip():
        raise Refused("invalid", _("The file is empty."))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    if data.startswith(_OLE_MAGIC):
        raise Refused(
            "invalid",
            _(
                "This is an old Excel file (.xls) or a password-protected workbook: save it as .xlsx or CSV (UTF-8) and upload that."
            ),
        )
    if suffix in ("xlsx", "xlsm"):
        raise Refused(
            "invalid", _("The file is named .xlsx but is not an Excel workbook (or it is damaged).")
        )
    if suffix not in ("csv", "txt"):
        raise Refused("invalid", _("Upload a CSV or XLSX file (a member list with one person per row)."))
    return _read_csv(data)


# -- CSV -----------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 first (BOM or not), UTF-16 with its BOM, then GB18030 (GBK)."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    candidates = ["utf-16"] if utf16 else ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise Refused(
        "invalid",
        _("The file's characters cannot be read: save it as “CSV UTF-8” (or as .xlsx) and upload it again."),
    )


def _delimiter(first_line: str) -> str:
    """The separator of the header line: comma unless a semicolon or a tab is more frequent."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise Refused("invalid", _("The file is not a text file: upload a CSV or XLSX file."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(first_line))
    rows: list[tuple[int, list[str]]] = []
    filled = 0
    try:
        for number, cells in enumerate(reader, start=1):
            cells = [cell.strip() for cell in cells[:MAX_COLUMNS]]
            if any(cells):
                filled += 1
                _check_row_count(filled)
                rows.append((number, cells))
    except csv.Error as error:
        raise Refused(
            "invalid",
            _("The CSV file is malformed near row %(row)d: %(error)s", row=reader.line_num, error=str(error)),
        ) from error
    return Table("csv", encoding, rows)


def _check_row_count(filled: int) -> None:
    """`filled` counts the non-blank rows read so far, the header included."""
    if filled > MAX_ROWS + 1:
        raise Refused(
            "too_large",
            _(
                "The file has more than %(limit)s member rows: split it into several files.",
                limit=f"{MAX_ROWS:,}",
            ),
        )


# -- XLSX ----------------------------------------------------------------------------------------


def _not_a_workbook() -> Refused:
    return Refused(
        "invalid", _("The file is not an Excel workbook (.xlsx) that can be read, or it is damaged.")
    )


def _check_zip(data: bytes) -> None:
    """Refuse a zip that is not a workbook or would inflate beyond the budget, before opening it."""
    try:
        entries = zip_members(data, max_members=MAX_ZIP_ENTRIES, max_unpacked_bytes=MAX_UNCOMPRESSED_BYTES)
    except ZipTooLarge:
        raise Refused(
            "too_large",
            _(
                "The workbook would take more than %(limit)s MB once unpacked: this is not a plain member list.",
                limit=megabytes(MAX_UNCOMPRESSED_BYTES),
            ),
        ) from None
    if entries is None or "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise _not_a_workbook()


def _cell_text(value: object) -> str:
    """A cell's value as the text a person typed: 2.0 is "2", a formula stays its text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    from openpyxl import load_workbook

    rows: list[tuple[int, list[str]]] = []
    filled = 0
    try:
        # read_only streams the sheet; data_only=False keeps a formula's text instead of a cached result
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl answers a damaged file with many kinds of error
        raise _not_a_workbook() from error
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise Refused(
                    "too_large",
                    _(
                        "The sheet goes on past row %(last)s: a member list has at most %(limit)s member rows.",
                        last=f"{MAX_SHEET_ROWS:,}",
                        limit=f"{MAX_ROWS:,}",
                    ),
                )
            cells = [_cell_text(value) for value in values]
            if any(cells):
                filled += 1
                _check_row_count(filled)
                rows.append((number, cells))
    except Refused:
        raise
    except Exception as error:  # a sheet that fails half-way is as damaged as one that fails to open
        raise _not_a_workbook() from error
    finally:
        workbook.close()
    return Table("xlsx", None, rows)
