"""The stage verbs: who may move, what the gates refuse and why, what a move writes, and publication."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.permissions import OPERATOR
from accounts.refusals import Decision, Refused
from authoring import operations as authoring
from authoring.document import parse
from authoring.events import events_of
from authoring.models import Stage
from authoring.permissions import can_edit_standard
from workflow import operations, transitions
from workflow.models import CommentPeriod, current_period
from workflow.transitions import next_transitions


def _release(standard, actor, clock, closes_at="2026-04-01", audience="members"):
    return operations.transition(
        standard, actor, Stage.CONSULTATION, now=clock.tick(), closes_at=closes_at, audience=audience
    )


def _at_approval(standard, db):
    standard.stage = Stage.APPROVAL.value
    db.session.commit()


def test_releasing_opens_a_period_on_the_latest_revision_and_records_it(
    make_standard, secretariat, clock, db
):
    standard = make_standard()
    event = _release(standard, secretariat, clock, audience="public")
    db.session.commit()
    assert standard.stage == "consultation"
    assert (event.kind, event.from_stage, event.to_stage, event.revision) == (
        "stage_changed",
        "drafting",
        "consultation",
        1,
    )
    period = current_period(standard)
    assert (period.revision, period.closes_at, period.audience, period.closed_at) == (
        1,
        date(2026, 4, 1),
        "public",
        None,
    )
    kinds = [e.kind for e in events_of(standard)]
    assert kinds[:2] == ["stage_changed", "consultation_opened"]


def test_a_member_may_not_move_stages(make_standard, drafter, member, clock):
    standard = make_standard()
    for actor in (drafter, member, None):
        with pytest.raises(Refused) as refused:
            _release(standard, actor, clock)
        assert refused.value.status == 403
        assert "秘书处" in refused.value.message


def test_the_operator_may_move_stages(make_standard, clock, db):
    standard = make_standard()
    _release(standard, OPERATOR, clock)
    db.session.commit()
    assert standard.stage == "consultation"


@pytest.mark.parametrize(
    ("closes_at", "words"),
    [("2026-02-27", "早于今天"), ("soon", "YYYY-MM-DD"), ("", "YYYY-MM-DD"), (None, "YYYY-MM-DD")],
)
def test_a_bad_end_date_is_invalid_with_its_field(make_standard, secretariat, clock, closes_at, words):
    standard = make_standard()
    with pytest.raises(Refused) as refused:
        _release(standard, secretariat, clock, closes_at=closes_at)
    assert refused.value.status == 422 and refused.value.kind == "invalid"
    assert "closes_at" in refused.value.fields and words in refused.value.fields["closes_at"]
    assert standard.stage == "drafting"


def test_a_bad_audience_is_invalid(make_standard, secretariat, clock):
    with pytest.raises(Refused) as refused:
        _release(make_standard(), secretariat, clock, audience="everyone")
    assert set(refused.value.fields) == {"audience"}


def test_the_consultation_text_is_frozen_and_disposition_edits_again(
    make_standard, secretariat, drafter, clock, db
):
    standard = make_standard()
    _release(standard, secretariat, clock)
    db.session.commit()
    assert not can_edit_standard(drafter, standard)
    with pytest.raises(Refused) as refused:
        authoring.save_revision(
            standard, drafter, standard.latest_revision().text + "\n", "", 1, now=clock.tick()
        )
    assert refused.value.kind == "closed"
    db.session.rollback()
    operations.close_comment_period(standard, secretariat, "意见已足够", now=clock.tick())
    db.session.commit()
    assert can_edit_standard(drafter, standard)


def test_the_period_cannot_close_before_its_end_without_a_reason(make_standard, secretariat, clock, db):
    standard = make_standard()
    _release(standard, secretariat, clock)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, Stage.DISPOSITION, now=clock.tick())
    assert refused.value.status == 409 and refused.value.kind == "gate"
    assert any("2026-04-01" in r for r in [refused.value.message, *refused.value.reasons])
    db.session.rollback()
    move = {n.transition.name: n for n in next_transitions(standard, secretariat, clock.now)}["close"]
    assert not move.allowed and "2026-04-01" in move.reasons[0]


def test_closing_early_keeps_the_reason_on_the_period_and_in_the_events(
    make_standard, secretariat, clock, db
):
    standard = make_standard()
    _release(standard, secretariat, clock)
    db.session.commit()
    operations.close_comment_period(standard, secretariat, "主要成员均已反馈", now=clock.tick())
    db.session.commit()
    period = db.session.scalars(db.select(CommentPeriod)).one()
    assert period.closed_at == clock.now and period.close_reason == "主要成员均已反馈"
    assert period.closed_by == secretariat and standard.stage == "disposition"
    closed = next(e for e in events_of(standard) if e.kind == "consultation_closed")
    assert "主要成员均已反馈" in closed.note


def test_after_the_last_day_the_period_closes_without_a_reason(make_standard, secretariat, clock, db):
    standard = make_standard()
    _release(standard, secretariat, clock, closes_at="2026-03-05")
    db.session.commit()
    clock.days(5)
    operations.transition(standard, secretariat, Stage.DISPOSITION, now=clock.tick())
    db.session.commit()
    assert current_period(standard) is None or standard.stage == "disposition"
    assert db.session.scalars(db.select(CommentPeriod)).one().close_reason == ""


def test_open_comments_keep_a_standard_in_disposition(make_standard, secretariat, clock, db, monkeypatch):
    standard = make_standard(stage=Stage.DISPOSITION)
    monkeypatch.setattr(transitions, "open_comment_count", lambda s: 2)
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, Stage.REVIEW, now=clock.tick())
    assert "2 条意见尚无处理意见。" in refused.value.reasons
    db.session.rollback()
    monkeypatch.setattr(transitions, "open_comment_count", lambda s: 0)
    operations.transition(standard, secretariat, Stage.REVIEW, now=clock.tick())
    assert standard.stage == "review"


def test_review_waits_for_the_ballot(make_standard, secretariat, clock, db):
    standard = make_standard(stage=Stage.REVIEW)
    moves = {n.transition.name: n for n in next_transitions(standard, secretariat, clock.now)}
    assert not moves["approve"].allowed and "技术审查表决尚未通过。" in moves["approve"].reasons
    assert not moves["redraft"].allowed and not moves["reconsult"].allowed
    assert moves["cancel"].allowed
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, Stage.APPROVAL, now=clock.tick())
    assert refused.value.kind == "gate"


def test_a_failed_ballot_sends_the_project_back(make_standard, secretariat, clock, db, monkeypatch):
    standard = make_standard(stage=Stage.REVIEW)
    monkeypatch.setattr(transitions, "review_ballot_failed", lambda s: Decision.yes())
    operations.transition(standard, secretariat, Stage.DRAFTING, now=clock.tick(), note="表决未通过")
    assert standard.stage == "drafting"


def test_readers_see_the_gates_but_no_move_is_theirs(make_standard, member, clock):
    standard = make_standard()
    moves = next_transitions(standard, member, clock.now)
    assert [m.transition.name for m in moves] == ["release", "cancel"]
    assert all(m.gate.allowed and not m.allowed for m in moves)
    assert "秘书处" in moves[0].reasons[-1]


def test_cancelling_needs_a_reason(make_standard, secretariat, clock, db):
    standard = make_standard()
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, "cancel", now=clock.tick())
    assert set(refused.value.fields) == {"reason"}
    operations.transition(standard, secretariat, "cancel", now=clock.tick(), note="项目合并")
    assert standard.stage == "cancelled" and next_transitions(standard, secretariat, clock.now) == []


def test_an_unknown_move_is_refused_in_words(make_standard, secretariat, clock):
    with pytest.raises(Refused) as refused:
        operations.transition(make_standard(), secretariat, Stage.PUBLISHED, now=clock.tick())
    assert refused.value.kind == "gate" and "不能转入" in refused.value.message


# -- publication ------------------------------------------------------------------------------------


def test_publication_numbers_the_standard_and_writes_its_cover(make_standard, secretariat, clock, db):
    standard = make_standard()
    _at_approval(standard, db)
    event = operations.transition(
        standard,
        secretariat,
        Stage.PUBLISHED,
        now=clock.tick(),
        publish_date="2026-03-02",
        implement_date="2026-06-01",
    )
    db.session.commit()
    assert standard.number == "T/SZYL 1\u20142026" and standard.sequence == 1
    assert (standard.published_on, standard.implemented_on) == (date(2026, 3, 2), date(2026, 6, 1))
    assert standard.published_revision == 2 == event.revision
    meta = parse(standard.latest_revision().text).meta
    assert meta.number == "T/SZYL 1—2026" and meta.draft is None
    assert (meta.publish_date, meta.implement_date) == (date(2026, 3, 2), date(2026, 6, 1))
    assert standard.latest_revision().kind == "published"
    assert not can_edit_standard(secretariat, standard)
    kinds = [e.kind for e in events_of(standard)]
    assert kinds[:2] == ["stage_changed", "published"]


def test_the_next_publication_takes_the_next_sequence(make_standard, secretariat, clock, db):
    first, second = make_standard(), make_standard(title="第二个标准")
    for standard in (first, second):
        _at_approval(standard, db)
        operations.transition(standard, secretariat, Stage.PUBLISHED, now=clock.tick())
        db.session.commit()
    assert (first.number, second.number) == ("T/SZYL 1—2026", "T/SZYL 2—2026")


def test_a_text_with_lint_errors_is_not_published(make_standard, secretariat, clock, db):
    standard = make_standard("---\ntitle: {zh: 坏标准}\n---\n\n# 范围\n\n本文件规定了。\n")
    _at_approval(standard, db)
    assert standard.latest_revision().render().errors > 0
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, Stage.PUBLISHED, now=clock.tick())
    assert refused.value.kind == "gate"
    assert any("检查错误" in r for r in refused.value.reasons)
    assert len(refused.value.reasons) >= 2, "the findings are listed"
    db.session.rollback()
    assert standard.number is None and standard.stage == "approval"


def test_publication_dates_in_the_wrong_order_are_invalid(make_standard, secretariat, clock, db):
    standard = make_standard()
    _at_approval(standard, db)
    with pytest.raises(Refused) as refused:
        operations.transition(
            standard,
            secretariat,
            Stage.PUBLISHED,
            now=clock.tick(),
            publish_date="2026-03-02",
            implement_date="2026-03-01",
        )
    assert set(refused.value.fields) == {"implement_date"}
    with pytest.raises(Refused) as refused:
        operations.transition(
            standard, secretariat, Stage.PUBLISHED, now=clock.tick(), publish_date="2.3.2026"
        )
    assert "publish_date" in refused.value.fields


def test_a_revision_replaces_its_standard_with_the_old_sequence(make_standard, secretariat, clock, db):
    old = make_standard()
    _at_approval(old, db)
    operations.transition(old, secretariat, Stage.PUBLISHED, now=clock.tick())
    make_standard(title="另一个")  # takes no number: only publication does
    db.session.commit()
    operations.transition(old, secretariat, Stage.PERIODIC_REVIEW, now=clock.tick())
    operations.transition(old, secretariat, "revise", now=clock.tick())
    db.session.commit()
    assert old.stage == "published" and old.number == "T/SZYL 1—2026"
    project = db.session.scalars(db.select(type(old)).where(type(old).replaces_id == old.id)).one()
    assert project.stage == "drafting" and project.latest_revision().text == old.latest_revision().text
    assert project.latest_revision().kind == "revision"
    # one revision at a time, and the old one is not reviewed again meanwhile
    moves = {n.transition.name: n for n in next_transitions(old, secretariat, clock.now)}
    assert not moves["periodic_review"].allowed
    clock.days(400)
    _at_approval(project, db)
    operations.transition(project, secretariat, Stage.PUBLISHED, now=clock.tick())
    db.session.commit()
    assert project.number == "T/SZYL 1—2027" and project.sequence == 1
    assert parse(project.latest_revision().text).meta.replaces == ["T/SZYL 1—2026"]
    assert old.number == "T/SZYL 1—2026", "a published number never changes"
    assert "replaced" in [e.kind for e in events_of(old)]
    assert transitions.replaced_by(old) == project


# -- periodic review of an adopted standard ---------------------------------------------------------


def _stage_changes(standard):
    """(kind, from, to) of every event that moved the standard, the adoption's included, oldest first."""
    return [(e.kind, e.from_stage, e.to_stage) for e in events_of(standard, newest_first=False) if e.to_stage]


