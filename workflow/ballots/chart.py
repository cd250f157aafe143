"""The result drawn: one bar per check of the stored tally, its share filled and its threshold marked.

The page draws these as inline SVG (no script, no CDN): the bar's length is the share
numerator/denominator of the full width, and the threshold is a line across it at its fraction.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask_babel import lazy_gettext as _l

from workflow.ballots.models import Ballot

#: the drawing's width in SVG units (the page scales it)
WIDTH = 480

CHECK_LABELS = {
    "quorum": _l("Participation (quorum)"),
    "approval": _l("Votes for"),
    "against": _l("Votes against"),
}
#: how each check compares with its threshold, in words
COMPARISONS = {"quorum": _l("at least"), "approval": _l("at least"), "against": _l("at most")}


@dataclass(frozen=True)
class Bar:
    name: str
    label: str
    numerator: int
    denominator: int
    threshold: str
    met: bool
    comparison: str
    #: the filled length and the threshold's position, in SVG units
    filled: float
    mark: float

    @property
    def percent(self) -> str:
        if not self.denominator:
            return "—"
        return f"{100 * self.numerator / self.denominator:.1f} %"


def bars(ballot: Ballot, result: dict[str, Any]) -> list[Bar]:
    strict = bool(ballot.rule_json.get("approval_strict"))
    drawn = []
    for check in result.get("checks", []):
        share = Fraction(check["numerator"], check["denominator"]) if check["denominator"] else Fraction(0)
        threshold = Fraction(check["threshold"])
        comparison = str(COMPARISONS.get(check["name"], ""))
        if check["name"] == "approval" and strict:
            comparison = str(_l("more than"))
        drawn.append(
            Bar(
                name=check["name"],
                label=str(CHECK_LABELS.get(check["name"], check["name"])),
                numerator=check["numerator"],
                denominator=check["denominator"],
                threshold=check["threshold"],
                met=bool(check["met"]),
                comparison=comparison,
                filled=round(float(share) * WIDTH, 1),
                mark=round(float(threshold) * WIDTH, 1),
            )
        )
    return drawn
