"""The clause-level summary (spec §4): which sections changed, were added, deleted or moved."""

from __future__ import annotations

import pytest
from diffcases import BASE, doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authoring.document import parse
from authoring.document.diff import FRONT_MATTER, Move, Status, diff_documents
from authoring.examples import example_text


@pytest.fixture(scope="module")
def community_care_diff():
    old = parse(example_text("community-care"))
    new = parse(example_text("community-care-v2"))
    return diff_documents(old, new)


def test_community_care_revision_summary_lists_exactly_what_the_drafters_changed(community_care_diff):
    assert community_care_diff.as_json()["changed"] == [
        "foreword",
        "c-staff-training",
        "c-facility-equipment",
        "c-records-file",
        "c-assessment-review",
        "c-service-items",
        "c-emergency-aid",
        "c-carer-support",
        "c-improvement",
    ]
    assert community_care_diff.added == ["t-family-carer", "c-follow-up"]
    assert community_care_diff.deleted == ["c-errand"]
    assert community_care_diff.as_json()["moved"] == [
        {"id": "c-agreement", "from_parent": "ch-basic", "to_parent": "ch-process"}
    ]


def test_community_care_summary_gives_numbers_in_both_revisions(community_care_diff):
    numbers = {h.id: (h.old_number, h.new_number) for h in community_care_diff.hunks}
    assert numbers["c-agreement"] == ("4.5", "5.4")
    assert numbers["t-family-carer"] == (None, "3.9")
    assert numbers["c-follow-up"] == (None, "5.7")
    assert numbers["c-errand"] == ("6.2.4", None)
    assert numbers["c-staff-training"] == ("4.2.3", "4.2.3")


def test_clauses_renumbered_by_a_move_are_not_changed(community_care_diff):
    # 服务计划 is 5.4 in the first revision and 5.5 in the second, its text untouched
    assert "c-planning" not in community_care_diff.changed
    assert community_care_diff.hunk("c-planning") is None
    assert community_care_diff.hunk("c-termination") is None


def test_moved_clause_shows_as_moved_not_deleted_and_added(community_care_diff):
    hunk = community_care_diff.hunk("c-agreement")
    assert hunk is not None
    assert hunk.status is Status.UNCHANGED
    assert hunk.move == Move("c-agreement", "ch-basic", "ch-process")
    assert "c-agreement" not in community_care_diff.added + community_care_diff.deleted


def test_cover_change_is_a_front_matter_hunk_without_id(community_care_diff):
    front = community_care_diff.hunks[0]
    assert (front.id, front.kind) == (None, FRONT_MATTER)
    assert ("-", "征求意见") in front.ops and ("+", "送审") in front.ops
    assert None not in community_care_diff.changed


def test_json_has_exactly_the_spec_keys(community_care_diff):
    data = community_care_diff.as_json()
    assert list(data) == ["changed", "added", "deleted", "moved", "hunks"]
    hunk = data["hunks"][1]
    assert set(hunk) == {"id", "kind", "title", "status", "moved", "old_number", "new_number", "ops"}
    assert all(op in ("=", "-", "+") and isinstance(text, str) for op, text in hunk["ops"])


def test_hunks_follow_reading_order_with_deleted_clause_where_it_was(community_care_diff):
    ids = [h.id for h in community_care_diff.hunks]
    assert ids.index("c-service-items") < ids.index("c-errand") < ids.index("c-emergency-aid")


def test_stats_count_characters_and_touched_sections(community_care_diff):
    stats = community_care_diff.stats
    assert stats.chars_inserted > stats.chars_deleted > 0
    assert stats.sections_touched == 13
    assert "c-agreement" in stats.touched and "c-errand" in stats.touched


def test_identical_documents_have_an_empty_diff():
    diff = diff_documents(doc(BASE), doc(BASE))
    assert diff.is_empty
    assert diff.as_json() == {"changed": [], "added": [], "deleted": [], "moved": [], "hunks": []}


def test_edited_clause_is_changed_but_not_its_chapter():
    diff = diff_documents(doc(BASE), doc(BASE.replace("应持证上岗", "应持有效证件上岗")))
    assert diff.changed == ["c-staff"]
    assert diff.added == diff.deleted == [] and diff.moved == []


def test_new_clause_is_added_and_its_followers_only_renumbered():
    new = BASE.replace(
        "## 服务人员 {#c-staff}", "## 服务场所 {#c-site}\n\n服务场所应无障碍。\n\n## 服务人员 {#c-staff}"
    )
    diff = diff_documents(doc(BASE), doc(new))
    assert diff.added == ["c-site"]
    assert diff.changed == []
    old_staff, new_staff = doc(BASE).section("c-staff"), doc(new).section("c-staff")
    assert (old_staff.number, new_staff.number) == ("2.2", "2.3")  # a generated number change alone


def test_removed_clause_is_deleted():
    new = BASE.replace("## 服务协议 {#c-agreement}\n\n服务机构应与服务对象签订服务协议。\n\n", "")
    diff = diff_documents(doc(BASE), doc(new))
    assert diff.deleted == ["c-agreement"]
    assert diff.changed == [] and diff.added == []


