"""The result of a ballot under a vote rule: one pure function with exact fractions.

`tally(rule, electorate, counts)` returns every check the rule makes (numerator, denominator,
threshold, met) and says in words, in Chinese and in English, why the ballot passed or failed
("反对票 4/12 超过 1/4"). Counts are weighted: a voter of weight 3 adds 3 to their choice, and the
electorate is the sum of its weights, so with weight 1 everywhere counts are heads. Thresholds compare
as `fractions.Fraction`, so "2/3" passes at exactly two thirds. With no vote counted a ballot fails.
`stdforge tally`, the close of a ballot and the tests all call this function.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from workflow.ballots.rules import Basis, VoteRule, fraction_text


@dataclass(frozen=True)
class Counts:
    """Weighted votes by choice; `against` are negatives given with reasons, `against_without_reasons`
    the others (approve with comments counts as for)."""

    for_: int = 0
    against: int = 0
    against_without_reasons: int = 0
    abstain: int = 0

    @property
    def voted(self) -> int:
        """Everyone who returned a vote, abstentions and unreasoned negatives included (the quorum)."""
        return self.for_ + self.against + self.against_without_reasons + self.abstain

    def to_json(self) -> dict[str, int]:
        return {
            "for": self.for_,
            "against": self.against,
            "against_without_reasons": self.against_without_reasons,
            "abstain": self.abstain,
        }


@dataclass(frozen=True)
class Check:
    """One threshold of the rule: `numerator / denominator` against `threshold`."""

    #: "quorum", "approval" or "against"
    name: str
    numerator: int
    denominator: int
    threshold: Fraction
    met: bool
    #: how it compares: "at_least", "more_than" or "at_most" (drawn on the result page)
    comparison: str

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "threshold": fraction_text(self.threshold),
            "met": self.met,
        }


@dataclass(frozen=True)
class Tally:
    """A ballot's result: passed or not, the counts, every check, and the reasons in both languages."""

    passed: bool
    rule: VoteRule
    electorate: int
    counts: Counts
    checks: tuple[Check, ...]
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]

    def reasons(self, language: str = "zh") -> tuple[str, ...]:
        return self.reasons_en if language == "en" else self.reasons_zh

    def to_json(self, language: str = "zh") -> dict[str, Any]:
        """The Tally of spec §4 and the API: `{"passed", "rule", "counts", "checks", "reasons"}`."""
        return {
            "passed": self.passed,
            "rule": self.rule.preset,
            "counts": {"electorate": self.electorate, **self.counts.to_json()},
            "checks": [check.to_json() for check in self.checks],
            "reasons": list(self.reasons(language)),
        }


#: check name → (Chinese, English) name of what is counted
_SUBJECT = {
    "quorum": ("参与投票", "Participation"),
    "approval": ("赞成票", "Votes for"),
    "against": ("反对票", "Votes against"),
}


def _words(check: Check) -> tuple[str, str]:
    """ "反对票 4/12 超过 1/4" and "Votes against 4/12 exceed 1/4", for whichever way the check went."""
    zh_subject, en_subject = _SUBJECT[check.name]
    share = f"{check.numerator}/{check.denominator}"
    threshold = fraction_text(check.threshold)
    if check.denominator == 0:
        return (
            f"{zh_subject} {share}：没有可计的票，无法达到 {threshold}",
            f"{en_subject} {share}: no vote to count, so {threshold} cannot be met",
        )
    if check.comparison == "at_most":
        if check.met:
            return (
                f"{zh_subject} {share} 未超过 {threshold}",
                f"{en_subject} {share} do not exceed {threshold}",
            )
        return f"{zh_subject} {share} 超过 {threshold}", f"{en_subject} {share} exceed {threshold}"
    if check.comparison == "more_than":
        if check.met:
            return f"{zh_subject} {share} 超过 {threshold}", f"{en_subject} {share} exceed {threshold}"
        return f"{zh_subject} {share} 未超过 {threshold}", f"{en_subject} {share} do not exceed {threshold}"
    if check.name == "quorum":
        if check.met:
            return (
                f"{zh_subject} {share} 达到法定人数 {threshold}",
                f"{en_subject} {share} reaches the quorum of {threshold}",
            )
        return (
            f"{zh_subject} {share} 未达到法定人数 {threshold}",
            f"{en_subject} {share} falls short of the quorum of {threshold}",
        )
    if check.met:
        return f"{zh_subject} {share} 达到 {threshold}", f"{en_subject} {share} reach {threshold}"
    return f"{zh_subject} {share} 未达到 {threshold}", f"{en_subject} {share} fall short of {threshold}"


def _basis(basis: Basis, rule: VoteRule, electorate: int, in_favour: int, against: int, abstain: int) -> int:
    if basis == Basis.ELECTORATE:
        return electorate
    if basis == Basis.CAST and rule.abstentions_count:
        return in_favour + against + abstain
    return in_favour + against


def _compare(value: Fraction, threshold: Fraction, comparison: str) -> bool:
    if comparison == "at_most":
        return value <= threshold
    if comparison == "more_than":
        return value > threshold
    return value >= threshold


def _check(name: str, numerator: int, denominator: int, threshold: Fraction, comparison: str) -> Check:
    met = denominator > 0 and _compare(Fraction(numerator, denominator), threshold, comparison)
    return Check(name, numerator, denominator, threshold, met, comparison)


def tally(rule: VoteRule, electorate: int, counts: Counts) -> Tally:
    """The result of `counts` from an electorate of (weighted) size `electorate` under `rule`.

    ValueError for counts that cannot be: negative, or more votes than the electorate.
    """
    values = (counts.for_, counts.against, counts.against_without_reasons, counts.abstain)
    if electorate < 0 or any(v < 0 for v in values):
        raise ValueError("counts and the electorate cannot be negative")
    if counts.voted > electorate:
        raise ValueError(f"{counts.voted} votes from an electorate of {electorate}")
    against = counts.against + (0 if rule.negative_needs_reasons else counts.against_without_reasons)
    in_favour, abstain = counts.for_, counts.abstain
    checks: list[Check] = []
    if rule.quorum is not None:
        checks.append(_check("quorum", counts.voted, electorate, rule.quorum, "at_least"))
    if rule.approval is not None:
        denominator = _basis(rule.approval_basis, rule, electorate, in_favour, against, abstain)
        comparison = "more_than" if rule.approval_strict else "at_least"
        checks.append(_check("approval", in_favour, denominator, rule.approval, comparison))
    if rule.max_against is not None:
        denominator = _basis(rule.against_basis, rule, electorate, in_favour, against, abstain)
        checks.append(_check("against", against, denominator, rule.max_against, "at_most"))
    counted = in_favour + against + (abstain if rule.abstentions_count else 0)
    passed = counted > 0 and all(check.met for check in checks)
    zh: list[str] = []
    en: list[str] = []
    if counted == 0:
        zh.append("没有计入的票，表决未通过")
        en.append("No vote was counted, so the ballot fails")
    for check in checks:
        if passed or not check.met:
            words = _words(check)
            zh.append(words[0])
            en.append(words[1])
    if rule.negative_needs_reasons and counts.against_without_reasons:
        n = counts.against_without_reasons
        zh.append(f"{n} 张未附理由的反对票不计入")
        en.append(f"{n} negative vote{'s' if n != 1 else ''} without reasons not counted")
    if passed:
        zh.insert(0, "表决通过")
        en.insert(0, "The ballot passed")
    else:
        zh.insert(0, "表决未通过")
        en.insert(0, "The ballot failed")
    return Tally(passed, rule, electorate, counts, tuple(checks), tuple(zh), tuple(en))
