"""A vote rule as data: the five presets of DESIGN.md ("Ballots") and custom parameters.

Associations differ in what they count (votes cast, attendees, the whole panel), so a rule is a
frozen value with exact fractions, never code: `tally.tally(rule, electorate, counts)` reads it.
No Flask, no SQLAlchemy: the command line uses it as the server does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from typing import Any


class Basis(StrEnum):
    """What a fraction is taken of."""

    #: votes for plus votes against (abstentions and uncounted negatives left out)
    FOR_AGAINST = "for_against"
    #: all votes cast (abstentions included when the rule counts them)
    CAST = "cast"
    #: the whole electorate, whether it voted or not
    ELECTORATE = "electorate"


@dataclass(frozen=True)
class VoteRule:
    """When a ballot passes. A threshold left None is not checked."""

    #: the preset's name, or "custom"
    preset: str
    #: fraction of the electorate that must vote (abstaining is voting)
    quorum: Fraction | None
    #: fraction of `approval_basis` that must be for
    approval: Fraction | None
    approval_basis: Basis
    #: the approval must exceed the fraction instead of reaching it ("for > against" is > 1/2)
    approval_strict: bool
    #: the largest fraction of `against_basis` that may be against
    max_against: Fraction | None
    against_basis: Basis
    #: abstentions are votes cast (they enter the `cast` basis)
    abstentions_count: bool
    #: a negative vote needs reasons: one without is left out of the count (the form asks for them)
    negative_needs_reasons: bool
    #: the standard's drafters are left out of the electorate
    exclude_drafters: bool

    def to_json(self) -> dict[str, Any]:
        """The API's rule object; fractions as strings ("2/3"), null when not checked."""
        return {
            "preset": self.preset,
            "quorum": fraction_text(self.quorum),
            "approval": fraction_text(self.approval),
            "approval_basis": self.approval_basis.value,
            "approval_strict": self.approval_strict,
            "max_against": fraction_text(self.max_against),
            "against_basis": self.against_basis.value,
            "abstentions_count": self.abstentions_count,
            "negative_needs_reasons": self.negative_needs_reasons,
            "exclude_drafters": self.exclude_drafters,
        }


def fraction_text(value: Fraction | None) -> str | None:
    """ "2/3", "0", "1"; None stays None."""
    return None if value is None else str(value)


F = Fraction

#: DESIGN.md's presets, by name, in the order forms list them
PRESETS: Mapping[str, VoteRule] = {
    "iso": VoteRule(
        "iso", None, F(2, 3), Basis.FOR_AGAINST, False, F(1, 4), Basis.FOR_AGAINST, False, True, False
    ),
    "cn-tc": VoteRule("cn-tc", F(3, 4), F(2, 3), Basis.CAST, False, F(1, 4), Basis.CAST, True, False, False),
    "three-quarters": VoteRule(
        "three-quarters", None, F(3, 4), Basis.CAST, False, None, Basis.CAST, True, False, False
    ),
    "majority": VoteRule(
        "majority", F(1, 2), F(1, 2), Basis.FOR_AGAINST, True, None, Basis.FOR_AGAINST, False, False, False
    ),
    "consensus": VoteRule(
        "consensus", F(1, 2), None, Basis.CAST, False, F(0), Basis.CAST, False, False, False
    ),
}

#: the rule an association votes under until its secretariat picks another
DEFAULT_PRESET = "cn-tc"


class RuleError(ValueError):
    """A rule that cannot be used. The message names the field in English (the command line prints
    it); `problem` says what is wrong in one word, so a page can say it in the reader's language:
    "preset" (unknown name), "fraction" (not one, or outside 0..1), "basis", "flag" (not true or
    false), "shape" (neither a name nor an object), "threshold" (nothing to check)."""

    def __init__(self, field: str, message: str, problem: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.problem = problem


def preset(name: str) -> VoteRule:
    """The named preset; RuleError for an unknown name."""
    try:
        return PRESETS[name]
    except KeyError:
        raise RuleError("rule", f"unknown preset {name!r}; one of {', '.join(PRESETS)}", "preset") from None


def parse_fraction(field: str, value: Any, *, optional: bool = True) -> Fraction | None:
    """ "2/3", "0.75", 1 or null as a fraction between 0 and 1; RuleError otherwise."""
    if value is None or value == "":
        if optional:
            return None
        raise RuleError(field, "a fraction is required", "fraction")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RuleError(field, 'a fraction such as "2/3" is required', "fraction")
    try:
        fraction = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise RuleError(field, f'{value!r} is not a fraction such as "2/3"', "fraction") from None
    if not 0 <= fraction <= 1:
        raise RuleError(field, "a fraction between 0 and 1 is required", "fraction")
    return fraction


def rule_from_json(value: Any) -> VoteRule:
    """A preset's name, or an object of the API's rule fields (missing fields: the named or cn-tc preset's)."""
    if isinstance(value, str):
        return preset(value)
    if not isinstance(value, Mapping):
        raise RuleError("rule", "a preset's name or a rule object is required", "shape")
    base = (
        preset(str(value.get("preset") or DEFAULT_PRESET))
        if value.get("preset") != "custom"
        else PRESETS[DEFAULT_PRESET]
    )
    changes: dict[str, Any] = {}
    for name in ("quorum", "approval", "max_against"):
        if name in value:
            changes[name] = parse_fraction(name, value[name])
    for name in ("approval_basis", "against_basis"):
        if name in value:
            try:
                changes[name] = Basis(value[name])
            except ValueError:
                raise RuleError(name, f"one of {', '.join(b.value for b in Basis)}", "basis") from None
    for name in ("approval_strict", "abstentions_count", "negative_needs_reasons", "exclude_drafters"):
        if name in value:
            if not isinstance(value[name], bool):
                raise RuleError(name, "true or false", "flag")
            changes[name] = value[name]
    rule = replace(base, **changes)
    if changes:
        rule = replace(rule, preset="custom") if rule != base else base
    if rule.approval is None and rule.max_against is None:
        raise RuleError("approval", "a rule needs an approval fraction or a maximum against", "threshold")
    return rule