def test_an_adopted_standard_is_reviewed_and_confirmed_back_to_adopted(
    make_standard, publish, adopt, secretariat, clock, db
):
    standard = publish(make_standard())
    submission = adopt(standard)
    assert standard.stage == "adopted"
    moves = {n.transition.name: n for n in next_transitions(standard, secretariat, clock.now)}
    assert moves["periodic_review"].allowed and moves["periodic_review"].transition.source == Stage.ADOPTED
    started = operations.transition(
        standard, secretariat, "periodic_review", now=clock.tick(), note="五年复审"
    )
    db.session.commit()
    assert (started.kind, started.from_stage, started.to_stage) == (
        "stage_changed",
        "adopted",
        "periodic_review",
    )
    offered = {
        n.transition.name: n.transition.target for n in next_transitions(standard, secretariat, clock.now)
    }
    assert offered == {"confirm": Stage.ADOPTED, "revise": Stage.ADOPTED, "withdraw": Stage.WITHDRAWN}
    confirmed = operations.transition(standard, secretariat, "confirm", now=clock.tick(), note="继续有效")
    db.session.commit()
    assert standard.stage == "adopted" and standard.number == "T/SZYL 1—2026"
    assert (confirmed.kind, confirmed.from_stage, confirmed.to_stage, confirmed.note) == (
        "stage_changed",
        "periodic_review",
        "adopted",
        "继续有效",
    )
    assert _stage_changes(standard)[-5:] == [
        ("stage_changed", "approval", "published"),
        ("adoption_submitted", "published", "adoption_review"),
        ("adopted", "adoption_review", "adopted"),
        ("stage_changed", "adopted", "periodic_review"),
        ("stage_changed", "periodic_review", "adopted"),
    ]
    db.session.refresh(submission)
    assert (submission.status, submission.reference) == ("adopted", "深市监标〔2026〕7号")


