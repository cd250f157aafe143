"""Tables people open in Excel or WPS: every cell a user typed stays text, never a formula.

A comment, a vote's reasons or a name may begin with `=HYPERLINK(…)` or `+cmd|…`; a spreadsheet opens
such a cell as a live formula (CSV and XLSX alike: openpyxl stores a string beginning with "=" as a
formula). Every file we write for people to open goes through here, so the text comes back as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

#: what makes a spreadsheet read a cell as a formula (OWASP's list: = + - @, tab and carriage return)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def as_text(value: Any) -> Any:
    """A CSV cell that opens as the text typed: one beginning like a formula gets a leading
    apostrophe (which the spreadsheet hides); numbers, "-3" included, and non-text stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[Any]], *, header_rows: int = 1) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Chinese right), CRLF lines; the cells after the
    `header_rows` (our own words) made safe with `as_text`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow(row if index < header_rows else [as_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def keep_text(cells: Iterable[Any]) -> None:
    """Store the openpyxl cells' strings as strings: openpyxl makes a string beginning with "=" a
    formula, which Excel would evaluate when the file opens."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
