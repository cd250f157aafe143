"""Who may do what in adoption: predicates answering with a Decision, and loaders that 404.

Reviewers see only what was submitted to their agency; associations only their own submissions
(issue 13). The platform administrator sees everything and decides nothing: a decision belongs to
the agency.
"""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l

from accounts.models import OrgKind, Role, User
from accounts.permissions import Actor, is_administrator, role_in
from accounts.refusals import Decision
from adoption.models import Declaration, Submission
from authoring.models import Standard
from extensions import db


def is_secretariat_of(actor: Actor, standard: Standard) -> bool:
    return role_in(actor, standard.association) == Role.SECRETARIAT


def can_submit(actor: Actor, standard: Standard) -> Decision:
    """The association's secretariat, for a published standard."""
    if not is_secretariat_of(actor, standard):
        return Decision.no(str(_l("Only the association's secretariat submits a dossier for adoption.")))
    return Decision.of(bool(standard.number), _l("Only a published standard can be submitted for adoption."))


def can_view_submission(actor: Actor, submission: Submission) -> Decision:
    """The agency's reviewers, the association's secretariat, and the platform administrator."""
    allowed = (
        is_administrator(actor)
        or role_in(actor, submission.agency) == Role.REVIEWER
        or is_secretariat_of(actor, submission.standard)
    )
    return Decision.of(allowed, _l("Only the agency's reviewers and the association's secretariat see this."))


def can_review(actor: Actor, submission: Submission) -> Decision:
    """The reviewers of the agency the dossier was submitted to."""
    return Decision.of(
        role_in(actor, submission.agency) == Role.REVIEWER,
        _l("Only the reviewers of the agency it was submitted to review this dossier."),
    )


def can_answer(actor: Actor, submission: Submission) -> Decision:
    """The association's secretariat."""
    return Decision.of(
        is_secretariat_of(actor, submission.standard),
        _l("Only the association's secretariat answers the reviewers."),
    )


def can_post(actor: Actor, submission: Submission) -> Decision:
    """A reviewer of the agency (a question) or the association's secretariat (an answer)."""
    if can_review(actor, submission) or can_answer(actor, submission):
        return Decision.yes()
    return Decision.no(str(_l("Only the agency's reviewers and the association's secretariat write here.")))


def is_reviewer(actor: Actor) -> bool:
    """Has a reviewer's membership in some agency (the desk's link)."""
    return isinstance(actor, User) and any(
        m.role == Role.REVIEWER and m.org.kind == OrgKind.AGENCY for m in actor.memberships
    )


def can_declare(actor: Actor, standard: Standard) -> Decision:
    """Any logged-in user, for a published standard."""
    if not isinstance(actor, User):
        return Decision.no(str(_l("Log in to make a self-declaration.")))
    return Decision.of(bool(standard.number), _l("Only a published standard can be declared."))


def can_withdraw_declaration(actor: Actor, declaration: Declaration) -> Decision:
    """Its declarer."""
    return Decision.of(
        isinstance(actor, User) and declaration.declared_by_id == actor.id,
        _l("Only the declarer withdraws a self-declaration."),
    )


def can_flag_declaration(actor: Actor, declaration: Declaration) -> Decision:
    """The secretariat of the association that published the standard."""
    return Decision.of(
        is_secretariat_of(actor, declaration.standard),
        _l("Only the association's secretariat flags a self-declaration."),
    )


def load_submission(submission_id: int, actor: Actor) -> Submission:
    """The submission if `actor` may see it; 404 otherwise (also when it does not exist)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view_submission(actor, submission):
        abort(404)
    return submission


def load_declaration(declaration_id: int) -> Declaration:
    """A declaration of a published standard (declarations are public)."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None or not declaration.standard.number:
        abort(404)
    return declaration
