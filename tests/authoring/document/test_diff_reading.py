"""The reading view of a diff: each clause's printed text compared (labels, tables, cover fields), laid
out as a title, paragraphs and tables with marked runs, and drawn as escaped HTML."""

from __future__ import annotations

from diffcases import doc

from authoring.document.diff import diff_documents
from authoring.document.diffing.layout import Paragraph, Table, layout
from authoring.document.diffing.render_reading import render_reading_page
from authoring.document.diffing.textdiff import new_text, old_text

BODY = """
# 范围 {#scope}

本文件规定了服务要求。

# 服务要求 {#ch-service}

## 总则 {#c-general}

服务机构应符合[](#c-staff)和[](#t-items)的规定。

## 人员 {#c-staff}

服务机构应配备服务人员。

注：人员包括专职和兼职人员。

## 项目 {#c-items}

服务项目见[](#t-items)。

Table: 服务项目 {#t-items}

| 类别 | 项目 |
|---|---|
| 生活照料 | 助餐、助浴 |
| 健康服务 | 健康监测 |

# 评估程序 {.annex .normative #annex-a}

评估应按本附录进行。
"""


def _hunk(old: str, new: str, section_id: str, *, language: str = "zh"):
    diff = diff_documents(doc(old, language=language), doc(new, language=language), reading=True)
    return diff.hunk(section_id)


def test_a_table_row_added_is_a_row_of_the_table_marked_added():
    new = BODY.replace("| 健康服务 | 健康监测 |", "| 健康服务 | 健康监测 |\n| 精神慰藉 | 关怀访视 |")
    laid = layout(_hunk(BODY, new, "c-items"))
    caption, table = laid.body[1], laid.body[2]
    assert isinstance(caption, Paragraph) and caption.role == "caption"
    assert caption.runs == (("=", "表1　服务项目"),)
    assert isinstance(table, Table) and [row.status for row in table.rows] == ["=", "=", "=", "+"]
    assert table.rows[0].header and table.rows[-1].cells == ((("+", "精神慰藉"),), (("+", "关怀访视"),))


def test_a_changed_cell_is_marked_inside_its_cell_at_character_level():
    new = BODY.replace("助餐、助浴", "助餐、助洁")
    table = layout(_hunk(BODY, new, "c-items")).body[2]
    assert isinstance(table, Table)
    assert table.rows[1].cells[1] == (("=", "助餐、助"), ("-", "浴"), ("+", "洁"))


def test_a_column_added_shows_as_inserted_cells():
    new = BODY.replace("| 类别 | 项目 |\n|---|---|", "| 类别 | 项目 | 方式 |\n|---|---|---|")
    new = new.replace("| 生活照料 | 助餐、助浴 |", "| 生活照料 | 助餐、助浴 | 上门 |")
    table = layout(_hunk(BODY, new, "c-items")).body[2]
    assert isinstance(table, Table)
    assert len(table.rows[0].cells) == 3 and table.rows[0].cells[2] == (("+", "方式"),)


def test_a_renumbered_target_changes_the_printed_reference_but_not_the_source():
    new = BODY.replace("## 总则 {#c-general}", "## 定义 {#c-defs}\n\n本章的定义。\n\n## 总则 {#c-general}")
    reading = layout(_hunk(BODY, new, "c-general")).body[0]
    assert isinstance(reading, Paragraph)
    printed = "".join(text for op, text in reading.runs if op != "-")
    assert printed == "服务机构应符合2.3和表1的规定。"  # 人员 is now 2.3
    source = diff_documents(doc(BODY), doc(new)).hunk("c-general")
    assert source is None  # the Markdown did not change


def test_notes_annexes_and_terms_print_their_labels():
    new = BODY.replace("人员包括专职和兼职人员。", "人员包括专职人员。").replace(
        "评估应按本附录进行。", "评估应按本附录的程序进行。"
    )
    note = layout(_hunk(BODY, new, "c-staff")).body[1]
    assert isinstance(note, Paragraph) and note.role == "note"
    assert "".join(t for _, t in note.runs).startswith("注：")
    annex = _hunk(BODY, new, "annex-a")
    assert layout(annex).title == (("=", "（规范性）　评估程序"),)
    page = render_reading_page(diff_documents(doc(BODY), doc(new), reading=True))
    assert '<span class="sf-num">附录A</span>' in page