def test_a_published_standard_is_still_confirmed_back_to_published(
    make_standard, publish, secretariat, clock, db
):
    standard = publish(make_standard())
    operations.transition(standard, secretariat, Stage.PERIODIC_REVIEW, now=clock.tick())
    operations.transition(standard, secretariat, "confirm", now=clock.tick())
    db.session.commit()
    assert standard.stage == "published"
    assert _stage_changes(standard)[-1] == ("stage_changed", "periodic_review", "published")


def test_an_adopted_standard_under_review_is_not_confirmed_into_published(
    make_standard, publish, adopt, secretariat, clock, db
):
    standard = publish(make_standard())
    adopt(standard, built=False)
    operations.transition(standard, secretariat, Stage.PERIODIC_REVIEW, now=clock.tick())
    db.session.commit()
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, Stage.PUBLISHED, now=clock.tick())
    assert refused.value.kind == "gate"
    db.session.rollback()
    operations.transition(standard, secretariat, Stage.ADOPTED, now=clock.tick())
    db.session.commit()
    assert standard.stage == "adopted"


def test_revising_an_adopted_standard_keeps_it_adopted_until_replaced(
    make_standard, publish, adopt, secretariat, clock, db
):
    standard = publish(make_standard())
    submission = adopt(standard, built=False)
    operations.transition(standard, secretariat, Stage.PERIODIC_REVIEW, now=clock.tick())
    event = operations.transition(standard, secretariat, "revise", now=clock.tick())
    db.session.commit()
    assert standard.stage == "adopted" and (event.from_stage, event.to_stage) == (
        "periodic_review",
        "adopted",
    )
    project = db.session.scalars(
        db.select(type(standard)).where(type(standard).replaces_id == standard.id)
    ).one()
    assert project.stage == "drafting"
    assert "revision_opened" in [e.kind for e in events_of(standard)]
    assert db.session.get(type(submission), submission.id).status == "adopted"


