"""Three-way merge for "no lost edit": others' changes come in, overlapping ones are conflicts, mine is kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.document.merge import merge3
from authoring.examples import example_text

BASE = "# 范围\n\n第一段。\n\n第二段。\n\n第三段。\n\n第四段。\n"


def test_edits_to_different_paragraphs_merge_cleanly():
    mine = BASE.replace("第一段", "第一段（我改的）")
    theirs = BASE.replace("第四段", "第四段（他们改的）")
    result = merge3(BASE, mine, theirs)
    assert result.clean
    assert result.merged == BASE.replace("第一段", "第一段（我改的）").replace("第四段", "第四段（他们改的）")
    assert result.applied == 1


def test_edits_to_the_same_line_are_a_conflict_and_mine_is_kept():
    mine = BASE.replace("第二段。", "第二段，我的说法。")
    theirs = BASE.replace("第二段。", "第二段，他们的说法。")
    result = merge3(BASE, mine, theirs)
    assert not result.clean
    assert result.mine is mine
    [conflict] = result.conflicts
    assert (conflict.base, conflict.mine, conflict.theirs) == (
        "第二段。\n",
        "第二段，我的说法。\n",
        "第二段，他们的说法。\n",
    )
    assert (conflict.base_line, conflict.mine_line, conflict.theirs_line) == (5, 5, 5)


def test_different_edits_in_one_long_line_are_a_conflict_not_a_silent_merge():
    base = "服务机构应建立制度，服务人员应持证上岗，服务记录应保存5年。\n"
    mine = base.replace("建立制度", "建立管理制度")
    theirs = base.replace("保存5年", "保存10年")
    assert not merge3(base, mine, theirs).clean


def test_edits_to_adjacent_lines_are_a_conflict():
    base = "a) 第一项；\nb) 第二项；\nc) 第三项。\n"
    result = merge3(base, base.replace("第一项", "第1项"), base.replace("第二项", "第2项"))
    assert not result.clean


def test_the_same_edit_on_both_sides_is_no_conflict():
    mine = BASE.replace("第三段", "第三段（修订）")
    result = merge3(BASE, mine, mine)
    assert result.clean and result.merged == mine


def test_same_edit_plus_another_change_of_theirs_merges():
    mine = BASE.replace("第三段", "第三段（修订）")
    theirs = mine.replace("第一段", "第一段（补充）")
    result = merge3(BASE, mine, theirs)
    assert result.clean and result.merged == theirs


def test_conflict_keeps_the_non_conflicting_changes_of_theirs_in_the_proposal():
    mine = BASE.replace("第二段。", "第二段，我的说法。")
    theirs = BASE.replace("第二段。", "第二段，他们的说法。").replace("第四段", "第四段（补充）")
    result = merge3(BASE, mine, theirs)
    assert not result.clean
    assert result.merged == mine.replace("第四段", "第四段（补充）")
    assert result.mine == mine


def test_their_deletion_of_a_paragraph_i_edited_is_a_conflict():
    mine = BASE.replace("第三段。", "第三段，我加了一句。")
    theirs = BASE.replace("第三段。\n\n", "")
    result = merge3(BASE, mine, theirs)
    assert not result.clean
    [conflict] = result.conflicts
    assert (conflict.base, conflict.mine, conflict.theirs) == ("第三段。\n\n", "第三段，我加了一句。\n\n", "")


def test_insertions_at_the_same_place_are_a_conflict():
    mine = BASE.replace("第二段。\n", "第二段。\n\n我的新段。\n")
    theirs = BASE.replace("第二段。\n", "第二段。\n\n他们的新段。\n")
    assert not merge3(BASE, mine, theirs).clean


def test_text_without_final_newline_and_with_crlf_merges_exactly():
    base = "第一行\r\n第二行\r\n第三行\r\n第四行"
    mine = base.replace("第一行", "第1行")
    theirs = base.replace("第四行", "第4行")
    result = merge3(base, mine, theirs)
    assert result.clean and result.merged == "第1行\r\n第二行\r\n第三行\r\n第4行"


def test_community_care_revision_merges_into_an_edit_of_the_scope():
    base = example_text("community-care")
    theirs = example_text("community-care-v2")
    mine = base.replace("本文件适用于服务机构", "本文件适用于各类服务机构")
    result = merge3(base, mine, theirs)
    assert result.clean
    assert result.merged == theirs.replace("本文件适用于服务机构", "本文件适用于各类服务机构")


def test_community_care_revision_conflicts_with_an_edit_of_the_same_clause():
    base = example_text("community-care")
    theirs = example_text("community-care-v2")
    mine = base.replace("宜每12个月复评一次", "宜每6个月复评一次")
    result = merge3(base, mine, theirs)
    assert not result.clean
    [conflict] = result.conflicts
    assert "宜每6个月复评一次" in conflict.mine and "应每12个月至少复评一次" in conflict.theirs
    assert conflict.base_line == base[: base.index("宜每12个月")].count("\n") + 1
    assert result.mine == mine


# -- properties --------------------------------------------------------------------------------

_ANY_TEXT = st.text(alphabet=st.sampled_from("服务机构应。\n\r ab1"), max_size=120)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, _ANY_TEXT)
def test_merging_when_they_changed_nothing_gives_mine(base, mine):
    result = merge3(base, mine, base)
    assert result.clean and result.merged == mine


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, _ANY_TEXT)
def test_merging_when_i_changed_nothing_gives_theirs(base, theirs):
    result = merge3(base, base, theirs)
    assert result.clean and result.merged == theirs


@st.composite
def disjoint_edits(draw: st.DrawFn):
    """A base of distinct lines and two edit sets on line ranges at least one untouched line apart."""
    count = draw(st.integers(3, 30))
    base = [f"第{i}行：服务机构应{'甲乙丙'[i % 3]}。\n" for i in range(count)]
    edits = []
    line = draw(st.integers(0, 1))
    while line < count:
        length = draw(st.integers(0, 2))
        replacement = draw(
            st.lists(st.sampled_from(["新的一行。", "改写的要求。", "补充说明。"]), max_size=2)
        )
        side = draw(st.sampled_from(["mine", "theirs"]))
        if length or replacement:
            edits.append(
                (line, min(line + length, count), [f"{side}{len(edits)}{t}\n" for t in replacement], side)
            )
        line += max(length, 1) + 1 + draw(st.integers(0, 2))  # leave at least one line untouched
    return base, edits


def _apply(base: list[str], edits) -> str:
    out, cursor = [], 0
    for start, end, replacement, _ in edits:
        out.extend(base[cursor:start])
        out.extend(replacement)
        cursor = end
    out.extend(base[cursor:])
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(disjoint_edits())
def test_merging_non_overlapping_edits_keeps_both(case):
    base, edits = case
    mine = _apply(base, [e for e in edits if e[3] == "mine"])
    theirs = _apply(base, [e for e in edits if e[3] == "theirs"])
    result = merge3("".join(base), mine, theirs)
    assert result.clean, result.conflicts
    assert result.merged == _apply(base, edits)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 9),
    st.text(alphabet="甲乙丙丁", min_size=1, max_size=5),
    st.text(alphabet="戊己庚", min_size=1, max_size=5),
)
def test_conflicting_edits_report_a_conflict_and_keep_mine_intact(line, my_words, their_words):
    base_lines = [f"第{i}行。\n" for i in range(10)]
    mine_lines, their_lines = list(base_lines), list(base_lines)
    mine_lines[line] = f"第{line}行{my_words}。\n"
    their_lines[line] = f"第{line}行{their_words}。\n"
    mine = "".join(mine_lines)
    result = merge3("".join(base_lines), mine, "".join(their_lines))
    assert not result.clean
    assert result.mine is mine and result.merged == mine
    assert [c.base_line for c in result.conflicts] == [line + 1]