def test_english_changes_are_marked_word_by_word():
    old = "# Scope {#scope}\n\nThe provider shall test the alarm monthly.\n"
    new = "# Scope {#scope}\n\nThe provider shall test each alarm weekly.\n"
    paragraph = layout(_hunk(old, new, "scope", language="en")).body[0]
    assert isinstance(paragraph, Paragraph)
    changed = [(op, text) for op, text in paragraph.runs if op != "="]
    assert changed == [("-", "the"), ("+", "each"), ("-", "monthly"), ("+", "weekly")]


def test_the_cover_is_compared_as_fields_not_yaml():
    old, new = doc(BODY), doc(BODY)
    new.meta.draft = "送审稿"
    front = diff_documents(old, new, reading=True).hunks[0]
    assert front.kind == "front-matter"
    assert old_text(front.ops) == "中文名称：测试标准\n发布单位：测试协会"
    assert new_text(front.ops) == "中文名称：测试标准\n发布单位：测试协会\n文稿阶段：送审稿"


def test_an_untitled_clause_prints_its_text_not_an_empty_heading():
    old = "# 要求 {#ch}\n\n## {#c-a}\n\n服务机构应建立档案。\n"
    new = "# 要求 {#ch}\n\n## {#c-a}\n\n服务机构应建立电子档案。\n"
    laid = layout(_hunk(old, new, "c-a"))
    assert laid.title == ()
    assert "".join(t for op, t in laid.body[0].runs if op != "-") == "服务机构应建立电子档案。"


def test_text_that_imitates_a_table_row_stays_text():
    forged = "服务机构应符合\ue001要求\t一。"
    new = BODY.replace("服务机构应配备服务人员。", forged)
    laid = layout(_hunk(BODY, new, "c-staff"))
    assert not any(isinstance(block, Table) for block in laid.body)
    first = laid.body[0]
    assert isinstance(first, Paragraph) and first.role == "text"
    assert "".join(t for op, t in first.runs if op != "-") == "服务机构应符合 要求 一。"


def test_the_reading_page_escapes_the_standards_text():
    new = BODY.replace("服务机构应配备服务人员。", '服务机构应<img src=x onerror="alert(1)">配备人员。')
    page = render_reading_page(diff_documents(doc(BODY), doc(new), reading=True))
    assert "<img" not in page and "&lt;img" in page


def test_english_labels_are_set_apart_by_an_em_space():
    old = "# Scope {#scope}\n\nSee [](#t-a).\n\nTable: Data elements {#t-a}\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    new = old.replace("| 1 | 2 |", "| 1 | 3 |")
    diff = diff_documents(doc(old, language="en"), doc(new, language="en"), reading=True)
    laid = layout(diff.hunk("scope"))
    assert laid.body[0].runs == (("=", "See Table 1."),)
    assert laid.body[1].runs == (("=", "Table 1\u2003Data elements"),)
    assert diff.new_title == "测试标准"  # the cover has no English title: the Chinese one stands in


MERGED = """
# 范围 {#scope}

服务项目见[](#t-merged)。

Table: 服务项目与频次 {#t-merged}

+----------+----------+---------------+
| 服务项目 | 服务内容 | 服务频次      |
+==========+==========+===============+
| 生活照料 | 助餐     | 每日          |
|          +----------+---------------+
|          | 助浴     | 每周不少于1次 |
+----------+----------+---------------+
| 健康管理 | 健康档案与定期随访       |
+----------+--------------------------+
"""


def _grid(old: str, new: str):
    table = next(item for item in layout(_hunk(old, new, "scope")).body if isinstance(item, Table))
    assert table.grid is not None
    return table.grid, {"".join(text for _, text in cell.runs): cell for cell in table.grid.cells}


