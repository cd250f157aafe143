"""The tally as a table: every preset at and around each of its thresholds, with exact fractions.

Each row is (preset, electorate, for, against with reasons, against without reasons, abstain) →
passed, and the checks that fail. Around a threshold means one vote either side of it: "2/3"
passes at exactly two thirds and fails one vote below.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from workflow.ballots.rules import PRESETS, RuleError, rule_from_json
from workflow.ballots.tally import Counts, tally

#: (id, preset, electorate, for, against, against without reasons, abstain, passed, failed checks)
TABLE = [
    # iso: for ≥ 2/3 and against ≤ 1/4 of for + against; abstentions and unreasoned negatives out
    ("iso exactly 2/3 for, 1/3 against", "iso", 12, 6, 3, 0, 0, False, {"against"}),
    ("iso exactly 3/4 for, exactly 1/4 against", "iso", 12, 6, 2, 0, 0, True, set()),
    ("iso just above 1/4 against", "iso", 20, 11, 4, 0, 0, False, {"against"}),
    ("iso exactly 1/4 against", "iso", 20, 12, 4, 0, 0, True, set()),
    ("iso just below 2/3 for", "iso", 20, 5, 3, 0, 0, False, {"approval", "against"}),
    ("iso abstentions left out", "iso", 20, 6, 2, 0, 12, True, set()),
    ("iso negatives without reasons left out", "iso", 20, 6, 2, 5, 0, True, set()),
    ("iso only unreasoned negatives", "iso", 10, 0, 0, 3, 0, False, {"approval", "against"}),
    ("iso no quorum needed", "iso", 100, 3, 1, 0, 0, True, set()),
    ("iso zero votes", "iso", 10, 0, 0, 0, 0, False, {"approval", "against"}),
    # cn-tc: quorum 3/4 of the electorate; for ≥ 2/3, against ≤ 1/4 of votes cast (abstentions in)
    ("cn-tc quorum exactly 3/4", "cn-tc", 12, 8, 1, 0, 0, True, set()),
    ("cn-tc quorum just missed", "cn-tc", 12, 8, 0, 0, 0, False, {"quorum"}),
    ("cn-tc abstentions make the quorum", "cn-tc", 12, 8, 0, 0, 1, True, set()),
    ("cn-tc exactly 2/3 for", "cn-tc", 12, 8, 1, 0, 3, True, set()),
    ("cn-tc just below 2/3 for (abstentions are cast)", "cn-tc", 12, 7, 1, 0, 4, False, {"approval"}),
    ("cn-tc exactly 1/4 against", "cn-tc", 12, 9, 3, 0, 0, True, set()),
    ("cn-tc 4/12 against exceeds 1/4", "cn-tc", 12, 8, 4, 0, 0, False, {"against"}),
    ("cn-tc unreasoned negatives count", "cn-tc", 12, 8, 0, 4, 0, False, {"against"}),
    ("cn-tc zero votes", "cn-tc", 12, 0, 0, 0, 0, False, {"quorum", "approval", "against"}),
    # three-quarters: for ≥ 3/4 of votes cast, abstentions in, no quorum
    ("three-quarters exactly 3/4", "three-quarters", 20, 3, 1, 0, 0, True, set()),
    ("three-quarters just below", "three-quarters", 20, 5, 1, 0, 1, False, {"approval"}),
    ("three-quarters abstention counts", "three-quarters", 20, 3, 0, 0, 2, False, {"approval"}),
    ("three-quarters unreasoned negatives count", "three-quarters", 20, 3, 0, 2, 0, False, {"approval"}),
    ("three-quarters zero votes", "three-quarters", 20, 0, 0, 0, 0, False, {"approval"}),
    # majority: half the electorate votes; for > against
    ("majority quorum exactly 1/2, for > against", "majority", 10, 3, 2, 0, 0, True, set()),
    ("majority quorum just missed", "majority", 10, 3, 1, 0, 0, False, {"quorum"}),
    ("majority a tie fails", "majority", 10, 3, 3, 0, 0, False, {"approval"}),
    ("majority abstentions make the quorum, not the majority", "majority", 10, 1, 0, 0, 4, True, set()),
    ("majority only abstentions", "majority", 10, 0, 0, 0, 6, False, {"approval"}),
    ("majority zero votes", "majority", 10, 0, 0, 0, 0, False, {"quorum", "approval"}),
    # consensus: half the electorate votes; no vote against
    ("consensus no vote against", "consensus", 10, 5, 0, 0, 0, True, set()),
    ("consensus one vote against", "consensus", 10, 5, 1, 0, 0, False, {"against"}),
    ("consensus one unreasoned against counts", "consensus", 10, 5, 0, 1, 0, False, {"against"}),
    ("consensus quorum just missed", "consensus", 10, 4, 0, 0, 0, False, {"quorum"}),
    ("consensus zero votes", "consensus", 10, 0, 0, 0, 0, False, {"quorum", "against"}),
]


@pytest.mark.parametrize(
    ("preset", "electorate", "in_favour", "against", "unreasoned", "abstain", "passed", "failing"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_the_table(preset, electorate, in_favour, against, unreasoned, abstain, passed, failing):
    result = tally(PRESETS[preset], electorate, Counts(in_favour, against, unreasoned, abstain))
    assert result.passed is passed
    assert {check.name for check in result.checks if not check.met} == failing
    assert result.reasons_zh[0] == ("表决通过" if passed else "表决未通过")
    assert result.reasons_en[0] == ("The ballot passed" if passed else "The ballot failed")
    for check in result.checks:  # every check is shown with its own numbers and exact threshold
        assert isinstance(check.threshold, Fraction)
        if check.denominator:
            value = Fraction(check.numerator, check.denominator)
            assert (
                check.met
                == {
                    "at_least": value >= check.threshold,
                    "more_than": value > check.threshold,
                    "at_most": value <= check.threshold,
                }[check.comparison]
            )


def test_the_reasons_say_the_numbers_in_both_languages():
    result = tally(PRESETS["cn-tc"], 12, Counts(8, 4, 0, 0))
    assert "反对票 4/12 超过 1/4" in result.reasons_zh
    assert "Votes against 4/12 exceed 1/4" in result.reasons_en
    quorum = tally(PRESETS["cn-tc"], 12, Counts(8, 0, 0, 0))
    assert "参与投票 8/12 未达到法定人数 3/4" in quorum.reasons_zh


def test_zero_votes_fail_in_words():
    result = tally(PRESETS["iso"], 10, Counts())
    assert not result.passed
    assert "没有计入的票，表决未通过" in result.reasons_zh
    assert "No vote was counted, so the ballot fails" in result.reasons_en


def test_weights_multiply_a_vote():
    """Weighted counts are the sum of the voters' weights: one member of weight 3 against two for."""
    heads = tally(PRESETS["three-quarters"], 3, Counts(2, 1, 0, 0))
    weighted = tally(PRESETS["three-quarters"], 5, Counts(2 * 1, 1 * 3, 0, 0))
    assert not heads.passed  # 2/3 < 3/4
    assert not weighted.passed and weighted.checks[0].numerator == 2 and weighted.checks[0].denominator == 5
    heavier_for = tally(PRESETS["three-quarters"], 7, Counts(2 * 3, 1, 0, 0))
    assert heavier_for.passed and heavier_for.checks[0].numerator == 6


