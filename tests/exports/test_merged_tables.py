"""Tables that need no hand work in Word or the PDF: merged cells come out merged, a long table repeats
its header (under 表N（续） in the PDF), long words wrap inside their cell, narrow columns keep room."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from export_helpers import needs, pdf_words

from exports.api import export_document
from exports.tables import MIN_UNITS, PAGE_UNITS, column_widths

pytestmark = pytest.mark.slow

COVER = "---\ntitle:\n  zh: 表格测试标准\nassociation: 测试协会\n---\n\n# 范围\n\n"

#: a header; 人员配置 across two columns; b and d down two rows each
SPANS = """\
+------+------+-----+
| 项目 | 要求 | 备注|
+======+======+=====+
| 人员配置    | b   |
+------+------+     +
| c    | d    |     |
+------+      +-----+
| e    |      | f   |
+------+------+-----+
"""

#: page: A4, right margin 20 mm (GB/T 1.1): no text may end right of it, nor start left of 25 mm
RIGHT_EDGE = (210 - 20) / 25.4 * 72
LEFT_EDGE = 25 / 25.4 * 72


def _display(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def grid(header: list[str], rows: list[list[str]]) -> str:
    """A grid table with a header row, its columns as wide as their text."""
    widths = [max(_display(row[i]) for row in [header, *rows]) + 2 for i in range(len(header))]

    def border(rule: str) -> str:
        return "+" + "+".join(rule * n for n in widths) + "+\n"

    def line(cells: list[str]) -> str:
        return (
            "|"
            + "|".join(f" {c}" + " " * (n - 1 - _display(c)) for c, n in zip(cells, widths, strict=True))
            + "|\n"
        )

    return border("-") + line(header) + border("=") + "".join(line(row) + border("-") for row in rows)


def _document(*tables: tuple[str, str, str]) -> str:
    """A standard citing each (id, caption, table) and holding it."""
    body = "".join(
        f"见[](#{ident})。\n\n{table}\nTable: {caption} {{#{ident}}}\n\n" for ident, caption, table in tables
    )
    return COVER + body


def _page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return ["".join(page.split()) for page in text.split("\f")]


def _docx_table(data: bytes, first_cell: str):
    return next(t for t in docx.Document(io.BytesIO(data)).tables if t.cell(0, 0).text == first_cell)


def test_merged_cells_are_merged_in_word():
    table = _docx_table(export_document(_document(("tbl-a", "配置", SPANS)), "docx").data, "项目")
    assert table.cell(1, 0).text == "人员配置" and table.cell(1, 0)._tc is table.cell(1, 1)._tc
    assert table.cell(1, 0).grid_span == 2
    assert table.cell(1, 2).text == "b" and table.cell(2, 2)._tc is table.cell(1, 2)._tc  # down two rows
    assert table.cell(2, 1).text == "d" and table.cell(3, 1)._tc is table.cell(2, 1)._tc
    assert [table.cell(3, 0).text, table.cell(3, 2).text] == ["e", "f"]
    assert "------" not in "".join(cell.text for row in table.rows for cell in row.cells)


def test_header_rows_repeat_on_each_page_in_word():
    table = _docx_table(export_document(_document(("tbl-a", "配置", SPANS)), "docx").data, "项目")
    flags = [row._tr.xpath("./w:trPr/w:tblHeader") != [] for row in table.rows]
    assert flags == [True, False, False, False]


def test_merged_cells_are_merged_in_the_pdf(tmp_path):
    words = pdf_words(export_document(_document(("tbl-a", "配置", SPANS)), "pdf").data, tmp_path)
    page = next(p for p in words if any(w[4] == "人员配置" for w in p))
    box = {w[4]: w for w in page if w[4] in ("项目", "要求", "人员配置", "b", "c", "d", "e", "f")}
    middle = lambda w: (w[0] + w[2]) / 2  # noqa: E731
    # across two columns: centred between them, not in the first one
    assert abs(middle(box["人员配置"]) - (middle(box["项目"]) + middle(box["要求"])) / 2) < 3
    # b covers the rows of 人员配置 and c: one word, in the first of them; d likewise over c's and e's rows
    assert abs(box["b"][1] - box["人员配置"][1]) < 2 and box["d"][1] < box["e"][1]
    assert abs(box["d"][1] - box["c"][1]) < 2


def _long_table(rows: int) -> str:
    return grid(
        ["序号", "要求", "引用文件"], [[str(i), f"第{i}项要求", f"T/CSX {i}—2026"] for i in range(rows)]
    )


def test_a_long_table_continues_under_its_number_and_repeats_its_header_in_the_pdf(tmp_path):
    text = _document(("tbl-a", "配置", SPANS), ("tbl-long", "长表", _long_table(120)))
    pages = _page_texts(export_document(text, "pdf").data, tmp_path)
    first = next(i for i, page in enumerate(pages) if "表2长表" in page)
    following = [page for page in pages[first + 1 :] if "项要求" in page]
    assert following and "第119项要求" in following[-1]
    for page in following:
        assert "表2（续）序号要求引用文件" in page  # the continuation line, then the header again
    assert "续" not in pages[first]  # the first page has the caption itself, no continuation line
    assert "表1（续）" not in "".join(pages)  # a table on one page never says 续


def test_a_long_word_wraps_inside_its_cell_and_a_narrow_column_keeps_its_word_whole(tmp_path):
    long_word = "GB/T1.1-2020-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ"
    url = "https://www.example.org/standards/a-very-long-path/with-a-file-name-that-never-breaks.html"
    table = grid(
        ["项目", "编号", "说明", "网址", "备注"],
        [["服务人员配置要求", long_word, "服务人员应持证上岗，并定期参加培训。" * 2, url, "无"]],
    )
    words = pdf_words(export_document(_document(("tbl-w", "宽", table)), "pdf").data, tmp_path)
    page = next(p for p in words if any(w[4] == "备注" for w in p))
    assert all(w[0] >= LEFT_EDGE - 1 and w[2] <= RIGHT_EDGE + 1 for w in page), [
        w for w in page if w[0] < LEFT_EDGE - 1 or w[2] > RIGHT_EDGE + 1
    ]
    pieces = sorted((w[1], w[4]) for w in page if len(w[4]) >= 4 and w[4] in long_word)
    assert len(pieces) > 1 and "".join(p for _, p in pieces) == long_word  # all of it, on several lines
    assert any(w[4] == "备注" for w in page)  # a two-character header on one line, not one per line


def test_long_code_links_and_marked_words_wrap_too_and_their_characters_stay_literal(tmp_path):
    code, link, bold = "abcdefghij" * 5, "KLMN" * 10, "WXYZ" * 10  # no letter in two of them
    hostile = 'q"u#o[t]e;' + "qrst" * 6  # what Typst would read as a string's end, code, content
    table = grid(
        ["项目", "代码", "链接", "强调", "字符", "备注"],
        [["配置", f"`{code}`", f"[{link}](https://example.org/)", f"**{bold}**", hostile, "无"]],
    )
    pdf = export_document(_document(("tbl-c", "代码", table)), "pdf").data
    words = pdf_words(pdf, tmp_path)
    page = next(p for p in words if any(w[4] == "备注" for w in p))
    assert all(w[0] >= LEFT_EDGE - 1 and w[2] <= RIGHT_EDGE + 1 for w in page), [
        w for w in page if w[0] < LEFT_EDGE - 1 or w[2] > RIGHT_EDGE + 1
    ]
    for whole in (code, link, bold, hostile):
        pieces = [w[4] for w in sorted(page, key=lambda w: w[1]) if w[4] in whole]
        assert len(pieces) > 1 and "".join(pieces) == whole  # cut into lines, nothing lost or added


def test_a_long_word_stays_inside_the_page_and_a_narrow_column_keeps_its_word_whole_in_word(tmp_path):
    """Word (here LibreOffice, which lays out the same fixed column widths) cuts a word longer than its
    cell at the cell's edge; the widths give the two-character column room for its header."""
    needs("libreoffice")
    long_word = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    table = grid(
        ["项目", "编号", "说明", "备注"],
        [["服务人员配置要求", long_word, "服务人员应持证上岗，并定期参加培训。" * 3, "无"]],
    )
    source = tmp_path / "wide.docx"
    source.write_bytes(export_document(_document(("tbl-w", "宽", table)), "docx").data)
    done = subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    words = pdf_words((tmp_path / "wide.pdf").read_bytes(), tmp_path)
    page = next(p for p in words if any("ABCDEF" in w[4] for w in p))
    assert all(w[2] <= RIGHT_EDGE + 2 for w in page), [w for w in page if w[2] > RIGHT_EDGE + 2]
    assert any(w[4] == "备注" for w in page), [w for w in page if w[4] in "备注"]


def test_a_narrow_column_gets_room_for_two_characters_when_others_want_the_whole_page():
    widths = column_widths([60, 60, 60, 4], [2, 2, 24, 4])
    assert widths[3] * PAGE_UNITS >= MIN_UNITS + 1 and abs(sum(widths) - 1) < 1e-9
    assert widths[2] * PAGE_UNITS >= 24  # the column with a 24-character word can hold it


def test_merged_cells_stay_merged_in_the_sts_xml():
    from lxml import etree

    root = etree.fromstring(export_document(_document(("tbl-a", "配置", SPANS)), "sts").data)
    table = root.find(".//table-wrap[@id='tbl-a']/table")
    assert [th.text for th in table.findall("thead/tr/th")] == ["项目", "要求", "备注"]
    rows = [
        [(td.text, td.get("rowspan"), td.get("colspan")) for td in tr] for tr in table.findall("tbody/tr")
    ]
    assert rows == [
        [("人员配置", None, "2"), ("b", "2", None)],
        [("c", None, None), ("d", "2", None)],
        [("e", None, None), ("f", None, None)],
    ]