def test_a_table_without_merged_cells_has_no_grid():
    table = layout(_hunk(BODY, BODY.replace("助餐、助浴", "助餐、助洁"), "c-items")).body[2]
    assert isinstance(table, Table) and table.grid is None


def test_a_merged_table_is_placed_with_its_spans_and_a_changed_cell_keeps_its_marks():
    grid, cells = _grid(MERGED, MERGED.replace("| 助餐     |", "| 助餐送餐 |"))
    assert grid.columns == 3 and [status for _, status in grid.rows] == ["=", "=", "=", "="]
    care = cells["生活照料"]
    assert (care.row, care.column, care.rowspan, care.colspan) == (1, 0, 2, 1)
    health = cells["健康档案与定期随访"]
    assert (health.row, health.column, health.rowspan, health.colspan) == (3, 1, 1, 2)
    assert cells["助餐送餐"].runs == (("=", "助餐"), ("+", "送餐")) and cells["助餐送餐"].column == 1
    assert cells["助浴"].row == 2 and cells["助浴"].column == 1  # beside the merge, not under it
    assert not grid.merges_changed


def test_a_merge_changed_alone_is_a_change_shown_on_its_cell():
    new = MERGED.replace(
        "| 生活照料 | 助餐     | 每日          |\n|          +----------+---------------+\n",
        "| 生活照料 | 助餐     | 每日          |\n+----------+----------+---------------+\n",
    )
    diff = diff_documents(doc(MERGED), doc(new), reading=True)
    assert diff.hunk("scope") is not None  # no word changed, the printed table did
    grid, cells = _grid(MERGED, new)
    assert cells["生活照料"].rowspan == 1 and cells["生活照料"].merge_changed
    assert (cells[""].row, cells[""].column) == (2, 0)  # the place it covered is a cell of its own
    assert (cells["助浴"].column, cells["助浴"].merge_changed) == (1, False)
    assert grid.merges_changed
    page = render_reading_page(diff)
    assert not any("\ue000" <= char <= "\uf8ff" for char in page)  # no marker reaches a reader


def test_a_merged_cell_cut_in_two_marks_both_halves():
    new = MERGED.replace(
        "| 健康管理 | 健康档案与定期随访       |\n+----------+--------------------------+",
        "| 健康管理 | 健康档案 | 定期随访      |\n+----------+----------+---------------+",
    )
    _, cells = _grid(MERGED, new)
    first, second = cells["健康档案与"], cells["定期随访"]
    assert first.runs == (("=", "健康档案"), ("-", "与")) and (first.column, first.colspan) == (1, 1)
    assert (second.column, second.colspan) == (2, 1)
    assert first.merge_changed and second.merge_changed and not cells["生活照料"].merge_changed


def test_a_row_deleted_inside_a_merge_stays_under_the_merged_cell_on_the_grid():
    new = MERGED.replace(
        "| 生活照料 | 助餐     | 每日          |\n|          +----------+---------------+\n"
        "|          | 助浴     | 每周不少于1次 |\n",
        "| 生活照料 | 助餐     | 每日          |\n",
    )
    grid, cells = _grid(MERGED, new)
    assert [status for _, status in grid.rows] == ["=", "=", "-", "="]
    assert cells["生活照料"].rowspan == 2 and cells["生活照料"].merge_changed  # it covered that row
    assert (cells["助浴"].row, cells["助浴"].column) == (2, 1) and cells["助浴"].runs == (("-", "助浴"),)
    assert cells["健康档案与定期随访"].row == 3


def test_text_that_imitates_a_merge_marker_merges_nothing():
    new = BODY.replace("助餐、助浴", "助餐\ue005\ue006助浴")
    table = layout(_hunk(BODY, new, "c-items")).body[2]
    assert isinstance(table, Table) and table.grid is None  # still a table without merged cells
    assert "".join(text for op, text in table.rows[1].cells[1] if op != "-") == "助餐  助浴"
