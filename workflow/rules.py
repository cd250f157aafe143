"""The gates of the stage table: pure decisions on what they are given, answered with reasons in words.

No query, no request, no session: `workflow.transitions.gate_inputs` gathers a standard's facts into
`GateInputs` once, and every gate of `workflow.stages.TRANSITIONS` decides on them here, so the page,
the API, the verb and the truth-table tests read the same answer. A gate says whether the standard
may leave its stage; who may move it is `workflow.permissions.can_move_stages`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from accounts.refusals import Decision
from workflow.stages import Transition

#: how many lint findings a refusal lists (the count says how many there are)
LISTED_FINDINGS = 10


@dataclass(frozen=True)
class GateInputs:
    """What the gates of one standard decide on, read once (`transitions.gate_inputs`)."""

    #: the local date (the association's time zone) the decision is made on
    today: date
    #: the number of the latest revision (0: no text yet)
    latest_number: int = 1
    #: the open consultation's last day, and whether it was closed already (None: no period)
    period_closes_on: date | None = None
    period_closed: bool = False
    #: the secretariat's reason for closing the consultation before its last day ("" when none given)
    early_reason: str = ""
    #: comments without a disposition (`transitions.open_comment_count`)
    open_comments: int = 0
    #: the outcome of the review ballot, as the ballots package decides it
    review_ballot_passed: Decision = field(default_factory=lambda: Decision.no("no ballot"))
    review_ballot_failed: Decision = field(default_factory=lambda: Decision.no("no ballot"))
    #: the latest revision's lint errors: their count and their messages in the reader's language
    lint_errors: int = 0
    lint_messages: tuple[str, ...] = ()
    #: the number of the published standard that replaced this one, if any
    replaced_by: str | None = None
    #: the title of a revision project of this standard that is not published yet, if any
    revision_under_way: str | None = None
    #: the name of the government agency still deciding on this standard's adoption, if any
    adoption_pending: str | None = None


def gate_open(inputs: GateInputs) -> Decision:
    """Nothing to wait for: the secretariat decides."""
    return Decision.yes()


def gate_has_text(inputs: GateInputs) -> Decision:
    """A consultation releases a revision: there must be one."""
    return Decision.of(inputs.latest_number >= 1, _("The standard has no revision to release yet."))


def gate_period_ended(inputs: GateInputs) -> Decision:
    """The consultation leaves when its period has ended, or early with the secretariat's reason."""
    if inputs.period_closed or inputs.period_closes_on is None:
        return Decision.yes()
    if inputs.today > inputs.period_closes_on or inputs.early_reason.strip():
        return Decision.yes()
    return Decision.no(
        _(
            "The comment period closes on %(date)s; before then the secretariat may close it early with a reason.",
            date=inputs.period_closes_on.isoformat(),
        )
    )


def gate_no_open_comments(inputs: GateInputs) -> Decision:
    """Every comment has its disposition."""
    count = inputs.open_comments
    return Decision.of(
        count == 0,
        ngettext("%(num)d comment has no disposition.", "%(num)d comments have no disposition.", count),
    )


def gate_review_ballot_passed(inputs: GateInputs) -> Decision:
    """The review ballot passed (the ballots package decides; until then the gate stays closed)."""
    return inputs.review_ballot_passed


def gate_review_ballot_failed(inputs: GateInputs) -> Decision:
    """A failed review ballot sends the project back, never ends it."""
    return inputs.review_ballot_failed


def gate_lint_clean(inputs: GateInputs) -> Decision:
    """A text with lint errors is not published; the findings are the reasons."""
    if inputs.lint_errors == 0:
        return Decision.yes()
    head = ngettext(
        "The text has %(num)d lint error.", "The text has %(num)d lint errors.", inputs.lint_errors
    )
    return Decision.no(head, *inputs.lint_messages[:LISTED_FINDINGS])


def gate_no_revision_under_way(inputs: GateInputs) -> Decision:
    """One revision project at a time."""
    if inputs.revision_under_way is None:
        return Decision.yes()
    return Decision.no(
        _("A revision of this standard is under way: “%(title)s”.", title=inputs.revision_under_way)
    )


def gate_not_replaced(inputs: GateInputs) -> Decision:
    """A replaced standard is not reviewed again, nor one whose revision is under way, nor one an
    agency is still deciding on (its decision would move the standard out of the review)."""
    if inputs.replaced_by is not None:
        return Decision.no(_("This standard has been replaced by %(number)s.", number=inputs.replaced_by))
    if inputs.adoption_pending is not None:
        return Decision.no(
            _(
                "%(agency)s has not yet decided on adopting this standard; review it after the decision.",
                agency=inputs.adoption_pending,
            )
        )
    return gate_no_revision_under_way(inputs)


#: the gates named by `workflow.stages.TRANSITIONS`
GATES: Mapping[str, Callable[[GateInputs], Decision]] = {
    "open": gate_open,
    "has_text": gate_has_text,
    "period_ended": gate_period_ended,
    "no_open_comments": gate_no_open_comments,
    "review_ballot_passed": gate_review_ballot_passed,
    "review_ballot_failed": gate_review_ballot_failed,
    "lint_clean": gate_lint_clean,
    "not_replaced": gate_not_replaced,
    "no_revision_under_way": gate_no_revision_under_way,
}


def gate(transition: Transition, inputs: GateInputs) -> Decision:
    """May the standard take `transition`, as far as its state goes (not who asks)?"""
    return GATES[transition.gate](inputs)


def next_sequence(used: list[int]) -> int:
    """The association's next free sequence number: one past the highest it has used."""
    return max(used, default=0) + 1


def publication_number(code: str, sequence: int, year: int) -> str:
    """`T/SZYL 12—2026`, with the em dash U+2014 of GB/T 1.1."""
    return f"T/{code} {sequence}\u2014{year}"


def check_publication_dates(publish_on: date, implement_on: date) -> Decision:
    """The implementation date may not come before the publication date (META-DATES)."""
    return Decision.of(
        implement_on >= publish_on, _("The implementation date may not come before the publication date.")
    )
