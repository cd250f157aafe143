"""Saving, merging, conflicts, restoring, and the render cache keyed by content hash."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from accounts.refusals import Refused
from authoring import operations
from authoring.models import RenderCache, Revision, Stage, Standard, content_hash
from authoring.operations import Conflict, Saved
from extensions import db


def _replace_line(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


TRAINING_OLD = "在岗服务人员每年接受的继续培训宜不少于24学时。"
TRAINING_NEW = "在岗服务人员每年应接受不少于24学时的继续培训。"
ARCHIVE_OLD = "服务档案应在服务终止后保存5年以上。"
ARCHIVE_NEW = "服务档案应在服务终止后保存不少于5年，电子档案应定期备份。"


def test_blank_standard_starts_with_the_gbt_skeleton(make_standard):
    standard = make_standard()
    revision = standard.latest_revision()
    assert revision.number == 1
    assert "# 前言 {" in revision.text and ".foreword" in revision.text
    assert "# 范围" in revision.text and "# 术语和定义" in revision.text
    assert revision.render() is not None


def test_uploaded_text_becomes_revision_one_with_derived_ids(make_standard, community_care):
    standard = make_standard(community_care)
    revision = standard.latest_revision()
    assert revision.kind == "uploaded"
    assert revision.content_hash == content_hash(revision.text)
    # every heading got an id written in, so comments and references survive edits
    assert "# 前言 {#foreword .foreword}" in revision.text


def test_save_makes_the_next_revision(make_standard, drafter, community_care, clock):
    standard = make_standard(community_care)
    text = _replace_line(standard.latest_revision().text, TRAINING_OLD, TRAINING_NEW)
    outcome = operations.save_revision(standard, drafter, text, "培训要求", 1, now=clock.tick())
    db.session.commit()
    assert isinstance(outcome, Saved) and outcome.status == "saved"
    assert outcome.revision.number == 2
    assert outcome.revision.parent.number == 1
    assert outcome.revision.author == drafter
    assert outcome.revision.chars_added > 0 and outcome.revision.chars_removed > 0
    assert outcome.revision.touched["changed"]  # the training clause
    assert standard.latest_number == 2


def test_unchanged_text_makes_no_revision(make_standard, drafter, community_care, clock):
    standard = make_standard(community_care)
    outcome = operations.save_revision(
        standard, drafter, standard.latest_revision().text, "", 1, now=clock.tick()
    )
    db.session.commit()
    assert outcome.status == "unchanged"
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1


def test_crlf_from_a_form_post_is_the_same_text(make_standard, drafter, community_care, clock):
    standard = make_standard(community_care)
    text = standard.latest_revision().text.replace("\n", "\r\n")
    assert operations.save_revision(standard, drafter, text, "", 1, now=clock.tick()).status == "unchanged"


def test_stale_save_of_another_clause_is_merged_and_says_so(
    make_standard, drafter, secretariat, community_care, clock
):
    standard = make_standard(community_care)
    base = standard.latest_revision().text
    theirs = operations.save_revision(
        standard, secretariat, _replace_line(base, ARCHIVE_OLD, ARCHIVE_NEW), "档案", 1, now=clock.tick()
    )
    db.session.commit()
    mine = _replace_line(base, TRAINING_OLD, TRAINING_NEW)
    outcome = operations.save_revision(standard, drafter, mine, "培训", 1, now=clock.tick())
    db.session.commit()
    assert outcome.status == "merged"
    assert outcome.revision.number == 3
    assert TRAINING_NEW in outcome.text and ARCHIVE_NEW in outcome.text
    assert outcome.revision.parent.number == theirs.revision.number
    assert outcome.revision.kind == "merged" and outcome.revision.message == "培训"


def test_overlapping_stale_save_is_a_conflict_that_keeps_the_text(
    make_standard, drafter, secretariat, community_care, clock
):
    standard = make_standard(community_care)
    base = standard.latest_revision().text
    operations.save_revision(
        standard,
        secretariat,
        _replace_line(base, TRAINING_OLD, "在岗服务人员每年应接受继续培训。"),
        "",
        1,
        now=clock.tick(),
    )
    db.session.commit()
    mine = _replace_line(base, TRAINING_OLD, TRAINING_NEW).replace("\n", "\r\n") + "\r\n"
    outcome = operations.save_revision(standard, drafter, mine, "培训", 1, now=clock.tick())
    db.session.commit()
    assert isinstance(outcome, Conflict)
    assert outcome.mine == mine  # byte for byte, CRLF and all
    assert outcome.latest.number == 2
    assert outcome.conflicts
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 2


def test_save_based_on_an_unknown_revision_is_refused(make_standard, drafter, community_care, clock):
    standard = make_standard(community_care)
    with pytest.raises(Refused) as refused:
        operations.save_revision(standard, drafter, "x", "", 7, now=clock.tick())
    assert refused.value.kind == "conflict" and "7" in refused.value.message


def test_a_save_decided_after_the_text_froze_is_refused(make_standard, drafter, community_care, clock, app):
    """The editor authorised the drafter; the stage moved on before the save took the lock."""
    standard = make_standard(community_care)
    db.session.execute(
        update(Standard).where(Standard.id == standard.id).values(stage=Stage.CONSULTATION.value)
    )
    edited = _replace_line(standard.latest_revision().text, TRAINING_OLD, TRAINING_NEW)
    with pytest.raises(Refused) as refused:
        operations.save_revision(standard, drafter, edited, "", 1, now=clock.tick())
    assert refused.value.kind == "closed" and "征求意见" in refused.value.message
    with pytest.raises(Refused, match="征求意见"):
        operations.restore_revision(standard, drafter, 1, "", now=clock.tick())
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1


def test_too_large_text_is_refused_with_a_message(make_standard, drafter, clock):
    standard = make_standard()
    with pytest.raises(Refused) as refused:
        operations.save_revision(standard, drafter, "中" * 400_000, "", 1, now=clock.tick())
    assert refused.value.kind == "too_large" and "KB" in refused.value.message


def test_upload_must_be_utf8():
    with pytest.raises(Refused, match="UTF-8"):
        operations.read_upload("标准".encode("gb18030"), "old.md")
    assert operations.read_upload("\ufeff# 前言\r\n".encode(), "a.md") == "# 前言\n"


def test_restore_makes_a_new_revision_with_the_old_text(
    make_standard, drafter, community_care, community_care_v2, clock
):
    standard = make_standard(community_care)
    first = standard.latest_revision().text
    operations.save_revision(standard, drafter, community_care_v2, "v2", 1, now=clock.tick())
    db.session.commit()
    outcome = operations.restore_revision(standard, drafter, 1, "撤回修改", now=clock.tick())
    db.session.commit()
    assert outcome.revision.number == 3
    assert outcome.revision.text == first
    assert outcome.revision.kind == "restored"
    assert outcome.revision.restored_from == 1 and outcome.revision.message == "撤回修改"


def test_restoring_the_current_text_makes_no_revision(make_standard, drafter, community_care, clock):
    standard = make_standard(community_care)
    assert operations.restore_revision(standard, drafter, 1, "", now=clock.tick()).status == "unchanged"


def test_analysis_is_computed_once_per_text_and_read_from_the_cache(
    make_standard, drafter, community_care, community_care_v2, clock, analyse_calls
):
    standard = make_standard(community_care)
    before = len(analyse_calls)
    operations.save_revision(standard, drafter, community_care_v2, "v2", 1, now=clock.tick())
    db.session.commit()
    after_v2 = len(analyse_calls)
    assert after_v2 - before == 1  # the new text only; the parent's clause digests come from the cache
    operations.restore_revision(standard, drafter, 1, "", now=clock.tick())
    db.session.commit()
    assert len(analyse_calls) == after_v2  # the old text's row is reused
    assert db.session.scalar(select(func.count()).select_from(RenderCache)) == 2


def test_a_saved_revision_cannot_be_changed(make_standard):
    revision = make_standard().latest_revision()
    revision.text = "改写历史"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()