def test_withdrawing_an_adopted_standard_keeps_the_agency_decision(
    make_standard, publish, adopt, secretariat, clock, db
):
    standard = publish(make_standard())
    submission = adopt(standard, built=False)
    operations.transition(standard, secretariat, Stage.PERIODIC_REVIEW, now=clock.tick())
    operations.transition(standard, secretariat, "withdraw", now=clock.tick(), note="已被国家标准覆盖")
    db.session.commit()
    assert standard.stage == "withdrawn"
    db.session.refresh(submission)
    assert (submission.status, submission.decision, submission.reference) == (
        "adopted",
        "adopt",
        "深市监标〔2026〕7号",
    )


def test_an_adopted_standard_waiting_for_another_agency_is_not_reviewed(
    make_standard, publish, adopt, make_org, secretariat, clock, db
):
    """A second submission leaves the standard adopted; its decision would pull it out of a review."""
    from adoption import operations as adoption

    standard = publish(make_standard())
    first = adopt(standard, built=False)
    other = make_org("agency", name="广东省市场监督管理局")
    adoption.submit(standard, secretariat, other, first.dossier_sha256, now=clock.tick())
    db.session.commit()
    assert standard.stage == "adopted"
    move = {n.transition.name: n for n in next_transitions(standard, secretariat, clock.now)}[
        "periodic_review"
    ]
    assert not move.allowed and "广东省市场监督管理局" in move.reasons[0]
    with pytest.raises(Refused) as refused:
        operations.transition(standard, secretariat, Stage.PERIODIC_REVIEW, now=clock.tick())
    assert refused.value.kind == "gate" and "广东省市场监督管理局" in " ".join(refused.value.reasons)
