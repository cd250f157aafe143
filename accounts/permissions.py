"""Who may do what with people and organisations: predicates that deny by default.

Views and templates ask the same predicates. An object of an organisation the user may not see is
answered with 404 (its existence is none of their business); a visible object with a refused action
with 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin

from accounts.models import Invitation, Membership, Organisation, Role, User
from accounts.refusals import Decision
from extensions import db


@dataclass(frozen=True)
class Operator:
    """Someone at the server's command line (`flask create-org`, `add-member`, the demo loader).

    Verbs take it as their actor like a user; the predicates allow it what the platform administrator
    may do, and say so explicitly, so no verb reads a missing actor as all-powerful.
    """

    name: str = "operator"


#: the one operator actor
OPERATOR = Operator()

#: who may act: a user, the operator, or Flask-Login's anonymous `current_user` (or None)
Actor = User | Operator | AnonymousUserMixin | None


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_active else None


def is_administrator(actor: Actor) -> bool:
    """The operator, or an active platform administrator."""
    user = _user(actor)
    return isinstance(actor, Operator) or (user is not None and user.is_admin)


def role_in(actor: Actor, org: Organisation) -> Role | None:
    """The actor's role in `org`, or None when not a member."""
    user = _user(actor)
    if user is None:
        return None
    membership = user.membership_in(org)
    return membership.role if membership else None


def can_view_org(actor: Actor, org: Organisation) -> Decision:
    """Its members and the platform administrator."""
    user = _user(actor)
    allowed = is_administrator(actor) or (user is not None and user.membership_in(org) is not None)
    return Decision.of(allowed, _l("Only the organisation's members see this page."))


def can_manage_members(actor: Actor, org: Organisation) -> Decision:
    """The organisation's secretariat and the platform administrator."""
    allowed = is_administrator(actor) or role_in(actor, org) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the secretariat manages the members of this organisation."))


def can_administer_orgs(actor: Actor) -> Decision:
    """Create, rename and set the code of organisations: the platform administrator (or the operator)."""
    return Decision.of(
        is_administrator(actor), _l("Only the platform administrator may create organisations.")
    )


#: creating is one of the administrator's organisation verbs
can_create_org = can_administer_orgs


def load_org(org_id: int, actor: Actor) -> Organisation:
    """The organisation if `actor` may see it; 404 otherwise (also when it does not exist)."""
    org = db.session.get(Organisation, org_id)
    if org is None or not can_view_org(actor, org):
        abort(404)
    return org


def load_org_to_manage(org_id: int, actor: Actor) -> Organisation:
    """The organisation if `actor` manages its members; 404 when not visible, 403 when only visible."""
    org = load_org(org_id, actor)
    if not can_manage_members(actor, org):
        abort(403)
    return org


def load_org_to_administer(org_id: int, actor: Actor) -> Organisation:
    """The organisation for its administration page: 404 when not visible, 403 for a non-administrator."""
    org = load_org(org_id, actor)
    if not can_administer_orgs(actor):
        abort(403)
    return org


def require_org_administrator(actor: Actor) -> None:
    """403 for anyone but the platform administrator (the list of all organisations is no secret)."""
    if not can_administer_orgs(actor):
        abort(403)


def load_membership(org: Organisation, membership_id: int) -> Membership:
    """A membership of `org` (already authorised); 404 for one of another organisation."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.org_id != org.id:
        abort(404)
    return membership


def load_invitation(org: Organisation, invitation_id: int) -> Invitation:
    """An invitation of `org` (already authorised); 404 for one of another organisation."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.org_id != org.id:
        abort(404)
    return invitation
