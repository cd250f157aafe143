"""The stage table as a truth table: every (stage, move, gate inputs) gives allowed, or closed with reasons.

The cases are built from `TRANSITIONS` itself, so a move added to the table without a gate that
answers here fails; the expected answers are written out per gate.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from accounts.refusals import Decision
from authoring.models import Stage
from workflow import rules
from workflow.stages import (
    BEFORE_PUBLICATION,
    STAGES,
    TRANSITIONS,
    cancelled_code,
    draft_name,
    find_transition,
    transitions_from,
)

TODAY = date(2026, 3, 10)
PASSED = Decision.yes()
NOT_HELD = Decision.no("The review ballot has not passed.", "No review ballot has been held yet.")
FAILED = Decision.yes()
NOT_FAILED = Decision.no("No review ballot has failed.")

#: gate → [(inputs, allowed, words every reason list must contain)]
CASES: dict[str, list[tuple[dict, bool, tuple[str, ...]]]] = {
    "open": [({}, True, ())],
    "has_text": [({"latest_number": 1}, True, ()), ({"latest_number": 0}, False, ("no revision",))],
    "period_ended": [
        ({"period_closes_on": date(2026, 3, 1)}, True, ()),
        ({"period_closes_on": TODAY}, False, ("closes on 2026-03-10",)),
        ({"period_closes_on": date(2026, 4, 1)}, False, ("closes on 2026-04-01",)),
        ({"period_closes_on": date(2026, 4, 1), "early_reason": "专家意见已足够"}, True, ()),
        ({"period_closes_on": date(2026, 4, 1), "early_reason": "   "}, False, ("closes on 2026-04-01",)),
        ({"period_closes_on": date(2026, 4, 1), "period_closed": True}, True, ()),
    ],
    "no_open_comments": [
        ({"open_comments": 0}, True, ()),
        ({"open_comments": 1}, False, ("1 comment has no disposition",)),
        ({"open_comments": 2}, False, ("2 comments have no disposition",)),
    ],
    "review_ballot_passed": [
        ({"review_ballot_passed": PASSED}, True, ()),
        ({"review_ballot_passed": NOT_HELD}, False, ("review ballot has not passed",)),
    ],
    "review_ballot_failed": [
        ({"review_ballot_failed": FAILED}, True, ()),
        ({"review_ballot_failed": NOT_FAILED}, False, ("No review ballot has failed",)),
    ],
    "lint_clean": [
        ({"lint_errors": 0}, True, ()),
        (
            {"lint_errors": 3, "lint_messages": ("4: 缺少范围", "9: 编号重复", "12: 引用不存在")},
            False,
            ("3 lint errors", "缺少范围"),
        ),
        ({"lint_errors": 1, "lint_messages": ("4: 缺少范围",)}, False, ("1 lint error.",)),
    ],
    "not_replaced": [
        ({}, True, ()),
        ({"replaced_by": "T/SZYL 3—2027"}, False, ("replaced by T/SZYL 3—2027",)),
        ({"revision_under_way": "新版"}, False, ("revision of this standard is under way",)),
        ({"adoption_pending": "深圳市市场监督管理局"}, False, ("深圳市市场监督管理局 has not yet decided",)),
    ],
    "no_revision_under_way": [
        ({}, True, ()),
        ({"revision_under_way": "新版"}, False, ("under way: “新版”",)),
    ],
}


def _truth_table():
    for move in TRANSITIONS:
        for inputs, allowed, words in CASES[move.gate]:
            yield pytest.param(move, inputs, allowed, words, id=f"{move}-{inputs}")


@pytest.mark.parametrize(("move", "inputs", "allowed", "words"), list(_truth_table()))
def test_gate_answers_with_reasons(app, move, inputs, allowed, words):
    with force_locale("en"):
        decision = rules.gate(move, rules.GateInputs(today=TODAY, **inputs))
    assert decision.allowed is allowed
    assert bool(decision.reasons) is not allowed, "a closed gate says why, an open one says nothing"
    text = " ".join(decision.reasons)
    for word in words:
        assert word in text


def test_every_gate_of_the_table_is_a_rule_and_has_cases():
    assert {m.gate for m in TRANSITIONS} <= set(rules.GATES) == set(CASES)


def test_the_moves_are_exactly_those_of_the_issue():
    moves = {(m.source, m.target) for m in TRANSITIONS}
    expected = {
        (Stage.PROPOSAL, Stage.DRAFTING),
        (Stage.DRAFTING, Stage.CONSULTATION),
        (Stage.CONSULTATION, Stage.DISPOSITION),
        (Stage.DISPOSITION, Stage.REVIEW),
        (Stage.REVIEW, Stage.APPROVAL),
        (Stage.REVIEW, Stage.CONSULTATION),
        (Stage.REVIEW, Stage.DRAFTING),
        (Stage.APPROVAL, Stage.PUBLISHED),
        (Stage.PUBLISHED, Stage.PERIODIC_REVIEW),
        (Stage.ADOPTED, Stage.PERIODIC_REVIEW),
        (Stage.PERIODIC_REVIEW, Stage.PUBLISHED),
        (Stage.PERIODIC_REVIEW, Stage.ADOPTED),
        (Stage.PERIODIC_REVIEW, Stage.WITHDRAWN),
    } | {(s, Stage.CANCELLED) for s in BEFORE_PUBLICATION}
    assert moves == expected
    # a failed ballot sends back, never ends: no move out of review but back, on, or cancel
    assert not transitions_from(Stage.CANCELLED) and not transitions_from(Stage.WITHDRAWN)
    assert not transitions_from(Stage.ADOPTION_REVIEW), "the agency's decision moves it, not the table"
    for came_from in (None, Stage.PUBLISHED, Stage.ADOPTED):
        names = [m.name for m in transitions_from(Stage.PERIODIC_REVIEW, came_from)]
        assert names == ["confirm", "revise", "withdraw"], "one move of each name, whatever the route"


@pytest.mark.parametrize("came_from", [Stage.PUBLISHED, Stage.ADOPTED])
def test_a_periodic_review_confirms_or_revises_back_to_where_it_began(came_from):
    start = find_transition(came_from, "periodic_review")
    assert (start.target, start.gate) == (Stage.PERIODIC_REVIEW, "not_replaced")
    moves = {m.name: m for m in transitions_from(Stage.PERIODIC_REVIEW, came_from)}
    assert moves["confirm"].target == moves["revise"].target == came_from
    assert moves["withdraw"].target == Stage.WITHDRAWN
    assert find_transition(Stage.PERIODIC_REVIEW, came_from, came_from).name == "confirm"
    assert find_transition(Stage.PERIODIC_REVIEW, "revise", came_from).gate == "no_revision_under_way"


def test_an_adopted_standard_is_not_confirmed_into_plain_published():
    assert find_transition(Stage.PERIODIC_REVIEW, Stage.PUBLISHED, Stage.ADOPTED) is None
    assert find_transition(Stage.PERIODIC_REVIEW, Stage.ADOPTED, Stage.PUBLISHED) is None


def test_a_review_whose_start_the_history_does_not_give_returns_to_published():
    """A standard put in periodic review without an event (older data) keeps the table's first route."""
    for unknown in (None, Stage.DRAFTING):
        assert {m.target for m in transitions_from(Stage.PERIODIC_REVIEW, unknown)} == {
            Stage.PUBLISHED,
            Stage.WITHDRAWN,
        }


