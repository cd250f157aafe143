"""The comment verbs on a real database: who comments when, edits kept, dispositions, the gate, and
the re-anchoring a save triggers."""

from __future__ import annotations

import pytest

from accounts.refusals import Refused
from authoring import operations as authoring
from authoring.examples import example_text
from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow import transitions
from workflow.comments import operations
from workflow.comments.models import Comment


def test_a_member_comments_on_words_of_the_released_revision(in_consultation, member, comment_on):
    comment = comment_on(in_consultation, member, "scope", "社区居家养老服务的基本要求")
    assert comment.anchor_in(1).state == "placed"
    assert comment.anchor_in(1).exact == "社区居家养老服务的基本要求"
    assert comment.organisation  # 提出单位: the member's unit or the association


def test_words_that_are_not_in_the_clause_are_refused(in_consultation, member, clock):
    with pytest.raises(Refused) as refused:
        operations.create_comment(
            in_consultation,
            member,
            operations.Selector(1, "scope", "这句话不在范围里"),
            operations.CommentFields("te", "建议"),
            now=clock.tick(),
        )
    assert refused.value.kind == "invalid" and "exact" in refused.value.fields


def test_a_comment_after_the_close_is_refused_with_the_close_date(
    in_consultation, member, secretariat, clock
):
    stages.close_comment_period(in_consultation, secretariat, "提前结束", now=clock.tick())
    db.session.commit()
    with pytest.raises(Refused) as refused:
        operations.create_comment(
            in_consultation,
            member,
            operations.Selector(1, "scope"),
            operations.CommentFields("ge", "迟到的意见"),
            now=clock.tick(),
        )
    assert refused.value.kind == "closed"
    assert "2026-03-01" in refused.value.message


def test_members_comment_only_during_a_consultation(make_standard, member, drafter, clock):
    standard = make_standard(example_text("community-care"))
    with pytest.raises(Refused) as refused:
        operations.create_comment(
            standard,
            member,
            operations.Selector(1, "scope"),
            operations.CommentFields("ge", "意见"),
            now=clock.tick(),
        )
    assert refused.value.kind == "forbidden"
    internal = operations.create_comment(
        standard,
        drafter,
        operations.Selector(1, "scope"),
        operations.CommentFields("ge", "内部意见"),
        now=clock.tick(),
    )
    assert internal.origin == "internal"


def test_only_the_author_edits_and_every_edit_is_kept(in_consultation, member, drafter, comment_on, clock):
    comment = comment_on(in_consultation, member, "scope", comment="第一稿")
    operations.edit_comment(comment, member, operations.CommentFields("ed", "第二稿"), now=clock.tick())
    db.session.commit()
    assert comment.comment == "第二稿" and [e.comment for e in comment.edits] == ["第一稿"]
    with pytest.raises(Refused):
        operations.edit_comment(
            comment, drafter, operations.CommentFields("ed", "别人的改写"), now=clock.tick()
        )


def test_dispositions_only_by_drafters_or_the_secretariat_and_the_gate_counts_open_comments(
    in_consultation, member, drafter, secretariat, comment_on, clock
):
    comment = comment_on(in_consultation, member, "scope", "社区居家养老服务的基本要求")
    stages.close_comment_period(in_consultation, secretariat, "意见已足够", now=clock.tick())
    db.session.commit()
    assert transitions.open_comment_count(in_consultation) == 1
    review = next(
        m
        for m in transitions.next_transitions(in_consultation, secretariat, clock.tick())
        if m.transition.target == Stage.REVIEW
    )
    assert not review.gate.allowed
    with pytest.raises(Refused):
        operations.dispose(comment, member, "accepted", "同意", now=clock.tick())
    operations.dispose(comment, drafter, "accepted_in_principle", "已按意见修改", now=clock.tick())
    db.session.commit()
    assert transitions.open_comment_count(in_consultation) == 0


def test_a_new_revision_re_anchors_open_comments(
    in_consultation, member, drafter, secretariat, comment_on, clock
):
    kept = comment_on(in_consultation, member, "c-improvement", "5个工作日内答复投诉人")
    gone = comment_on(in_consultation, member, "c-errand", "代缴费用和代领物品")
    stages.close_comment_period(in_consultation, secretariat, "意见已足够", now=clock.tick())
    db.session.commit()
    saved = authoring.save_revision(
        in_consultation, drafter, example_text("community-care-v2"), "采纳意见", 1, now=clock.tick()
    )
    db.session.commit()
    number = saved.revision.number
    kept, gone = db.session.get(Comment, kept.id), db.session.get(Comment, gone.id)
    assert (kept.anchor_in(number).state, kept.anchor_in(number).exact) == ("edited", "3个工作日内答复投诉人")
    outdated = gone.anchor_in(number)
    assert (outdated.state, outdated.revision, outdated.exact) == ("outdated", 1, "代缴费用和代领物品")
