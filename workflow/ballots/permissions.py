"""Who may open, close, see and vote in a ballot: predicates answering with a `Decision`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import Role, User
from accounts.permissions import Actor, Operator, role_in
from accounts.refusals import Decision
from authoring.models import Standard
from authoring.permissions import can_view_standard
from extensions import db
from workflow.ballots.models import Ballot, BallotVoter


def can_run_ballots(actor: Actor, standard: Standard) -> Decision:
    """Open and close a standard's ballots: the association's secretariat (and the operator)."""
    allowed = isinstance(actor, Operator) or role_in(actor, standard.association) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the association's secretariat opens and closes ballots."))


def can_see_ballot(actor: Actor, ballot: Ballot) -> Decision:
    """Whoever reads the standard, and every voter of its electorate."""
    # the voter first: one indexed query, and a cast (the hot path) needs no more
    if voter_of(ballot, actor) is not None or can_view_standard(actor, ballot.standard):
        return Decision.yes()
    return Decision.no(str(_l("Only the association's members see its unpublished standards.")))


def voter_of(ballot: Ballot, actor: Actor) -> BallotVoter | None:
    """`actor`'s place in the electorate fixed at the open, or None."""
    if not isinstance(actor, User) or not actor.is_active:
        return None
    return db.session.scalar(
        select(BallotVoter).where(BallotVoter.ballot_id == ballot.id, BallotVoter.user_id == actor.id)
    )


def can_vote(actor: Actor, ballot: Ballot) -> Decision:
    """The members of the electorate fixed when the ballot opened, while it is open."""
    if voter_of(ballot, actor) is None:
        return Decision.no(str(_l("You are not in this ballot's electorate.")))
    return Decision.yes()


def can_see_record(actor: Actor, ballot: Ballot) -> Decision:
    """Every counted vote, by voter: readers of the ballot once it has closed."""
    if ballot.is_open:
        return Decision.no(str(_l("The ballot record is shown once the ballot has closed.")))
    return can_see_ballot(actor, ballot)
