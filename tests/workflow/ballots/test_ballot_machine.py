"""Random lives of a ballot keep its invariants: open, cast, change, close (early or at its time),
casts after the close, by voters and by people outside the electorate.

A hypothesis state machine drives one ballot at a time through `workflow.ballots.operations` with a
clock of its own. What may never happen: two current votes for a voter, a current vote that is not
the voter's latest accepted cast, a cast accepted after the close, a stored result that changes
after the close or differs from a recount of the cast history.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from accounts.refusals import Refused
from authoring.models import Stage
from workflow.ballots import operations
from workflow.ballots.models import BallotVoter, VoteCast
from workflow.ballots.rules import PRESETS
from workflow.ballots.tally import tally

CHOICES = ("approve", "approve_with_comments", "disapprove", "abstain", "maybe")


@pytest.mark.slow
def test_random_ballot_lives_keep_the_invariants(app, db, make_standard, secretariat, voters, drafter, clock):
    class Life(RuleBasedStateMachine):
        @initialize(preset=st.sampled_from(sorted(PRESETS)))
        def open(self, preset):
            self.standard = make_standard(stage=Stage.REVIEW)
            self.ballot = operations.open_ballot(
                self.standard,
                secretariat,
                kind="review",
                rule=preset,
                closes_at=clock.now + timedelta(hours=2),
                now=clock.tick(),
            )
            db.session.commit()
            self.latest: dict[int, tuple[str, str]] = {}
            self.accepted = 0
            self.result = None

        @rule(
            who=st.integers(0, len(voters)),
            choice=st.sampled_from(CHOICES),
            reasons=st.sampled_from(["", "理由"]),
            minutes=st.integers(0, 50),
        )
        def cast(self, who, choice, reasons, minutes):
            actor = voters[who] if who < len(voters) else drafter  # not in the electorate
            now = clock.now + timedelta(minutes=minutes)
            clock.now = now
            was_open = self.ballot.is_open and now < self.ballot.closes_at
            try:
                operations.cast_vote(self.ballot, actor, choice, reasons, now=now)
                db.session.commit()
            except Refused as refused:
                db.session.rollback()
                if not was_open:
                    assert refused.kind == "closed"
                elif actor is drafter:
                    assert refused.kind == "forbidden"
                else:
                    assert refused.kind == "invalid"
                    assert choice == "maybe" or (choice == "disapprove" and not reasons)
                return
            assert was_open and actor is not drafter and choice != "maybe"
            self.latest[actor.id] = (choice, reasons)
            self.accepted += 1

        @rule(reason=st.sampled_from(["", "提前截止"]))
        def close_early(self, reason):
            now = clock.tick()
            try:
                operations.close_ballot(self.ballot, secretariat, now=now, reason=reason)
                db.session.commit()
            except Refused as refused:
                db.session.rollback()
                assert refused.kind == "closed" or (refused.kind == "invalid" and not reason)
                return
            self.result = dict(self.ballot.result)

        @rule()
        def time_passes(self):
            clock.now += timedelta(minutes=45)
            if operations.settle(self.ballot, clock.now):
                db.session.commit()
                self.result = dict(self.ballot.result)

        @invariant()
        def one_current_vote_each_and_the_latest_counts(self):
            rows = db.session.scalars(
                select(BallotVoter).where(BallotVoter.ballot_id == self.ballot.id)
            ).all()
            assert len({r.user_id for r in rows}) == len(rows) == len(voters)
            current = {r.user_id: (r.choice, r.reasons) for r in rows if r.choice}
            assert current == self.latest
            casts = db.session.scalar(
                select(func.count(VoteCast.id)).where(VoteCast.ballot_id == self.ballot.id)
            )
            assert casts == self.accepted

        @invariant()
        def the_result_never_changes_and_is_a_recount(self):
            if self.ballot.is_open:
                assert self.ballot.result is None
                return
            assert self.ballot.result == self.result
            history = db.session.scalars(
                select(VoteCast).where(VoteCast.ballot_id == self.ballot.id).order_by(VoteCast.id)
            ).all()
            assert all(c.cast_at <= self.ballot.closed_at for c in history)
            latest = {c.voter_id: c for c in history}
            weights = dict(
                db.session.execute(
                    select(BallotVoter.id, BallotVoter.weight).where(BallotVoter.ballot_id == self.ballot.id)
                ).all()
            )
            counts = operations.counts_of((c.choice, c.reasons, weights[c.voter_id]) for c in latest.values())
            assert self.ballot.result["en"] == tally(
                self.ballot.rule, self.ballot.electorate_weight, counts
            ).to_json("en")

    run_state_machine_as_test(
        Life,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
