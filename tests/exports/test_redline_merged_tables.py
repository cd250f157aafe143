"""The PDF redline keeps a table's merged cells: each cell where the standard prints it, spanning its
rows and columns, its changes marked; a merge that changed is drawn on the new revision's grid."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from export_helpers import needs, pdf_words
from PIL import Image
from test_merged_tables import SPANS, _document

from exports.api import export_redline

pytestmark = pytest.mark.slow

#: SPANS with "e old" where SPANS has "e": the new revision (SPANS with "d now") deletes " old"
OLD = SPANS.replace("| e    |      |", "| e old|      |")
NEW = SPANS.replace("| c    | d    |", "| c    | d now|")
#: SPANS with 人员配置 cut into two cells: the merge across two columns is gone
SPLIT = SPANS.replace("| 人员配置    | b   |", "| 人员 | 配置 | b   |")

Box = tuple[float, float, float, float, str]
#: the redline's colours (exports.redline): inserted text, deleted text, a cell whose merge changed
INSERTED = (0x06, 0x45, 0xAD)
DELETED = (0xB0, 0x00, 0x20)
MERGE_CHANGED = (0xFF, 0xF3, 0xCC)
SCALE = 2  # pixels per point of the rendered page (144 dpi)


def _redline(old: str, new: str, tmp_path: Path) -> tuple[dict[str, Box], Image.Image]:
    """The words of the redline's page with the table, by text, and that page drawn at 144 dpi."""
    needs("pdftoppm")
    pdf = export_redline(_document(("tbl-a", "配置", old)), _document(("tbl-a", "配置", new)), "pdf").data
    pages = pdf_words(pdf, tmp_path)
    number = next(i for i, page in enumerate(pages) if any(w[4] == "项目" for w in page))
    path = tmp_path / "redline.pdf"
    path.write_bytes(pdf)
    stem = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", str(72 * SCALE), "-png", "-singlefile", "-f", str(number + 1), "-l",
         str(number + 1), str(path), str(stem)],
        check=True,
    )  # fmt: skip
    return {w[4]: w for w in pages[number]}, Image.open(f"{stem}.png").convert("RGB")


def _middle(word: Box) -> float:
    return (word[0] + word[2]) / 2


def _has_colour(page: Image.Image, word: Box, colour: tuple[int, int, int]) -> bool:
    """Whether some pixel inside the word's box is (nearly) `colour`."""
    x0, y0, x1, y1 = (round(v * SCALE) for v in word[:4])
    colours = page.crop((x0, y0, x1 + 1, y1 + 1)).getcolors(1 << 24) or []
    return any(all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True)) for _, pixel in colours)


def _fill_left_of(page: Image.Image, word: Box) -> tuple[int, int, int]:
    """The cell's background just left of a word (inside the cell's 4 pt inset)."""
    return page.getpixel((round((word[0] - 2) * SCALE), round((word[1] + word[3]) / 2 * SCALE)))


def test_merged_cells_keep_their_places_in_the_pdf_redline_and_changed_text_is_marked(tmp_path):
    box, page = _redline(OLD, NEW, tmp_path)
    # 人员配置 across 项目 and 要求, centred between them as the standard prints it
    assert abs(_middle(box["人员配置"]) - (_middle(box["项目"]) + _middle(box["要求"])) / 2) < 3
    # b down two rows beside it, in the 备注 column; d down two rows under 要求; e and f under their
    # headers: nothing moved one place left into a column a merge covers
    assert abs(box["b"][1] - box["人员配置"][1]) < 2 and abs(_middle(box["b"]) - _middle(box["备注"])) < 6
    assert (
        abs(box["d"][1] - box["c"][1]) < 2 and box["d"][0] > box["项目"][2] and box["d"][2] < box["备注"][0]
    )
    assert abs(_middle(box["f"]) - _middle(box["备注"])) < 6 and box["f"][1] > box["d"][3]
    assert box["e"][2] < box["要求"][0] and abs(box["e"][1] - box["f"][1]) < 2
    # the changes, in the cells they were made in: "now" inserted beside d, "old" deleted beside e
    assert abs(box["now"][1] - box["d"][1]) < 2 and box["now"][0] > box["d"][2]
    assert abs(box["old"][1] - box["e"][1]) < 2 and box["old"][0] > box["e"][2]
    assert _has_colour(page, box["now"], INSERTED) and not _has_colour(page, box["now"], DELETED)
    assert _has_colour(page, box["old"], DELETED) and not _has_colour(page, box["old"], INSERTED)
    assert not _has_colour(page, box["人员配置"], INSERTED)  # kept text is not marked
    assert "合并方式" not in "".join(box)  # no merge changed, so no word about merges


def test_a_merge_that_changed_is_drawn_as_the_new_revision_merges_and_its_cell_shaded(tmp_path):
    box, page = _redline(SPANS, SPLIT, tmp_path)
    # 人员 and 配置 are two cells now, under 项目 and 要求; b still spans two rows beside them
    assert abs(_middle(box["人员"]) - _middle(box["项目"])) < 6
    assert abs(_middle(box["配置"]) - _middle(box["要求"])) < 6
    assert abs(box["b"][1] - box["人员"][1]) < 2 and abs(_middle(box["b"]) - _middle(box["备注"])) < 6
    assert abs(box["d"][1] - box["c"][1]) < 2 and abs(_middle(box["f"]) - _middle(box["备注"])) < 6
    # the cell whose merge changed is shaded and the line under the table says what the shade means
    assert all(abs(a - b) < 8 for a, b in zip(_fill_left_of(page, box["人员"]), MERGE_CHANGED, strict=True))
    assert _fill_left_of(page, box["c"]) == (255, 255, 255)
    assert "底色标出的单元格合并方式有改动。" in box


def test_a_row_deleted_inside_a_merge_stays_under_the_merged_cell(tmp_path):
    # the old revision's e covers two rows, the second with g and h; the new one deletes that row
    old = SPANS.replace(
        "| e    |      | f   |\n+------+------+-----+\n",
        "| e    |      | f   |\n|      +------+-----+\n|      | g    | h   |\n+------+------+-----+\n",
    )
    box, page = _redline(old, SPANS, tmp_path)
    # the deleted row's cells stand where they stood, right of e (which covered that row), marked
    assert (
        abs(_middle(box["g"]) - _middle(box["要求"])) < 6
        and abs(_middle(box["h"]) - _middle(box["备注"])) < 6
    )
    assert box["g"][1] > box["f"][3] and _has_colour(page, box["g"], DELETED)