def test_a_move_is_found_by_its_stage_or_its_name():
    assert find_transition(Stage.PERIODIC_REVIEW, "published").name == "confirm"
    assert find_transition(Stage.PERIODIC_REVIEW, "revise").name == "revise"
    assert find_transition(Stage.PERIODIC_REVIEW, "adopted", Stage.ADOPTED).name == "confirm"
    assert find_transition(Stage.DRAFTING, "cancelled").name == "cancel"
    assert find_transition(Stage.DRAFTING, "published") is None
    assert find_transition(Stage.DRAFTING, "nonsense") is None


def test_every_stage_has_its_codes_and_names(app):
    assert set(STAGES) == set(Stage)
    codes = {stage: info.iso_code for stage, info in STAGES.items()}
    assert codes[Stage.PROPOSAL] == "00.00" and codes[Stage.DRAFTING] == "20.00"
    assert codes[Stage.CONSULTATION] == "40.20" and codes[Stage.DISPOSITION] == "40.60"
    assert codes[Stage.REVIEW] == "50.20" and codes[Stage.APPROVAL] == "50.60"
    assert codes[Stage.PUBLISHED] == "60.60" and codes[Stage.PERIODIC_REVIEW] == "90.20"
    assert codes[Stage.WITHDRAWN] == "95.99"
    assert cancelled_code(Stage.DRAFTING) == "20.98" and cancelled_code(Stage.APPROVAL) == "50.98"
    assert draft_name(Stage.CONSULTATION, "zh") == "征求意见稿"
    assert draft_name(Stage.REVIEW, "zh") == "送审稿" and draft_name(Stage.APPROVAL, "zh") == "报批稿"
    assert draft_name(Stage.CONSULTATION, "en") == "Draft for comments"
    assert draft_name(Stage.PUBLISHED, "zh") is None


def test_publication_numbers_use_the_em_dash():
    assert rules.publication_number("SZYL", 12, 2026) == "T/SZYL 12\u20142026"
    assert rules.next_sequence([]) == 1 and rules.next_sequence([1, 4, 2]) == 5
