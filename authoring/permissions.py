"""Who may read, create and edit standards: predicates that deny by default, and loaders that ask them.

An association's unpublished work is visible to its own members only (DESIGN.md: an organisation
only ever sees another organisation's unpublished work when it is a member of it); anyone else gets a
404, as if it did not exist. A visible standard that the user may not edit shows the read view.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.interfaces import ORMOption

from accounts.models import Organisation, Role, User
from accounts.permissions import Actor, is_administrator, role_in
from accounts.refusals import Decision
from authoring.models import Revision, Standard
from extensions import db, login_manager


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_active else None


def can_view_standard(actor: Actor, standard: Standard) -> Decision:
    """Anyone once published; before that the association's members, its drafters and the administrator."""
    if standard.stage_enum.public:
        return Decision.yes()
    user = _user(actor)
    allowed = is_administrator(actor) or (
        user is not None and (role_in(user, standard.association) is not None or standard.is_drafter(user))
    )
    return Decision.of(allowed, _l("Only the association's members see its unpublished standards."))


def can_edit_standard(actor: Actor, standard: Standard) -> Decision:
    """Drafters of that standard and its association's secretariat, only in an editable stage."""
    if not standard.stage_enum.editable:
        return Decision.no(
            _(
                "The text can only be edited while drafting or disposing of comments; this standard is in the stage “%(stage)s”.",
                stage=standard.stage_enum.label,
            )
        )
    user = _user(actor)
    allowed = user is not None and (
        role_in(user, standard.association) == Role.SECRETARIAT or standard.is_drafter(user)
    )
    return Decision.of(
        allowed, _l("Only the drafters of this standard and the association's secretariat may edit it.")
    )


def can_create_standard(actor: Actor, association: Organisation) -> Decision:
    """The association's secretariat."""
    allowed = association.is_association and role_in(actor, association) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the association's secretariat creates projects."))


def can_list_standards(actor: Actor, association: Organisation) -> Decision:
    """Members of the association and the administrator see all its projects."""
    allowed = is_administrator(actor) or role_in(actor, association) is not None
    return Decision.of(allowed, _l("Only the association's members see its projects."))


def load_association(org_id: int, actor: Actor) -> Organisation:
    """An association whose standards list `actor` may see; 404 otherwise."""
    org = db.session.get(Organisation, org_id)
    if org is None or not org.is_association or not can_list_standards(actor, org):
        abort(404)
    return org


def load_standard(standard_id: int, actor: Actor, options: Sequence[ORMOption] = ()) -> Standard:
    """The standard if `actor` may read it; 404 otherwise (also when it does not exist).

    Someone not logged in is sent to the login page instead, for every id alike: a member who
    follows a link to a draft gets to it after logging in, and nobody learns which ids exist.
    `options` load with it what the page needs, in the same query or one more.
    """
    standard = db.session.get(Standard, standard_id, options=options)
    if standard is None or not can_view_standard(actor, standard):
        if _user(actor) is None:
            abort(login_manager.unauthorized())
        abort(404)
    return standard


def load_standard_to_edit(standard_id: int, actor: Actor) -> Standard:
    """The standard if `actor` may edit it; 404 when not visible, 403 when only readable."""
    standard = load_standard(standard_id, actor)
    if not can_edit_standard(actor, standard):
        abort(403)
    return standard


def load_revision(standard: Standard, number: int) -> Revision:
    """Revision `number` of an already authorised standard; 404 when there is none."""
    revision = standard.revision(number)
    if revision is None:
        abort(404)
    return revision
