"""The review → approval gate from the review ballot: `workflow.transitions` asks these two.

The ballot that decides is the latest review ballot opened since the standard last entered review,
so a project sent back and submitted again is judged by its new ballot.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.dates import show_datetime
from accounts.refusals import Decision
from authoring.events import StandardEvent
from authoring.models import Stage, Standard
from extensions import db
from workflow.ballots.models import Ballot, BallotKind


def latest_review_ballot(standard: Standard) -> Ballot | None:
    entered = (
        select(func.max(StandardEvent.at))
        .where(
            StandardEvent.standard_id == standard.id,
            StandardEvent.kind == "stage_changed",
            StandardEvent.to_stage == Stage.REVIEW.value,
        )
        .scalar_subquery()
    )
    return db.session.scalar(
        select(Ballot)
        .where(
            Ballot.standard_id == standard.id,
            Ballot.kind == BallotKind.REVIEW.value,
            (Ballot.opens_at >= entered) | entered.is_(None),
        )
        .order_by(Ballot.id.desc())
        .limit(1)
    )


def review_ballot_passed(standard: Standard) -> Decision:
    """Open when the latest review ballot has closed and passed."""
    ballot = latest_review_ballot(standard)
    if ballot is None:
        return Decision.no(_("The review ballot has not passed."), _("No review ballot has been held yet."))
    if ballot.is_open:
        return Decision.no(
            _("The review ballot has not passed."),
            _("The review ballot is open until %(time)s.", time=show_datetime(ballot.closes_at)),
        )
    if ballot.passed:
        return Decision.yes()
    reasons = (ballot.result_in(_reader_language()) or {}).get("reasons", [])
    return Decision.no(_("The review ballot has not passed."), *reasons[1:])


def review_ballot_failed(standard: Standard) -> Decision:
    """Open when the latest review ballot has closed and failed (the project may be sent back)."""
    ballot = latest_review_ballot(standard)
    failed = ballot is not None and not ballot.is_open and not ballot.passed
    return Decision.of(failed, _("No review ballot has failed."))


def _reader_language() -> str:
    from workflow.transitions import reader_language

    return reader_language()
