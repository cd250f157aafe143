"""Cells a user typed never open as formulas: CSV cells beginning like one get an apostrophe, numbers
and our own headings stay as they are."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.spreadsheets import as_text, csv_bytes


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("同意", "同意"),
        ("", ""),
    ],
)
def test_as_text(typed, written):
    assert as_text(typed) == written


def test_csv_bytes_keeps_the_heading_and_guards_the_rows():
    data = csv_bytes([["-字符", "理由"], ["=1+1", "正常"]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["-字符", "理由"], ["'=1+1", "正常"]]
