"""Random sequences of moves keep the invariants: one current stage, a published number never changes,
the event list only grows, a periodic review that is not a withdrawal ends where it began.

A hypothesis state machine drives one standard at a time through `workflow.operations.transition`
with any move of the table (allowed or not, with good or bad parameters), while the gates of later
issues (open comments, the review ballot) flip at random and a government agency may adopt a
published standard (adoption's `submit` and `decide`). Refusals are part of the game; what may never
happen is a state that the table and the events do not explain.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.refusals import Decision, Refused
from authoring.events import StandardEvent
from authoring.models import Stage
from workflow import operations, transitions
from workflow.stages import TRANSITIONS, find_transition, transitions_from

REACHED: set[str] = set()
#: (the stage a periodic review began from, the move that ended it, where it led) of the walks
REVIEWS: set[tuple[str, str, str]] = set()
MOVE_NAMES = sorted({t.name for t in TRANSITIONS} | {s.value for s in Stage})


@pytest.mark.slow
def test_random_moves_keep_the_invariants(
    app, db, make_standard, adopt, secretariat, member, clock, monkeypatch
):
    gates = {"open_comments": 0, "passed": False, "failed": False}
    monkeypatch.setattr(transitions, "open_comment_count", lambda s: gates["open_comments"])
    monkeypatch.setattr(
        transitions,
        "review_ballot_passed",
        lambda s: Decision.of(gates["passed"], "The review ballot has not passed."),
    )
    monkeypatch.setattr(
        transitions,
        "review_ballot_failed",
        lambda s: Decision.of(gates["failed"], "No review ballot has failed."),
    )

    class Life(RuleBasedStateMachine):
        @initialize()
        def new_standard(self):
            self.standard = make_standard()
            self.number = None
            #: the stage the standard was in before its current one, as the walk moved it
            self.came_from: str | None = None
            self.seen: list[tuple[int, str]] = self.events()

        def events(self):
            rows = db.session.scalars(
                db.select(StandardEvent)
                .where(StandardEvent.standard_id == self.standard.id)
                .order_by(StandardEvent.id)
            )
            return [(e.id, e.kind, e.from_stage, e.to_stage, e.note) for e in rows]

        @rule(
            data=st.data(),
            by_secretariat=st.sampled_from([True, True, True, False]),
            days=st.integers(-3, 40),
            audience=st.sampled_from(["members", "public", "nobody"]),
            note=st.sampled_from(["", "理由"]),
        )
        def move(self, data, by_secretariat, days, audience, note):
            onward = [t.name for t in transitions_from(self.standard.stage) if t.name != "cancel"]
            choices = st.sampled_from(MOVE_NAMES)
            if onward:  # mostly the moves the table has from here, so the walks get far
                choices = st.one_of(choices, st.sampled_from(onward), st.sampled_from(onward))
            self.move_as(data.draw(choices), secretariat if by_secretariat else member, days, audience, note)

        def move_as(self, to, actor, days, audience, note):
            by_secretariat = actor is secretariat
            before = self.standard.stage
            expected = find_transition(before, to, self.came_from)
            try:
                operations.transition(
                    self.standard,
                    actor,
                    to,
                    now=clock.tick(),
                    note=note,
                    closes_at=(clock.now + timedelta(days=days)).date().isoformat(),
                    audience=audience,
                )
                db.session.commit()
            except Refused:
                db.session.rollback()
                assert self.standard.stage == before
                return
            assert expected is not None and by_secretariat, "only a move of the table, by the secretariat"
            assert self.standard.stage == expected.target.value
            REACHED.add(self.standard.stage)
            if before == Stage.PERIODIC_REVIEW.value:
                REVIEWS.add((self.came_from or "", expected.name, self.standard.stage))
            self.came_from = before

        @precondition(lambda self: self.standard.stage == Stage.PUBLISHED.value)
        @rule()
        def an_agency_adopts(self):
            adopt(self.standard, built=False)
            assert self.standard.stage == Stage.ADOPTED.value
            REACHED.add(self.standard.stage)
            self.came_from = Stage.ADOPTION_REVIEW.value

        @rule(
            open_comments=st.integers(0, 2), passed=st.sampled_from([True, True, False]), failed=st.booleans()
        )
        def later_gates(self, open_comments, passed, failed):
            gates.update(open_comments=open_comments, passed=passed, failed=failed)

        @rule(days=st.integers(1, 45))
        def time_passes(self, days):
            clock.days(days)

        @invariant()
        def one_current_stage_explained_by_the_events(self):
            Stage(self.standard.stage)  # a stage of the one list
            changes = [e for e in self.events() if e[3] is not None]  # the moves, the adoption's too
            assert (changes[-1][3] if changes else Stage.DRAFTING.value) == self.standard.stage

        @invariant()
        def a_review_ends_where_it_began_unless_withdrawn(self):
            began = None
            for _id, _kind, source, target, _note in self.events():
                if target == Stage.PERIODIC_REVIEW.value:
                    began = source
                elif source == Stage.PERIODIC_REVIEW.value and target != Stage.WITHDRAWN.value:
                    assert target == began, (began, target)

        @invariant()
        def a_published_number_never_changes(self):
            if self.number is not None:
                assert self.standard.number == self.number
            self.number = self.standard.number
            assert (self.standard.number is None) == (self.standard.published_revision is None)

        @invariant()
        def events_only_grow(self):
            now = self.events()
            assert now[: len(self.seen)] == self.seen
            self.seen = now

    run_state_machine_as_test(
        Life,
        settings=settings(
            max_examples=100,
            derandomize=True,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # the random walks went the whole way: released, closed, reviewed, published and beyond
    assert {"consultation", "disposition", "review", "published", "adopted"} <= REACHED, REACHED
    # and reviewed both kinds of standard in force
    assert {"published", "adopted"} <= {began for began, _move, _to in REVIEWS}, REVIEWS