def test_the_json_is_the_tally_of_spec_4():
    result = tally(PRESETS["iso"], 12, Counts(6, 2, 1, 3)).to_json("en")
    assert set(result) == {"passed", "rule", "counts", "checks", "reasons"}
    assert result["rule"] == "iso"
    assert result["counts"] == {
        "electorate": 12,
        "for": 6,
        "against": 2,
        "against_without_reasons": 1,
        "abstain": 3,
    }
    assert result["checks"] == [
        {"name": "approval", "numerator": 6, "denominator": 8, "threshold": "2/3", "met": True},
        {"name": "against", "numerator": 2, "denominator": 8, "threshold": "1/4", "met": True},
    ]
    assert "1 negative vote without reasons not counted" in result["reasons"]


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        tally(PRESETS["iso"], 3, Counts(2, 2, 0, 0))
    with pytest.raises(ValueError):
        tally(PRESETS["iso"], 3, Counts(-1, 0, 0, 0))


def test_a_custom_rule_from_the_api_object():
    rule = rule_from_json({"preset": "iso", "approval": "3/5", "abstentions_count": True})
    assert rule.preset == "custom" and rule.approval == Fraction(3, 5) and rule.max_against == Fraction(1, 4)
    assert rule_from_json("majority") is PRESETS["majority"]
    for bad in (
        {"approval": "7/5"},
        {"approval_basis": "heads"},
        "unanimity",
        {"approval": None, "max_against": None},
    ):
        with pytest.raises(RuleError):
            rule_from_json(bad)