def test_clause_moved_to_another_chapter_reports_both_parents():
    clause = "## 服务协议 {#c-agreement}\n\n服务机构应与服务对象签订服务协议。\n\n"
    new = BASE.replace(clause, "") + "\n" + clause
    diff = diff_documents(doc(BASE), doc(new))
    assert diff.as_json()["moved"] == [
        {"id": "c-agreement", "from_parent": "ch-basic", "to_parent": "ch-process"}
    ]
    assert diff.changed == []


def test_reordered_siblings_report_the_smaller_one_moved_within_its_parent():
    staff = "## 服务人员 {#c-staff}\n\n服务人员应持证上岗。\n\n"
    new = BASE.replace(staff, "").replace("## 服务机构 {#c-provider}", staff + "## 服务机构 {#c-provider}")
    diff = diff_documents(doc(BASE), doc(new))
    assert diff.moved == [Move("c-staff", "ch-basic", "ch-basic")]
    assert diff.changed == []


def test_chapter_moved_among_chapters_has_null_parents():
    chapter_start = BASE.index("# 服务流程")
    new = BASE[:chapter_start].replace(
        "# 基本要求 {#ch-basic}", BASE[chapter_start:] + "\n# 基本要求 {#ch-basic}"
    )
    diff = diff_documents(doc(BASE), doc(new))
    assert diff.as_json()["moved"] == [{"id": "ch-process", "from_parent": None, "to_parent": None}]


def test_clause_promoted_a_level_is_moved_not_changed():
    new = BASE.replace("## 服务评估 {#c-assessment}", "# 服务评估 {#c-assessment}")
    diff = diff_documents(doc(BASE), doc(new))
    assert diff.moved == [Move("c-assessment", "ch-process", None)]
    assert diff.changed == []


def test_writing_back_a_derived_id_is_not_a_change():
    without_id = BASE.replace("## 服务人员 {#c-staff}", "## 服务人员")
    derived = doc(without_id).section("c-staff") or next(
        s for s in doc(without_id).walk() if s.title == "服务人员"
    )
    with_id = without_id.replace("## 服务人员", f"## 服务人员 {{#{derived.id}}}")
    assert diff_documents(doc(without_id), doc(with_id)).is_empty


def test_changed_classes_on_a_heading_are_a_change():
    diff = diff_documents(doc(BASE), doc(BASE.replace("{#c-intake}", "{#c-intake .untitled}")))
    assert diff.changed == ["c-intake"]


_TITLES = (
    st.text(alphabet="服务机构人员要求评估档案协议安全 abcdefg", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
_TEXTS = st.text(alphabet="服务机构应宜可不少于年月日。，；abc shall 123\n", min_size=1, max_size=80)


@st.composite
def standards(draw: st.DrawFn) -> str:
    parts = ["# 前言 {.foreword}\n\n前言。\n"]
    for chapter in range(draw(st.integers(1, 4))):
        parts.append(f"# {draw(_TITLES)} {{#ch-{chapter}}}\n\n{draw(_TEXTS)}\n")
        for clause in range(draw(st.integers(0, 3))):
            parts.append(f"## {draw(_TITLES)} {{#c-{chapter}-{clause}}}\n\n{draw(_TEXTS)}\n")
    return "\n".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(standards())
def test_a_document_compared_with_itself_has_an_empty_summary(body):
    diff = diff_documents(doc(body), doc(body))
    assert diff.as_json() == {"changed": [], "added": [], "deleted": [], "moved": [], "hunks": []}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(standards(), standards())
def test_every_hunk_reproduces_both_revisions_of_its_section(old_body, new_body):
    old, new = doc(old_body), doc(new_body)
    diff = diff_documents(old, new)
    for hunk in diff.hunks:
        if hunk.id is None:
            continue
        old_text = "".join(t for op, t in hunk.ops if op != "+")
        new_text = "".join(t for op, t in hunk.ops if op != "-")
        if hunk.status is not Status.ADDED:
            assert f"{{#{hunk.id}}}" in (old.section(hunk.id) or new.section(hunk.id)).own_source
            assert old_text.split("\n", 1)[-1] in old.section(hunk.id).own_source
        if hunk.status is not Status.DELETED:
            assert new_text.split("\n", 1)[-1] in new.section(hunk.id).own_source


def test_a_document_grown_from_nothing_lists_every_section_added():
    diff = diff_documents(parse(""), doc(BASE))
    assert diff.added[:3] == ["foreword", "scope", "ch-basic"]
    assert diff.changed == diff.deleted == []


def test_text_before_any_heading_is_compared_as_front_matter():
    diff = diff_documents(parse("无标题的文字。\n"), parse("改过的文字。\n"))
    [hunk] = diff.hunks
    assert (hunk.id, hunk.kind) == (None, FRONT_MATTER)
    assert [op for op in hunk.ops if op[0] != "="] == [("-", "无标题"), ("+", "改过")]
