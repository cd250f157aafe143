"""The notices adoption's verbs write (accounts.notices): a dossier submitted, a reviewer's question,
a decision.

Called inside each verb's unit of work, worded in each recipient's language. The agency's reviewers
hear of a submission; the person who submitted and the association's secretariat hear the agency's
questions and its decision.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from accounts.models import Role, User
from accounts.notices import link_path, notify
from adoption.models import Submission, Verdict
from workflow.notices import title_of


def _association_side(submission: Submission) -> list[User | None]:
    secretariat = [m.user for m in submission.standard.association.memberships if m.role == Role.SECRETARIAT]
    return [submission.submitted_by, *secretariat]


def _link(submission: Submission) -> str:
    return link_path("review.submission_page", submission_id=submission.id)


def dossier_submitted(submission: Submission, *, now: datetime) -> None:
    """The agency's reviewers hear that a dossier waits for their review."""
    reviewers = [m.user for m in submission.agency.memberships if m.role == Role.REVIEWER]

    def words() -> tuple[str, str]:
        title = title_of(submission.standard)
        association = submission.standard.association.name
        return (
            _("Dossier submitted: %(title)s", title=title),
            _(
                "%(association)s submitted the dossier of %(title)s for adoption review.",
                association=association,
                title=title,
            ),
        )

    notify(
        reviewers, "dossier_submitted", words, _link(submission), now=now, topic=f"submission:{submission.id}"
    )


def reviewer_question(submission: Submission, text: str, *, now: datetime) -> None:
    """The association's side hears the reviewer's question, quoted."""

    def words() -> tuple[str, str]:
        title = title_of(submission.standard)
        return (
            _("A reviewer asks about %(title)s", title=title),
            _(
                "%(agency)s asks about %(title)s:\n\n%(question)s",
                agency=submission.agency.name,
                title=title,
                question=text,
            ),
        )

    notify(
        _association_side(submission),
        "reviewer_question",
        words,
        _link(submission),
        now=now,
        topic=f"submission:{submission.id}",
    )


def decision(submission: Submission, *, now: datetime) -> None:
    """The association's side hears the agency's decision and its reasons."""

    def words() -> tuple[str, str]:
        title = title_of(submission.standard)
        verdict = Verdict(submission.decision).label
        body = _(
            "%(agency)s decided on %(title)s: %(verdict)s.",
            agency=submission.agency.name,
            title=title,
            verdict=verdict,
        )
        if submission.reference:
            body += "\n" + _("Reference: %(reference)s", reference=submission.reference)
        if submission.decision_reasons:
            body += "\n" + _("Reasons: %(reasons)s", reasons=submission.decision_reasons)
        return _("Adoption decision on %(title)s: %(verdict)s", title=title, verdict=verdict), body

    notify(
        _association_side(submission),
        "adoption_decision",
        words,
        _link(submission),
        now=now,
        topic=f"submission:{submission.id}",
    )
