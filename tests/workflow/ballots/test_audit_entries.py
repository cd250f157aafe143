"""What the workflow writes to the audit log (accounts.audit): a stage change, a ballot opened and
closed, a vote cast and changed, each one entry with the actor, the subject and UTC time, chained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from accounts import audit
from accounts.audit import AuditEntry
from accounts.refusals import Refused
from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow.ballots import operations


def _entries(*actions: str) -> list[AuditEntry]:
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if actions:
        query = query.where(AuditEntry.action.in_(actions))
    return list(db.session.scalars(query))


def test_a_stage_change_writes_one_entry_with_both_stages(make_standard, association, secretariat, clock):
    standard = make_standard()
    stages.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=clock.tick(),
        closes_at="2026-04-01",
        audience="members",
    )
    db.session.commit()
    (entry,) = _entries("stage_changed")
    assert (entry.actor_id, entry.actor_label) == (secretariat.id, secretariat.email)
    assert (entry.subject, entry.organisation_id) == (f"standard:{standard.id}", association.id)
    assert entry.at == clock.now and entry.at.tzinfo == UTC
    details = entry.details_dict
    assert (details["from_stage"], details["to_stage"]) == ("drafting", "consultation")
    assert audit.verify(db.session()).intact


def test_a_vote_and_its_change_write_one_entry_each(app, secretariat, in_review, voters):
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="cn-tc", closes_at=now + timedelta(days=3), now=now
    )
    db.session.commit()
    first = operations.cast_vote(ballot, voters[0], "approve", now=now + timedelta(hours=1))
    db.session.commit()
    first_receipt = first.receipt
    operations.cast_vote(ballot, voters[0], "disapprove", "不同意", now=now + timedelta(hours=2))
    db.session.commit()
    operations.close_ballot(ballot, secretariat, now=now + timedelta(hours=3), reason="提前结束")
    db.session.commit()

    assert [e.action for e in _entries()][-4:] == [
        "ballot_opened",
        "vote_cast",
        "vote_changed",
        "ballot_closed",
    ]
    cast, changed = _entries("vote_cast", "vote_changed")
    assert (cast.actor_id, cast.subject, cast.organisation_id) == (
        voters[0].id,
        f"ballot:{ballot.id}",
        in_review.association_id,
    )
    assert cast.details_dict == {
        "choice": "approve",
        "cast": 1,
        "receipt": first_receipt,
        "standard_id": in_review.id,
    }
    assert (changed.details_dict["choice"], changed.details_dict["cast"]) == ("disapprove", 2)
    assert changed.at == now + timedelta(hours=2)
    assert audit.verify(db.session()).intact


def test_a_refused_vote_writes_nothing(app, secretariat, in_review, voters, make_user):
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="cn-tc", closes_at=now + timedelta(days=3), now=now
    )
    db.session.commit()
    outsider = make_user()
    with pytest.raises(Refused):
        operations.cast_vote(ballot, outsider, "approve", now=now + timedelta(hours=1))
    db.session.rollback()
    db.session.commit()
    assert _entries("vote_cast", "vote_changed") == []
